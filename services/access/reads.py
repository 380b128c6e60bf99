"""Batched reads of what a reader may see, behind the API's loaders and root lists: rows by
id, a page or the count of each parent's children, a root page. Each reads one statement for
a whole batch of keys, limited to the ARTs the reader may see (None: every ART)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from services.core import pagination, reads
from services.core.base import Base
from services.core.pagination import Ordering, Page, PageRequest, ParentPages
from services.core.relations import Relation
from services.models import (
    Art,
    Component,
    Dependency,
    Feature,
    FollowUp,
    HistoryEntry,
    Iteration,
    Membership,
    Milestone,
    Person,
    PlanningInterval,
    RefinementEvent,
    RefinementSchedule,
    RefinementSession,
    Story,
    Team,
)

VisibleArts = frozenset[int] | None


def visible(model: type[Base], art_ids: VisibleArts) -> list[ColumnElement[bool]]:
    """Conditions limiting `model` rows to the ARTs an actor may read (none for an admin)."""
    if art_ids is None:
        return []
    ids = sorted(art_ids)
    if not ids:
        return [false()] if model is not Person else [true()]
    conditions: dict[type[Base], Any] = {
        Art: lambda: Art.id.in_(ids),
        Team: lambda: Team.art_id.in_(ids),
        PlanningInterval: lambda: PlanningInterval.art_id.in_(ids),
        Iteration: lambda: Iteration.planning_interval_id.in_(
            select(PlanningInterval.id).where(PlanningInterval.art_id.in_(ids))
        ),
        Milestone: lambda: Milestone.planning_interval_id.in_(
            select(PlanningInterval.id).where(PlanningInterval.art_id.in_(ids))
        ),
        Feature: lambda: Feature.art_id.in_(ids),
        Story: lambda: Story.feature_id.in_(select(Feature.id).where(Feature.art_id.in_(ids))),
        Component: lambda: or_(Component.art_id.in_(ids), Component.art_id.is_(None)),
        Dependency: lambda: or_(
            Dependency.dependent_art_id.in_(ids), Dependency.prerequisite_art_id.in_(ids)
        ),
        Membership: lambda: or_(
            Membership.art_id.in_(ids),
            Membership.team_id.in_(select(Team.id).where(Team.art_id.in_(ids))),
        ),
        HistoryEntry: lambda: HistoryEntry.art_id.in_(ids),
        RefinementSession: lambda: RefinementSession.art_id.in_(ids),
        RefinementSchedule: lambda: RefinementSchedule.team_id.in_(
            select(Team.id).where(Team.art_id.in_(ids))
        ),
        RefinementEvent: lambda: RefinementEvent.session_id.in_(
            select(RefinementSession.id).where(RefinementSession.art_id.in_(ids))
        ),
        FollowUp: lambda: FollowUp.art_id.in_(ids),
        # The people directory (names and emails) is open to everyone signed in.
        Person: lambda: true(),
    }
    return [conditions[model]()]


async def rows_by_id(
    session: AsyncSession, model: type[Base], ids: Sequence[int], arts: VisibleArts
) -> dict[int, Row[Any]]:
    return await reads.rows_by_id(session, model, ids, visible(model, arts))


async def child_pages(
    session: AsyncSession,
    relation: Relation,
    filter_: Hashable,
    parent_ids: Sequence[int],
    ordering: Ordering,
    request: PageRequest,
    columns: Sequence[str],
    arts: VisibleArts,
) -> ParentPages:
    """One page of `relation`'s children per parent, reading only the named columns."""
    model: Any = relation.model
    return await pagination.fetch_parent_pages(
        session,
        relation.model,
        [getattr(model, name) for name in columns],
        relation.scope(parent_ids),
        [*relation.conditions(filter_), *visible(relation.model, arts)],
        ordering,
        request,
    )


async def child_counts(
    session: AsyncSession, relation: Relation, filter_: Hashable, parent_ids: Sequence[int]
) -> dict[int, int]:
    return await pagination.count_by_parent(
        session, relation.model, relation.scope(parent_ids), relation.conditions(filter_)
    )


async def all_children(
    session: AsyncSession,
    relation: Relation,
    parent_ids: Sequence[int],
    ordering: Ordering,
    arts: VisibleArts,
) -> dict[int, list[Row[Any]]]:
    return await pagination.fetch_all_children(
        session,
        relation.model,
        reads.columns_of(relation.model),
        relation.scope(parent_ids),
        [*relation.conditions(None), *visible(relation.model, arts)],
        ordering.order_by(),
    )


async def root_page(
    session: AsyncSession,
    model: type[Base],
    where: Sequence[ColumnElement[bool]],
    ordering: Ordering,
    request: PageRequest,
    arts: VisibleArts,
) -> Page:
    """A page of a root list (every row matching `where` that the reader may see)."""
    conditions = [*where, *visible(model, arts)]
    return await pagination.fetch_page(
        session, reads.columns_of(model), conditions, ordering, request
    )


async def root_count(
    session: AsyncSession,
    model: type[Base],
    where: Sequence[ColumnElement[bool]],
    arts: VisibleArts,
) -> int:
    return await pagination.count_rows(session, model, [*where, *visible(model, arts)])


async def live_arts(session: AsyncSession, arts: VisibleArts) -> list[Row[Any]]:
    """The live ARTs a reader may see, by key."""
    return await reads.rows_where(
        session, Art, [*visible(Art, arts), Art.archived_at.is_(None)], [Art.key]
    )

"""The rows a plan is read from: plain column selects (no ORM objects), about a dozen
statements for any number of items, each reading only what the plan needs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.core.enums import TEAM_MEMBER_ROLES
from services.models import (
    Art,
    Component,
    Dependency,
    Feature,
    FeatureComponent,
    Iteration,
    Membership,
    Milestone,
    PlanningInterval,
    Story,
    StoryComponent,
    Team,
    TeamCapacity,
)

FEATURE_COLUMNS = (
    Feature.id,
    Feature.art_id,
    Feature.key,
    Feature.owning_team_id,
    Feature.planning_interval_id,
    Feature.iteration_id,
    Feature.state,
    Feature.wsjf,
    Feature.rank,
    Feature.user_business_value,
)
STORY_COLUMNS = (
    Story.id,
    Story.feature_id,
    Story.team_id,
    Story.key,
    Story.iteration_id,
    Story.status,
    Story.points,
    Story.tshirt_size,
    Story.kind,
    Story.rank,
)
DEPENDENCY_COLUMNS = (
    Dependency.id,
    Dependency.dependent_feature_id,
    Dependency.dependent_story_id,
    Dependency.prerequisite_feature_id,
    Dependency.prerequisite_story_id,
    Dependency.type,
    Dependency.needed_by_iteration_id,
)
ITERATION_COLUMNS = (
    Iteration.id,
    Iteration.planning_interval_id,
    Iteration.index.label("position"),
    Iteration.name,
    Iteration.kind,
    Iteration.start_date,
    Iteration.end_date,
)
# Ids per IN list: well under the bind-parameter limits of PostgreSQL (32,767) and SQLite.
CHUNK = 5_000


def _chunks(ids: Iterable[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)]


@dataclass(frozen=True, slots=True)
class WorkRows:
    """The live features and stories of the ARTs in scope, every live dependency touching
    them, and the far ends of the cross-ART ones (with a far story's feature)."""

    features: Sequence[Any]
    stories: Sequence[Any]
    dependencies: Sequence[Any]


async def arts(session: AsyncSession, art_ids: Sequence[int] | None) -> dict[int, str]:
    """The live ARTs in scope (None: all), id -> key."""
    art_filter = [Art.archived_at.is_(None)] + ([Art.id.in_(list(art_ids))] if art_ids else [])
    return dict((await session.execute(select(Art.id, Art.key).where(*art_filter))).all())


async def work(session: AsyncSession, scope: list[int]) -> WorkRows:
    live_features = (Feature.art_id.in_(scope), Feature.archived_at.is_(None))
    feature_rows = (await session.execute(select(*FEATURE_COLUMNS).where(*live_features))).all()
    story_rows = (
        await session.execute(
            select(*STORY_COLUMNS)
            .join(Feature, Story.feature_id == Feature.id)
            .where(*live_features, Story.archived_at.is_(None))
        )
    ).all()
    dependency_rows = (
        await session.execute(
            select(*DEPENDENCY_COLUMNS).where(
                Dependency.archived_at.is_(None),
                or_(
                    Dependency.dependent_art_id.in_(scope),
                    Dependency.prerequisite_art_id.in_(scope),
                ),
            )
        )
    ).all()

    # The far ends of cross-ART dependencies join the plan as items too.
    known_features = {r.id for r in feature_rows}
    known_stories = {r.id for r in story_rows}
    far_features = {
        f
        for r in dependency_rows
        for f in (r.dependent_feature_id, r.prerequisite_feature_id)
        if f is not None and f not in known_features
    }
    far_stories = {
        s
        for r in dependency_rows
        for s in (r.dependent_story_id, r.prerequisite_story_id)
        if s is not None and s not in known_stories
    }
    for chunk in _chunks(far_stories):
        extra_stories = (
            await session.execute(select(*STORY_COLUMNS).where(Story.id.in_(chunk)))
        ).all()
        story_rows = [*story_rows, *extra_stories]
        far_features |= {r.feature_id for r in extra_stories} - known_features
    for chunk in _chunks(far_features):
        extra_features = (
            await session.execute(select(*FEATURE_COLUMNS).where(Feature.id.in_(chunk)))
        ).all()
        feature_rows = [*feature_rows, *extra_features]
    return WorkRows(feature_rows, story_rows, dependency_rows)


async def art_keys(session: AsyncSession, art_ids: Iterable[int]) -> dict[int, str]:
    """Every ART's key, archived or not (a far end may lie in any ART)."""
    stmt = select(Art.id, Art.key).where(Art.id.in_(sorted(art_ids)))
    return dict((await session.execute(stmt)).all())


async def teams(session: AsyncSession, art_ids: Iterable[int]) -> Sequence[Any]:
    stmt = select(Team.id, Team.art_id, Team.name, Team.tshirt_points).where(
        Team.art_id.in_(sorted(art_ids))
    )
    return (await session.execute(stmt)).all()


async def intervals(session: AsyncSession, art_ids: Iterable[int]) -> Sequence[Any]:
    stmt = select(PlanningInterval.id, PlanningInterval.art_id).where(
        PlanningInterval.art_id.in_(sorted(art_ids)), PlanningInterval.archived_at.is_(None)
    )
    return (await session.execute(stmt)).all()


async def iterations(session: AsyncSession, interval_ids: Iterable[int]) -> Sequence[Any]:
    stmt = select(*ITERATION_COLUMNS).where(
        Iteration.planning_interval_id.in_(list(interval_ids)), Iteration.archived_at.is_(None)
    )
    return (await session.execute(stmt)).all()


async def components(session: AsyncSession, scope: list[int]) -> Sequence[Any]:
    """The live components the ARTs in scope see: theirs and the portfolio-wide ones."""
    stmt = select(Component.id, Component.name, Component.owning_team_id).where(
        Component.archived_at.is_(None),
        or_(Component.art_id.in_(scope), Component.art_id.is_(None)),
    )
    return (await session.execute(stmt)).all()


async def touches(session: AsyncSession, scope: list[int]) -> tuple[Sequence[Any], Sequence[Any]]:
    """Which components the live features, and the live stories, of the scope touch:
    (feature id, component id) and (story id, component id) pairs."""
    live_features = (Feature.art_id.in_(scope), Feature.archived_at.is_(None))
    by_features = select(FeatureComponent.feature_id, FeatureComponent.component_id).join(
        Feature, FeatureComponent.feature_id == Feature.id
    )
    by_stories = (
        select(StoryComponent.story_id, StoryComponent.component_id)
        .join(Story, StoryComponent.story_id == Story.id)
        .join(Feature, Story.feature_id == Feature.id)
    )
    feature_pairs = (await session.execute(by_features.where(*live_features))).all()
    story_pairs = (
        await session.execute(by_stories.where(*live_features, Story.archived_at.is_(None)))
    ).all()
    return feature_pairs, story_pairs


async def team_members(session: AsyncSession, team_ids: list[int]) -> dict[int, int]:
    """How many live team members (of the roles that count for capacity) each team has."""
    members: dict[int, int] = {}
    stmt = select(Membership.team_id, Membership.role).where(
        Membership.team_id.in_(team_ids), Membership.archived_at.is_(None)
    )
    for team_id, role in (await session.execute(stmt)).all():
        if team_id is not None and role in TEAM_MEMBER_ROLES:
            members[team_id] = members.get(team_id, 0) + 1
    return members


async def capacity_overrides(
    session: AsyncSession, team_ids: list[int]
) -> dict[tuple[int, int], int]:
    """The capacity a team set for an iteration: (team id, iteration id) -> points."""
    stmt = select(TeamCapacity.team_id, TeamCapacity.iteration_id, TeamCapacity.points).where(
        TeamCapacity.team_id.in_(team_ids), TeamCapacity.archived_at.is_(None)
    )
    return {(t, i): p for t, i, p in (await session.execute(stmt)).all()}


async def milestones(session: AsyncSession, interval_ids: list[int]) -> Sequence[Any]:
    stmt = select(
        Milestone.id, Milestone.name, Milestone.date, Milestone.planning_interval_id
    ).where(Milestone.planning_interval_id.in_(interval_ids), Milestone.archived_at.is_(None))
    return (await session.execute(stmt)).all()

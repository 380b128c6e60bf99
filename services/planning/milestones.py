"""Milestones on a planning interval's board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import records, refs, validation
from services.core.enums import MilestoneKind
from services.core.errors import ErrorCode, Problems
from services.core.inputs import UNSET, Maybe
from services.core.pagination import Ordering
from services.models import Milestone, PlanningInterval

MILESTONE_ORDER = Ordering("milestone_date", ((Milestone.date, False), (Milestone.id, False)))


@dataclass(frozen=True, slots=True)
class MilestoneDraft:
    """A new milestone; its kind is OTHER unless given."""

    name: str
    date: dt.date
    kind: Maybe[MilestoneKind | None] = UNSET
    description: Maybe[str | None] = UNSET


@dataclass(frozen=True, slots=True)
class MilestoneChanges:
    """Changes to a milestone; UNSET fields stay as they are (a None kind is OTHER)."""

    name: Maybe[str | None] = UNSET
    date: Maybe[dt.date | None] = UNSET
    kind: Maybe[MilestoneKind | None] = UNSET
    description: Maybe[str | None] = UNSET


def _clean(
    problems: Problems, pi: PlanningInterval, changes: MilestoneChanges
) -> dict[str, object]:
    out: dict[str, object] = {}
    if changes.name is not UNSET:
        out["name"] = validation.text(
            problems, "name", changes.name, max_len=validation.NAME_MAX, required=True
        )
    if changes.date is not UNSET:
        date = changes.date
        if date is None:
            problems.add(ErrorCode.REQUIRED, "A milestone needs a date.", "date")
        elif not pi.start_date <= date <= pi.end_date:
            problems.add(
                ErrorCode.INVALID_VALUE,
                f"The milestone date {date} lies outside its planning interval "
                f"({pi.start_date} to {pi.end_date}).",
                "date",
            )
        out["date"] = date
    if changes.kind is not UNSET:
        out["kind"] = changes.kind or MilestoneKind.OTHER
    if changes.description is not UNSET:
        out["description"] = validation.text(
            problems, "description", changes.description or "", max_len=validation.SHORT_TEXT_MAX
        )
    return out


def _require(actor: Actor, pi: PlanningInterval) -> None:
    permissions.require(actor, Action.MANAGE_PLANNING, art_id=pi.art_id, where="in this ART")


async def create_milestone(
    session: AsyncSession, actor: Actor, pi_id: int, draft: MilestoneDraft
) -> Milestone:
    permissions.require_write(actor)
    problems = Problems()
    pi = await refs.resolve(
        session, problems, PlanningInterval, pi_id, "planning interval", "planning_interval_id"
    )
    problems.raise_if_any()
    assert pi is not None
    _require(actor, pi)
    changes = MilestoneChanges(
        name=draft.name, date=draft.date, kind=draft.kind, description=draft.description
    )
    cleaned = _clean(problems, pi, changes)
    problems.raise_if_any()
    defaults = {"description": "", "kind": MilestoneKind.OTHER}
    milestone = Milestone(planning_interval_id=pi.id, **{**defaults, **cleaned})
    session.add(milestone)
    await records.flush(session, milestone, "Milestone")
    return milestone


async def update_milestone(
    session: AsyncSession, actor: Actor, milestone_id: int, version: int, changes: MilestoneChanges
) -> Milestone:
    permissions.require_write(actor)
    milestone = await records.load(session, Milestone, milestone_id, "milestone")
    pi = await records.load(
        session, PlanningInterval, milestone.planning_interval_id, "planning interval"
    )
    _require(actor, pi)
    records.check_version(milestone, version, "Milestone")
    problems = Problems()
    cleaned = _clean(problems, pi, changes)
    problems.raise_if_any()
    for name, value in cleaned.items():
        setattr(milestone, name, value)
    await records.flush(session, milestone, "Milestone")
    return milestone


async def archive_milestone(
    session: AsyncSession, actor: Actor, milestone_id: int, version: int
) -> Milestone:
    permissions.require_write(actor)
    milestone = await records.load(session, Milestone, milestone_id, "milestone")
    pi = await session.get(PlanningInterval, milestone.planning_interval_id)
    assert pi is not None
    _require(actor, pi)
    await records.archive(session, milestone, version, "Milestone")
    return milestone

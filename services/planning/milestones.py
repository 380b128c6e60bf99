"""Milestones on a planning interval's board."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import records, refs, validation
from services.core.enums import MilestoneKind
from services.core.errors import ErrorCode, Problems
from services.core.pagination import Ordering
from services.models import Milestone, PlanningInterval

MILESTONE_ORDER = Ordering("milestone_date", ((Milestone.date, False), (Milestone.id, False)))
FIELDS = frozenset({"name", "date", "kind", "description"})


def _clean(
    problems: Problems, pi: PlanningInterval, values: Mapping[str, Any], current: Milestone | None
) -> dict[str, Any]:
    assert set(values) <= FIELDS
    out: dict[str, Any] = {}
    if "name" in values or current is None:
        out["name"] = validation.text(
            problems, "name", values.get("name"), max_len=validation.NAME_MAX, required=True
        )
    if "date" in values or current is None:
        date = values.get("date")
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
    if "kind" in values or current is None:
        out["kind"] = values.get("kind") or MilestoneKind.OTHER
    if "description" in values:
        out["description"] = validation.text(
            problems, "description", values["description"] or "", max_len=validation.SHORT_TEXT_MAX
        )
    return out


def _require(actor: Actor, pi: PlanningInterval) -> None:
    permissions.require(actor, Action.MANAGE_PLANNING, art_id=pi.art_id, where="in this ART")


async def create_milestone(
    session: AsyncSession, actor: Actor, pi_id: int, values: Mapping[str, Any]
) -> Milestone:
    permissions.require_write(actor)
    problems = Problems()
    pi = await refs.resolve(
        session, problems, PlanningInterval, pi_id, "planning interval", "planning_interval_id"
    )
    problems.raise_if_any()
    assert pi is not None
    _require(actor, pi)
    cleaned = _clean(problems, pi, values, None)
    problems.raise_if_any()
    milestone = Milestone(planning_interval_id=pi.id, **{"description": "", **cleaned})
    session.add(milestone)
    await records.flush(session, milestone, "Milestone")
    return milestone


async def update_milestone(
    session: AsyncSession, actor: Actor, milestone_id: int, version: int, values: Mapping[str, Any]
) -> Milestone:
    permissions.require_write(actor)
    milestone = await records.load(session, Milestone, milestone_id, "milestone")
    pi = await records.load(
        session, PlanningInterval, milestone.planning_interval_id, "planning interval"
    )
    _require(actor, pi)
    records.check_version(milestone, version, "Milestone")
    problems = Problems()
    cleaned = _clean(problems, pi, values, milestone)
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

"""Planning intervals: create one with its iterations (regular ones and one IP iteration at
the end), change its name or dates, archive it; and the rules its iterations follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import filters, records, refs, validation
from services.core.enums import IterationKind
from services.core.errors import ErrorCode, Problems
from services.core.inputs import UNSET, Maybe
from services.core.pagination import Ordering
from services.models import Art, Feature, Iteration, Milestone, PlanningInterval

T = TypeVar("T")
PI_ORDER = Ordering(
    "pi_start", ((PlanningInterval.start_date, False), (PlanningInterval.id, False))
)
MAX_PI_DAYS = 26 * 7  # SAFe PIs run 8-12 weeks; half a year is a generous ceiling
MAX_ITERATIONS = 12


@dataclass(frozen=True, slots=True)
class PlanningIntervalFilter:
    name: filters.Match[str] | None = None
    archived: bool | None = False


def pi_conditions(f: PlanningIntervalFilter) -> list[ColumnElement[bool]]:
    return [
        *filters.match(PlanningInterval.name, f.name, "name"),
        *filters.archived(PlanningInterval.archived_at, f.archived),
    ]


@dataclass(frozen=True, slots=True)
class IterationSpec:
    """An iteration to create; without a name it is called "Iteration n" (or the IP one)."""

    start_date: dt.date
    end_date: dt.date
    kind: IterationKind = IterationKind.REGULAR
    name: str | None = None


@dataclass(frozen=True, slots=True)
class PlanningIntervalDraft:
    """A new planning interval with its iterations, numbered in order."""

    name: str
    start_date: dt.date
    end_date: dt.date
    iterations: Sequence[IterationSpec] = ()


@dataclass(frozen=True, slots=True)
class PlanningIntervalChanges:
    """Changes to a planning interval; UNSET fields stay as they are (so does a None date)."""

    name: Maybe[str | None] = UNSET
    start_date: Maybe[dt.date | None] = UNSET
    end_date: Maybe[dt.date | None] = UNSET


def given_or(value: Maybe[T | None], current: T) -> T:
    """A change that leaves the current value when it is UNSET or None."""
    return current if value is UNSET or value is None else value


def _check_dates(problems: Problems, start: dt.date, end: dt.date, what: str) -> None:
    if start > end:
        problems.add(
            ErrorCode.INVALID_VALUE,
            f"{what} ends ({end}) before it starts ({start}).",
            "end_date",
        )


def check_iteration_layout(
    problems: Problems,
    pi_start: dt.date,
    pi_end: dt.date,
    iterations: Sequence[tuple[int, dt.date, dt.date, IterationKind]],
    field: str,
) -> None:
    """Iterations lie inside the PI, do not overlap, and an IP iteration can only be the last."""
    ordered = sorted(iterations, key=lambda it: it[0])
    previous_end: dt.date | None = None
    for position, (index, start, end, kind) in enumerate(ordered):
        if start > end:
            problems.add(
                ErrorCode.INVALID_VALUE, f"Iteration {index} ends before it starts.", field
            )
        if start < pi_start or end > pi_end:
            problems.add(
                ErrorCode.INVALID_VALUE,
                f"Iteration {index} ({start} to {end}) lies outside the planning interval "
                f"({pi_start} to {pi_end}).",
                field,
            )
        if previous_end is not None and start <= previous_end:
            problems.add(
                ErrorCode.INVALID_VALUE,
                f"Iteration {index} starts on {start}, before the previous iteration ends "
                f"({previous_end}); iterations follow each other without overlap.",
                field,
            )
        if kind is IterationKind.IP and position != len(ordered) - 1:
            problems.add(
                ErrorCode.INVALID_VALUE,
                f"Iteration {index} is an IP iteration but is not the last one; the IP "
                "iteration closes the planning interval.",
                field,
            )
        previous_end = end


def require_planning(actor: Actor, art_id: int) -> None:
    permissions.require(actor, Action.MANAGE_PLANNING, art_id=art_id, where="in this ART")


async def create_planning_interval(
    session: AsyncSession,
    actor: Actor,
    art_id: int,
    draft: PlanningIntervalDraft,
) -> PlanningInterval:
    permissions.require_write(actor)
    problems = Problems()
    art = await refs.resolve(session, problems, Art, art_id, "ART", "art_id")
    if art is not None:
        require_planning(actor, art.id)
    name = validation.text(problems, "name", draft.name, max_len=validation.NAME_MAX, required=True)
    start, end, iterations = draft.start_date, draft.end_date, draft.iterations
    _check_dates(problems, start, end, "The planning interval")
    if (end - start).days + 1 > MAX_PI_DAYS:
        problems.add(
            ErrorCode.INVALID_VALUE,
            f"The planning interval spans {(end - start).days + 1} days; at most {MAX_PI_DAYS}.",
            "end_date",
        )
    if len(iterations) > MAX_ITERATIONS:
        problems.add(
            ErrorCode.TOO_LONG,
            f"{len(iterations)} iterations given; at most {MAX_ITERATIONS}.",
            "iterations",
        )
    if start <= end:
        check_iteration_layout(
            problems,
            start,
            end,
            [(i, it.start_date, it.end_date, it.kind) for i, it in enumerate(iterations, 1)],
            "iterations",
        )
    if name and not problems.has("art_id"):
        taken = await session.scalar(
            select(PlanningInterval.id).where(
                PlanningInterval.art_id == art_id, PlanningInterval.name == name
            )
        )
        if taken is not None:
            problems.add(
                ErrorCode.DUPLICATE_KEY,
                f"This ART already has a planning interval named {name}.",
                "name",
            )
    for it in iterations:
        validation.text(problems, "iterations", it.name, max_len=validation.NAME_MAX)
    problems.raise_if_any()
    pi = PlanningInterval(art_id=art_id, name=name, start_date=start, end_date=end)
    session.add(pi)
    await records.flush(session, pi, "Planning interval")
    for index, it in enumerate(iterations, 1):
        session.add(
            Iteration(
                planning_interval_id=pi.id,
                index=index,
                name=(it.name or "").strip() or default_iteration_name(index, it.kind),
                start_date=it.start_date,
                end_date=it.end_date,
                kind=it.kind,
            )
        )
    await records.flush(session, pi, "Planning interval")
    return pi


def default_iteration_name(index: int, kind: IterationKind) -> str:
    return "Innovation & Planning" if kind is IterationKind.IP else f"Iteration {index}"


async def live_iterations(session: AsyncSession, pi_id: int) -> list[Iteration]:
    result = await session.scalars(
        select(Iteration)
        .where(Iteration.planning_interval_id == pi_id, Iteration.archived_at.is_(None))
        .order_by(Iteration.index)
    )
    return list(result)


async def update_planning_interval(
    session: AsyncSession,
    actor: Actor,
    pi_id: int,
    version: int,
    changes: PlanningIntervalChanges,
) -> PlanningInterval:
    permissions.require_write(actor)
    pi = await records.load(session, PlanningInterval, pi_id, "planning interval")
    require_planning(actor, pi.art_id)
    records.check_version(pi, version, "Planning interval")
    problems = Problems()
    pi_name = pi.name
    if changes.name is not UNSET:
        name = validation.text(
            problems, "name", changes.name, max_len=validation.NAME_MAX, required=True
        )
        if name and name != pi.name:
            taken = await session.scalar(
                select(PlanningInterval.id).where(
                    PlanningInterval.art_id == pi.art_id, PlanningInterval.name == name
                )
            )
            if taken is not None:
                problems.add(
                    ErrorCode.DUPLICATE_KEY,
                    f"This ART already has a planning interval named {name}.",
                    "name",
                )
        pi_name = name or pi.name
    start = given_or(changes.start_date, pi.start_date)
    end = given_or(changes.end_date, pi.end_date)
    moved = "start_date" if changes.start_date is not UNSET else "end_date"
    _check_dates(problems, start, end, "The planning interval")
    if start <= end:
        check_iteration_layout(
            problems,
            start,
            end,
            [
                (it.index, it.start_date, it.end_date, it.kind)
                for it in await live_iterations(session, pi.id)
            ],
            moved,
        )
        outside = await session.scalar(
            select(func.count())
            .select_from(Milestone)
            .where(
                Milestone.planning_interval_id == pi.id,
                Milestone.archived_at.is_(None),
                or_(Milestone.date < start, Milestone.date > end),
            )
        )
        if outside:
            problems.add(
                ErrorCode.INVALID_VALUE,
                f"{outside} milestone(s) would fall outside the new dates; move them first.",
                moved,
            )
    problems.raise_if_any()
    pi.name = pi_name
    pi.start_date, pi.end_date = start, end
    await records.flush(session, pi, "Planning interval")
    return pi


async def archive_planning_interval(
    session: AsyncSession, actor: Actor, pi_id: int, version: int
) -> PlanningInterval:
    permissions.require_write(actor)
    pi = await records.load(session, PlanningInterval, pi_id, "planning interval")
    require_planning(actor, pi.art_id)
    records.check_version(pi, version, "Planning interval")
    records.ensure_unused(
        [
            (
                await records.count_active(session, Feature, Feature.planning_interval_id == pi_id),
                "features",
            ),
        ],
        f"Planning interval {pi.name}",
    )
    await records.archive(session, pi, version, "Planning interval")
    return pi

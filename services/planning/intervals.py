"""Planning intervals and their iterations (regular + one IP iteration at the end)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import filters, records, refs, validation
from services.core.enums import IterationKind, StoryKind
from services.core.errors import ErrorCode, Problems
from services.core.pagination import Ordering
from services.models import Art, Dependency, Feature, Iteration, Milestone, PlanningInterval, Story

PI_ORDER = Ordering(
    "pi_start", ((PlanningInterval.start_date, False), (PlanningInterval.id, False))
)
PI_FIELDS = frozenset({"name", "start_date", "end_date"})
ITERATION_FIELDS = frozenset({"name", "start_date", "end_date", "kind"})
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
    start_date: dt.date
    end_date: dt.date
    kind: IterationKind = IterationKind.REGULAR
    name: str | None = None


def _check_dates(problems: Problems, start: dt.date | None, end: dt.date | None, what: str) -> None:
    if start is None or end is None:
        problems.add(
            ErrorCode.REQUIRED, f"{what} needs a start date and an end date.", "start_date"
        )
    elif start > end:
        problems.add(
            ErrorCode.INVALID_VALUE,
            f"{what} ends ({end}) before it starts ({start}).",
            "end_date",
        )


def _check_iteration_layout(
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


async def _require_planning(session: AsyncSession, actor: Actor, art_id: int) -> None:
    permissions.require(actor, Action.MANAGE_PLANNING, art_id=art_id, where="in this ART")


async def create_planning_interval(
    session: AsyncSession,
    actor: Actor,
    art_id: int,
    values: Mapping[str, Any],
    iterations: Sequence[IterationSpec],
) -> PlanningInterval:
    assert set(values) <= PI_FIELDS
    permissions.require_write(actor)
    problems = Problems()
    art = await refs.resolve(session, problems, Art, art_id, "ART", "art_id")
    if art is not None:
        await _require_planning(session, actor, art.id)
    name = validation.text(
        problems, "name", values.get("name"), max_len=validation.NAME_MAX, required=True
    )
    start, end = values.get("start_date"), values.get("end_date")
    _check_dates(problems, start, end, "The planning interval")
    if start and end and (end - start).days + 1 > MAX_PI_DAYS:
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
    if start and end and start <= end:
        _check_iteration_layout(
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
                name=(it.name or "").strip() or _default_iteration_name(index, it.kind),
                start_date=it.start_date,
                end_date=it.end_date,
                kind=it.kind,
            )
        )
    await records.flush(session, pi, "Planning interval")
    return pi


def _default_iteration_name(index: int, kind: IterationKind) -> str:
    return "Innovation & Planning" if kind is IterationKind.IP else f"Iteration {index}"


async def _iterations_of(session: AsyncSession, pi_id: int) -> list[Iteration]:
    result = await session.scalars(
        select(Iteration)
        .where(Iteration.planning_interval_id == pi_id, Iteration.archived_at.is_(None))
        .order_by(Iteration.index)
    )
    return list(result)


async def update_planning_interval(
    session: AsyncSession, actor: Actor, pi_id: int, version: int, values: Mapping[str, Any]
) -> PlanningInterval:
    assert set(values) <= PI_FIELDS
    permissions.require_write(actor)
    pi = await records.load(session, PlanningInterval, pi_id, "planning interval")
    await _require_planning(session, actor, pi.art_id)
    records.check_version(pi, version, "Planning interval")
    problems = Problems()
    pi_name = pi.name
    if "name" in values:
        name = validation.text(
            problems, "name", values["name"], max_len=validation.NAME_MAX, required=True
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
    start = values.get("start_date") or pi.start_date
    end = values.get("end_date") or pi.end_date
    _check_dates(problems, start, end, "The planning interval")
    if start <= end:
        _check_iteration_layout(
            problems,
            start,
            end,
            [
                (it.index, it.start_date, it.end_date, it.kind)
                for it in await _iterations_of(session, pi.id)
            ],
            "start_date" if "start_date" in values else "end_date",
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
                "start_date" if "start_date" in values else "end_date",
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
    await _require_planning(session, actor, pi.art_id)
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


async def _planned_feature_work(session: AsyncSession, iteration_id: int) -> int:
    features = await records.count_active(session, Feature, Feature.iteration_id == iteration_id)
    stories = await records.count_active(
        session, Story, Story.iteration_id == iteration_id, Story.kind == StoryKind.USER_STORY
    )
    return features + stories


async def create_iteration(
    session: AsyncSession, actor: Actor, pi_id: int, spec: IterationSpec
) -> Iteration:
    permissions.require_write(actor)
    problems = Problems()
    pi = await refs.resolve(
        session, problems, PlanningInterval, pi_id, "planning interval", "planning_interval_id"
    )
    if pi is not None:
        await _require_planning(session, actor, pi.art_id)
    name = validation.text(problems, "name", spec.name, max_len=validation.NAME_MAX)
    problems.raise_if_any()
    assert pi is not None
    existing = await _iterations_of(session, pi.id)
    index = max((it.index for it in await _all_iteration_indexes(session, pi.id)), default=0) + 1
    _check_iteration_layout(
        problems,
        pi.start_date,
        pi.end_date,
        [
            *[(it.index, it.start_date, it.end_date, it.kind) for it in existing],
            (index, spec.start_date, spec.end_date, spec.kind),
        ],
        "start_date",
    )
    problems.raise_if_any()
    iteration = Iteration(
        planning_interval_id=pi.id,
        index=index,
        name=name or _default_iteration_name(index, spec.kind),
        start_date=spec.start_date,
        end_date=spec.end_date,
        kind=spec.kind,
    )
    session.add(iteration)
    await records.flush(session, iteration, "Iteration")
    return iteration


async def _all_iteration_indexes(session: AsyncSession, pi_id: int) -> list[Iteration]:
    # Archived iterations keep their index: numbers are never reused.
    return list(
        await session.scalars(select(Iteration).where(Iteration.planning_interval_id == pi_id))
    )


async def update_iteration(
    session: AsyncSession, actor: Actor, iteration_id: int, version: int, values: Mapping[str, Any]
) -> Iteration:
    assert set(values) <= ITERATION_FIELDS
    permissions.require_write(actor)
    iteration = await records.load(session, Iteration, iteration_id, "iteration")
    pi = await records.load(
        session, PlanningInterval, iteration.planning_interval_id, "planning interval"
    )
    await _require_planning(session, actor, pi.art_id)
    records.check_version(iteration, version, "Iteration")
    problems = Problems()
    name = iteration.name
    if "name" in values:
        name = (
            validation.text(
                problems, "name", values["name"], max_len=validation.NAME_MAX, required=True
            )
            or name
        )
    start = values.get("start_date") or iteration.start_date
    end = values.get("end_date") or iteration.end_date
    kind = values.get("kind") or iteration.kind
    others = [it for it in await _iterations_of(session, pi.id) if it.id != iteration.id]
    _check_iteration_layout(
        problems,
        pi.start_date,
        pi.end_date,
        [
            *[(it.index, it.start_date, it.end_date, it.kind) for it in others],
            (iteration.index, start, end, kind),
        ],
        "start_date",
    )
    if kind is IterationKind.IP and iteration.kind is not IterationKind.IP:
        planned = await _planned_feature_work(session, iteration.id)
        if planned:
            problems.add(
                ErrorCode.IP_ITERATION,
                f"{planned} feature(s) or user stories are planned in this iteration; the IP "
                "iteration holds no feature work, so move them before making it the IP iteration.",
                "kind",
            )
    problems.raise_if_any()
    iteration.name, iteration.start_date, iteration.end_date, iteration.kind = (
        name,
        start,
        end,
        kind,
    )
    await records.flush(session, iteration, "Iteration")
    return iteration


async def archive_iteration(
    session: AsyncSession, actor: Actor, iteration_id: int, version: int
) -> Iteration:
    permissions.require_write(actor)
    iteration = await records.load(session, Iteration, iteration_id, "iteration")
    pi = await session.get(PlanningInterval, iteration.planning_interval_id)
    assert pi is not None
    await _require_planning(session, actor, pi.art_id)
    records.check_version(iteration, version, "Iteration")
    records.ensure_unused(
        [
            (
                await records.count_active(session, Feature, Feature.iteration_id == iteration_id),
                "features",
            ),
            (
                await records.count_active(session, Story, Story.iteration_id == iteration_id),
                "stories",
            ),
            (
                await records.count_active(
                    session, Dependency, Dependency.needed_by_iteration_id == iteration_id
                ),
                "dependencies (needed by)",
            ),
        ],
        f"Iteration {iteration.index}",
    )
    await records.archive(session, iteration, version, "Iteration")
    return iteration


async def check_planned_iteration(
    session: AsyncSession,
    problems: Problems,
    iteration_id: int | None,
    pi_id: int | None,
    *,
    field: str,
    is_feature_work: bool,
    pi_owner: str,
    item: str,
) -> Iteration | None:
    """An item planned into an iteration: one of its PI, and not the IP one for feature work."""
    iteration = await refs.resolve(session, problems, Iteration, iteration_id, "iteration", field)
    if iteration is None:
        return None
    if pi_id is None:
        problems.add(
            ErrorCode.WRONG_PLANNING_INTERVAL,
            f"{field}: {pi_owner} has no planning interval yet, so {item} cannot be planned "
            "into an iteration; set the planning interval first.",
            field,
        )
        return None
    if iteration.planning_interval_id != pi_id:
        problems.add(
            ErrorCode.WRONG_PLANNING_INTERVAL,
            f"{field}: that iteration belongs to another planning interval than {pi_owner}'s.",
            field,
        )
        return None
    if is_feature_work and iteration.kind is IterationKind.IP:
        problems.add(
            ErrorCode.IP_ITERATION,
            f"{field}: the IP (Innovation & Planning) iteration holds no feature work; plan "
            f"{item} into a regular iteration.",
            field,
        )
        return None
    return iteration

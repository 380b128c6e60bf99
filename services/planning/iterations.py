"""Iterations of a planning interval: append one, change it, archive it; and the check of an
item planned into one of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Actor
from services.core import records, refs, validation
from services.core.enums import IterationKind, StoryKind
from services.core.errors import ErrorCode, Problems, at
from services.core.inputs import UNSET, Maybe
from services.core.pagination import Ordering
from services.models import Dependency, Feature, Iteration, PlanningInterval, Story
from services.planning import intervals
from services.planning.intervals import IterationSpec

ITERATION_ORDER = Ordering("iteration_index", ((Iteration.index, False), (Iteration.id, False)))


@dataclass(frozen=True, slots=True)
class IterationChanges:
    """Changes to an iteration; UNSET fields stay as they are (so do a None date or kind)."""

    name: Maybe[str | None] = UNSET
    start_date: Maybe[dt.date | None] = UNSET
    end_date: Maybe[dt.date | None] = UNSET
    kind: Maybe[IterationKind | None] = UNSET


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
        intervals.require_planning(actor, pi.art_id)
    name = validation.text(problems, "name", spec.name, max_len=validation.NAME_MAX)
    problems.raise_if_any()
    assert pi is not None
    existing = await intervals.live_iterations(session, pi.id)
    if len(existing) >= intervals.MAX_ITERATIONS:
        # The same ceiling as when the interval is created with its iterations.
        problems.add(
            ErrorCode.TOO_LONG,
            f"The planning interval already has {len(existing)} iterations; at most "
            f"{intervals.MAX_ITERATIONS}.",
            "planning_interval_id",
        )
        problems.raise_if_any()
    index = max((it.index for it in await _all_iteration_indexes(session, pi.id)), default=0) + 1
    intervals.check_iteration_layout(
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
        name=name or intervals.default_iteration_name(index, spec.kind),
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
    session: AsyncSession, actor: Actor, iteration_id: int, version: int, changes: IterationChanges
) -> Iteration:
    permissions.require_write(actor)
    iteration = await records.load(session, Iteration, iteration_id, "iteration")
    pi = await records.load(
        session, PlanningInterval, iteration.planning_interval_id, "planning interval"
    )
    intervals.require_planning(actor, pi.art_id)
    records.check_version(iteration, version, "Iteration")
    problems = Problems()
    name = iteration.name
    if changes.name is not UNSET:
        name = (
            validation.text(
                problems, "name", changes.name, max_len=validation.NAME_MAX, required=True
            )
            or name
        )
    start = intervals.given_or(changes.start_date, iteration.start_date)
    end = intervals.given_or(changes.end_date, iteration.end_date)
    kind = intervals.given_or(changes.kind, iteration.kind)
    others = [it for it in await intervals.live_iterations(session, pi.id) if it.id != iteration.id]
    intervals.check_iteration_layout(
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
    intervals.require_planning(actor, pi.art_id)
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
            at(
                field,
                f": {pi_owner} has no planning interval yet, so {item} cannot be planned "
                "into an iteration; set the planning interval first.",
            ),
            field,
        )
        return None
    if iteration.planning_interval_id != pi_id:
        problems.add(
            ErrorCode.WRONG_PLANNING_INTERVAL,
            at(field, f": that iteration belongs to another planning interval than {pi_owner}'s."),
            field,
        )
        return None
    if is_feature_work and iteration.kind is IterationKind.IP:
        problems.add(
            ErrorCode.IP_ITERATION,
            at(
                field,
                ": the IP (Innovation & Planning) iteration holds no feature work; plan "
                f"{item} into a regular iteration.",
            ),
            field,
        )
        return None
    return iteration

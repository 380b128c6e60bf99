"""The graph analyses as use cases: access checked, plan loaded (cached), result cached per
plan version, so asking again about an unchanged plan computes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from graph import coupling, critical, cycles, display, health, hotspots, impact, planner
from graph.model import Slot
from services.access import permissions
from services.access.permissions import Actor
from services.analysis.filters import DependencyHealthFilter, select_health
from services.analysis.plans import AnalysisCache, LoadedPlan, cached_plan
from services.core.errors import DomainError, ErrorCode, at
from services.models import Art, PlanningInterval

R = TypeVar("R")


async def _analyse(
    session: AsyncSession,
    cache: AnalysisCache,
    art_ids: Sequence[int] | None,
    name: str,
    params: Hashable,
    compute: Callable[[LoadedPlan], R],
) -> tuple[LoadedPlan, R]:
    loaded, plan_key = await cached_plan(session, cache, art_ids)
    result = cache.get_or_compute((name, plan_key, params), lambda: compute(loaded))
    return loaded, result


async def _art(session: AsyncSession, actor: Actor, art_id: int) -> None:
    key = await session.scalar(select(Art.key).where(Art.id == art_id))
    permissions.require_read_art(actor, art_id, key or str(art_id))


async def _interval(session: AsyncSession, actor: Actor, pi_id: int) -> PlanningInterval:
    pi = await session.get(PlanningInterval, pi_id)
    if pi is None:
        raise DomainError.single(ErrorCode.NOT_FOUND, "No planning interval with that id.")
    await _art(session, actor, pi.art_id)
    return pi


def portfolio_scope(actor: Actor) -> list[int] | None:
    permissions.require_signed_in(actor)
    visible = actor.visible_art_ids()
    return None if visible is None else sorted(visible)


async def dependency_health(
    session: AsyncSession,
    actor: Actor,
    cache: AnalysisCache,
    art_id: int,
    wanted: DependencyHealthFilter | None = None,
) -> tuple[LoadedPlan, list[health.DependencyHealth]]:
    """Every dependency touching the ART, or those the filter keeps."""
    await _art(session, actor, art_id)
    loaded, found = await cached_dependency_health(session, cache, art_id)
    if wanted is None or wanted == DependencyHealthFilter():
        return loaded, found
    return loaded, select_health(loaded, found, wanted)


async def cached_dependency_health(
    session: AsyncSession, cache: AnalysisCache, art_id: int
) -> tuple[LoadedPlan, list[health.DependencyHealth]]:
    """The ART's dependency health, without an access check: for callers that made it."""
    return await _analyse(
        session, cache, [art_id], "health", None, lambda lp: health.dependency_health(lp.plan)
    )


async def feature_health(
    session: AsyncSession, actor: Actor, cache: AnalysisCache, art_id: int
) -> tuple[LoadedPlan, list[health.FeatureHealth]]:
    loaded, healths = await dependency_health(session, actor, cache, art_id)

    def compute(lp: LoadedPlan) -> list[health.FeatureHealth]:
        return health.feature_health(lp.plan, healths)

    _, result = await _analyse(session, cache, [art_id], "feature_health", None, compute)
    return loaded, result


async def find_cycles(
    session: AsyncSession, actor: Actor, cache: AnalysisCache, art_ids: Sequence[int] | None
) -> tuple[LoadedPlan, list[cycles.Cycle]]:
    for art_id in art_ids or ():
        await _art(session, actor, art_id)
    return await _analyse(
        session, cache, art_ids, "cycles", None, lambda lp: cycles.find_cycles(lp.plan)
    )


async def team_coupling(
    session: AsyncSession, actor: Actor, cache: AnalysisCache, art_ids: Sequence[int] | None
) -> tuple[LoadedPlan, coupling.Coupling]:
    for art_id in art_ids or ():
        await _art(session, actor, art_id)
    return await _analyse(
        session, cache, art_ids, "coupling", None, lambda lp: coupling.coupling(lp.plan)
    )


async def component_hotspots(
    session: AsyncSession, actor: Actor, cache: AnalysisCache, art_id: int
) -> tuple[LoadedPlan, hotspots.Hotspots]:
    await _art(session, actor, art_id)
    return await _analyse(
        session, cache, [art_id], "hotspots", None, lambda lp: hotspots.hotspots(lp.plan)
    )


async def critical_path(
    session: AsyncSession, actor: Actor, cache: AnalysisCache, pi_id: int
) -> tuple[LoadedPlan, critical.CriticalPath]:
    pi = await _interval(session, actor, pi_id)

    def compute(lp: LoadedPlan) -> critical.CriticalPath:
        return critical.critical_path(lp.plan, pi_id)

    return await _analyse(session, cache, [pi.art_id], "critical", pi_id, compute)


async def what_if(
    session: AsyncSession,
    actor: Actor,
    cache: AnalysisCache,
    pi_id: int,
    moves: Sequence[tuple[str, int | None]],
) -> tuple[LoadedPlan, impact.Impact]:
    """Moves are (engine item id, iteration id or None for out of the interval)."""
    pi = await _interval(session, actor, pi_id)
    loaded, _ = await cached_plan(session, cache, [pi.art_id])
    slots: list[impact.Move] = []
    for position, (item_id, iteration_id) in enumerate(moves):
        if item_id not in loaded.plan.by_id:
            raise DomainError.single(
                ErrorCode.NOT_FOUND,
                at(f"moves[{position}]", ": that item is not in this plan."),
                "moves",
            )
        to: Slot | None = None
        if iteration_id is not None:
            found = loaded.slot_of_iteration.get(iteration_id)
            if found is None or not loaded.plan.in_interval(found, pi_id):
                raise DomainError.single(
                    ErrorCode.WRONG_PLANNING_INTERVAL,
                    at(f"moves[{position}]", ": that iteration is not in this planning interval."),
                    "moves",
                )
            to = found
        slots.append(impact.Move(item_id, to))

    def compute(lp: LoadedPlan) -> impact.Impact:
        # The value at risk is this ART's: another ART scores business value on its own scale.
        return impact.what_if(
            lp.plan, slots, arts={k for a, k in lp.arts.items() if a == pi.art_id}
        )

    return await _analyse(session, cache, [pi.art_id], "what_if", (pi_id, tuple(slots)), compute)


async def proposed_plan(
    session: AsyncSession, actor: Actor, cache: AnalysisCache, pi_id: int
) -> tuple[LoadedPlan, planner.ProposedPlan]:
    pi = await _interval(session, actor, pi_id)
    today = dt.datetime.now(dt.UTC).date()  # iterations that have ended take no new work

    def compute(lp: LoadedPlan) -> planner.ProposedPlan:
        return planner.propose_plan(lp.plan, pi_id, today)

    return await _analyse(session, cache, [pi.art_id], "proposed", (pi_id, today), compute)


async def board(
    session: AsyncSession, actor: Actor, cache: AnalysisCache, pi_id: int
) -> tuple[LoadedPlan, display.Board]:
    pi = await _interval(session, actor, pi_id)
    _, healths = await dependency_health(session, actor, cache, pi.art_id)

    def compute(lp: LoadedPlan) -> display.Board:
        plan = lp.plan
        # The board of one interval: its items and the unplanned ones of its features.
        features = {
            i.id for i in plan.items if i.parent is None and plan.in_interval(i.slot, pi_id)
        }
        chosen = tuple(
            i
            for i in plan.items
            if plan.in_interval(i.slot, pi_id)
            or (i.slot is None and (i.id in features or i.parent in features))
        )
        ids = {i.id for i in chosen}
        scoped = type(plan)(
            chosen,
            tuple(d for d in plan.dependencies if d.dependent in ids and d.prerequisite in ids),
            iterations=tuple(it for it in plan.iterations if plan.in_interval(it.slot, pi_id)),
        )
        return display.board(
            scoped, [h for h in healths if h.dependent in ids and h.prerequisite in ids]
        )

    return await _analyse(session, cache, [pi.art_id], "board", pi_id, compute)

"""Loads an ART's (or the portfolio's) plan into the graph engine and caches the analyses.

A plan is the live features and stories of the ARTs in scope, every dependency touching them
(with the far end of a cross-ART dependency), the components they touch, the iterations of
their planning intervals, team capacities and milestones. Each ART carries a `plan_version`
that every recorded change bumps; the plan and every analysis of it are cached under the
versions of the ARTs involved, so an unchanged plan is never loaded or analysed twice.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from graph.model import Component as GraphComponent
from graph.model import Dependency as GraphDependency
from graph.model import Iteration as GraphIteration
from graph.model import Plan, Slot
from graph.timeline import Dated
from graph.timeline import slots as timeline_slots
from services.analysis import parts, rows

# Where the refinement views read SAFe's normalised capacity from.
from services.analysis.parts import POINTS_PER_MEMBER as POINTS_PER_MEMBER
from services.core.enums import DependencyType, IterationKind
from services.models import Art, Dependency

T = TypeVar("T")


@dataclass
class LoadedPlan:
    """A plan and how its engine ids map back to rows."""

    plan: Plan
    arts: dict[int, str]  # id -> key, the ARTs in scope
    team_ids: dict[str, int] = field(default_factory=dict)  # label -> team id
    slot_of_iteration: dict[int, Slot] = field(default_factory=dict)
    iteration_of_slot: dict[Slot, int] = field(default_factory=dict)
    # The planning interval (id) each planned item is in: by its iteration, or a feature's
    # planning interval when it has no iteration yet.
    interval_of_item: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def feature(row_id: int) -> str:
        return parts.feature_id(row_id)

    @staticmethod
    def story(row_id: int) -> str:
        return parts.story_id(row_id)

    @staticmethod
    def row(item_id: str) -> tuple[str, int]:
        """("Feature" | "Story", id) of an engine item id."""
        return ("Feature" if item_id[0] == "F" else "Story", int(item_id[1:]))


class AnalysisCache:
    """Least-recently-used results keyed by what they depend on (plan versions included)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0
        # One lock per plan being loaded: sibling fields of a query run concurrently, and the
        # ones that ask for the same plan wait for the first to load it instead of loading it too.
        self.loading: weakref.WeakValueDictionary[Hashable, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key in self._data:
            self._data.move_to_end(key)
            self.hits += 1
            value: T = self._data[key]
            return value
        self.misses += 1
        value = compute()
        self._data[key] = value
        if len(self._data) > self.size:
            self._data.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> Any:
        """A cached value (counted as a hit), or None."""
        if key not in self._data:
            return None
        return self.get_or_compute(key, lambda: None)

    def put(self, key: Hashable, value: Any) -> None:
        self.misses += 1
        self._data[key] = value
        if len(self._data) > self.size:
            self._data.popitem(last=False)

    def clear(self) -> None:
        self._data.clear()


async def plan_versions(session: AsyncSession, art_ids: Sequence[int] | None) -> tuple[Any, ...]:
    """The versions the plan of these ARTs depends on: theirs and those of every ART linked by
    a cross-ART dependency (one statement)."""
    stmt = select(Art.id, Art.plan_version)
    if art_ids is not None:
        ids = list(art_ids)
        linked_out = select(Dependency.prerequisite_art_id).where(
            Dependency.dependent_art_id.in_(ids), Dependency.archived_at.is_(None)
        )
        linked_in = select(Dependency.dependent_art_id).where(
            Dependency.prerequisite_art_id.in_(ids), Dependency.archived_at.is_(None)
        )
        stmt = stmt.where(or_(Art.id.in_(ids), Art.id.in_(linked_out), Art.id.in_(linked_in)))
    return tuple(sorted((await session.execute(stmt)).all()))


async def cached_plan(
    session: AsyncSession, cache: AnalysisCache, art_ids: Sequence[int] | None
) -> tuple[LoadedPlan, tuple[Any, ...]]:
    """The loaded plan of the ARTs (None: all), and the version key it is cached under."""
    versions = await plan_versions(session, art_ids)
    scope = None if art_ids is None else tuple(sorted(art_ids))
    key = ("plan", scope, versions)
    found = cache.peek(key)
    if isinstance(found, LoadedPlan):
        return found, key
    async with cache.loading.setdefault(key, asyncio.Lock()):
        found = cache.peek(key)
        if isinstance(found, LoadedPlan):
            return found, key
        loaded = await load_plan(session, art_ids)
        cache.put(key, loaded)
    return loaded, key


def _end(feature_id: int | None, story_id: int | None) -> str:
    if feature_id is not None:
        return LoadedPlan.feature(feature_id)
    assert story_id is not None
    return LoadedPlan.story(story_id)


def _team_label(name: str) -> str:
    return name if name.lower().startswith("team") else f"Team {name}"


async def load_plan(session: AsyncSession, art_ids: Sequence[int] | None) -> LoadedPlan:
    """Read the plan (rows.py: about a dozen statements) and build it for the engine."""
    arts = await rows.arts(session, art_ids)
    scope = list(arts)
    work = await rows.work(session, scope)
    all_arts = {r.art_id for r in work.features} | set(scope)
    art_keys = await rows.art_keys(session, all_arts)

    teams = await rows.teams(session, all_arts)
    names = [t.name for t in teams]
    label = {
        t.id: _team_label(t.name)
        if names.count(t.name) == 1
        else f"{art_keys[t.art_id]} {_team_label(t.name)}"
        for t in teams
    }
    scales = {t.id: t.tshirt_points for t in teams}

    intervals = {r.id: r.art_id for r in await rows.intervals(session, all_arts)}
    iteration_rows = await rows.iterations(session, intervals)
    # By dates, never by position: ARTs on other calendars interleave (graph/timeline.py).
    slot_of = timeline_slots(
        Dated(r.id, r.planning_interval_id, r.start_date, r.end_date) for r in iteration_rows
    )

    items = parts.items(work, label, scales, slot_of, art_keys)
    dependencies = tuple(
        GraphDependency(
            f"D{r.id}",
            _end(r.dependent_feature_id, r.dependent_story_id),
            _end(r.prerequisite_feature_id, r.prerequisite_story_id),
            blocks=r.type is DependencyType.BLOCKS,
            needed_by=slot_of.get(r.needed_by_iteration_id) if r.needed_by_iteration_id else None,
        )
        for r in work.dependencies
    )

    components = tuple(
        GraphComponent(
            f"C{r.id}", r.name, label.get(r.owning_team_id) if r.owning_team_id else None
        )
        for r in await rows.components(session, scope)
    )
    by_features, by_stories = await rows.touches(session, scope)
    touches = (
        *((LoadedPlan.feature(f), f"C{c}") for f, c in by_features),
        *((LoadedPlan.story(s), f"C{c}") for s, c in by_stories),
    )

    iterations = tuple(
        GraphIteration(
            slot_of[r.id],
            r.name,
            ip=r.kind is IterationKind.IP,
            end=r.end_date,
            interval=r.planning_interval_id,
        )
        for r in sorted(iteration_rows, key=lambda r: slot_of[r.id])
    )
    team_ids = [t.id for t in teams if t.art_id in arts]
    capacity = parts.capacities(
        team_ids,
        await rows.team_members(session, team_ids),
        await rows.capacity_overrides(session, team_ids),
        [r for r in iteration_rows if intervals[r.planning_interval_id] in arts],
        slot_of,
        label,
    )
    milestones = parts.milestones(
        await rows.milestones(session, list(intervals)),
        iteration_rows,
        slot_of,
        {pi: art_keys.get(art, "") for pi, art in intervals.items()},
    )
    interval_of_slot = {slot_of[r.id]: r.planning_interval_id for r in iteration_rows}
    interval_of_item = {
        LoadedPlan.feature(r.id): r.planning_interval_id
        for r in work.features
        if r.planning_interval_id in intervals
    }
    interval_of_item.update(
        (i.id, interval_of_slot[i.slot]) for i in items if i.slot in interval_of_slot
    )
    return LoadedPlan(
        Plan(tuple(items), dependencies, components, touches, iterations, capacity, milestones),
        arts,
        {v: k for k, v in label.items()},
        slot_of,
        {v: k for k, v in slot_of.items()},
        interval_of_item,
    )

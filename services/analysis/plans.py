"""Loads an ART's (or the portfolio's) plan into the graph engine and caches the analyses.

A plan is the live features and stories of the ARTs in scope, every dependency touching them
(with the far end of a cross-ART dependency), the components they touch, the iterations of
their planning intervals, team capacities and milestones. Each ART carries a `plan_version`
that every recorded change bumps; the plan and every analysis of it are cached under the
versions of the ARTs involved, so an unchanged plan is never loaded or analysed twice.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from graph.model import Component as GraphComponent
from graph.model import Dependency as GraphDependency
from graph.model import Item, ItemKind, Plan, Slot
from graph.model import Iteration as GraphIteration
from graph.model import Milestone as GraphMilestone
from services.core.enums import (
    TEAM_MEMBER_ROLES,
    DependencyType,
    FeatureState,
    IterationKind,
    StoryKind,
    StoryStatus,
)
from services.core.scales import story_points
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

POINTS_PER_MEMBER = 8  # SAFe's normalised capacity: 8 points per full-time team member
T = TypeVar("T")


@dataclass
class LoadedPlan:
    """A plan and how its engine ids map back to rows."""

    plan: Plan
    arts: dict[int, str]  # id -> key, the ARTs in scope
    team_ids: dict[str, int] = field(default_factory=dict)  # label -> team id
    slot_of_iteration: dict[int, Slot] = field(default_factory=dict)
    iteration_of_slot: dict[Slot, int] = field(default_factory=dict)
    interval_order: dict[int, int] = field(default_factory=dict)  # PI id -> slot[0]

    @staticmethod
    def feature(row_id: int) -> str:
        return f"F{row_id}"

    @staticmethod
    def story(row_id: int) -> str:
        return f"S{row_id}"

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
    loaded = await load_plan(session, art_ids)
    cache.put(key, loaded)
    return loaded, key


FEATURE_COLUMNS = (
    Feature.id,
    Feature.art_id,
    Feature.key,
    Feature.owning_team_id,
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
# Ids per IN list: well under the bind-parameter limits of PostgreSQL (32,767) and SQLite.
CHUNK = 5_000


def _chunks(ids: Iterable[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def _end(feature_id: int | None, story_id: int | None) -> str:
    if feature_id is not None:
        return LoadedPlan.feature(feature_id)
    assert story_id is not None
    return LoadedPlan.story(story_id)


def _team_label(name: str) -> str:
    return name if name.lower().startswith("team") else f"Team {name}"


async def load_plan(session: AsyncSession, art_ids: Sequence[int] | None) -> LoadedPlan:
    """Read the plan with plain column selects (no ORM objects): about a dozen statements."""
    art_filter = [Art.archived_at.is_(None)] + ([Art.id.in_(list(art_ids))] if art_ids else [])
    arts = dict((await session.execute(select(Art.id, Art.key).where(*art_filter))).all())
    scope = list(arts)

    feature_rows = (
        await session.execute(
            select(*FEATURE_COLUMNS).where(Feature.art_id.in_(scope), Feature.archived_at.is_(None))
        )
    ).all()
    feature_ids = [r.id for r in feature_rows]
    live_features = (Feature.art_id.in_(scope), Feature.archived_at.is_(None))
    story_rows = (
        await session.execute(
            select(*STORY_COLUMNS)
            .join(Feature, Story.feature_id == Feature.id)
            .where(*live_features, Story.archived_at.is_(None))
        )
    ).all()
    dependency_rows = (
        await session.execute(
            select(
                Dependency.id,
                Dependency.dependent_feature_id,
                Dependency.dependent_story_id,
                Dependency.prerequisite_feature_id,
                Dependency.prerequisite_story_id,
                Dependency.type,
                Dependency.needed_by_iteration_id,
            ).where(
                Dependency.archived_at.is_(None),
                or_(
                    Dependency.dependent_art_id.in_(scope),
                    Dependency.prerequisite_art_id.in_(scope),
                ),
            )
        )
    ).all()

    # The far ends of cross-ART dependencies join the plan as items too.
    known_features = set(feature_ids)
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
    all_arts = {r.art_id for r in feature_rows} | set(scope)
    art_keys = dict(
        (await session.execute(select(Art.id, Art.key).where(Art.id.in_(sorted(all_arts))))).all()
    )

    teams = (
        await session.execute(
            select(Team.id, Team.art_id, Team.name, Team.tshirt_points).where(
                Team.art_id.in_(sorted(all_arts))
            )
        )
    ).all()
    names = [t.name for t in teams]
    label = {
        t.id: _team_label(t.name)
        if names.count(t.name) == 1
        else f"{art_keys[t.art_id]} {_team_label(t.name)}"
        for t in teams
    }
    scales = {t.id: t.tshirt_points for t in teams}

    intervals = (
        await session.execute(
            select(PlanningInterval.id, PlanningInterval.start_date).where(
                PlanningInterval.art_id.in_(sorted(all_arts)),
                PlanningInterval.archived_at.is_(None),
            )
        )
    ).all()
    starts = sorted({r.start_date for r in intervals})
    interval_order = {r.id: starts.index(r.start_date) + 1 for r in intervals}
    iteration_rows = (
        await session.execute(
            select(
                Iteration.id,
                Iteration.planning_interval_id,
                Iteration.index.label("position"),
                Iteration.name,
                Iteration.kind,
                Iteration.start_date,
                Iteration.end_date,
            ).where(
                Iteration.planning_interval_id.in_(list(interval_order)),
                Iteration.archived_at.is_(None),
            )
        )
    ).all()
    slot_of = {r.id: (interval_order[r.planning_interval_id], r.position) for r in iteration_rows}

    items: list[Item] = []
    for r in feature_rows:
        items.append(
            Item(
                LoadedPlan.feature(r.id),
                r.key,
                ItemKind.FEATURE,
                label.get(r.owning_team_id) if r.owning_team_id else None,
                slot_of.get(r.iteration_id) if r.iteration_id else None,
                done=r.state is FeatureState.DONE,
                art=art_keys.get(r.art_id, ""),
                wsjf=r.wsjf,
                rank=r.rank,
                business_value=r.user_business_value or 0,
                movable=r.state not in (FeatureState.DONE,),
            )
        )
    art_of_feature = {r.id: art_keys.get(r.art_id, "") for r in feature_rows}
    for s in story_rows:
        items.append(
            Item(
                LoadedPlan.story(s.id),
                s.key,
                ItemKind.STORY,
                label.get(s.team_id),
                slot_of.get(s.iteration_id) if s.iteration_id else None,
                done=s.status is StoryStatus.DONE,
                estimate=story_points(s.points, s.tshirt_size, scales.get(s.team_id)),
                parent=LoadedPlan.feature(s.feature_id),
                art=art_of_feature.get(s.feature_id, ""),
                rank=s.rank,
                feature_work=s.kind is StoryKind.USER_STORY,
                movable=s.status is StoryStatus.BACKLOG,
            )
        )

    # A feature's estimate is the points of its stories.
    points: dict[str, int] = {}
    for item in items:
        if item.parent is not None:
            points[item.parent] = points.get(item.parent, 0) + (item.estimate or 0)
    items = [
        replace(i, estimate=points.get(i.id, 0)) if i.kind is ItemKind.FEATURE else i for i in items
    ]
    dependencies = tuple(
        GraphDependency(
            f"D{r.id}",
            _end(r.dependent_feature_id, r.dependent_story_id),
            _end(r.prerequisite_feature_id, r.prerequisite_story_id),
            blocks=r.type is DependencyType.BLOCKS,
            needed_by=slot_of.get(r.needed_by_iteration_id) if r.needed_by_iteration_id else None,
        )
        for r in dependency_rows
    )

    component_rows = (
        await session.execute(
            select(Component.id, Component.name, Component.owning_team_id).where(
                Component.archived_at.is_(None),
                or_(Component.art_id.in_(scope), Component.art_id.is_(None)),
            )
        )
    ).all()
    components = tuple(
        GraphComponent(
            f"C{r.id}", r.name, label.get(r.owning_team_id) if r.owning_team_id else None
        )
        for r in component_rows
    )
    touches = [
        (LoadedPlan.feature(f), f"C{c}")
        for f, c in (
            await session.execute(
                select(FeatureComponent.feature_id, FeatureComponent.component_id)
                .join(Feature, FeatureComponent.feature_id == Feature.id)
                .where(*live_features)
            )
        ).all()
    ]
    touches += [
        (LoadedPlan.story(s), f"C{c}")
        for s, c in (
            await session.execute(
                select(StoryComponent.story_id, StoryComponent.component_id)
                .join(Story, StoryComponent.story_id == Story.id)
                .join(Feature, Story.feature_id == Feature.id)
                .where(*live_features, Story.archived_at.is_(None))
            )
        ).all()
    ]

    iterations = tuple(
        GraphIteration(slot_of[r.id], r.name, ip=r.kind is IterationKind.IP, end=r.end_date)
        for r in sorted(iteration_rows, key=lambda r: slot_of[r.id])
    )
    capacity = await _capacities(
        session, [t.id for t in teams if t.art_id in arts], iteration_rows, slot_of, label
    )
    milestones = await _milestones(session, list(interval_order), iteration_rows, slot_of)
    return LoadedPlan(
        Plan(
            tuple(items), dependencies, components, tuple(touches), iterations, capacity, milestones
        ),
        arts,
        {v: k for k, v in label.items()},
        slot_of,
        {v: k for k, v in slot_of.items()},
        interval_order,
    )


async def _capacities(
    session: AsyncSession,
    team_ids: list[int],
    iteration_rows: Sequence[Any],
    slot_of: dict[int, Slot],
    label: dict[int, str],
) -> dict[tuple[str, Slot], int]:
    """Each team's points per regular iteration: its override, else 8 per team member."""
    members: dict[int, int] = {}
    for team_id, role in (
        await session.execute(
            select(Membership.team_id, Membership.role).where(
                Membership.team_id.in_(team_ids), Membership.archived_at.is_(None)
            )
        )
    ).all():
        if team_id is not None and role in TEAM_MEMBER_ROLES:
            members[team_id] = members.get(team_id, 0) + 1
    overrides = {
        (t, i): p
        for t, i, p in (
            await session.execute(
                select(TeamCapacity.team_id, TeamCapacity.iteration_id, TeamCapacity.points).where(
                    TeamCapacity.team_id.in_(team_ids), TeamCapacity.archived_at.is_(None)
                )
            )
        ).all()
    }
    out: dict[tuple[str, Slot], int] = {}
    for team_id in team_ids:
        for r in iteration_rows:
            if r.kind is IterationKind.IP:
                continue
            points = overrides.get((team_id, r.id), POINTS_PER_MEMBER * members.get(team_id, 0))
            out[(label[team_id], slot_of[r.id])] = points
    return out


async def _milestones(
    session: AsyncSession,
    interval_ids: list[int],
    iteration_rows: Sequence[Any],
    slot_of: dict[int, Slot],
) -> tuple[GraphMilestone, ...]:
    rows = (
        await session.execute(
            select(
                Milestone.id, Milestone.name, Milestone.date, Milestone.planning_interval_id
            ).where(
                Milestone.planning_interval_id.in_(interval_ids), Milestone.archived_at.is_(None)
            )
        )
    ).all()
    out = []
    for r in rows:
        slot = _slot_at(r.date, r.planning_interval_id, iteration_rows, slot_of)
        if slot is not None:
            out.append(GraphMilestone(f"M{r.id}", r.name, slot))
    return tuple(out)


def _slot_at(
    day: dt.date, pi_id: int, iteration_rows: Iterable[Any], slot_of: dict[int, Slot]
) -> Slot | None:
    """The iteration a date falls in (or the last one that started before it)."""
    best = None
    for r in sorted(
        (r for r in iteration_rows if r.planning_interval_id == pi_id), key=lambda r: r.start_date
    ):
        if r.start_date <= day:
            best = slot_of[r.id]
    return best

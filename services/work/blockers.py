"""What a story waits on: the live blocking dependencies of its prerequisites, and whether
each is resolved (done, or planned no later than the story: the board's health is not RED)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from graph.health import assess
from graph.model import Dependency as GraphDependency
from graph.model import Health, Item, ItemKind, Plan, Slot
from services.core.enums import DependencyType, FeatureState, StoryStatus
from services.models import Dependency, Feature, Iteration, PlanningInterval, Story, Team


@dataclass(frozen=True, slots=True)
class Prerequisite:
    key: str
    team: str | None
    iteration_id: int | None
    done: bool


async def slots(session: AsyncSession, iteration_ids: Iterable[int]) -> dict[int, Slot]:
    """Iterations as comparable slots: (order of their PI's start, index)."""
    rows = (
        await session.execute(
            select(Iteration.id, Iteration.index.label("position"), PlanningInterval.start_date)
            .join(PlanningInterval, PlanningInterval.id == Iteration.planning_interval_id)
            .where(Iteration.id.in_(sorted(set(iteration_ids))))
        )
    ).all()
    starts = sorted({r.start_date for r in rows})
    return {r.id: (starts.index(r.start_date) + 1, r.position) for r in rows}


async def blocking_prerequisites(
    session: AsyncSession, story_ids: Sequence[int]
) -> dict[int, list[tuple[int, Prerequisite]]]:
    """Per story, the live blocking dependencies it waits on: (dependency id, prerequisite)."""
    deps = (
        await session.execute(
            select(
                Dependency.id,
                Dependency.dependent_story_id,
                Dependency.prerequisite_feature_id,
                Dependency.prerequisite_story_id,
            ).where(
                Dependency.dependent_story_id.in_(story_ids),
                Dependency.type == DependencyType.BLOCKS,
                Dependency.archived_at.is_(None),
            )
        )
    ).all()
    story_ends = {d.prerequisite_story_id for d in deps if d.prerequisite_story_id}
    feature_ends = {d.prerequisite_feature_id for d in deps if d.prerequisite_feature_id}
    ends: dict[tuple[str, int], Prerequisite] = {}
    if story_ends:
        for s in await session.execute(
            select(Story.id, Story.key, Story.iteration_id, Story.status, Team.name)
            .join(Team, Team.id == Story.team_id)
            .where(Story.id.in_(sorted(story_ends)))
        ):
            ends["S", s.id] = Prerequisite(
                s.key, s.name, s.iteration_id, s.status is StoryStatus.DONE
            )
    if feature_ends:
        for f in await session.execute(
            select(Feature.id, Feature.key, Feature.iteration_id, Feature.state, Team.name)
            .outerjoin(Team, Team.id == Feature.owning_team_id)
            .where(Feature.id.in_(sorted(feature_ends)))
        ):
            ends["F", f.id] = Prerequisite(
                f.key, f.name, f.iteration_id, f.state is FeatureState.DONE
            )
    out: dict[int, list[tuple[int, Prerequisite]]] = {}
    for d in deps:
        end = (
            ends.get(("S", d.prerequisite_story_id))
            if d.prerequisite_story_id
            else ends.get(("F", d.prerequisite_feature_id))
        )
        if end is not None:
            out.setdefault(d.dependent_story_id, []).append((d.id, end))
    return out


def team_label(name: str | None) -> str | None:
    if name is None:
        return None
    return name if name.lower().startswith("team") else f"Team {name}"


def unresolved(
    story: Story, team: str, dependency_id: int, end: Prerequisite, slots: dict[int, Slot]
) -> str | None:
    """Why a blocking dependency is unresolved, or None: its prerequisite is done, or planned
    no later than the story (the board's health is not RED)."""
    if end.done:
        return None
    if end.iteration_id is None:
        return f"Needs {end.key} ({team_label(end.team) or 'no team'}), which is not planned yet."
    a = Item("A", story.key, ItemKind.STORY, team_label(team), slots.get(story.iteration_id or 0))
    b = Item("B", end.key, ItemKind.STORY, team_label(end.team), slots.get(end.iteration_id))
    health = assess(Plan((a, b)), GraphDependency(str(dependency_id), "A", "B"))
    if health.health is Health.RED:
        return health.reason
    return None

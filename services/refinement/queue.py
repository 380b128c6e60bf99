"""A team's refinement queue: its stories of refined features, in the order to refine them.

Order: stories another team waits on first, then by the feature's WSJF (ties by feature rank),
then the story's rank; and never before a story of the queue it depends on. Each entry says
why it sits where it does, and whether it is ready (and why not).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.core.enums import DependencyType, FeatureState, StoryStatus
from services.models import Dependency, Feature, Story, Team
from services.work.readiness import RULE_TITLES, Readiness, feature_readiness, story_readiness

# Features past program backlog refinement and not yet done: their stories get refined.
REFINED_STATES = (
    FeatureState.BACKLOG,
    FeatureState.IMPLEMENTING,
    FeatureState.VALIDATING,
    FeatureState.DEPLOYING,
    FeatureState.RELEASING,
)


# Features program backlog refinement works on.
UNREFINED_STATES = (FeatureState.FUNNEL, FeatureState.ANALYZING)


@dataclass(frozen=True, slots=True)
class FeatureQueueEntry:
    feature_id: int
    feature_key: str
    wsjf: float | None
    readiness: Readiness
    reason: str


@dataclass(frozen=True, slots=True)
class QueueEntry:
    story_id: int
    story_key: str
    feature_id: int
    feature_key: str
    feature_wsjf: float | None
    readiness: Readiness
    waited_on_by: tuple[str, ...]  # items of other teams that wait on it ("NOV-3 (Team Nova)")
    after: tuple[str, ...]  # stories of this queue it waits on (they come first)
    reason: str


async def _waiting_teams(
    session: AsyncSession, team_id: int, story_ids: Sequence[int]
) -> dict[int, list[str]]:
    """Per story, the other teams' stories and features that wait on it."""
    out: dict[int, list[str]] = {}
    story_rows = await session.execute(
        select(Dependency.prerequisite_story_id, Story.key, Team.name)
        .join(Story, Story.id == Dependency.dependent_story_id)
        .join(Team, Team.id == Story.team_id)
        .where(
            Dependency.prerequisite_story_id.in_(story_ids),
            Dependency.type == DependencyType.BLOCKS,
            Dependency.archived_at.is_(None),
            Story.team_id != team_id,
            Story.archived_at.is_(None),
        )
    )
    feature_rows = await session.execute(
        select(Dependency.prerequisite_story_id, Feature.key, Team.name)
        .join(Feature, Feature.id == Dependency.dependent_feature_id)
        .join(Team, Team.id == Feature.owning_team_id)
        .where(
            Dependency.prerequisite_story_id.in_(story_ids),
            Dependency.type == DependencyType.BLOCKS,
            Dependency.archived_at.is_(None),
            Feature.owning_team_id != team_id,
            Feature.archived_at.is_(None),
        )
    )
    for prerequisite, key, team in [*story_rows, *feature_rows]:
        label = team if team.lower().startswith("team") else f"Team {team}"
        out.setdefault(prerequisite, []).append(f"{key} ({label})")
    return {k: sorted(v) for k, v in out.items()}


async def team_queue(session: AsyncSession, team_id: int) -> list[QueueEntry]:
    """The team's refinement queue (about ten statements, whatever its length)."""
    rows = (
        await session.execute(
            select(
                Story.id,
                Story.key,
                Story.rank,
                Story.feature_id,
                Feature.key.label("feature_key"),
                Feature.wsjf,
                Feature.rank.label("feature_rank"),
            )
            .join(Feature, Feature.id == Story.feature_id)
            .where(
                Story.team_id == team_id,
                Story.status == StoryStatus.BACKLOG,
                Story.archived_at.is_(None),
                Feature.archived_at.is_(None),
                Feature.state.in_(REFINED_STATES),
            )
        )
    ).all()
    ids = [r.id for r in rows]
    if not ids:
        return []
    readiness = await story_readiness(session, ids)
    waiting = await _waiting_teams(session, team_id, ids)
    inside = set(ids)
    # Blocking edges between stories of the queue: the prerequisite is refined first.
    edges = (
        await session.execute(
            select(Dependency.prerequisite_story_id, Dependency.dependent_story_id).where(
                Dependency.prerequisite_story_id.in_(ids),
                Dependency.dependent_story_id.in_(ids),
                Dependency.type == DependencyType.BLOCKS,
                Dependency.archived_at.is_(None),
            )
        )
    ).all()
    key_of = {r.id: r.key for r in rows}
    after: dict[int, list[int]] = {i: [] for i in ids}
    successors: dict[int, list[int]] = {i: [] for i in ids}
    for prerequisite, dependent in edges:
        if prerequisite is None or dependent is None:
            continue
        if prerequisite in inside and dependent in inside and prerequisite != dependent:
            after[dependent].append(prerequisite)
            successors[prerequisite].append(dependent)

    by_id = {r.id: r for r in rows}
    priority = {
        r.id: (
            0 if r.id in waiting else 1,
            -(r.wsjf if r.wsjf is not None else -1.0),
            r.feature_rank,
            r.rank,
            r.id,
        )
        for r in rows
    }
    # Kahn's order, always taking the most urgent story whose prerequisites are placed; a
    # cycle (refused on write, but an import can bring one) is placed by priority alone.
    waiting_on = {i: len(set(after[i])) for i in ids}
    heap = [(priority[i], i) for i in ids if waiting_on[i] == 0]
    heapq.heapify(heap)
    order: list[int] = []
    placed: set[int] = set()
    while len(order) < len(ids):
        if not heap:
            rest = min((priority[i], i) for i in ids if i not in placed)
            heap.append(rest)
        _, story_id = heapq.heappop(heap)
        if story_id in placed:
            continue
        placed.add(story_id)
        order.append(story_id)
        for s in set(successors[story_id]):
            waiting_on[s] -= 1
            if waiting_on[s] == 0 and s not in placed:
                heapq.heappush(heap, (priority[s], s))

    out = []
    for story_id in order:
        r = by_id[story_id]
        wsjf = "not scored" if r.wsjf is None else f"{r.wsjf:g}"
        parts = []
        if story_id in waiting:
            parts.append(f"{', '.join(waiting[story_id])} wait(s) on it")
        parts.append(f"feature {r.feature_key} has WSJF {wsjf}")
        before = sorted(key_of[p] for p in set(after[story_id]))
        if before:
            parts.append(f"after {', '.join(before)}, which it depends on")
        out.append(
            QueueEntry(
                story_id=story_id,
                story_key=r.key,
                feature_id=r.feature_id,
                feature_key=r.feature_key,
                feature_wsjf=r.wsjf,
                readiness=readiness[story_id],
                waited_on_by=tuple(waiting.get(story_id, ())),
                after=tuple(before),
                reason="; ".join(parts) + ".",
            )
        )
    return out


async def waiting_features(session: AsyncSession, art_id: int) -> list[tuple[Feature, Readiness]]:
    """The ART's features in FUNNEL or ANALYZING by WSJF (unscored last), ties by rank, each
    with its readiness."""
    features = list(
        await session.scalars(
            select(Feature)
            .where(
                Feature.art_id == art_id,
                Feature.state.in_(UNREFINED_STATES),
                Feature.archived_at.is_(None),
            )
            # wsjf_sort is -1 when not scored: unscored features come last.
            .order_by(Feature.wsjf_sort.desc(), Feature.rank, Feature.id)
        )
    )
    ready = await feature_readiness(session, [f.id for f in features])
    return [(f, ready[f.id]) for f in features]


async def art_queue(session: AsyncSession, art_id: int) -> list[FeatureQueueEntry]:
    """The program backlog waiting for refinement, each entry saying what its Definition of
    Ready still lacks."""
    out = []
    for f, ready in await waiting_features(session, art_id):
        wsjf = "not scored yet" if f.wsjf is None else f"{f.wsjf:g}"
        lacks = (
            "meets the Definition of Ready"
            if ready.ready
            else "needs " + ", ".join(RULE_TITLES[r.rule] for r in ready.failures)
        )
        out.append(
            FeatureQueueEntry(f.id, f.key, f.wsjf, ready, f"{f.state.value}, WSJF {wsjf}; {lacks}.")
        )
    return out

"""Refinement queues in the API: a team's stories in the order to refine them, and the
ART's features waiting for program backlog refinement (services.refinement.queue)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.kit.context import Context
from schema.kit.relay import reference
from schema.refinement.nodes import FeatureT, StoryT, node_type
from schema.refinement.readiness import ReadinessReport
from services.core.pagination import check_first
from services.refinement import queue

Info_ = Info[Context, None]


@strawberry.type(description="A story of a team's refinement queue, with why it sits there.")
class RefinementQueueEntry:
    position: int = strawberry.field(description="Place in the queue, from 1.")
    story_id: strawberry.Private[int]
    feature_id: strawberry.Private[int]
    feature_wsjf: float | None = strawberry.field(description="The feature's WSJF.")
    waited_on_by: list[str] = strawberry.field(
        description="Items of other teams that wait on this story, e.g. 'NOV-3 (Team Nova)'."
    )
    after: list[str] = strawberry.field(
        description="Stories of this queue it depends on (they come first)."
    )
    reason: str = strawberry.field(description="Why it sits where it does, in words.")
    readiness: ReadinessReport = strawberry.field(description="Whether it is ready, and why not.")

    @strawberry.field(description="The story.")
    def story(self, info: Info_) -> StoryT:
        return reference(info, node_type("Story"), self.story_id)

    @strawberry.field(description="Its feature.")
    def feature(self, info: Info_) -> FeatureT:
        return reference(info, node_type("Feature"), self.feature_id)


@strawberry.type(description="A feature waiting for program backlog refinement.")
class FeatureQueueEntry:
    position: int = strawberry.field(description="Place in the queue, from 1.")
    feature_id: strawberry.Private[int]
    wsjf: float | None = strawberry.field(description="The feature's WSJF; null unscored.")
    reason: str = strawberry.field(description="Its state, WSJF and what it still needs.")
    readiness: ReadinessReport = strawberry.field(
        description="Whether it meets the Definition of Ready, and why not."
    )

    @strawberry.field(description="The feature.")
    def feature(self, info: Info_) -> FeatureT:
        return reference(info, node_type("Feature"), self.feature_id)


@strawberry.type(description="A page of a refinement queue (it is computed, not stored).")
class RefinementQueue:
    total_count: int = strawberry.field(description="How many stories the whole queue holds.")
    entries: list[RefinementQueueEntry] = strawberry.field(
        description="The first entries, in the order to refine them."
    )


@strawberry.type(description="A page of the program backlog waiting for refinement.")
class FeatureQueue:
    total_count: int = strawberry.field(description="How many features wait.")
    entries: list[FeatureQueueEntry] = strawberry.field(
        description="The first entries, by WSJF (ties by rank)."
    )


async def team_queue(info: Info_, team_id: int, first: int | None) -> RefinementQueue:
    size = check_first(first)
    async with info.context.sessionmaker() as session:
        entries = await queue.team_queue(session, team_id)
    return RefinementQueue(
        total_count=len(entries),
        entries=[
            RefinementQueueEntry(
                position=n,
                story_id=q.story_id,
                feature_id=q.feature_id,
                feature_wsjf=q.feature_wsjf,
                waited_on_by=list(q.waited_on_by),
                after=list(q.after),
                reason=q.reason,
                readiness=ReadinessReport.of(q.readiness),
            )
            for n, q in enumerate(entries[:size], 1)
        ],
    )


async def art_queue(info: Info_, art_id: int, first: int | None) -> FeatureQueue:
    size = check_first(first)
    async with info.context.sessionmaker() as session:
        entries = await queue.art_queue(session, art_id)
    return FeatureQueue(
        total_count=len(entries),
        entries=[
            FeatureQueueEntry(
                position=n,
                feature_id=q.feature_id,
                wsjf=q.wsjf,
                reason=q.reason,
                readiness=ReadinessReport.of(q.readiness),
            )
            for n, q in enumerate(entries[:size], 1)
        ],
    )

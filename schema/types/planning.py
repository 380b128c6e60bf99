"""Planning intervals, iterations and milestones."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from schema import enums as e
from schema import filters as f
from schema.context import Context
from schema.ordering import FeatureOrder, StoryOrder, feature_order, story_order
from schema.relay import (
    Connection,
    RowNode,
    Versioned,
    child_connection,
    follows,
    reference,
)
from schema.types.org import AFTER, FILTER, FIRST, ORDER, Art, FeatureT, StoryT, _work_types
from services import milestones, relations
from services import models as m
from services.pagination import Ordering

if TYPE_CHECKING:
    pass

Info_ = Info[Context, None]
ITERATION_ORDER = Ordering("iteration_index", ((m.Iteration.index, False), (m.Iteration.id, False)))


@strawberry.type(description="A planning interval (PI): usually 4 iterations and an IP iteration.")
class PlanningInterval(RowNode, Versioned):
    model = m.PlanningInterval
    art_id: strawberry.Private[int]
    name: str = strawberry.field(description="Name, unique in the ART, e.g. PI 2027.1.")
    start_date: dt.date = strawberry.field(description="First day.")
    end_date: dt.date = strawberry.field(description="Last day.")

    @strawberry.field(description="The ART planning in this interval.")
    @follows("art_id", "Art")
    def art(self, info: Info_) -> Art:
        return reference(info, Art, self.art_id)

    @strawberry.field(description="The iterations in order (the IP iteration is the last).")
    async def iterations(self, info: Info_) -> list[Iteration]:
        rows = await info.context.loaders.all_children(
            relations.PI_ITERATIONS, ITERATION_ORDER
        ).load(self.pk)
        return [Iteration.from_row(r) for r in rows]

    @strawberry.field(description="Milestones on the board, by date.")
    async def milestones(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
    ) -> Connection[Milestone]:
        return await child_connection(
            info,
            relations.PI_MILESTONES,
            self.pk,
            Milestone,
            None,
            milestones.MILESTONE_ORDER,
            first,
            after,
        )

    @strawberry.field(description="Features planned in this interval.")
    async def features(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[f.FeatureFilter | None, FILTER] = None,
        order_by: Annotated[FeatureOrder | None, ORDER] = None,
    ) -> Connection[FeatureT]:
        return await child_connection(
            info,
            relations.PI_FEATURES,
            self.pk,
            _work_types().Feature,
            f.feature_filter(filter),
            feature_order(order_by),
            first,
            after,
        )


@strawberry.type(description="An iteration (sprint) of a planning interval.")
class Iteration(RowNode, Versioned):
    model = m.Iteration
    planning_interval_id: strawberry.Private[int]
    index: int = strawberry.field(description="Position in the PI, from 1.")
    name: str = strawberry.field(description="Display name, e.g. Iteration 2.")
    start_date: dt.date = strawberry.field(description="First day.")
    end_date: dt.date = strawberry.field(description="Last day.")
    kind: e.IterationKind = strawberry.field(description="REGULAR or IP.")

    @strawberry.field(description="The planning interval this iteration belongs to.")
    @follows("planning_interval_id", "PlanningInterval")
    def planning_interval(self, info: Info_) -> PlanningInterval:
        return reference(info, PlanningInterval, self.planning_interval_id)

    @strawberry.field(description="Features planned to land in this iteration.")
    async def features(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[f.FeatureFilter | None, FILTER] = None,
        order_by: Annotated[FeatureOrder | None, ORDER] = None,
    ) -> Connection[FeatureT]:
        return await child_connection(
            info,
            relations.ITERATION_FEATURES,
            self.pk,
            _work_types().Feature,
            f.feature_filter(filter),
            feature_order(order_by),
            first,
            after,
        )

    @strawberry.field(description="Stories planned in this iteration.")
    async def stories(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[f.StoryFilter | None, FILTER] = None,
        order_by: Annotated[StoryOrder | None, ORDER] = None,
    ) -> Connection[StoryT]:
        return await child_connection(
            info,
            relations.ITERATION_STORIES,
            self.pk,
            _work_types().Story,
            f.story_filter(filter),
            story_order(order_by),
            first,
            after,
        )


@strawberry.type(description="A dated event on the planning board (release, demo, deadline).")
class Milestone(RowNode, Versioned):
    model = m.Milestone
    planning_interval_id: strawberry.Private[int]
    name: str = strawberry.field(description="What happens.")
    date: dt.date = strawberry.field(description="When.")
    kind: e.MilestoneKind = strawberry.field(description="What kind of event.")
    description: str = strawberry.field(description="Details.")

    @strawberry.field(description="The planning interval whose board shows it.")
    @follows("planning_interval_id", "PlanningInterval")
    def planning_interval(self, info: Info_) -> PlanningInterval:
        return reference(info, PlanningInterval, self.planning_interval_id)

"""Planning intervals, iterations and milestones."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

# The analysis result types import this module's types, so this module reaches them through
# their package at run time and never loads them itself: by the time a resolver runs, building
# the schema has loaded them (the lazy annotations below name them).
import schema.analysis
from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.errors import ClientError
from schema.kit.ordering import FeatureOrder, StoryOrder, feature_order, story_order
from schema.kit.relay import (
    AFTER,
    FILTER,
    FIRST,
    ORDER,
    Connection,
    IdError,
    RowNode,
    Versioned,
    child_connection,
    decode_id,
    follows,
    reference,
)
from schema.org.types import (
    Art,
    FeatureT,
    StoryT,
    run_analysis,
)
from schema.work import filters as work_filters
from services import models as m
from services.analysis import analyses
from services.planning import iterations, milestones
from services.planning import relations as planning_relations
from services.work import relations as work_relations

if TYPE_CHECKING:
    import schema.analysis.types
    from schema.analysis.types import Board, CriticalPath, ProposedPlan, WhatIf, WhatIfMove

Info_ = Info[Context, None]
_insights = strawberry.lazy("schema.analysis.types")
MAX_MOVES = 100


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

    @strawberry.field(
        description="The longest chain of dependent items in this interval, and everyone's slack."
    )
    async def critical_path(self, info: Info_) -> Annotated[CriticalPath, _insights]:
        loaded, found = await run_analysis(info, analyses.critical_path, self.pk)
        return schema.analysis.types.CriticalPath(result=found, loaded=loaded)

    @strawberry.field(
        description="What moving items would break: dependencies turning RED, items slipping, "
        "late features and milestones, teams hit, value at risk. Nothing is written."
    )
    async def what_if(
        self,
        info: Info_,
        moves: Annotated[
            list[Annotated[WhatIfMove, _insights]],
            strawberry.argument(description="One or several moves (at most 100)."),
        ],
    ) -> Annotated[WhatIf, _insights]:
        if len(moves) > MAX_MOVES:
            raise ClientError(f"whatIf takes at most {MAX_MOVES} moves; {len(moves)} were given.")
        pairs: list[tuple[str, int | None]] = []
        for position, move in enumerate(moves):
            at = f"moves[{position}]"
            try:
                kind, pk = decode_id(move.item_id, ("Feature", "Story"), f"{at}.itemId")
                it = (
                    None
                    if move.iteration_id is None
                    else decode_id(move.iteration_id, Iteration, f"{at}.iterationId")[1]
                )
            except IdError as exc:
                raise ClientError(str(exc)) from None
            pairs.append((("F" if kind == "Feature" else "S") + str(pk), it))
        loaded, found = await run_analysis(info, analyses.what_if, self.pk, pairs)
        return schema.analysis.types.WhatIf(result=found, loaded=loaded)

    @strawberry.field(
        description="A capacity-aware draft placement of the interval's stories, as moves with "
        "reasons, and what cannot be placed. Nothing is written: apply with applyPlanMoves."
    )
    async def proposed_plan(self, info: Info_) -> Annotated[ProposedPlan, _insights]:
        loaded, found = await run_analysis(info, analyses.proposed_plan, self.pk)
        return schema.analysis.types.ProposedPlan(result=found, loaded=loaded)

    @strawberry.field(
        description="The board, layout-ready: team lanes, iteration columns, items and dependency "
        "strings coloured by health (redundant ones flagged by transitive reduction)."
    )
    async def board(self, info: Info_) -> Annotated[Board, _insights]:
        loaded, found = await run_analysis(info, analyses.board, self.pk)
        return schema.analysis.types.Board(result=found, loaded=loaded)

    @strawberry.field(description="The iterations in order (the IP iteration is the last).")
    async def iterations(self, info: Info_) -> list[Iteration]:
        rows = await info.context.loaders.all_children(
            planning_relations.PI_ITERATIONS, iterations.ITERATION_ORDER
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
            planning_relations.PI_MILESTONES,
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
        filter: Annotated[work_filters.FeatureFilter | None, FILTER] = None,
        order_by: Annotated[FeatureOrder | None, ORDER] = None,
    ) -> Connection[FeatureT]:
        return await child_connection(
            info,
            work_relations.PI_FEATURES,
            self.pk,
            "Feature",
            work_filters.feature_filter(filter),
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
        filter: Annotated[work_filters.FeatureFilter | None, FILTER] = None,
        order_by: Annotated[FeatureOrder | None, ORDER] = None,
    ) -> Connection[FeatureT]:
        return await child_connection(
            info,
            work_relations.ITERATION_FEATURES,
            self.pk,
            "Feature",
            work_filters.feature_filter(filter),
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
        filter: Annotated[work_filters.StoryFilter | None, FILTER] = None,
        order_by: Annotated[StoryOrder | None, ORDER] = None,
    ) -> Connection[StoryT]:
        return await child_connection(
            info,
            work_relations.ITERATION_STORIES,
            self.pk,
            "Story",
            work_filters.story_filter(filter),
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

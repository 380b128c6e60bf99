"""What-if: what moving items would break (nothing is written)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.analysis.health import DependencyHealth
from schema.analysis.items import (
    FeatureT,
    IterationT,
    MilestoneT,
    TeamT,
    WorkItemT,
    feature,
    item,
    iteration,
    milestone,
    teams,
)
from schema.kit.context import Context
from services.analysis.plans import LoadedPlan
from services.analysis.results import impact as g_impact

Info_ = Info[Context, None]


@strawberry.input(
    description="Move an item, for a what-if: to an iteration, or out of the interval."
)
class WhatIfMove:
    item_id: strawberry.ID = strawberry.field(description="The Feature or Story.")
    iteration_id: strawberry.ID | None = strawberry.field(
        default=None, description="Where to; null takes it out of the planning interval."
    )


@strawberry.type(description="An item that would finish later, and what pushes it.")
class Slip:
    result: strawberry.Private[g_impact.Slip]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The item.")
    def item(self, info: Info_) -> WorkItemT:
        return item(info, self.result.item)

    @strawberry.field(description="When it could finish before (null: not in the interval).")
    def was(self, info: Info_) -> IterationT | None:
        return iteration(info, self.loaded, self.result.was)

    @strawberry.field(description="When it could finish now (null: not in the interval).")
    def now(self, info: Info_) -> IterationT | None:
        return iteration(info, self.loaded, self.result.now)

    @strawberry.field(description="The item that pushes it.")
    def cause(self, info: Info_) -> WorkItemT:
        return item(info, self.result.cause)

    @strawberry.field(description="Why, in words.")
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="A feature that would finish after its planned iteration.")
class LateFeature:
    result: strawberry.Private[g_impact.LateFeature]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The feature.")
    def feature(self, info: Info_) -> FeatureT:
        return feature(info, self.result.feature)

    @strawberry.field(description="When it is planned to land.")
    def planned(self, info: Info_) -> IterationT | None:
        return iteration(info, self.loaded, self.result.planned)

    @strawberry.field(description="When it would land (null: after the planning interval).")
    def finishes(self, info: Info_) -> IterationT | None:
        return iteration(info, self.loaded, self.result.finishes)

    @strawberry.field(description="Why, in words.")
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="A milestone that would miss features planned for it.")
class LateMilestone:
    result: strawberry.Private[g_impact.LateMilestone]

    @strawberry.field(description="The milestone.")
    def milestone(self, info: Info_) -> MilestoneT:
        return milestone(info, self.result.milestone)

    @strawberry.field(description="The features it would miss.")
    def features(self, info: Info_) -> list[FeatureT]:
        return [feature(info, f) for f in self.result.features]

    @strawberry.field(description="Why, in words.")
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="What moving items would break (nothing is written).")
class WhatIf:
    result: strawberry.Private[g_impact.Impact]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="Dependencies that would turn RED.")
    def turned_red(self) -> list[DependencyHealth]:
        return [DependencyHealth(result=h) for h in self.result.turned_red]

    @strawberry.field(description="Items that would finish later because of the moves.")
    def slipped(self) -> list[Slip]:
        return [Slip(result=s, loaded=self.loaded) for s in self.result.slipped]

    @strawberry.field(description="Features that would become late.")
    def late_features(self) -> list[LateFeature]:
        return [LateFeature(result=f, loaded=self.loaded) for f in self.result.late_features]

    @strawberry.field(description="Milestones that would miss features.")
    def late_milestones(self) -> list[LateMilestone]:
        return [LateMilestone(result=m) for m in self.result.late_milestones]

    @strawberry.field(description="Teams whose work would slip.")
    def teams_hit(self, info: Info_) -> list[TeamT]:
        return teams(info, self.loaded, self.result.teams_hit)

    @strawberry.field(
        description="User-business value (WSJF input) of the features that would be late."
    )
    def value_at_risk(self) -> int:
        return self.result.value_at_risk

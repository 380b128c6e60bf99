"""Architecture hotspots: components several teams change at once, centrality, missing enablers."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.analysis.items import (
    ComponentT,
    FeatureT,
    IterationT,
    TeamT,
    WorkItemT,
    component,
    feature,
    item,
    iteration,
    team,
    teams,
)
from schema.kit.context import Context
from services.analysis.plans import LoadedPlan
from services.analysis.results import hotspots as g_hotspots

Info_ = Info[Context, None]


@strawberry.type(description="A component several teams change in the same iteration.")
class Hotspot:
    result: strawberry.Private[g_hotspots.Hotspot]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The component.")
    def component(self, info: Info_) -> ComponentT:
        return component(info, self.result.component)

    @strawberry.field(description="The iteration.")
    def iteration(self, info: Info_) -> IterationT | None:
        return iteration(info, self.loaded, self.result.slot)

    @strawberry.field(description="The teams changing it then.")
    def teams(self, info: Info_) -> list[TeamT]:
        return teams(info, self.loaded, self.result.teams)

    @strawberry.field(description="The items changing it then.")
    def items(self, info: Info_) -> list[WorkItemT]:
        return [item(info, i) for i in self.result.items]

    @strawberry.field(description="Why, in words.")
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="How central a component is among the teams.")
class ComponentCentrality:
    result: strawberry.Private[g_hotspots.Centrality]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The component.")
    def component(self, info: Info_) -> ComponentT:
        return component(info, self.result.component)

    @strawberry.field(description="Teams that change it.")
    def teams(self, info: Info_) -> list[TeamT]:
        return teams(info, self.loaded, self.result.teams)

    @strawberry.field(description="Degree centrality: the share of all teams that change it.")
    def degree(self) -> float:
        return self.result.degree

    @strawberry.field(description="Blast radius: how many plan items change it.")
    def items(self) -> int:
        return self.result.items


@strawberry.type(
    description="A feature that changes a component whose owning team has no story in it."
)
class MissingEnabler:
    result: strawberry.Private[g_hotspots.MissingEnabler]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The feature.")
    def feature(self, info: Info_) -> FeatureT:
        return feature(info, self.result.feature)

    @strawberry.field(description="The component.")
    def component(self, info: Info_) -> ComponentT:
        return component(info, self.result.component)

    @strawberry.field(description="The component's owning team.")
    def owning_team(self, info: Info_) -> TeamT | None:
        return team(info, self.loaded, self.result.owner)

    @strawberry.field(description="Why, in words.")
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="Architecture hotspots of an ART.")
class Hotspots:
    result: strawberry.Private[g_hotspots.Hotspots]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(
        description="Components changed by several teams in one iteration, most teams first."
    )
    def hotspots(self) -> list[Hotspot]:
        return [Hotspot(result=h, loaded=self.loaded) for h in self.result.hotspots]

    @strawberry.field(description="Every changed component, most central first.")
    def centrality(self) -> list[ComponentCentrality]:
        return [ComponentCentrality(result=c, loaded=self.loaded) for c in self.result.centrality]

    @strawberry.field(description="Features missing their component owner's enabler story.")
    def missing_enablers(self) -> list[MissingEnabler]:
        return [MissingEnabler(result=m, loaded=self.loaded) for m in self.result.missing_enablers]

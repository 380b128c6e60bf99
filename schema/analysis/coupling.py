"""How tightly teams are coupled by dependencies: the team x team matrix."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.analysis.items import FeatureT, TeamT, feature, team, teams
from schema.kit.context import Context
from services.analysis.plans import LoadedPlan
from services.analysis.results import coupling as g_coupling

Info_ = Info[Context, None]


@strawberry.type(
    description="One cell of the team x team matrix: dependencies from one team on another."
)
class CouplingCell:
    result: strawberry.Private[g_coupling.Pair]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The team that waits.")
    def dependent_team(self, info: Info_) -> TeamT | None:
        return team(info, self.loaded, self.result.dependent_team)

    @strawberry.field(description="The team it waits for.")
    def prerequisite_team(self, info: Info_) -> TeamT | None:
        return team(info, self.loaded, self.result.prerequisite_team)

    @strawberry.field(description="How many dependencies.")
    def dependencies(self) -> int:
        return self.result.dependencies

    @strawberry.field(description="True when the two teams are in different ARTs.")
    def cross_art(self) -> bool:
        return self.result.cross_art


@strawberry.type(description="A feature that needs more than two teams.")
class MultiTeamFeature:
    result: strawberry.Private[g_coupling.MultiTeamFeature]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The feature.")
    def feature(self, info: Info_) -> FeatureT:
        return feature(info, self.result.feature)

    @strawberry.field(description="The teams it needs (own, stories', prerequisites').")
    def teams(self, info: Info_) -> list[TeamT]:
        return teams(info, self.loaded, self.result.teams)


@strawberry.type(description="How tightly teams are coupled by dependencies.")
class Coupling:
    result: strawberry.Private[g_coupling.Coupling]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The non-zero cells of the team x team matrix.")
    def cells(self) -> list[CouplingCell]:
        return [CouplingCell(result=p, loaded=self.loaded) for p in self.result.pairs]

    @strawberry.field(description="Number of features considered.")
    def feature_count(self) -> int:
        return self.result.features

    @strawberry.field(description="Features needing more than two teams.")
    def multi_team_features(self) -> list[MultiTeamFeature]:
        return [MultiTeamFeature(result=f, loaded=self.loaded) for f in self.result.multi_team]

    @strawberry.field(description="Share of features needing more than two teams (0 to 1).")
    def multi_team_share(self) -> float:
        return round(self.result.multi_team_share, 4)

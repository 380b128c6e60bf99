"""The health of dependencies and of features, with reasons."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.analysis.filters import Health
from schema.analysis.items import DependencyT, FeatureT, dependency, feature
from schema.kit.context import Context
from services.analysis.results import health as g_health

Info_ = Info[Context, None]


@strawberry.type(description="The health of one dependency and why.")
class DependencyHealth:
    result: strawberry.Private[g_health.DependencyHealth]

    @strawberry.field(description="The dependency.")
    def dependency(self, info: Info_) -> DependencyT:
        return dependency(info, self.result.dependency)

    @strawberry.field(description="RED, AMBER, GREEN or DONE.")
    def health(self) -> Health:
        return self.result.health

    @strawberry.field(
        description="Why, e.g. 'PAY-12 (Team Atlas, Iteration 2) needs PAY-31 (Team Nova, "
        "Iteration 4): PAY-31 comes later than it is needed.'"
    )
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="A feature's health: the worst of what it and its stories wait for.")
class FeatureHealth:
    result: strawberry.Private[g_health.FeatureHealth]

    @strawberry.field(description="The feature.")
    def feature(self, info: Info_) -> FeatureT:
        return feature(info, self.result.feature)

    @strawberry.field(description="RED, AMBER, GREEN or DONE.")
    def health(self) -> Health:
        return self.result.health

    @strawberry.field(description="Why.")
    def reason(self) -> str:
        return self.result.reason

    @strawberry.field(description="The dependencies that decide it (the worst ones).")
    def dependencies(self, info: Info_) -> list[DependencyT]:
        return [dependency(info, d) for d in self.result.dependencies]

"""The critical path of a planning interval, and every item's slack."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.analysis.cycles import Cycle, cycles_of
from schema.analysis.items import TeamT, WorkItemT, item, teams
from schema.kit.context import Context
from services.analysis.plans import LoadedPlan
from services.analysis.results import critical as g_critical

Info_ = Info[Context, None]


@strawberry.type(
    description="How many iterations an item may slip without moving the end of the critical path."
)
class ItemSlack:
    item_id: strawberry.Private[str]
    slack: int = strawberry.field(description="Iterations of slack (0 on the critical path).")

    @strawberry.field(description="The item.")
    def item(self, info: Info_) -> WorkItemT:
        return item(info, self.item_id)


@strawberry.type(description="The longest chain of dependent items of a planning interval.")
class CriticalPath:
    result: strawberry.Private[g_critical.CriticalPath]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The chain, from the first prerequisite to the last dependent.")
    def items(self, info: Info_) -> list[WorkItemT]:
        return [item(info, i) for i in self.result.items]

    @strawberry.field(description="The teams along it, in order.")
    def teams(self, info: Info_) -> list[TeamT]:
        return teams(info, self.loaded, self.result.teams)

    @strawberry.field(
        description="Its length in iterations (a feature spans its stories' iterations)."
    )
    def length(self) -> int:
        return self.result.length

    @strawberry.field(description="The story points along it.")
    def points(self) -> int:
        return self.result.points

    @strawberry.field(description="The chain in words.")
    def text(self) -> str:
        keys = [self.loaded.plan.by_id[i].key for i in self.result.items]
        if not keys:
            return "No chain: the planning interval has no planned items, or has cycles."
        return (
            f"{' -> '.join(keys)}: {self.result.length} iteration(s), {self.result.points} "
            f"points, across {', '.join(self.result.teams) or 'no team'}."
        )

    @strawberry.field(description="Slack of every item of the interval, least first.")
    def slack(self) -> list[ItemSlack]:
        ordered = sorted(
            self.result.slack.items(), key=lambda kv: (kv[1], self.loaded.plan.by_id[kv[0]].key)
        )
        return [ItemSlack(item_id=k, slack=v) for k, v in ordered]

    @strawberry.field(description="Cycles that prevent a critical path (then the chain is empty).")
    def cycles(self) -> list[Cycle]:
        return cycles_of(self.loaded, self.result.cycles)

"""Cycles among blocking dependencies: items that wait for each other in a circle."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.analysis.items import WorkItemT, item
from schema.kit.context import Context
from services.analysis.plans import LoadedPlan
from services.analysis.results import cycles as g_cycles

Info_ = Info[Context, None]


@strawberry.type(description="Items that depend on each other in a circle: an error to fix.")
class Cycle:
    result: strawberry.Private[g_cycles.Cycle]
    keys: strawberry.Private[dict[str, str]]

    @strawberry.field(
        description="One cycle: each item depends on the next, the last on the first."
    )
    def items(self, info: Info_) -> list[WorkItemT]:
        return [item(info, i) for i in self.result.items]

    @strawberry.field(description="Every item caught in the same knot of dependencies.")
    def members(self, info: Info_) -> list[WorkItemT]:
        return [item(info, i) for i in self.result.members]

    @strawberry.field(description="The cycle in words, e.g. 'PAY-1 -> PAY-2 -> PAY-1'.")
    def text(self) -> str:
        return self.result.text(self.keys)


def cycles_of(
    loaded: LoadedPlan, found: list[g_cycles.Cycle] | tuple[g_cycles.Cycle, ...]
) -> list[Cycle]:

    keys = {i.id: i.key for i in loaded.plan.items}
    return [Cycle(result=c, keys=keys) for c in found]

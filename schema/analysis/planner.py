"""The proposed plan: a capacity-aware draft placement of an interval, as moves."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.analysis.items import IterationT, TeamT, WorkItemT, item, iteration, team
from schema.kit.context import Context
from services.analysis.plans import LoadedPlan
from services.analysis.results import Slot
from services.analysis.results import planner as g_planner

Info_ = Info[Context, None]


@strawberry.type(description="A move the proposed plan makes, and why.")
class ProposedMove:
    result: strawberry.Private[g_planner.PlanMove]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The item to move.")
    def item(self, info: Info_) -> WorkItemT:
        return item(info, self.result.item)

    @strawberry.field(description="Where it is now (null: not planned).")
    def from_iteration(self, info: Info_) -> IterationT | None:
        return iteration(info, self.loaded, self.result.was)

    @strawberry.field(description="Where it goes.")
    def to_iteration(self, info: Info_) -> IterationT | None:
        return iteration(info, self.loaded, self.result.to)

    @strawberry.field(description="Why there.")
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="An item the proposed plan cannot place, and why.")
class UnplacedItem:
    result: strawberry.Private[g_planner.Unplaced]

    @strawberry.field(description="The item.")
    def item(self, info: Info_) -> WorkItemT:
        return item(info, self.result.item)

    @strawberry.field(description="Why not.")
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="A team's load in an iteration, after the proposed moves.")
class TeamLoad:
    label: strawberry.Private[str]
    slot: strawberry.Private[Slot]
    loaded: strawberry.Private[LoadedPlan]
    points: int = strawberry.field(description="Points planned.")
    capacity: int = strawberry.field(description="Points the team can take on.")

    @strawberry.field(description="The team.")
    def team(self, info: Info_) -> TeamT | None:
        return team(info, self.loaded, self.label)

    @strawberry.field(description="The iteration.")
    def iteration(self, info: Info_) -> IterationT | None:
        return iteration(info, self.loaded, self.slot)


@strawberry.type(
    description="A capacity-aware draft plan of the interval, as moves (nothing is written)."
)
class ProposedPlan:
    result: strawberry.Private[g_planner.ProposedPlan]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(
        description="The moves, in program-backlog order. Apply them with applyPlanMoves."
    )
    def moves(self) -> list[ProposedMove]:
        return [ProposedMove(result=m, loaded=self.loaded) for m in self.result.moves]

    @strawberry.field(description="Stories it cannot place, with the reason.")
    def unplaced(self) -> list[UnplacedItem]:
        return [UnplacedItem(result=u) for u in self.result.unplaced]

    @strawberry.field(description="Each team's load and capacity per iteration after the moves.")
    def load(self) -> list[TeamLoad]:
        keys = sorted(set(self.result.capacity) | set(self.result.load))
        return [
            TeamLoad(
                label=label,
                slot=slot,
                loaded=self.loaded,
                points=self.result.load.get((label, slot), 0),
                capacity=self.result.capacity.get((label, slot), 0),
            )
            for label, slot in keys
        ]

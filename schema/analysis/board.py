"""The planning board, layout-ready: team lanes, iteration columns, items and strings."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.analysis.filters import Health
from schema.analysis.items import (
    DependencyT,
    IterationT,
    TeamT,
    WorkItemT,
    dependency,
    item,
    iteration,
    team,
    teams,
)
from schema.kit.context import Context
from services.analysis.plans import LoadedPlan
from services.analysis.results import display as g_display

Info_ = Info[Context, None]


@strawberry.type(description="An item on the board: its team lane and iteration column.")
class BoardNode:
    result: strawberry.Private[g_display.BoardNode]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The item.")
    def item(self, info: Info_) -> WorkItemT:
        return item(info, self.result.item)

    @strawberry.field(description="Its lane (null: no team).")
    def team(self, info: Info_) -> TeamT | None:
        return team(info, self.loaded, self.result.lane)

    @strawberry.field(description="Its column (null: the 'not planned' column).")
    def iteration(self, info: Info_) -> IterationT | None:
        return iteration(info, self.loaded, self.result.column)

    @strawberry.field(
        description="The worst health of what it waits for (null: waits for nothing)."
    )
    def health(self) -> Health | None:
        return self.result.health


@strawberry.type(description="A dependency string on the board.")
class BoardEdge:
    result: strawberry.Private[g_display.BoardEdge]

    @strawberry.field(description="The dependency.")
    def dependency(self, info: Info_) -> DependencyT:
        return dependency(info, self.result.dependency)

    @strawberry.field(description="Its health (the colour of the string).")
    def health(self) -> Health:
        return self.result.health

    @strawberry.field(
        description="Implied by a longer chain (transitive reduction): draw it faintly, or not "
        "at all."
    )
    def redundant(self) -> bool:
        return self.result.redundant


@strawberry.type(description="A layout-ready planning board: team lanes x iteration columns.")
class Board:
    result: strawberry.Private[g_display.Board]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="Lanes, one per team (in name order).")
    def lanes(self, info: Info_) -> list[TeamT]:
        return teams(info, self.loaded, self.result.lanes)

    @strawberry.field(description="Columns, one per iteration (the IP one last).")
    def columns(self, info: Info_) -> list[IterationT]:
        return [
            i for s in self.result.columns if (i := iteration(info, self.loaded, s)) is not None
        ]

    @strawberry.field(description="The items.")
    def nodes(self) -> list[BoardNode]:
        return [BoardNode(result=n, loaded=self.loaded) for n in self.result.nodes]

    @strawberry.field(description="The dependency strings.")
    def edges(self) -> list[BoardEdge]:
        return [BoardEdge(result=e) for e in self.result.edges]

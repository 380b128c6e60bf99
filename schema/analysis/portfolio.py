"""Analyses across every ART the reader can see."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.analysis.coupling import Coupling
from schema.analysis.cycles import Cycle, cycles_of
from schema.kit.context import Context
from services.analysis import analyses

Info_ = Info[Context, None]


@strawberry.type(description="Analyses across every ART you can see (all of them for an admin).")
class Portfolio:
    @strawberry.field(description="Cycles among blocking dependencies, across ARTs.")
    async def cycles(self, info: Info_) -> list[Cycle]:
        context = info.context
        async with context.sessionmaker() as session:
            scope = analyses.portfolio_scope(context.actor)
            loaded, found = await analyses.find_cycles(session, context.actor, context.cache, scope)
        return cycles_of(loaded, found)

    @strawberry.field(description="Team x team coupling across ARTs.")
    async def coupling(self, info: Info_) -> Coupling:
        context = info.context
        async with context.sessionmaker() as session:
            scope = analyses.portfolio_scope(context.actor)
            loaded, found = await analyses.team_coupling(
                session, context.actor, context.cache, scope
            )
        return Coupling(result=found, loaded=loaded)

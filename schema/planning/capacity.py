"""A team's capacity in an iteration: the type and the mutation that sets it."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.kit.context import Context
from schema.kit.errors import UserError
from schema.kit.mutations import INPUT, node_id, run
from schema.org.types import Team
from schema.planning.types import Iteration
from services.planning import capacity as capacities

Info_ = Info[Context, None]
ERRORS = "Why nothing was written; empty on success."


@strawberry.input(description="A team's capacity in an iteration (story points).")
class SetTeamCapacityInput:
    team_id: strawberry.ID = strawberry.field(description="The team.")
    iteration_id: strawberry.ID = strawberry.field(description="A regular iteration of its ART.")
    points: int | None = strawberry.field(
        description="0 to 1000; null returns to the default (8 points per team member)."
    )


@strawberry.type(description="A team's capacity in an iteration.")
class TeamCapacity:
    points: int = strawberry.field(description="Story points.")
    team_id: strawberry.Private[int]
    iteration_id: strawberry.Private[int]

    @strawberry.field(description="The team.")
    async def team(self, info: Info_) -> Team | None:
        return await info.context.nodes.fetch(Team, self.team_id)

    @strawberry.field(description="The iteration.")
    async def iteration(self, info: Info_) -> Iteration | None:
        return await info.context.nodes.fetch(Iteration, self.iteration_id)


@strawberry.type(description="Result of setting a team's capacity.")
class TeamCapacityPayload:
    capacity: TeamCapacity | None = strawberry.field(
        description="The capacity as saved; null when reset to the default or on failure."
    )
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type
class CapacityMutations:
    @strawberry.mutation(description="Set (or reset) a team's capacity in an iteration.")
    async def set_team_capacity(
        self, info: Info_, input: Annotated[SetTeamCapacityInput, INPUT]
    ) -> TeamCapacityPayload:
        row, errors = await run(
            info,
            lambda s, a: capacities.set_team_capacity(
                s,
                a,
                node_id(input.team_id, Team, "teamId"),
                node_id(input.iteration_id, Iteration, "iterationId"),
                input.points,
            ),
        )
        if row is None or row.archived_at is not None:  # reset to the default, or refused
            return TeamCapacityPayload(capacity=None, errors=errors)
        capacity = TeamCapacity(
            points=row.points, team_id=row.team_id, iteration_id=row.iteration_id
        )
        return TeamCapacityPayload(capacity=capacity, errors=errors)

"""Mutations that change the plan as a whole: apply moves, set team capacity."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.context import Context
from schema.errors import UserError
from schema.mutations.base import INPUT, node_id, optional_id, run
from schema.relay import decode_id
from schema.types.org import Team
from schema.types.planning import Iteration
from schema.types.work import Feature, Story, WorkItem
from services import replan
from services.dependencies import ItemRef
from services.enums import WorkItemType
from services.models import TeamCapacity as TeamCapacityRow

Info_ = Info[Context, None]
ERRORS = "Why nothing was written; empty on success."


@strawberry.input(description="Move one item to an iteration (e.g. from proposedPlan).")
class PlanMoveInput:
    item_id: strawberry.ID = strawberry.field(description="The Feature or Story.")
    iteration_id: strawberry.ID | None = strawberry.field(
        description="Its new iteration; null takes it out of its iteration."
    )
    version: int = strawberry.field(description="The item's version you read.")


@strawberry.input(description="Apply one move or all of them, together: all or nothing.")
class ApplyPlanMovesInput:
    moves: list[PlanMoveInput] = strawberry.field(description="1 to 500 moves.")


@strawberry.type(description="Result of applying moves.")
class ApplyPlanMovesPayload:
    items: list[WorkItem] = strawberry.field(description="The moved items as saved.")
    errors: list[UserError] = strawberry.field(description=ERRORS)


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


def _ref(value: strawberry.ID, field: str) -> ItemRef:
    kind, pk = decode_id(value, (Feature, Story), field)
    return ItemRef(WorkItemType.FEATURE if kind == "Feature" else WorkItemType.STORY, pk)


@strawberry.type
class PlanMutations:
    @strawberry.mutation(
        description="Move items to iterations, all or nothing (e.g. the proposed plan's moves)."
    )
    async def apply_plan_moves(
        self, info: Info_, input: Annotated[ApplyPlanMovesInput, INPUT]
    ) -> ApplyPlanMovesPayload:
        def moves() -> list[replan.ItemMove]:
            return [
                replan.ItemMove(
                    _ref(m.item_id, f"moves[{n}].itemId"),
                    optional_id(m.iteration_id, Iteration, f"moves[{n}].iterationId"),
                    m.version,
                )
                for n, m in enumerate(input.moves)
            ]

        rows, errors = await run(info, lambda s, a: replan.apply_moves(s, a, moves()))
        items: list[WorkItem] = []
        for row in rows or []:
            node_type = Feature if type(row).__name__ == "Feature" else Story
            items.append(node_type.from_row(row))
        return ApplyPlanMovesPayload(items=items, errors=errors)

    @strawberry.mutation(description="Set (or reset) a team's capacity in an iteration.")
    async def set_team_capacity(
        self, info: Info_, input: Annotated[SetTeamCapacityInput, INPUT]
    ) -> TeamCapacityPayload:
        row, errors = await run(
            info,
            lambda s, a: replan.set_team_capacity(
                s, a, node_id(input.team_id, Team, "teamId"),
                node_id(input.iteration_id, Iteration, "iterationId"), input.points,
            ),
        )  # fmt: skip
        saved = row if isinstance(row, TeamCapacityRow) and row.archived_at is None else None
        capacity = None if saved is None else TeamCapacity(
            points=saved.points, team_id=saved.team_id, iteration_id=saved.iteration_id
        )  # fmt: skip
        return TeamCapacityPayload(capacity=capacity, errors=errors)

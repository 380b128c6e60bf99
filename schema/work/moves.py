"""Moving plan items in bulk: apply moves (e.g. the proposed plan's)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.kit.context import Context
from schema.kit.errors import UserError
from schema.kit.mutations import INPUT, run
from schema.work.mutations.inputs import item_ref, row_id
from schema.work.types import Feature, Story, WorkItem
from services.models import Feature as FeatureRow
from services.work import moves

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


@strawberry.type
class MoveMutations:
    @strawberry.mutation(
        description="Move items to iterations, all or nothing (e.g. the proposed plan's moves)."
    )
    async def apply_plan_moves(
        self, info: Info_, input: Annotated[ApplyPlanMovesInput, INPUT]
    ) -> ApplyPlanMovesPayload:
        def item_moves() -> list[moves.ItemMove]:
            return [
                moves.ItemMove(
                    item_ref(m.item_id, f"moves[{n}].itemId"),
                    row_id(m.iteration_id, "Iteration", f"moves[{n}].iterationId")
                    if m.iteration_id is not None
                    else None,
                    m.version,
                )
                for n, m in enumerate(input.moves)
            ]

        rows, errors = await run(info, lambda s, a: moves.apply_moves(s, a, item_moves()))
        items: list[WorkItem] = [
            Feature.from_row(row) if isinstance(row, FeatureRow) else Story.from_row(row)
            for row in rows or []
        ]
        return ApplyPlanMovesPayload(items=items, errors=errors)

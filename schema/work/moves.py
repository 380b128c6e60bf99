"""Moving plan items in bulk: apply moves (e.g. the proposed plan's)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.kit.context import Context
from schema.kit.errors import UserError
from schema.kit.mutations import INPUT, optional_id, run
from schema.kit.relay import decode_id
from schema.planning.types import Iteration
from schema.work.types import Feature, Story, WorkItem
from services.core.enums import WorkItemType
from services.work import moves
from services.work.dependencies import ItemRef

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


def _ref(value: strawberry.ID, field: str) -> ItemRef:
    kind, pk = decode_id(value, (Feature, Story), field)
    return ItemRef(WorkItemType.FEATURE if kind == "Feature" else WorkItemType.STORY, pk)


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
                    _ref(m.item_id, f"moves[{n}].itemId"),
                    optional_id(m.iteration_id, Iteration, f"moves[{n}].iterationId"),
                    m.version,
                )
                for n, m in enumerate(input.moves)
            ]

        rows, errors = await run(info, lambda s, a: moves.apply_moves(s, a, item_moves()))
        items: list[WorkItem] = []
        for row in rows or []:
            node_type = Feature if type(row).__name__ == "Feature" else Story
            items.append(node_type.from_row(row))
        return ApplyPlanMovesPayload(items=items, errors=errors)

"""Moving plan items in bulk (e.g. the proposed plan's moves): all or nothing, and each move
is an ordinary update of its item, so every permission, planning rule, version check and
history entry applies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Actor
from services.core.enums import WorkItemType
from services.core.errors import DomainError, ErrorCode, Problem, at, joined
from services.models import Feature, Story
from services.work import features, stories
from services.work.dependencies import ItemRef

MAX_MOVES = 500


@dataclass(frozen=True, slots=True)
class ItemMove:
    item: ItemRef
    iteration_id: int | None  # None: take it out of its iteration
    version: int


async def apply_moves(
    session: AsyncSession, actor: Actor, moves: Sequence[ItemMove]
) -> list[Feature | Story]:
    permissions.require_write(actor)
    if not moves or len(moves) > MAX_MOVES:
        raise DomainError.single(
            ErrorCode.INVALID_VALUE, f"Send 1 to {MAX_MOVES} moves (got {len(moves)}).", "moves"
        )
    moved: list[Feature | Story] = []
    for position, move in enumerate(moves):
        item_id, version = move.item.id, move.version
        try:
            if move.item.type is WorkItemType.STORY:
                story = stories.StoryChanges(iteration_id=move.iteration_id)
                moved.append(await stories.update_story(session, actor, item_id, version, story))
            else:
                feature = features.FeatureChanges(iteration_id=move.iteration_id)
                moved.append(
                    await features.update_feature(session, actor, item_id, version, feature)
                )
        except DomainError as exc:
            raise DomainError(
                [
                    Problem(
                        p.code,
                        joined(at(f"moves[{position}]", ": "), p.text),
                        "moves",
                        p.current_version,
                    )
                    for p in exc.problems
                ]
            ) from None
    return moved

"""Mutations of the ART Kanban beyond updateFeature: an admin's reopen of a DONE feature, and
an ART's WIP limits (services/DOMAIN.md, The ART Kanban)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.mutations import INPUT, run
from schema.org.mutations import ArtPayload
from schema.org.types import Art
from schema.work.mutations.features import FeaturePayload
from schema.work.mutations.inputs import row_id
from schema.work.types import Feature
from services import models as m
from services.access.permissions import Actor
from services.work import kanban

Info_ = Info[Context, None]


@strawberry.input(description="Reopen a DONE feature: move it back to an earlier state.")
class ReopenFeatureInput:
    id: strawberry.ID = strawberry.field(description="The DONE feature.")
    version: int = strawberry.field(description="The version you read.")
    state: e.FeatureState = strawberry.field(
        description="The earlier state it goes back to (FUNNEL ... RELEASING)."
    )
    reason: str = strawberry.field(
        description="Why it is reopened (required; the feature's history keeps it)."
    )


@strawberry.input(description="Set or remove one WIP limit of an ART's Kanban.")
class SetWipLimitInput:
    art_id: strawberry.ID = strawberry.field(description="The ART.")
    version: int = strawberry.field(description="The ART's version you read.")
    state: e.FeatureState = strawberry.field(
        description="The state limited: ANALYZING, BACKLOG, IMPLEMENTING, VALIDATING, "
        "DEPLOYING or RELEASING (FUNNEL and DONE take no limit)."
    )
    limit: int | None = strawberry.field(
        default=None,
        description="At most this many live features in the state (1 to 1000); null removes "
        "the limit.",
    )


@strawberry.type
class KanbanMutations:
    @strawberry.mutation(
        description="Reopen a DONE feature, moving it back to an earlier state with a reason "
        "(portfolio admin or the ART's RTE; DONE is otherwise final)."
    )
    async def reopen_feature(
        self, info: Info_, input: Annotated[ReopenFeatureInput, INPUT]
    ) -> FeaturePayload:
        async def action(s: AsyncSession, a: Actor) -> m.Feature:
            feature_id = row_id(input.id, "Feature", "id")
            return await kanban.reopen_feature(
                s, a, feature_id, input.version, input.state, input.reason
            )

        row, errors = await run(info, action)
        return FeaturePayload(feature=Feature.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(
        description="Set or remove an ART's WIP limit for one Kanban state (RTE); a move into "
        "a state at its limit is refused."
    )
    async def set_wip_limit(
        self, info: Info_, input: Annotated[SetWipLimitInput, INPUT]
    ) -> ArtPayload:
        async def action(s: AsyncSession, a: Actor) -> m.Art:
            art_id = row_id(input.art_id, "Art", "artId")
            return await kanban.set_wip_limit(s, a, art_id, input.version, input.state, input.limit)

        row, errors = await run(info, action)
        return ArtPayload(art=Art.from_row(row) if row else None, errors=errors)

"""Mutations of architecture components: create one (of an ART or portfolio-wide), change it,
archive it."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.errors import UserError
from schema.kit.mutations import INPUT, ArchiveInput, maybe, maybe_id, run
from schema.work.mutations.inputs import row_id
from schema.work.types import Component
from services.models import Component as ComponentRow
from services.work import components

Info_ = Info[Context, None]
UNSET = strawberry.UNSET
ERRORS = "Why nothing was written; empty on success."


@strawberry.type(description="Result of a component mutation.")
class ComponentPayload:
    component: Component | None = strawberry.field(
        description="The component as saved; null on failure."
    )
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description="A new architecture component; without artId it is portfolio-wide.")
class CreateComponentInput:
    name: str = strawberry.field(description="Name, unique in its scope.")
    kind: e.ComponentKind = strawberry.field(description="What it is.")
    art_id: strawberry.ID | None = strawberry.field(
        default=None, description="The ART it belongs to; omit for a portfolio-wide component."
    )
    description: str | None = strawberry.field(default=UNSET, description="What it does.")
    owning_team_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Owning team (of the same ART for an ART component)."
    )

    def draft(self) -> components.ComponentDraft:
        return components.ComponentDraft(
            name=self.name,
            kind=self.kind,
            description=maybe(self.description),
            owning_team_id=maybe_id(self.owning_team_id, "Team", "owningTeamId"),
        )


@strawberry.input(description="Changes to a component; omitted fields stay as they are.")
class UpdateComponentInput:
    id: strawberry.ID = strawberry.field(description="The component.")
    version: int = strawberry.field(description="The version you read.")
    name: str | None = strawberry.field(default=UNSET, description="New name.")
    kind: e.ComponentKind | None = strawberry.field(default=UNSET, description="New kind.")
    description: str | None = strawberry.field(default=UNSET, description="New description.")
    owning_team_id: strawberry.ID | None = strawberry.field(default=UNSET, description="New owner.")

    def changes(self) -> components.ComponentChanges:
        return components.ComponentChanges(
            name=maybe(self.name),
            kind=maybe(self.kind),
            description=maybe(self.description),
            owning_team_id=maybe_id(self.owning_team_id, "Team", "owningTeamId"),
        )


def _payload(row: ComponentRow | None, errors: list[UserError]) -> ComponentPayload:
    return ComponentPayload(component=Component.from_row(row) if row else None, errors=errors)


@strawberry.type
class ComponentMutations:
    @strawberry.mutation(description="Create an architecture component.")
    async def create_component(
        self, info: Info_, input: Annotated[CreateComponentInput, INPUT]
    ) -> ComponentPayload:
        def art_id() -> int | None:
            return None if input.art_id is None else row_id(input.art_id, "Art", "artId")

        row, errors = await run(
            info, lambda s, a: components.create_component(s, a, art_id(), input.draft())
        )
        return _payload(row, errors)

    @strawberry.mutation(description="Change a component.")
    async def update_component(
        self, info: Info_, input: Annotated[UpdateComponentInput, INPUT]
    ) -> ComponentPayload:
        row, errors = await run(
            info,
            lambda s, a: components.update_component(
                s, a, row_id(input.id, "Component", "id"), input.version, input.changes()
            ),
        )
        return _payload(row, errors)

    @strawberry.mutation(description="Archive a component (refused while items touch it).")
    async def archive_component(
        self, info: Info_, input: Annotated[ArchiveInput, INPUT]
    ) -> ComponentPayload:
        row, errors = await run(
            info,
            lambda s, a: components.archive_component(
                s, a, row_id(input.id, "Component", "id"), input.version
            ),
        )
        return _payload(row, errors)

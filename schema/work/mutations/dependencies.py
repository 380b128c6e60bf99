"""Mutations of dependencies: record that one plan item depends on another, change it,
remove it."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.errors import UserError
from schema.kit.mutations import INPUT, ArchiveInput, maybe, maybe_id, run
from schema.work.mutations.inputs import item_ref, row_id
from schema.work.types import Dependency
from services.models import Dependency as DependencyRow
from services.work import dependencies

Info_ = Info[Context, None]
UNSET = strawberry.UNSET
ERRORS = "Why nothing was written; empty on success."


@strawberry.type(description="Result of a dependency mutation.")
class DependencyPayload:
    dependency: Dependency | None = strawberry.field(
        description="The dependency as saved; null on failure."
    )
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description='Record that "dependent depends on prerequisite".')
class CreateDependencyInput:
    dependent_id: strawberry.ID = strawberry.field(description="The Feature or Story that waits.")
    prerequisite_id: strawberry.ID = strawberry.field(
        description="The Feature or Story that must be delivered first."
    )
    type: e.DependencyType | None = strawberry.field(default=UNSET, description="Default BLOCKS.")
    needed_by_iteration_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="The iteration by which the dependent needs it."
    )
    note: str | None = strawberry.field(default=UNSET, description="What exactly is needed.")

    def draft(self) -> dependencies.DependencyDraft:
        return dependencies.DependencyDraft(
            type=maybe(self.type),
            needed_by_iteration_id=maybe_id(
                self.needed_by_iteration_id, "Iteration", "neededByIterationId"
            ),
            note=maybe(self.note),
        )


@strawberry.input(description="Changes to a dependency; omitted fields stay as they are.")
class UpdateDependencyInput:
    id: strawberry.ID = strawberry.field(description="The dependency.")
    version: int = strawberry.field(description="The version you read.")
    type: e.DependencyType | None = strawberry.field(default=UNSET, description="New type.")
    needed_by_iteration_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="New needed-by iteration; null clears it."
    )
    note: str | None = strawberry.field(default=UNSET, description="New note.")

    def changes(self) -> dependencies.DependencyChanges:
        return dependencies.DependencyChanges(
            type=maybe(self.type),
            needed_by_iteration_id=maybe_id(
                self.needed_by_iteration_id, "Iteration", "neededByIterationId"
            ),
            note=maybe(self.note),
        )


def _payload(row: DependencyRow | None, errors: list[UserError]) -> DependencyPayload:
    return DependencyPayload(dependency=Dependency.from_row(row) if row else None, errors=errors)


@strawberry.type
class DependencyMutations:
    @strawberry.mutation(description="Record a dependency between two features and/or stories.")
    async def create_dependency(
        self, info: Info_, input: Annotated[CreateDependencyInput, INPUT]
    ) -> DependencyPayload:
        row, errors = await run(
            info,
            lambda s, a: dependencies.create_dependency(
                s,
                a,
                item_ref(input.dependent_id, "dependentId"),
                item_ref(input.prerequisite_id, "prerequisiteId"),
                input.draft(),
            ),
        )
        return _payload(row, errors)

    @strawberry.mutation(description="Change a dependency's type, needed-by iteration or note.")
    async def update_dependency(
        self, info: Info_, input: Annotated[UpdateDependencyInput, INPUT]
    ) -> DependencyPayload:
        row, errors = await run(
            info,
            lambda s, a: dependencies.update_dependency(
                s, a, row_id(input.id, "Dependency", "id"), input.version, input.changes()
            ),
        )
        return _payload(row, errors)

    @strawberry.mutation(description="Remove a dependency.")
    async def archive_dependency(
        self, info: Info_, input: Annotated[ArchiveInput, INPUT]
    ) -> DependencyPayload:
        row, errors = await run(
            info,
            lambda s, a: dependencies.archive_dependency(
                s, a, row_id(input.id, "Dependency", "id"), input.version
            ),
        )
        return _payload(row, errors)

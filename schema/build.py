"""Assembles the Strawberry schema and exports its SDL."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import ExecutionContext

from schema.access.mutations import AccessMutations
from schema.kit.errors import (
    FieldNamesInErrors,
    input_field_names,
    should_mask_error,
    use_field_names,
)
from schema.kit.execution import FastLeafExecutionContext
from schema.kit.limits import cost_extension, limit_extensions
from schema.kit.outages import OutageErrors
from schema.kit.scalars import SCALARS
from schema.org.mutations import OrgMutations
from schema.planning.capacity import CapacityMutations
from schema.planning.mutations import PlanningMutations
from schema.query import NODE_TYPES, Query
from schema.refinement.mutations import RefinementMutations
from schema.refinement.subscriptions import Subscription
from schema.work.moves import MoveMutations
from schema.work.mutations import WorkMutations
from services.core.settings import Settings

SDL_PATH = Path(__file__).parent / "schema.graphql"


@strawberry.type(description="Change the planning model. Each mutation is one transaction.")
class Mutation(
    OrgMutations,
    PlanningMutations,
    WorkMutations,
    AccessMutations,
    MoveMutations,
    CapacityMutations,
    RefinementMutations,
):
    pass


class TrainyardSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Client mistakes (validation, bad page sizes, bad ids) are answered, not logged as
        # failures; only unexpected errors are logged, with their stack trace.
        unexpected = [e for e in errors if should_mask_error(e)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def build_schema(
    settings: Settings | None = None,
    execution_context_class: type[StrawberryGraphQLCoreExecutionContext] = FastLeafExecutionContext,
) -> strawberry.Schema:
    settings = settings or Settings()
    schema = TrainyardSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=list(NODE_TYPES),
        extensions=[
            *limit_extensions(settings),
            OutageErrors,  # before MaskErrors: it reads what masking hides
            partial(
                MaskErrors, should_mask_error=should_mask_error, error_message="Internal error."
            ),
            FieldNamesInErrors,
            # Boards and portfolio tools send the same documents again and again.
            partial(ParserCache, maxsize=256),
            partial(ValidationCache, maxsize=256),
            cost_extension(settings),
        ],
        config=StrawberryConfig(auto_camel_case=True, scalar_map=SCALARS),
        execution_context_class=execution_context_class,
    )
    # strawberry keeps the graphql-core schema it built as `_schema`.
    use_field_names(input_field_names(schema._schema))
    return schema


def export_sdl() -> str:
    return build_schema().as_str() + "\n"

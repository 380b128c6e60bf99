"""Payload errors (expected failures) and which top-level errors a client may read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import strawberry
from graphql import GraphQLError, GraphQLInputObjectType, GraphQLSchema
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from services.access.permissions import AuthError
from services.core.errors import DomainError, ErrorCode, Problem, render, render_field
from services.core.filters import FilterError
from services.core.pagination import PaginationError

ErrorCodeEnum = strawberry.enum(
    ErrorCode,
    name="ErrorCode",
    description="Stable codes of expected failures, for clients to branch on.",
)


class ClientError(Exception):
    """A request the API refuses for a reason the client can fix; shown unmasked."""


# Failures whose message is written for clients (all others are masked).
READABLE_ERRORS: tuple[type[Exception], ...] = (
    ClientError,
    AuthError,
    DomainError,
    PaginationError,
    FilterError,
)


def should_mask_error(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None:
        return False  # parse and validation errors stay readable
    return not isinstance(original, READABLE_ERRORS)


# Domain field name -> the name clients know it by, from the input types of the schema
# (filled by schema.build when the schema is built).
FIELD_NAMES: dict[str, str] = {}


def input_field_names(schema: GraphQLSchema) -> dict[str, str]:
    """Every input field's domain (Python) name and its GraphQL name, across the schema.
    A domain name that two input types expose under different GraphQL names is an error."""
    names: dict[str, str] = {}
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLInputObjectType):
            continue
        for graphql_name, field in graphql_type.fields.items():
            definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if not isinstance(definition, StrawberryField):
                continue
            known = names.setdefault(definition.python_name, graphql_name)
            if known != graphql_name:
                raise ValueError(
                    f"input field {definition.python_name} is {known} in one input type and "
                    f"{graphql_name} in {graphql_type.name}"
                )
    return names


def use_field_names(names: Mapping[str, str]) -> None:
    FIELD_NAMES.clear()
    FIELD_NAMES.update(names)


def graphql_name(name: str) -> str:
    """The name clients know a domain field by (itself when no input has it)."""
    return FIELD_NAMES.get(name, name)


@strawberry.type(description="Why a mutation wrote nothing: one problem with its input.")
class UserError:
    code: ErrorCode = strawberry.field(description="Stable machine-readable code.")
    message: str = strawberry.field(description="What was wrong and what is allowed, for people.")
    field: str | None = strawberry.field(
        description="The input field at fault (camelCase), when one is."
    )
    current_version: int | None = strawberry.field(
        description="For CONFLICT: the version the item has now; reload and retry with it."
    )


def user_errors(problems: Iterable[Problem]) -> list[UserError]:
    return [
        UserError(
            code=p.code,
            message=p.shown(graphql_name),
            field=render_field(p.field, graphql_name) if p.field else None,
            current_version=p.current_version,
        )
        for p in problems
    ]


class FieldNamesInErrors(SchemaExtension):
    """Top-level errors whose message names an input field as data (a refused filter) show
    the field under its GraphQL name; the rest of the message is left as it is."""

    def on_operation(self) -> Iterator[None]:
        yield
        errors = getattr(self.execution_context.result, "errors", None) or []
        for error in errors:
            original = error.original_error
            if isinstance(original, FilterError):
                error.message = render(original.text, graphql_name)

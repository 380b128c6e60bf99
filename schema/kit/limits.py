"""Limits that keep a hostile or sloppy query from taking the service down.

Depth, aliases and tokens use Strawberry's extensions (tokens are counted by the parser, so
a huge document stops early). The cost budget is ours: every selected field costs 1, and a
connection multiplies the cost of what it selects by its page size (`first`, default 50), so
`features(first: 100) { stories(first: 100) { ... } }` costs what it may really return. The
cost is checked after validation and before anything runs, and reported in the response's
`extensions.cost`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any

from graphql import (
    GRAPHQL_MAX_INT,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.schema import validate_document

from services.core.pagination import DEFAULT_PAGE_SIZE
from services.core.settings import Settings


def _first(field: FieldNode, variables: Mapping[str, Any]) -> int:
    for argument in field.arguments or ():
        if argument.name.value != "first":
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            # A value that is no Int is refused when variables are coerced, after the cost
            # check: counting it here would answer "too costly" instead of what is wrong.
            if (
                isinstance(given, int)
                and not isinstance(given, bool)
                and abs(given) <= GRAPHQL_MAX_INT
            ):
                return given
            return DEFAULT_PAGE_SIZE
    return DEFAULT_PAGE_SIZE


PER_ITEM = frozenset({"nodes", "edges"})


def selection_cost(
    schema: GraphQLSchema,
    parent: Any,
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    page_size: int = 1,
) -> int:
    """Each field costs 1; under a connection, `nodes` and `edges` cost once per item of the
    page (`first`), while `totalCount` and `pageInfo` cost once."""
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            name = selection.name.value
            if name.startswith("__"):
                continue
            fields = getattr(parent, "fields", {})
            field_def = fields.get(name)
            if field_def is None:
                continue
            child = get_named_type(field_def.type)
            page = max(_first(selection, variables), 1) if child.name.endswith("Connection") else 1
            inner = selection_cost(
                schema, child, selection.selection_set, fragments, variables, page
            )
            total += 1 + (page_size if name in PER_ITEM else 1) * inner
        elif isinstance(selection, InlineFragmentNode):
            target = parent
            if selection.type_condition is not None:
                target = schema.get_type(selection.type_condition.name.value) or parent
            total += selection_cost(
                schema, target, selection.selection_set, fragments, variables, page_size
            )
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                target = schema.get_type(fragment.type_condition.name.value) or parent
                total += selection_cost(
                    schema, target, fragment.selection_set, fragments, variables, page_size
                )
    return total


class QueryCost(SchemaExtension):
    def __init__(self, *, max_cost: int) -> None:
        self.max_cost = max_cost
        self.cost: int | None = None

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.pre_execution_errors is None and context.graphql_document is not None:
            # Validate first (Strawberry skips it when it is already done): a cost only
            # means something for a valid document.
            context.pre_execution_errors = validate_document(
                context.schema._schema, context.graphql_document, context.validation_rules
            )
        if not context.pre_execution_errors and context.graphql_document is not None:
            self.cost = self._cost()
            if self.cost > self.max_cost:
                context.pre_execution_errors = [
                    GraphQLError(
                        f"This query would cost {self.cost:,} (a connection multiplies what it "
                        f"selects by its page size), over the budget of {self.max_cost:,}. Ask "
                        "for fewer items per page, or fewer nested lists.",
                        extensions={"code": "QUERY_TOO_COSTLY"},
                    )
                ]
        yield

    def _cost(self) -> int:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None
        schema = context.schema._schema
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        name = context.operation_name
        operation = next(
            (o for o in operations if name is None or (o.name and o.name.value == name)),
            operations[0] if operations else None,
        )
        if operation is None:
            return 0
        root: GraphQLObjectType | GraphQLInterfaceType | None = schema.get_root_type(
            operation.operation
        )
        return selection_cost(
            schema, root, operation.selection_set, fragments, context.variables or {}
        )

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": {"requested": self.cost, "limit": self.max_cost}}


def limit_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    extensions: list[Callable[[], SchemaExtension]] = [
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        partial(QueryDepthLimiter, max_depth=settings.max_depth),
        partial(MaxAliasesLimiter, max_alias_count=settings.max_aliases),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    return extensions


def cost_extension(settings: Settings) -> Callable[[], SchemaExtension]:
    return partial(QueryCost, max_cost=settings.max_cost)

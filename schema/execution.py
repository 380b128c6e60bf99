"""A faster path through graphql-core for plain attribute leaves and loaded references.

A board response is ~10,000 fields, most of them scalars read straight off a node
(`key`, `title`, `points`, ...). graphql-core's generic path creates a response path, builds
a resolve-info object, calls the resolver through Strawberry's wrapper and walks
`complete_value` for each of them (~7 us a field). For a field that Strawberry itself marks
as basic (no resolver, no arguments, no permissions, no extensions) and whose type is a scalar
or an enum, the result is exactly `serialize(getattr(source, python_name))`; this context
computes those directly and hands every other field of the object to graphql-core's own
`execute_fields`. A null or unserialisable value (which must produce graphql-core's own error
or null handling) also takes the generic path, so results and errors are unchanged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLObjectType,
    GraphQLScalarType,
    Undefined,
    get_nullable_type,
)
from graphql.execution.collect_fields import GroupedFieldSet
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

# (python attribute, serialize) of a fast leaf; None for a field that takes the generic path.
LeafPlan = tuple[str, Callable[[Any], Any]] | None
_PLANS_ATTRIBUTE = "_trainyard_leaf_plans"


def _plans_for(parent_type: GraphQLObjectType) -> dict[str, LeafPlan]:
    # Cached on the type object itself: it lives exactly as long as its schema.
    plans: dict[str, LeafPlan] | None = parent_type.__dict__.get(_PLANS_ATTRIBUTE)
    if plans is None:
        plans = {name: _leaf_plan(parent_type, name) for name in parent_type.fields}
        setattr(parent_type, _PLANS_ATTRIBUTE, plans)
    return plans


def _leaf_plan(parent_type: GraphQLObjectType, field_name: str) -> LeafPlan:
    field_def = parent_type.fields[field_name]
    if field_def.args or not getattr(field_def.resolve, "_is_default", False):
        return None  # arguments or a resolver of its own: not a Strawberry basic field
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    named = get_nullable_type(field_def.type)
    if definition is None or not isinstance(named, (GraphQLScalarType, GraphQLEnumType)):
        return None
    return definition.python_name, named.serialize


class FastLeafExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        manager = self.middleware_manager
        if manager and manager.middlewares:
            # A schema extension with a `resolve` hook must see every field.
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        plans = _plans_for(parent_type)
        fast: dict[str, Any] = {}
        generic: GroupedFieldSet = {}
        for response_name, details in grouped_field_set.items():
            plan = plans.get(details[0].node.name.value)
            if plan is not None:
                value = getattr(source_value, plan[0], None)
                if value is not None:
                    try:
                        serialized = plan[1](value)
                    except Exception:  # noqa: BLE001 (the generic path reports it properly)
                        serialized = None
                    if serialized is not None and serialized is not Undefined:
                        fast[response_name] = serialized
                        continue
            generic[response_name] = details
        if not generic:
            return fast
        rest = super().execute_fields(parent_type, source_value, path, generic, position_context)
        if self.is_awaitable(rest):
            return _merge_later(grouped_field_set, fast, rest)
        return _merge(grouped_field_set, fast, rest)


def _merge(order: GroupedFieldSet, fast: dict[str, Any], rest: dict[str, Any]) -> dict[str, Any]:
    if not fast:
        return rest
    # Keep the response in selection order (fields graphql-core skipped stay absent).
    return {
        name: fast[name] if name in fast else rest[name]
        for name in order
        if name in fast or name in rest
    }


async def _merge_later(
    order: GroupedFieldSet, fast: dict[str, Any], rest: Awaitable[dict[str, Any]]
) -> dict[str, Any]:
    return _merge(order, fast, await rest)

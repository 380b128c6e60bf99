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

A to-one reference marked with `schema.kit.relay.follows` (`Story.team`, `Feature.owningTeam`...)
whose node this request already built is completed directly, without calling the resolver
through Strawberry's wrapper: the resolver would return that same cached node.

Variables that do not coerce come back readable (schema.kit.variables).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

from graphql import (
    FieldNode,
    GraphQLEnumType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    SelectionSetNode,
    Undefined,
    get_nullable_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor import to_nodes
from graphql.pyutils import Path
from strawberry.schema.schema_converter import GraphQLCoreConverter

from schema.kit.context import NodeCache
from schema.kit.relay import NODE_TYPES_BY_NAME, REFERENCE_MARK
from schema.kit.variables import ReadableVariableErrors

# (python attribute, serialize) of a fast leaf; None for a field that takes the generic path.
LeafPlan = tuple[str, Callable[[Any], Any]] | None
_PLANS_ATTRIBUTE = "_trainyard_leaf_plans"
_REFS_ATTRIBUTE = "_trainyard_reference_plans"


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


def _reference_plan(parent_type: GraphQLObjectType, field_name: str) -> tuple[str, type] | None:
    plans: dict[str, tuple[str, type] | None] | None = parent_type.__dict__.get(_REFS_ATTRIBUTE)
    if plans is None:
        plans = {}
        for name, field_def in parent_type.fields.items():
            definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            resolver = getattr(getattr(definition, "base_resolver", None), "wrapped_func", None)
            mark = getattr(resolver, REFERENCE_MARK, None)
            plans[name] = None if mark is None else (mark[0], NODE_TYPES_BY_NAME[mark[1]])
        setattr(parent_type, _REFS_ATTRIBUTE, plans)
    return plans.get(field_name)


class FastLeafExecutionContext(ReadableVariableErrors):
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
                    except Exception:  # the generic path reports it properly
                        serialized = None
                    if serialized is not None and serialized is not Undefined:
                        fast[response_name] = serialized
                        continue
            generic[response_name] = details
        if not generic:
            return fast
        rest = super().execute_fields(parent_type, source_value, path, generic, position_context)
        if isinstance(rest, dict) and not fast:
            return rest
        if self.is_awaitable(rest):
            return _merge_later(grouped_field_set, fast, cast(Awaitable[dict[str, Any]], rest))
        return _merge(grouped_field_set, fast, cast(dict[str, Any], rest))

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        plan = _reference_plan(parent_type, field_details_list[0].node.name.value)
        if plan is not None:
            foreign_key = getattr(source, plan[0], None)
            node = (
                None if foreign_key is None else self.context_value.nodes.peek(plan[1], foreign_key)
            )
            if node is not None:
                return self._complete_reference(
                    parent_type, field_details_list, path, node, position_context
                )
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def _complete_reference(
        self,
        parent_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        path: Path,
        node: Any,
        position_context: Any,
    ) -> Any:
        # graphql-core's execute_field after the resolver returned `node`, with its error handling.
        field_def = parent_type.fields[field_details_list[0].node.name.value]
        return_type = field_def.type
        if len(field_details_list) == 1:
            flat = _flat_object(
                get_nullable_type(return_type),
                field_details_list[0].node.selection_set,
                node,
                self.context_value.nodes,
            )
            if flat is not None:
                return flat
        info = self.build_resolve_info(field_def, to_nodes(field_details_list), parent_type, path)
        try:
            completed = self.complete_value(
                return_type, field_details_list, info, path, node, position_context
            )
        except Exception as raw_error:  # handled exactly as graphql-core does
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        if self.is_awaitable(completed):
            return self._await_completed(completed, return_type, field_details_list, path)
        return completed

    def complete_list_value(
        self,
        return_type: GraphQLList[Any],
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        item_type = get_nullable_type(return_type.of_type)
        if (
            isinstance(result, list)
            and len(field_details_list) == 1
            and isinstance(item_type, GraphQLObjectType)
        ):
            selection_set = field_details_list[0].node.selection_set
            cache = self.context_value.nodes
            flat = []
            for item in result:
                built = (
                    None if item is None else _flat_object(item_type, selection_set, item, cache)
                )
                if built is None:
                    break
                flat.append(built)
            else:
                return flat
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    async def _await_completed(
        self,
        completed: Awaitable[Any],
        return_type: Any,
        field_details_list: FieldDetailsList,
        path: Path,
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:  # handled exactly as graphql-core does
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None


def _flat_object(
    object_type: Any, selection_set: SelectionSetNode | None, node: Any, cache: NodeCache
) -> dict[str, Any] | None:
    """A node's response built directly, when its selection is plain fields that are all fast
    leaves with a value or references already in the request's cache (recursively).
    None when anything (fragments, directives, arguments, nulls, connections) needs
    graphql-core."""
    if selection_set is None or not isinstance(object_type, GraphQLObjectType):
        return None
    is_type_of = object_type.is_type_of
    if is_type_of is not None and not isinstance(node, _python_type(object_type)):
        return None
    plans = _plans_for(object_type)
    out: dict[str, Any] = {}
    for selection in selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.directives or selection.arguments:
            return None
        name = selection.name.value
        response_name = selection.alias.value if selection.alias else name
        plan = plans.get(name)
        if plan is not None:
            value = getattr(node, plan[0], None)
            if value is None:
                return None
            try:
                serialized = plan[1](value)
            except Exception:  # the generic path reports it properly
                return None
            if serialized is None or serialized is Undefined:
                return None
            out[response_name] = serialized
        elif name == "__typename":
            out[response_name] = object_type.name
        else:
            reference = _reference_plan(object_type, name)
            if reference is None:
                return None
            foreign_key = getattr(node, reference[0], None)
            target = None if foreign_key is None else cache.peek(reference[1], foreign_key)
            if target is None:
                return None
            target_type = get_nullable_type(object_type.fields[name].type)
            nested = _flat_object(target_type, selection.selection_set, target, cache)
            if nested is None:
                return None
            out[response_name] = nested
    return out


def _python_type(object_type: GraphQLObjectType) -> type:
    definition = (object_type.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return definition.origin if definition is not None else object


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

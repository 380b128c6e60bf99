"""What a connection's selection needs: whether to read a page at all, and which columns.

Walks graphql-core's AST directly (Strawberry's `selected_fields` builds a tree of objects on
every call) and caches the answer per field node for the request, so the hundred sibling
`stories` connections of a board are analysed once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from strawberry.types import Info

from schema.kit.context import Context

if TYPE_CHECKING:
    from schema.kit.relay import RowNode

PAGE_FIELDS = frozenset({"nodes", "edges", "pageInfo"})


@dataclass(frozen=True, slots=True)
class ConnectionSelection:
    wants_page: bool
    columns: tuple[str, ...]


def _fields(selection_set: SelectionSetNode | None, fragments: dict[str, Any]) -> list[FieldNode]:
    out: list[FieldNode] = []
    if selection_set is None:
        return out
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            out.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            out += _fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                out += _fields(fragment.selection_set, fragments)
    return out


def _node_field_names(
    connection_fields: Iterable[FieldNode], fragments: dict[str, Any]
) -> set[str]:
    names: set[str] = set()
    for field in connection_fields:
        if field.name.value == "nodes":
            names |= {f.name.value for f in _fields(field.selection_set, fragments)}
        elif field.name.value == "edges":
            for edge_field in _fields(field.selection_set, fragments):
                if edge_field.name.value == "node":
                    names |= {f.name.value for f in _fields(edge_field.selection_set, fragments)}
    return names


def connection_selection(
    info: Info[Context, None], node_type: type[RowNode]
) -> ConnectionSelection:
    raw = info._raw_info
    key = (id(raw.field_nodes[0]), node_type)
    cache = info.context.selections
    found = cache.get(key)
    if found is None:
        fragments = raw.fragments
        connection_fields = [
            f for node in raw.field_nodes for f in _fields(node.selection_set, fragments)
        ]
        wants_page = any(f.name.value in PAGE_FIELDS for f in connection_fields)
        columns = node_type.columns_for(frozenset(_node_field_names(connection_fields, fragments)))
        found = cache[key] = ConnectionSelection(wants_page, columns)
    return found


def wants_page(info: Info[Context, None]) -> bool:
    """False when a connection is asked for its totalCount only: then no page is read."""
    raw = info._raw_info
    fields = [f for node in raw.field_nodes for f in _fields(node.selection_set, raw.fragments)]
    return any(f.name.value in PAGE_FIELDS for f in fields)

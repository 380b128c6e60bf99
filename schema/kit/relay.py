"""Relay plumbing: the Node interface, global ids, nodes built from rows, keyset connections.

Hot path notes (the board query returns ~10,000 fields): every node's global id is computed
once when the node is built, so `id` is a plain attribute; to-one references resolve
synchronously once their row is loaded in this request; cursors are encoded only when
`edges` are selected.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import re
import typing
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Generic, TypeVar, cast, overload

import strawberry
from sqlalchemy import BigInteger
from strawberry.types import Info
from strawberry.types.private import is_private

from schema.kit.context import Context
from schema.kit.selection import connection_selection
from services.core.pagination import Ordering, Page, page_request
from services.core.relations import Relation
from services.history.audit import HISTORY_ORDER
from services.history.relations import HISTORY_OF
from services.models import Base

if TYPE_CHECKING:
    from schema.history.types import HistoryEntry

T = TypeVar("T")
N = TypeVar("N", bound="RowNode")

_INIT_FIELDS: dict[type, tuple[str, ...]] = {}
NODE_TYPES_BY_NAME: dict[str, type[RowNode]] = {}
F = TypeVar("F", bound=Callable[..., Any])
REFERENCE_MARK = "_trainyard_reference"
# The arguments of every connection field (and filters, sort orders), described once.
FIRST = strawberry.argument(description="Page size, 0 to 100 (default 50).")
AFTER = strawberry.argument(description="Cursor after which the page starts.")
FILTER = strawberry.argument(description="Only the items matching this filter.")
ORDER = strawberry.argument(description="Sort order.")


def follows(foreign_key: str, node_type: str) -> Callable[[F], F]:
    """Mark a to-one resolver that returns the `node_type` node whose id is in `foreign_key`,
    so the executor can complete it directly once that node is loaded (schema.kit.execution)."""

    def mark(resolver: F) -> F:
        setattr(resolver, REFERENCE_MARK, (foreign_key, node_type))
        return resolver

    return mark


_COLUMNS: dict[tuple[type, frozenset[str]], tuple[str, ...]] = {}
# Where each init field sits in a row of a given column set (-1: not selected).
_SHAPES: dict[tuple[type, tuple[str, ...]], tuple[tuple[str, int], ...]] = {}


class IdError(ValueError):
    """A global id that is malformed or names the wrong type."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def to_global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


Expected = type["RowNode"] | str | Sequence[type["RowNode"] | str]


def decode_id(value: str, expected: Expected, field: str) -> tuple[str, int]:
    """A global id of one of the expected types (node types or their names), as
    (type name, database id). Only the id this server would have written decodes: the same
    base64 of `Type:number`, the number in ASCII digits without sign, spaces or leading
    zeros, and within what the type's id column holds."""
    kinds = [expected] if isinstance(expected, type | str) else list(expected)
    names = [k if isinstance(k, str) else k.__name__ for k in kinds]
    invalid = IdError(field, f"{field}: {value!r} is not a valid id.")
    try:
        type_name, _, raw = base64.b64decode(str(value), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid from None
    if not _CANONICAL_NUMBER.fullmatch(raw):
        raise invalid
    if type_name not in names:
        raise IdError(
            field,
            f"{field}: expected an id of type {' or '.join(names)}, got an id of type {type_name}.",
        )
    number = int(raw)
    if number > _largest_id(type_name) or to_global_id(type_name, number) != value:
        raise invalid
    return type_name, number


# ASCII digits only (int() also reads other scripts' digits), at most 19 of them (2**63 - 1).
_CANONICAL_NUMBER = re.compile(r"[1-9][0-9]{0,18}")


def _largest_id(type_name: str) -> int:
    """The largest id the type's table holds (INTEGER unless BIGINT); PostgreSQL refuses a
    query with a larger one."""
    model = getattr(NODE_TYPES_BY_NAME.get(type_name), "model", None)
    column = None if model is None else model.__table__.columns.get("id")
    return 2**63 - 1 if column is not None and isinstance(column.type, BigInteger) else 2**31 - 1


@strawberry.interface(name="Node", description="An object with a global id (Relay).")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global id; stable, use it as a key.")


HistoryEntryT = Annotated["HistoryEntry", strawberry.lazy("schema.history.types")]


@strawberry.interface(description="A plan item row that is edited with optimistic concurrency.")
class Versioned:
    version: int = strawberry.field(
        description="Increases with every change; send it back with updates to detect conflicts."
    )
    created_at: dt.datetime = strawberry.field(description="When the row was created (UTC).")
    updated_at: dt.datetime = strawberry.field(description="When the row last changed (UTC).")
    archived_at: dt.datetime | None = strawberry.field(
        description="When the row was archived (UTC); null while it is live."
    )

    @strawberry.field(description="Every change to this item, newest first.")
    async def history(
        self,
        info: Info[Context, None],
        first: Annotated[
            int | None, strawberry.argument(description="Page size, 0 to 100 (default 50).")
        ] = 50,
        after: Annotated[
            str | None, strawberry.argument(description="Cursor after which the page starts.")
        ] = None,
    ) -> Connection[HistoryEntryT]:
        pk: int = self.pk  # type: ignore[attr-defined]  # every Versioned type is a RowNode
        return await child_connection(
            info, HISTORY_OF, pk, "HistoryEntry", type(self).__name__, HISTORY_ORDER, first, after
        )


def init_fields(cls: type) -> tuple[str, ...]:
    names = _INIT_FIELDS.get(cls)
    if names is None:
        names = tuple(
            f.name for f in dataclasses.fields(cls) if f.init and f.name not in ("id", "pk")
        )
        _INIT_FIELDS[cls] = names
    return names


@dataclasses.dataclass
class RowNode(Node):
    """A Node type whose instances are built straight from selected columns."""

    model: ClassVar[type[Base]]
    pk: strawberry.Private[int]

    # Columns a resolver field reads besides the always-read private ones.
    column_needs: ClassVar[dict[str, tuple[str, ...]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        NODE_TYPES_BY_NAME[cls.__name__] = cls

    @classmethod
    def from_row(cls: type[N], row: Any) -> N:
        """From an ORM object, a full row, or a row of only the columns a query selected."""
        pk = row.id
        keys = getattr(row, "_fields", None)
        if keys is None:  # an ORM object, after a mutation
            values = {name: getattr(row, name) for name in init_fields(cls)}
        else:
            shape = _SHAPES.get((cls, keys))
            if shape is None:
                shape = _SHAPES[(cls, keys)] = tuple(
                    (name, keys.index(name) if name in keys else -1) for name in init_fields(cls)
                )
            values = {name: row[i] if i >= 0 else None for name, i in shape}
        return cls(id=strawberry.ID(to_global_id(cls.__name__, pk)), pk=pk, **values)

    @classmethod
    def columns_for(cls, graphql_names: frozenset[str]) -> tuple[str, ...]:
        """The model columns a selection of this type's fields needs (id and keys always)."""
        key = (cls, graphql_names)
        found = _COLUMNS.get(key)
        if found is None:
            found = _COLUMNS[key] = _columns_for(cls, graphql_names)
        return found


def _columns_for(cls: type[RowNode], graphql_names: frozenset[str]) -> tuple[str, ...]:
    table_columns = set(cls.model.__table__.columns.keys())
    hints = typing.get_type_hints(cls, include_extras=True)
    # Private fields are the foreign keys resolvers follow: always read (small integers).
    wanted = {"id"} | {n for n, hint in hints.items() if is_private(hint) and n in table_columns}
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]  # set by @strawberry.type on every node class
    by_graphql_name = {f.graphql_name or f.python_name: f for f in definition.fields}
    for graphql_name in graphql_names:
        field = by_graphql_name.get(graphql_name) or by_graphql_name.get(_snake(graphql_name))
        if field is None:
            continue
        if field.python_name in table_columns and field.base_resolver is None:
            wanted.add(field.python_name)
        wanted.update(cls.column_needs.get(field.python_name, ()))
    return tuple(sorted(wanted))


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def reference(info: Info[Context, None], node_type: type[N], pk: int) -> N:
    """A to-one reference. On a cache miss this returns an awaitable that graphql-core awaits;
    the annotation says N because that is what the field resolves to."""
    return cast(N, info.context.nodes.get(node_type, pk))


def optional_reference(info: Info[Context, None], node_type: type[N], pk: int | None) -> N | None:
    return None if pk is None else reference(info, node_type, pk)


@strawberry.type(description="Where a page sits in its list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="This page was requested with `after`, so items precede it."
    )
    start_cursor: str | None = strawberry.field(description="Cursor of the first item.")
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last item: pass it as `after` for the next page."
    )


@strawberry.type(description="One item of a connection with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque keyset cursor of this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, with keyset cursors (first/after; max 100).")
class Connection(Generic[T]):
    nodes: list[T] = strawberry.field(description="The items of this page.")
    page: strawberry.Private[Page]
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="The items of this page with their cursors.")
    def edges(self) -> list[Edge[T]]:
        return [Edge(cursor=self.page.cursor(i), node=node) for i, node in enumerate(self.nodes)]

    @strawberry.field(description="Paging information.")
    def page_info(self) -> PageInfo:
        count = len(self.page.rows)
        return PageInfo(
            has_next_page=self.page.has_next,
            has_previous_page=self.page.has_previous,
            start_cursor=self.page.cursor(0) if count else None,
            end_cursor=self.page.cursor(count - 1) if count else None,
        )

    @strawberry.field(description="How many items the whole list has (all pages).")
    async def total_count(self) -> int:
        return await self.counter()


def connection_from_page(
    node_type: type[N], page: Page, counter: Callable[[], Awaitable[int]]
) -> Connection[N]:
    nodes = [node_type.from_row(row) for row in page.rows]
    return Connection(nodes=nodes, page=page, counter=counter)


@overload
async def child_connection(
    info: Info[Context, None],
    relation: Relation,
    parent_id: int,
    node_type: type[N],
    filter_: Hashable,
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Connection[N]: ...


@overload
async def child_connection(
    info: Info[Context, None],
    relation: Relation,
    parent_id: int,
    node_type: str,
    filter_: Hashable,
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Connection[Any]: ...


async def child_connection(
    info: Info[Context, None],
    relation: Relation,
    parent_id: int,
    node_type: type[RowNode] | str,
    filter_: Hashable,
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Connection[Any]:
    """A page of one parent's children; sibling parents are batched into one statement.
    `node_type` is a node type, or the name of one: a type that a module cannot import
    without importing itself back (a higher slice's) is named."""
    if isinstance(node_type, str):
        node_type = NODE_TYPES_BY_NAME[node_type]
    request = page_request(ordering, first, after)
    loaders = info.context.loaders
    selection = connection_selection(info, node_type)
    if selection.wants_page:
        loader = loaders.page(relation, filter_, ordering, request, selection.columns)
        page = await loader.load(parent_id)
    else:
        page = Page.empty(ordering, after is not None)

    async def counter() -> int:
        return await loaders.count(relation, filter_).load(parent_id)

    return connection_from_page(node_type, page, counter)

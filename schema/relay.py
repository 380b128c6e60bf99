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
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, ClassVar, Generic, TypeVar, cast

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from schema.context import Context
from services.models import Base
from services.pagination import Ordering, Page, page_request
from services.relations import Relation

T = TypeVar("T")
N = TypeVar("N", bound="RowNode")

_INIT_FIELDS: dict[type, tuple[str, ...]] = {}


class IdError(ValueError):
    """A global id that is malformed or names the wrong type."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def to_global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def decode_id(
    value: str, expected: type[RowNode] | Sequence[type[RowNode]], field: str
) -> tuple[str, int]:
    """A global id of one of the expected types, as (type name, database id)."""
    kinds = [expected] if isinstance(expected, type) else list(expected)
    names = [k.__name__ for k in kinds]
    try:
        type_name, _, raw = base64.b64decode(str(value), validate=True).decode().partition(":")
        number = int(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise IdError(field, f"{field}: {value!r} is not a valid id.") from None
    if type_name not in names:
        raise IdError(
            field,
            f"{field}: expected the id of a {' or '.join(names)}, got the id of a {type_name}.",
        )
    if number <= 0:
        raise IdError(field, f"{field}: {value!r} is not a valid id.")
    return type_name, number


@strawberry.interface(name="Node", description="An object with a global id (Relay).")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global id; stable, use it as a key.")


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

    @classmethod
    def from_row(cls: type[N], row: Any) -> N:
        pk = row.id
        values = {name: getattr(row, name) for name in init_fields(cls)}
        return cls(id=strawberry.ID(to_global_id(cls.__name__, pk)), pk=pk, **values)


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


PAGE_FIELDS = frozenset({"nodes", "edges", "pageInfo"})


def _selected_names(selections: Sequence[Any]) -> set[str]:
    names: set[str] = set()
    for selection in selections:
        if isinstance(selection, SelectedField):
            names.add(selection.name)
        elif isinstance(selection, (FragmentSpread, InlineFragment)):
            names |= _selected_names(selection.selections)
    return names


def wants_page(info: Info[Context, None]) -> bool:
    """False when a connection is asked for its totalCount only: then no page is read."""
    return any(_selected_names(field.selections) & PAGE_FIELDS for field in info.selected_fields)


async def child_connection(
    info: Info[Context, None],
    relation: Relation,
    parent_id: int,
    node_type: type[N],
    filter_: Hashable,
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Connection[N]:
    """A page of one parent's children; sibling parents are batched into one statement."""
    request = page_request(ordering, first, after)
    loaders = info.context.loaders
    if wants_page(info):
        page = await loaders.page(relation, filter_, ordering, request).load(parent_id)
    else:
        page = Page.empty(ordering, after is not None)

    async def counter() -> int:
        return await loaders.count(relation, filter_).load(parent_id)

    return connection_from_page(node_type, page, counter)

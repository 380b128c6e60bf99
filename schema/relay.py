"""Relay plumbing: nodes built from rows, keyset connections, global-id decoding."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

import strawberry
from strawberry import relay
from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from schema.context import Context
from schema.errors import ClientError
from services.models import Base
from services.pagination import Ordering, Page, page_request
from services.relations import Relation

T = TypeVar("T")
N = TypeVar("N", bound="RowNode")

_INIT_FIELDS: dict[type, tuple[str, ...]] = {}


def init_fields(cls: type) -> tuple[str, ...]:
    names = _INIT_FIELDS.get(cls)
    if names is None:
        names = _INIT_FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.init)
    return names


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


class RowNode(relay.Node):
    """A Node type whose instances are built straight from selected columns."""

    model: ClassVar[type[Base]]

    @classmethod
    def from_row(cls: type[N], row: Any) -> N:
        return cls(**{name: getattr(row, name) for name in init_fields(cls)})

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls,
        *,
        info: Info[Context, None],
        node_ids: Iterable[str],
        required: bool = False,
    ) -> list[Any]:
        ids = [_int_id(cls.__name__, node_id) for node_id in node_ids]
        rows = await info.context.loaders.row(cls.model).load_many(ids)
        nodes = [None if row is None else cls.from_row(row) for row in rows]
        if required and any(n is None for n in nodes):
            raise ClientError(f"No {cls.__name__} exists with that id.")
        return nodes


def _int_id(type_name: str, node_id: str) -> int:
    try:
        value = int(node_id)
    except ValueError:
        raise ClientError(f"{node_id!r} is not a valid {type_name} id.") from None
    if value <= 0:
        raise ClientError(f"{node_id!r} is not a valid {type_name} id.")
    return value


def decode_id(
    value: strawberry.ID | str, expected: type[RowNode] | Sequence[type[RowNode]], field: str
) -> tuple[str, int]:
    """A global id of one of the expected types, as (type name, database id)."""
    kinds = [expected] if isinstance(expected, type) else list(expected)
    names = [k.__name__ for k in kinds]
    try:
        gid = relay.GlobalID.from_id(value)
    except Exception:  # noqa: BLE001 (GlobalID raises several error types for junk input)
        raise IdError(field, f"{field}: {value!r} is not a valid id.") from None
    if gid.type_name not in names:
        raise IdError(
            field,
            f"{field}: expected the id of a {' or '.join(names)}, got the id of a {gid.type_name}.",
        )
    try:
        number = int(gid.node_id)
    except ValueError:
        raise IdError(field, f"{field}: {value!r} is not a valid id.") from None
    return gid.type_name, number


class IdError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def global_id(node_type: type[RowNode], row_id: int) -> strawberry.ID:
    return strawberry.ID(str(relay.GlobalID(node_type.__name__, str(row_id))))


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
    page_info: PageInfo = strawberry.field(description="Paging information.")
    cursors: strawberry.Private[list[str]]
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="The items of this page with their cursors.")
    def edges(self) -> list[Edge[T]]:
        return [Edge(cursor=c, node=n) for c, n in zip(self.cursors, self.nodes, strict=True)]

    @strawberry.field(description="How many items the whole list has (all pages).")
    async def total_count(self) -> int:
        return await self.counter()


def connection_from_page(
    node_type: type[N], page: Page, counter: Callable[[], Awaitable[int]]
) -> Connection[N]:
    nodes = [node_type.from_row(row) for row in page.rows]
    info = PageInfo(
        has_next_page=page.has_next,
        has_previous_page=page.has_previous,
        start_cursor=page.cursors[0] if page.cursors else None,
        end_cursor=page.cursors[-1] if page.cursors else None,
    )
    return Connection(nodes=nodes, page_info=info, cursors=page.cursors, counter=counter)


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
    return any(
        _selected_names(field.selections) & PAGE_FIELDS for field in info.selected_fields
    )


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
        page = Page([], [], False, after is not None)

    async def counter() -> int:
        return await loaders.count(relation, filter_).load(parent_id)

    return connection_from_page(node_type, page, counter)


def first_arg(description: str = "Page size (0-100, default 50).") -> Any:
    return strawberry.argument(description=description)

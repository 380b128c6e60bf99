"""Keyset pagination: orderings, opaque cursors, page and per-parent page queries.

Reads select plain columns (Rows), never ORM objects: on big read paths building ORM
identities costs more than the query itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import json
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Row,
    Select,
    and_,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, QueryableAttribute

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class PaginationError(ValueError):
    """A page request the API cannot serve (bad size or cursor); the message is for the client."""


AnySelect = Select[*tuple[Any, ...]]
AnyRow = Row[*tuple[Any, ...]]

# A sortable or groupable SQL expression: a mapped attribute or any column expression.
SqlExpr = ColumnElement[Any] | QueryableAttribute[Any]


@dataclass(frozen=True, slots=True)
class Ordering:
    """A named sort: (column, descending) pairs ending with the primary key for uniqueness."""

    name: str
    keys: tuple[tuple[SqlExpr, bool], ...]

    def order_by(self, columns: Any = None) -> list[Any]:
        result: list[Any] = []
        for index, (column, descending) in enumerate(self.keys):
            expr = column if columns is None else columns[index]
            result.append(expr.desc() if descending else expr.asc())
        return result


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int = DEFAULT_PAGE_SIZE
    after: str | None = None


@dataclass(slots=True)
class Page:
    """Rows of one page; cursors are encoded on demand from the rows' sort keys."""

    rows: list[AnyRow]
    ordering: Ordering
    has_next: bool
    has_previous: bool

    @classmethod
    def empty(cls, ordering: Ordering, has_previous: bool) -> Page:
        return cls([], ordering, False, has_previous)

    def cursor(self, index: int) -> str:
        mapping = self.rows[index]._mapping
        return encode_cursor(self.ordering, [mapping[label] for label in _labels(self.ordering)])


@dataclass(slots=True)
class ParentPages:
    ordering: Ordering
    pages: dict[int, Page] = field(default_factory=dict)

    def get(self, parent_id: int, has_previous: bool) -> Page:
        return self.pages.get(parent_id) or Page.empty(self.ordering, has_previous)


def check_first(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if not 0 <= first <= MAX_PAGE_SIZE:
        raise PaginationError(
            f"first must be between 0 and {MAX_PAGE_SIZE} (got {first}); "
            "page through larger lists with `after`."
        )
    return first


def page_request(ordering: Ordering, first: int | None, after: str | None) -> PageRequest:
    """A checked page request: the size in bounds, the cursor issued for this ordering."""
    size = check_first(first)
    if after is not None:
        decode_cursor(ordering, after)
    return PageRequest(size, after)


def _to_json(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# Integer columns are 32-bit on PostgreSQL; BigInteger ones 64-bit.
_INT_LIMITS = {Integer: 2**31, BigInteger: 2**63}


def _from_json(column: SqlExpr, value: Any) -> Any:
    """A cursor value back in the column's Python type (asyncpg binds dates as dates).

    A value the column cannot hold (a forged cursor: another type, out of range) is a
    ValueError here, not a database error later."""
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return value
    if isinstance(value, str):
        if issubclass(python_type, enum.Enum):
            return python_type[value]
        if issubclass(python_type, dt.datetime):
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError("a timestamp without its UTC offset")
            return moment.astimezone(dt.UTC)
        if issubclass(python_type, dt.date):
            return dt.date.fromisoformat(value)
        if python_type is str and "\x00" not in value:
            value.encode()  # a lone surrogate is a UnicodeEncodeError (a ValueError)
            return value
    elif python_type is int and type(value) is int:
        limit = next((v for t, v in _INT_LIMITS.items() if type(column.type) is t), 2**63)
        if -limit <= value < limit:
            return value
    elif python_type is float and type(value) in (int, float) and math.isfinite(value):
        return value
    raise ValueError(f"{value!r} is not a {python_type.__name__} sort key")


def encode_cursor(ordering: Ordering, values: Sequence[Any]) -> str:
    raw = json.dumps([ordering.name, *map(_to_json, values)], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(ordering: Ordering, cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        raise PaginationError(
            f"after={cursor!r} is not a cursor this API issued; use an edge's `cursor` "
            "or pageInfo.endCursor."
        ) from None
    if (
        not isinstance(decoded, list)
        or len(decoded) != len(ordering.keys) + 1
        or decoded[0] != ordering.name
        or not all(isinstance(v, (int, float, str)) for v in decoded[1:])
    ):
        raise PaginationError(
            f"after={cursor!r} was not issued for this list and ordering ({ordering.name}); "
            "start again without `after`."
        )
    try:
        return [
            _from_json(column, value)
            for (column, _), value in zip(ordering.keys, decoded[1:], strict=True)
        ]
    except (KeyError, ValueError, OverflowError):
        raise PaginationError(
            f"after={cursor!r} is not a cursor this API issued; start again without `after`."
        ) from None


def _after_condition(
    ordering: Ordering, values: Sequence[Any], columns: Any = None
) -> ColumnElement[bool]:
    """(a, b, id) strictly after the cursor, each key in its own direction."""
    branches: list[ColumnElement[bool]] = []
    for index, (column, descending) in enumerate(ordering.keys):
        expr = column if columns is None else columns[index]
        equal_prefix = [
            (ordering.keys[j][0] if columns is None else columns[j]) == values[j]
            for j in range(index)
        ]
        step = expr < values[index] if descending else expr > values[index]
        branches.append(and_(*equal_prefix, step))
    return or_(*branches) if branches else false()


def _labels(ordering: Ordering) -> list[str]:
    return [f"_k{index}" for index in range(len(ordering.keys))]


async def fetch_page(
    session: AsyncSession,
    columns: Sequence[InstrumentedAttribute[Any]],
    where: Sequence[ColumnElement[bool]],
    ordering: Ordering,
    request: PageRequest,
) -> Page:
    first = check_first(request.first)
    labels = _labels(ordering)
    stmt: AnySelect = select(
        *columns,
        *(column.label(label) for (column, _), label in zip(ordering.keys, labels, strict=True)),
    ).where(*where)
    if request.after:
        stmt = stmt.where(_after_condition(ordering, decode_cursor(ordering, request.after)))
    stmt = stmt.order_by(*ordering.order_by()).limit(first + 1)
    rows = list((await session.execute(stmt)).all())
    return Page(rows[:first], ordering, len(rows) > first, request.after is not None)


@dataclass(frozen=True, slots=True)
class Scope:
    """How children hang off their parents: the parent key expression, joins and conditions."""

    parent: SqlExpr
    where: tuple[ColumnElement[bool], ...] = ()
    joins: tuple[tuple[Any, ColumnElement[bool]], ...] = ()


def _scoped(stmt: AnySelect, scope: Scope) -> AnySelect:
    for target, onclause in scope.joins:
        stmt = stmt.join(target, onclause)
    return stmt.where(*scope.where)


async def fetch_parent_pages(
    session: AsyncSession,
    model: Any,
    columns: Sequence[InstrumentedAttribute[Any]],
    scope: Scope,
    where: Sequence[ColumnElement[bool]],
    ordering: Ordering,
    request: PageRequest,
) -> ParentPages:
    """One page of children for each of many parents, in one statement (window function)."""
    first = check_first(request.first)
    result = ParentPages(ordering)
    if first == 0:
        return result
    labels = _labels(ordering)
    row_number = func.row_number().over(partition_by=scope.parent, order_by=ordering.order_by())
    inner: AnySelect = _scoped(
        select(
            *columns,
            scope.parent.label("_parent"),
            *(c.label(label) for (c, _), label in zip(ordering.keys, labels, strict=True)),
            row_number.label("_rn"),
        ).select_from(model),
        scope,
    ).where(*where)
    if request.after:
        inner = inner.where(_after_condition(ordering, decode_cursor(ordering, request.after)))
    sub = inner.subquery()
    stmt = select(sub).where(sub.c["_rn"] <= first + 1).order_by(sub.c["_parent"], sub.c["_rn"])
    grouped: dict[int, list[AnyRow]] = defaultdict(list)
    for row in (await session.execute(stmt)).all():
        grouped[row._mapping["_parent"]].append(row)
    for parent_id, rows in grouped.items():
        result.pages[parent_id] = Page(
            rows[:first], ordering, len(rows) > first, request.after is not None
        )
    return result


async def fetch_all_children(
    session: AsyncSession,
    model: Any,
    columns: Sequence[InstrumentedAttribute[Any]],
    scope: Scope,
    where: Sequence[ColumnElement[bool]],
    order_by: Sequence[ColumnElement[Any]],
) -> dict[int, list[AnyRow]]:
    """Every child of each parent (for small, bounded lists such as a PI's iterations)."""
    stmt = _scoped(select(*columns, scope.parent.label("_parent")).select_from(model), scope).where(
        *where
    )
    grouped: dict[int, list[AnyRow]] = defaultdict(list)
    for row in (await session.execute(stmt.order_by(*order_by))).all():
        grouped[row._mapping["_parent"]].append(row)
    return grouped


async def count_rows(
    session: AsyncSession, model: Any, where: Sequence[ColumnElement[bool]]
) -> int:
    stmt = select(func.count()).select_from(model).where(*where)
    return int(await session.scalar(stmt) or 0)


async def count_by_parent(
    session: AsyncSession,
    model: Any,
    scope: Scope,
    where: Sequence[ColumnElement[bool]],
) -> dict[int, int]:
    stmt = _scoped(
        select(scope.parent.label("_parent"), func.count()).select_from(model), scope
    ).where(*where)
    stmt = stmt.group_by(scope.parent)
    return {parent_id: int(n) for parent_id, n in (await session.execute(stmt)).all()}

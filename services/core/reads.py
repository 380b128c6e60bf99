"""Batch reads behind the API's loaders: rows by id and rows matching conditions.

Every function selects plain columns in one statement for a whole batch of keys, so the
number of statements of a request does not grow with the number of rows it returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from services.core.base import Base


def columns_of(model: type[Base]) -> tuple[InstrumentedAttribute[Any], ...]:
    """Every mapped column of a model, in table order (what a read shape selects)."""
    mapper = model.__mapper__
    return tuple(getattr(model, attr.key) for attr in mapper.column_attrs)


async def rows_by_id(
    session: AsyncSession,
    model: type[Base],
    ids: Sequence[int],
    where: Sequence[ColumnElement[bool]] = (),
) -> dict[int, Row[Any]]:
    if not ids:
        return {}
    id_column: Any = model.id  # type: ignore[attr-defined]  # every mapped model has an id; Base does not declare it
    stmt = select(*columns_of(model)).where(id_column.in_(list(ids)), *where)
    return {row.id: row for row in (await session.execute(stmt)).all()}


async def rows_where(
    session: AsyncSession,
    model: type[Base],
    where: Sequence[ColumnElement[bool]],
    order_by: Sequence[Any] = (),
) -> list[Row[Any]]:
    stmt = select(*columns_of(model)).where(*where).order_by(*order_by)
    return list((await session.execute(stmt)).all())

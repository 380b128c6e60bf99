"""Checks that an input's references exist, are live and sit in the right ART."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from services.core.base import Editable
from services.core.errors import ErrorCode, Problems, at

E = TypeVar("E", bound=Editable)


async def resolve(
    session: AsyncSession,
    problems: Problems,
    model: type[E],
    row_id: int | None,
    label: str,
    field: str,
    *,
    allow_archived: bool = False,
) -> E | None:
    """The referenced row, or None after recording NOT_FOUND / ARCHIVED on the field."""
    if row_id is None:
        return None
    row = await session.get(model, row_id)
    if row is None:
        problems.add(ErrorCode.NOT_FOUND, at(field, f": no {label} with that id exists."), field)
        return None
    if row.archived_at is not None and not allow_archived:
        problems.add(
            ErrorCode.ARCHIVED,
            at(field, f": that {label} is archived; archived items cannot be referenced."),
            field,
        )
        return None
    return row


def same_art(
    problems: Problems, field: str, label: str, row_art_id: int | None, art_id: int, what: str
) -> bool:
    if row_art_id != art_id:
        problems.add(
            ErrorCode.WRONG_ART,
            at(field, f": that {label} belongs to another ART; {what}."),
            field,
        )
        return False
    return True

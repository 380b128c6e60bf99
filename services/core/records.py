"""Loading, version-checking and flushing editable rows, with the errors users see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import event, func, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction, attributes
from sqlalchemy.orm.exc import StaleDataError

from services.core.base import Editable, utcnow
from services.core.errors import DomainError, ErrorCode, Problem, at

E = TypeVar("E", bound=Editable)

# Columns a write sets by itself: a row whose other columns are as they were is unchanged.
BOOKKEEPING = frozenset({"updated_at", "version"})
_TOUCHED = "trainyard_touched"


class StaleWriteError(Exception):
    """Another transaction changed the row between our read and our write."""

    def __init__(self, model: type[Editable], row_id: int, label: str) -> None:
        super().__init__(f"{label} {row_id} was changed concurrently")
        self.model = model
        self.row_id = row_id
        self.label = label


async def load(
    session: AsyncSession,
    model: type[E],
    row_id: int,
    label: str,
    *,
    field: str = "id",
    allow_archived: bool = False,
) -> E:
    """The row, or NOT_FOUND / ARCHIVED naming what was looked for."""
    row = await session.get(model, row_id)
    if row is None:
        raise DomainError.single(
            ErrorCode.NOT_FOUND, at(field, f": no {label} with that id exists."), field
        )
    if row.archived_at is not None and not allow_archived:
        raise DomainError.single(
            ErrorCode.ARCHIVED,
            at(field, f": that {label} is archived; archived items cannot be changed."),
            field,
        )
    return row


def check_version(row: Editable, version: int, label: str) -> None:
    """Optimistic concurrency: the client must name the version it read."""
    if row.version != version:
        raise DomainError(
            [
                Problem(
                    ErrorCode.CONFLICT,
                    f"{label} was changed by someone else: you sent version {version}, "
                    f"the current version is {row.version}. Reload it and apply your change again.",
                    "version",
                    row.version,
                )
            ]
        )


async def flush(session: AsyncSession, row: Editable, label: str) -> None:
    """Flush, turning lost races into CONFLICT and unique violations into DUPLICATE_KEY."""
    # Read before flushing: after a failed flush the row's attributes cannot be loaded.
    row_id = inspect(row).dict.get("id")
    try:
        await session.flush()
    except StaleDataError as exc:
        raise StaleWriteError(type(row), row_id, label) from exc
    except IntegrityError as exc:
        if "unique" in str(exc.orig).lower():
            raise DomainError.single(
                ErrorCode.DUPLICATE_KEY,
                f"{label} conflicts with an existing one (same key or name was just taken).",
            ) from exc
        raise


def touch(row: Editable) -> None:
    """Count a change the row's own columns do not show (the components it touches, its
    agenda, its participants) as a write of it: its version goes up. The caller says what
    changed in its history (services.history.audit.note)."""
    inspect(row).info[_TOUCHED] = True
    row.updated_at = utcnow()


def changed(row: Editable) -> bool:
    """Whether flushing the row now writes anything: a column other than the bookkeeping ones
    differs from what was read, or the row was touched."""
    state = inspect(row)
    if state.info.get(_TOUCHED):
        return True
    for attr in state.attrs:
        if attr.key in BOOKKEEPING:
            continue
        if attr.history.has_changes():
            return True
    return False


@event.listens_for(Session, "before_flush")
def _skip_unchanged(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """A write that changes nothing is no write: a row whose only change is its updated_at
    (set by a use case that stamps every save) keeps its version, so the history, which
    records changes, and the version never disagree (services.history.audit)."""
    for row in session.dirty:
        if not isinstance(row, Editable) or inspect(row).key is None:
            continue
        if changed(row):
            inspect(row).info.pop(_TOUCHED, None)
            continue
        stamped = inspect(row).attrs.updated_at.history
        if stamped.added and stamped.deleted:
            attributes.set_committed_value(row, "updated_at", stamped.deleted[0])


async def archive(session: AsyncSession, row: Editable, version: int, label: str) -> None:
    check_version(row, version, label)
    row.archived_at = utcnow()
    await flush(session, row, label)


async def current_version(session: AsyncSession, model: type[Editable], row_id: int) -> int | None:
    return await session.scalar(select(model.version).where(model.id == row_id))


async def count_active(session: AsyncSession, model: type[Editable], *where: object) -> int:
    stmt = select(func.count()).select_from(model).where(model.archived_at.is_(None), *where)  # type: ignore[arg-type]  # `where` holds SQL conditions, typed loosely for callers
    return int(await session.scalar(stmt) or 0)


def ensure_unused(usages: Iterable[tuple[int, str]], label: str) -> None:
    """Refuse to archive a structural row that live plan items still use."""
    used = [f"{n} {what}" for n, what in usages if n]
    if used:
        raise DomainError.single(
            ErrorCode.IN_USE,
            f"{label} is still used by {', '.join(used)}; move or archive them first.",
        )

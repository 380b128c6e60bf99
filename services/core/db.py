"""Database engine, sessions, the migration guard, and what counts as a database outage."""

from __future__ import annotations

import errno
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, exc, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from services.core.settings import Settings

MIGRATIONS_DIR = Path(__file__).parents[1] / "migrations"
MIGRATE_COMMAND = "trainyard migrate"


class DatabaseNotMigratedError(RuntimeError):
    """The database schema is behind (or ahead of) this version of Trainyard."""


def create_engine(settings: Settings) -> AsyncEngine:
    """The engine for the configured database; connects lazily, on first use."""
    options: dict[str, Any] = {"echo": settings.db_echo}
    if settings.is_sqlite:
        options["connect_args"] = {"timeout": 30}
    else:
        # A pooled connection does not survive a server restart: pinging it at checkout
        # replaces it, so requests succeed again as soon as the server is back.
        options.update(
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_pool_size,
            pool_pre_ping=True,
        )
    engine = create_async_engine(settings.database_url, **options)
    if settings.is_sqlite:
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # SQLite leaves foreign keys off by default; WAL lets readers run beside one writer.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def alembic_config(database_url: str) -> Config:
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    return heads[0]


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(_current_revision)


async def ensure_migrated(engine: AsyncEngine, settings: Settings) -> None:
    """Refuse to serve a database whose schema is not at this version's head revision."""
    current = await current_revision(engine)
    head = head_revision()
    if current == head:
        return
    where = settings.redacted_database_url()
    if current is None:
        detail = f"The database at {where} has no Trainyard schema yet."
    else:
        detail = f"The database at {where} is at schema revision {current}, expected {head}."
    raise DatabaseNotMigratedError(
        f"{detail} Run `{MIGRATE_COMMAND}` (with the same TRAINYARD_DATABASE_URL) and start again."
    )


async def database_answers(engine: AsyncEngine) -> None:
    """A round trip to the database (raises when it cannot be reached)."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


def upgrade_to_head(database_url: str) -> None:
    """Run the Alembic migrations up to head (synchronous; Alembic drives its own event loop)."""

    command.upgrade(alembic_config(database_url), "head")


UNAVAILABLE_MESSAGE = "The database is unavailable; retry in a few seconds."
RETRY_AFTER_S = 2

# PostgreSQL SQLSTATEs that mean "not now" rather than "not this": the server is starting,
# shutting down or full (class 08, connection exceptions, is matched as a whole).
_UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})
_NETWORK_ERRNOS = frozenset(
    {
        errno.ECONNREFUSED,
        errno.ECONNRESET,
        errno.ECONNABORTED,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.ETIMEDOUT,
        errno.EPIPE,
    }
)
_SQLITE_BUSY = ("database is locked", "database table is locked")


def is_unavailable(error: BaseException) -> bool:
    """Whether `error` (or anything that caused it) says the database cannot be reached or
    cannot answer now, so the same request may succeed in a few seconds. Mistakes in a
    statement, constraint violations and a missing schema are not outages."""
    return any(_is_outage(cause) for cause in _causes(error))


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        # GraphQL errors keep the resolver's exception; SQLAlchemy keeps the driver's.
        for linked in (
            getattr(current, "original_error", None),
            getattr(current, "orig", None),
            current.__cause__,
            current.__context__,
        ):
            if isinstance(linked, BaseException):
                pending.append(linked)


def _is_outage(error: BaseException) -> bool:
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, exc.TimeoutError):  # no pooled connection came free in time
        return True
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str) and (
        sqlstate.startswith("08") or sqlstate in _UNAVAILABLE_SQLSTATES
    ):
        return True
    if isinstance(error, asyncpg.InterfaceError):
        return "connection is closed" in str(error)
    if isinstance(error, sqlite3.OperationalError):
        return str(error).startswith(_SQLITE_BUSY)
    if isinstance(error, (ConnectionError, TimeoutError, socket.gaierror)):
        return True
    if type(error) is OSError:
        # asyncio reports every address it tried and failed as one plain OSError.
        return error.errno in _NETWORK_ERRNOS or "Connect call failed" in str(error)
    return False

"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL.

Backends come from TRAINYARD_TEST_BACKENDS (default "sqlite,postgresql"); the PostgreSQL
server is TRAINYARD_TEST_POSTGRES_URL (default postgres@127.0.0.1:5432/test). Each test
session creates its own databases, migrates them with the real migrations, and drops them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from schema.transport.app import create_app
from services.access import tokens
from services.access.permissions import system_actor
from services.core.db import create_engine, create_sessionmaker, upgrade_to_head
from services.core.enums import TokenScope
from services.core.settings import Settings, load_settings
from services.history import audit
from services.models import Base
from services.org import people

POSTGRES_URL = os.environ.get(
    "TRAINYARD_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
logging.getLogger("httpx").setLevel(logging.WARNING)

BACKENDS = [
    b.strip()
    for b in os.environ.get("TRAINYARD_TEST_BACKENDS", "sqlite,postgresql").split(",")
    if b.strip()
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--bench", action="store_true", help="Run the benchmarks in tests/perf.")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    bench = config.getoption("--bench")
    keep: list[pytest.Item] = []
    skip: list[pytest.Item] = []
    for item in items:
        is_perf = "tests/perf/" in str(item.path).replace(os.sep, "/")
        (keep if is_perf == bench else skip).append(item)
    if skip:
        config.hook.pytest_deselected(items=skip)
        items[:] = keep


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def _create_pg_database(name: str) -> None:
    conn = await asyncpg.connect(_asyncpg_dsn(POSTGRES_URL))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _drop_pg_database(name: str) -> None:
    conn = await asyncpg.connect(_asyncpg_dsn(POSTGRES_URL))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def fresh_database_url(backend: str, tmp_dir: Path) -> tuple[str, Any]:
    """A new, empty database of the backend and the function that removes it."""
    if backend == "sqlite":
        path = tmp_dir / f"trainyard-{uuid.uuid4().hex[:8]}.db"
        return f"sqlite+aiosqlite:///{path}", lambda: None
    if backend == "postgresql":
        name = f"trainyard_test_{uuid.uuid4().hex[:12]}"
        try:
            asyncio.run(_create_pg_database(name))
        except (OSError, asyncpg.PostgresError) as exc:
            pytest.fail(
                f"PostgreSQL at {POSTGRES_URL} is required for the PostgreSQL run and is not "
                f"reachable ({exc}). Start it, or set TRAINYARD_TEST_BACKENDS=sqlite locally."
            )
        base = POSTGRES_URL.rsplit("/", 1)[0]
        return f"{base}/{name}", lambda: asyncio.run(_drop_pg_database(name))
    raise ValueError(f"unknown backend {backend!r}; use sqlite or postgresql")


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, drop = fresh_database_url(backend, tmp_path_factory.mktemp(backend))
    upgrade_to_head(url)
    yield url
    drop()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return load_settings({}, database_url=database_url, frontend_dist="/nonexistent")


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings)
    yield engine
    await engine.dispose()


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session inside an outer transaction that is rolled back after the test."""
    async with engine.connect() as connection:
        outer = await connection.begin()
        session = AsyncSession(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        try:
            yield session
        finally:
            await session.close()
            await outer.rollback()


async def truncate_all(engine: AsyncEngine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture(scope="session")
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture(scope="session")
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app) as client:
        yield client


TEST_ACTOR = system_actor("test setup")


async def make_person(
    engine: AsyncEngine,
    email: str,
    *,
    admin: bool = False,
    password: str | None = None,
    scope: TokenScope | None = TokenScope.WRITE,
) -> tuple[int, str | None]:
    """A person (optionally an admin, with a password) and an API token of theirs."""
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker.begin() as session:
        audit.bind(session, TEST_ACTOR)
        draft = people.PersonDraft(
            name=email.split("@")[0].title(), email=email, password=password or None, is_admin=admin
        )
        person = await people.create_person(session, TEST_ACTOR, draft)
        secret = None
        if scope is not None:
            made = await tokens.create_token(session, TEST_ACTOR, person.id, "tests", scope)
            secret = made.secret
        return person.id, secret


@pytest.fixture
async def api(
    client: AsyncTestClient[Litestar], app: Litestar, engine: AsyncEngine
) -> AsyncIterator[Api]:
    """The real ASGI app (run by Litestar's test client in its own event loop), called as a
    portfolio admin through an API token; the database is emptied after each test through
    the test's own engine, and before it too: a rolled-back service test before it has used
    up ids (PostgreSQL sequences do not roll back), and ids here start at 1."""
    await truncate_all(engine)
    _, secret = await make_person(engine, "admin@tests.trainyard", admin=True)
    assert secret is not None
    yield Api(client, app, secret)
    await truncate_all(engine)
    # Emptied tables restart their ids and plan versions: cached analyses must go too.
    app.state.analysis_cache.clear()


class Api:
    """A small GraphQL client over the test client."""

    def __init__(
        self, client: AsyncTestClient[Litestar], app: Litestar, token: str | None = None
    ) -> None:
        self.client = client
        self.app = app
        self.token = token

    def as_token(self, token: str | None) -> Api:
        """The same client acting with another API token (None: anonymous)."""
        return Api(self.client, self.app, token)

    @property
    def headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token}"} if self.token else {}

    async def raw(
        self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        response = await self.client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
            **kwargs,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def query(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Data of a query that must succeed without top-level errors."""
        body = await self.raw(query, variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def mutate(self, name: str, selection: str, input: dict[str, Any]) -> dict[str, Any]:
        """Run mutation `name` with `input`; returns its payload (entity + errors)."""
        type_name = (
            "ArchiveInput" if name.startswith("archive") else name[0].upper() + name[1:] + "Input"
        )
        query = (
            f"mutation($input: {type_name}!) {{ {name}(input: $input) "
            f"{{ {selection} errors {{ code message field currentVersion }} }} }}"
        )
        data = await self.query(query, {"input": input})
        payload: dict[str, Any] = data[name]
        return payload

    def count_statements(self) -> StatementCounter:
        return StatementCounter(self.app.state.engine)


class StatementCounter:
    """Counts the SQL statements the app's engine sends while the block runs."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.statements.append(statement)

    def __enter__(self) -> StatementCounter:
        event.listen(self.engine.sync_engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine.sync_engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)

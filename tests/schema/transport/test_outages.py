"""A database that goes away while Trainyard serves: every request it cannot answer gets 503
with Retry-After and the UNAVAILABLE code (over HTTP), subscriptions get that error and
connections are closed with 1013 (over the WebSocket), and once the database is back the
same server answers again.

The outages are real: a PostgreSQL server of the module's own (tests.schema.transport.
private_postgres) is stopped with a fast shutdown, as a restart does, and started again.
These tests run with the PostgreSQL backend only (TRAINYARD_TEST_BACKENDS); the classifier
tests at the end need no database.
"""

from __future__ import annotations

import asyncio
import errno
import json
import sqlite3
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from graphql import GraphQLError
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import event, exc, text
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from schema.kit.relay import to_global_id
from schema.transport.app import create_app
from services.core.db import create_engine, is_unavailable, upgrade_to_head
from services.core.settings import load_settings
from tests.conftest import BACKENDS, make_person
from tests.schema.transport.private_postgres import PrivatePostgres, private_postgres
from tests.server import running_server

needs_postgresql = pytest.mark.skipif(
    "postgresql" not in BACKENDS,
    reason="outages are rehearsed on PostgreSQL (TRAINYARD_TEST_BACKENDS has no postgresql)",
)

UNAVAILABLE = {
    "errors": [
        {
            "message": "The database is unavailable; retry in a few seconds.",
            "extensions": {"code": "UNAVAILABLE"},
        }
    ]
}
ARTS = "{ arts { totalCount } }"
CREATE_ART = (
    'mutation { createArt(input: {key: "ZED", name: "Zed"}) { art { key } errors { code } } }'
)
PASSWORD = "a long enough password"
WAIT_S = 20.0  # only so that a lost message fails the test instead of hanging it


@dataclass(frozen=True)
class Outages:
    server: PrivatePostgres
    token: str  # a portfolio admin's API token

    def headers(self, accept: str | None = None) -> dict[str, str]:
        headers = {"authorization": f"Bearer {self.token}"}
        return headers | ({"accept": accept} if accept else {})


@pytest.fixture(scope="module")
def outages() -> Iterator[Outages]:
    with private_postgres() as server:
        upgrade_to_head(server.url)

        async def admin() -> str:
            engine = create_engine(load_settings({}, database_url=server.url))
            try:
                _, secret = await make_person(
                    engine, "admin@outage.test", admin=True, password=PASSWORD
                )
            finally:
                await engine.dispose()
            assert secret is not None
            return secret

        yield Outages(server, asyncio.run(admin()))


@pytest.fixture
def pg(outages: Outages) -> Iterator[Outages]:
    """The module's server, running and without ARTs when the test starts, running again
    when it ends."""
    if not outages.server.running:
        outages.server.start()
    asyncio.run(_drop_arts(outages.server.url))
    yield outages
    if not outages.server.running:
        outages.server.start()


async def _drop_arts(url: str) -> None:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute("TRUNCATE arts RESTART IDENTITY CASCADE")
    finally:
        await conn.close()


def count_rows(url: str, table: str) -> int:
    async def count() -> int:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            return int(
                await conn.fetchval(f"SELECT count(*) FROM {table}")
            )  # a table name of the test's own
        finally:
            await conn.close()

    return asyncio.run(count())


def assert_unavailable(response: httpx.Response, media: str = "application/json") -> None:
    assert (response.status_code, response.headers.get("retry-after")) == (503, "2"), response.text
    assert response.headers["content-type"] == media
    assert response.json() == UNAVAILABLE


@needs_postgresql
def test_a_stopped_database_answers_503_and_the_same_server_serves_again(
    pg: Outages, tmp_path: Path
) -> None:
    with (
        running_server(pg.server.url, tmp_path / "serve.log") as base_url,
        httpx.Client(base_url=base_url, timeout=WAIT_S) as http,
    ):

        def graphql(query: str, accept: str | None = None) -> httpx.Response:
            return http.post("/graphql", json={"query": query}, headers=pg.headers(accept))

        assert graphql(ARTS).json()["data"] == {"arts": {"totalCount": 0}}
        # Restarted between two requests: the pooled connections died with it, and the
        # first request after the restart is served all the same (pool_pre_ping).
        pg.server.stop()
        pg.server.start()
        first = graphql(ARTS)
        assert (first.status_code, first.json()["data"]) == (200, {"arts": {"totalCount": 0}})

        pg.server.stop()
        # The token is looked up first: that is where each of these meets the outage.
        assert_unavailable(graphql(ARTS))
        assert_unavailable(graphql(CREATE_ART))
        media = "application/graphql-response+json"
        assert_unavailable(graphql(ARTS, accept=media), media)
        assert_unavailable(http.get("/graphql", params={"query": ARTS}, headers=pg.headers()))
        sign_in = http.post("/auth/sign-in", json={"email": "admin@outage.test", "password": "x"})
        assert_unavailable(sign_in)
        health = http.get("/healthz")
        assert (health.status_code, health.headers["retry-after"]) == (503, "2")
        assert health.json() == {"status": "unavailable"}

        pg.server.start()
        after = graphql(ARTS)
        assert (after.status_code, after.json()["data"]) == (200, {"arts": {"totalCount": 0}})
        created = graphql(CREATE_ART)
        assert created.json()["data"] == {"createArt": {"art": {"key": "ZED"}, "errors": []}}
        assert http.get("/healthz").json() == {"status": "ok"}
    assert count_rows(pg.server.url, "arts") == 1


@needs_postgresql
async def test_the_engine_replaces_the_connections_a_restart_killed(pg: Outages) -> None:
    engine = create_engine(load_settings({}, database_url=pg.server.url))
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT 1"))).scalar_one() == 1
        await asyncio.to_thread(pg.server.stop)
        await asyncio.to_thread(pg.server.start)
        # The pooled connection died with the server; it is pinged and replaced at checkout.
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT 2"))).scalar_one() == 2
    finally:
        await engine.dispose()


class StopsMidRequest:
    """Stops the server just before the app sends the first statement starting with
    `prefix`: the request was authenticated, and its resolver or its mutation meets the
    outage."""

    def __init__(self, app: Litestar, server: PrivatePostgres) -> None:
        self.server = server
        self.prefix: str | None = None
        event.listen(app.state.engine.sync_engine, "before_cursor_execute", self._before)

    def _before(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self.prefix is not None and statement.startswith(self.prefix):
            self.prefix = None
            self.server.stop()


@pytest.fixture
async def in_process(
    pg: Outages,
) -> AsyncIterator[tuple[AsyncTestClient[Litestar], StopsMidRequest]]:
    app = create_app(load_settings({}, database_url=pg.server.url, frontend_dist="/nonexistent"))
    stops = StopsMidRequest(app, pg.server)
    async with AsyncTestClient(app) as client:
        yield client, stops


@needs_postgresql
async def test_an_outage_in_a_resolver_or_a_mutation_answers_503_and_writes_nothing(
    pg: Outages, in_process: tuple[AsyncTestClient[Litestar], StopsMidRequest]
) -> None:
    client, stops = in_process

    async def graphql(query: str) -> httpx.Response:
        return await client.post("/graphql", json={"query": query}, headers=pg.headers())

    stops.prefix = "SELECT count(*)"  # the connection's totalCount, after the token lookup
    assert_unavailable(await graphql(ARTS))
    assert not pg.server.running
    pg.server.start()
    assert (await graphql(ARTS)).json()["data"] == {"arts": {"totalCount": 0}}

    history = await asyncio.to_thread(count_rows, pg.server.url, "history")
    stops.prefix = "INSERT INTO arts"  # inside the mutation's transaction
    assert_unavailable(await graphql(CREATE_ART))
    assert not pg.server.running
    pg.server.start()
    assert (await graphql(ARTS)).json()["data"] == {"arts": {"totalCount": 0}}
    assert await asyncio.to_thread(count_rows, pg.server.url, "history") == history

    created = await graphql(CREATE_ART)
    assert created.json()["data"] == {"createArt": {"art": {"key": "ZED"}, "errors": []}}


PROTOCOL = Subprotocol("graphql-transport-ws")
FOLLOW = "subscription($id: ID!) { refinementSession(id: $id) { event { kind } } }"
SESSION_ID = to_global_id("RefinementSession", 1)


async def _next(socket: Any) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), WAIT_S))
    return message


async def _subscribe(socket: Any) -> dict[str, Any]:
    await socket.send(
        json.dumps(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": FOLLOW, "variables": {"id": SESSION_ID}},
            }
        )
    )
    return await _next(socket)


async def _init(socket: Any, token: str | None) -> dict[str, Any]:
    payload = {"authorization": f"Bearer {token}"} if token else {}
    await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
    return await _next(socket)


async def _closed(socket: Any, token: str | None) -> tuple[int | None, str | None]:
    with pytest.raises(ConnectionClosed) as closed:
        await _init(socket, token)
    received = closed.value.rcvd
    return (received.code, received.reason) if received else (None, None)


@needs_postgresql
async def test_over_the_websocket_an_outage_is_an_unavailable_error_or_a_1013_close(
    pg: Outages, tmp_path: Path
) -> None:
    env = {"TRAINYARD_COOKIE_SECURE": "false"}
    with running_server(pg.server.url, tmp_path / "serve.log", env) as base_url:
        url = base_url.replace("http://", "ws://", 1) + "/graphql"
        async with httpx.AsyncClient(base_url=base_url, timeout=WAIT_S) as http:
            signed_in = await http.post(
                "/auth/sign-in", json={"email": "admin@outage.test", "password": PASSWORD}
            )
        cookie = {"cookie": f"trainyard_session={signed_in.cookies['trainyard_session']}"}

        async with connect(url, subprotocols=[PROTOCOL], open_timeout=WAIT_S) as socket:
            assert await _init(socket, pg.token) == {"type": "connection_ack"}
            pg.server.stop()
            assert await _subscribe(socket) == {
                "id": "1",
                "type": "error",
                "payload": [
                    {
                        "message": UNAVAILABLE["errors"][0]["message"],
                        "locations": [{"line": 1, "column": 26}],
                        "path": ["refinementSession"],
                        "extensions": {"code": "UNAVAILABLE"},
                    }
                ],
            }
        refused = (1013, "The database is unavailable; retry in a few seconds.")
        # A token in connection_init, and a session cookie on the upgrade request.
        async with connect(url, subprotocols=[PROTOCOL], open_timeout=WAIT_S) as socket:
            assert await _closed(socket, pg.token) == refused
        async with connect(
            url, subprotocols=[PROTOCOL], additional_headers=cookie, open_timeout=WAIT_S
        ) as socket:
            assert await _closed(socket, None) == refused

        pg.server.start()
        async with connect(
            url, subprotocols=[PROTOCOL], additional_headers=cookie, open_timeout=WAIT_S
        ) as socket:
            assert await _init(socket, None) == {"type": "connection_ack"}
            assert (await _subscribe(socket))["payload"][0]["message"] == (
                "No refinement session with that id."
            )


def _sqlite_error(statement: str) -> sqlite3.OperationalError:
    with pytest.raises(sqlite3.OperationalError) as raised:
        sqlite3.connect(":memory:").execute(statement)
    return raised.value


def _wrapped(driver_error: BaseException, invalidated: bool = False) -> exc.DBAPIError:
    wrapped = exc.DBAPIError.instance(
        "SELECT 1", None, driver_error, Exception, connection_invalidated=invalidated
    )
    assert isinstance(wrapped, exc.DBAPIError)
    wrapped.__cause__ = driver_error
    return wrapped


OUTAGES: list[BaseException] = [
    ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed ('127.0.0.1', 5432)"),
    OSError(
        "Multiple exceptions: [Errno 111] Connect call failed ('::1', 5432, 0, 0), "
        "[Errno 111] Connect call failed ('127.0.0.1', 5432)"
    ),
    TimeoutError(),
    asyncpg.CannotConnectNowError("the database system is starting up"),
    asyncpg.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    asyncpg.TooManyConnectionsError("sorry, too many clients already"),
    asyncpg.InterfaceError("connection is closed"),
    _wrapped(asyncpg.CannotConnectNowError("the database system is shutting down")),
    _wrapped(RuntimeError("the driver lost it"), invalidated=True),
    exc.TimeoutError("QueuePool limit of size 10 overflow 10 reached"),
    sqlite3.OperationalError("database is locked"),
    GraphQLError("x", original_error=ConnectionResetError(errno.ECONNRESET, "reset")),
]
NOT_OUTAGES: list[BaseException] = [
    _sqlite_error("SELECT * FROM no_such_table"),
    _sqlite_error("SELEC 1"),
    _wrapped(asyncpg.UniqueViolationError("duplicate key value")),
    _wrapped(_sqlite_error("SELECT * FROM missing")),
    asyncpg.InterfaceError("cannot perform operation: another operation is in progress"),
    FileNotFoundError(errno.ENOENT, "No such file", "frontend/dist/index.html"),
    ValueError("bad"),
    GraphQLError("Field 'nope' is not defined."),
]


@pytest.mark.parametrize("error", OUTAGES, ids=lambda e: f"{type(e).__name__}: {e}"[:60])
def test_connection_failures_count_as_outages(error: BaseException) -> None:
    assert is_unavailable(error)


@pytest.mark.parametrize("error", NOT_OUTAGES, ids=lambda e: f"{type(e).__name__}: {e}"[:60])
def test_mistakes_and_refusals_are_not_outages(error: BaseException) -> None:
    assert not is_unavailable(error)


def test_an_outage_is_found_through_the_chain_of_causes() -> None:
    def load_actor() -> None:
        try:
            raise asyncpg.CannotConnectNowError("the database system is starting up")
        except asyncpg.PostgresError as driver:
            raise RuntimeError("while loading the actor") from driver

    with pytest.raises(RuntimeError) as raised:
        load_actor()
    assert is_unavailable(raised.value)
    assert not is_unavailable(RuntimeError("while loading the actor"))

"""Request errors over the WebSocket (graphql-transport-ws) against a real `trainyard serve`:
text that is not Unicode and variables that do not coerce are refused with the operation's
`error` message, as over HTTP, and the connection stays usable."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from services.core.enums import TokenScope
from tests.conftest import Api, make_person
from tests.server import running_server

WAIT_S = 20.0  # only so that a lost message fails instead of hanging
FOLLOW = "subscription($id: ID!) { refinementSession(id: $id) { event { kind } } }"


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("websocket-requests") / "serve.log"
    with running_server(database_url, log) as base_url:
        yield base_url


async def send(socket: ClientConnection, message: dict[str, Any]) -> None:
    # json.dumps writes a lone surrogate as the escape `\udfff`, as a client's JSON would.
    await socket.send(json.dumps(message))


async def receive(socket: ClientConnection) -> dict[str, Any]:
    async with asyncio.timeout(WAIT_S):
        message: dict[str, Any] = json.loads(await socket.recv())
    return message


async def test_subscriptions_refuse_lone_surrogates_and_bad_variables(
    api: Api, engine: AsyncEngine, server: str
) -> None:
    _, secret = await make_person(engine, "wes@tests.trainyard", scope=TokenScope.READ)
    url = server.replace("http://", "ws://", 1) + "/graphql"
    async with connect(
        url, subprotocols=[Subprotocol("graphql-transport-ws")], proxy=None, open_timeout=WAIT_S
    ) as socket:
        await send(
            socket, {"type": "connection_init", "payload": {"authorization": f"Bearer {secret}"}}
        )
        assert await receive(socket) == {"type": "connection_ack"}
        cases = [
            (
                {"query": FOLLOW, "variables": {"id": "\udfff"}},
                "Variable '$id' has a lone UTF-16 surrogate (U+DFFF): text must be valid Unicode.",
            ),
            (
                {"query": 'subscription { refinementSession(id: "\udfff") { event { kind } } }'},
                "The query has a lone UTF-16 surrogate (U+DFFF) at line 1, column 39: text must "
                "be valid Unicode.",
            ),
            (
                {"query": FOLLOW, "variables": {"id": None}},
                "Variable '$id' of type 'ID!' has an invalid value: Expected value of non-null "
                "type 'ID!' not to be None.",
            ),
        ]
        for number, (payload, message) in enumerate(cases):
            operation = f"s{number}"
            await send(socket, {"id": operation, "type": "subscribe", "payload": payload})
            answer = await receive(socket)
            assert (answer["id"], answer["type"]) == (operation, "error")
            assert [e["message"] for e in answer["payload"]] == [message]
        # The connection is still open and answers.
        await send(socket, {"type": "ping"})
        assert await receive(socket) == {"type": "pong"}

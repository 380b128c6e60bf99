"""Live refinement sessions: GraphQL subscriptions over a WebSocket (graphql-transport-ws)
against a real `trainyard serve`, mutations over HTTP to the same server.

The train is built through the in-process app (tests.conftest's `api`), on the database the
server runs on; everything after that goes to the server. Waits have timeouts only so that a
missing message fails the test instead of hanging it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Origin, Subprotocol

from schema.kit.broker import Broker, FellBehind
from schema.kit.relay import to_global_id
from services.core.enums import TokenScope
from services.refinement.channel import MAX_PAYLOAD, parse, payloads
from services.refinement.events import Logged
from tests.conftest import Api, make_person
from tests.schema.factories import create_art, ok
from tests.schema.refinement.setup import Train, build_train
from tests.server import running_server

WAIT_S = 20.0  # only so that a lost message fails instead of hanging
PROTOCOL = Subprotocol("graphql-transport-ws")

FOLLOW = """
subscription Follow($id: ID!) {
  refinementSession(id: $id) {
    event { kind message actor { name } story { key } session { id } }
    session { id version status agenda { position steps covered story { key points } } }
  }
}
"""


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("subscriptions") / "serve.log"
    with running_server(database_url, log) as base_url:
        yield base_url


def ws_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://", 1) + "/graphql"


class Http:
    """GraphQL over HTTP to the real server, with one API token."""

    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.client = client
        self.token = token

    async def mutate(self, name: str, selection: str, input: dict[str, Any]) -> dict[str, Any]:
        type_name = name[0].upper() + name[1:] + "Input"
        query = (
            f"mutation($input: {type_name}!) {{ {name}(input: $input) "
            f"{{ {selection} errors {{ code message field }} }} }}"
        )
        response = await self.client.post(
            "/graphql",
            json={"query": query, "variables": {"input": input}},
            headers={"authorization": f"Bearer {self.token}"},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        payload: dict[str, Any] = body["data"][name]
        return payload

    async def ok(self, name: str, selection: str, input: dict[str, Any]) -> dict[str, Any]:
        payload = await self.mutate(name, selection, input)
        assert payload["errors"] == [], payload["errors"]
        return payload


class Client:
    """A graphql-transport-ws client on one WebSocket."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket

    async def send(self, message: dict[str, Any]) -> None:
        await self.socket.send(json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        async with asyncio.timeout(WAIT_S):
            message: dict[str, Any] = json.loads(await self.socket.recv())
        return message

    async def init(self, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        await self.send({"type": "connection_init", "payload": payload or {}})
        return await self.receive()

    async def subscribe(self, operation_id: str, query: str, variables: dict[str, Any]) -> None:
        await self.send(
            {
                "id": operation_id,
                "type": "subscribe",
                "payload": {"query": query, "variables": variables},
            }
        )

    async def closed(self) -> tuple[int, str]:
        """The close code and reason once the server closes the socket."""
        with pytest.raises(ConnectionClosed) as closed:
            await self.receive()
        received = closed.value.rcvd
        assert received is not None
        return received.code, received.reason

    async def updates(self, operation_id: str, until_kind: str) -> list[dict[str, Any]]:
        """The operation's updates up to and including the first event of `until_kind`."""
        found: list[dict[str, Any]] = []
        while True:
            message = await self.receive()
            assert message["type"] == "next", message
            assert message["id"] == operation_id
            assert "errors" not in message["payload"], message["payload"]
            update: dict[str, Any] = message["payload"]["data"]["refinementSession"]
            found.append(update)
            if update["event"]["kind"] == until_kind:
                return found


@asynccontextmanager
async def ws_client(
    base_url: str, headers: dict[str, str] | None = None, origin: str | None = None
) -> AsyncIterator[Client]:
    async with connect(
        ws_url(base_url),
        subprotocols=[PROTOCOL],
        additional_headers=headers,
        origin=Origin(origin) if origin else None,
        proxy=None,
        open_timeout=WAIT_S,
    ) as socket:
        assert socket.subprotocol == PROTOCOL
        yield Client(socket)


@asynccontextmanager
async def http_client(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url, timeout=WAIT_S, trust_env=False) as client:
        yield client


async def reader(api: Api, engine: AsyncEngine, train: Train) -> tuple[str, str]:
    """Devon, a developer of Atlas with a read-only API token: (global id, token)."""
    pk, secret = await make_person(engine, "devon@tests.trainyard", scope=TokenScope.READ)
    assert secret is not None
    person = to_global_id("Person", pk)
    await ok(
        api,
        "createMembership",
        "membership { id }",
        {"personId": person, "role": "DEVELOPER", "teamId": train.atlas},
    )
    return person, secret


async def scheduled_session(http: Http, train: Train, participants: list[str]) -> dict[str, Any]:
    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
    payload = await http.ok(
        "createRefinementSession",
        "session { id version }",
        {
            "teamId": train.atlas,
            "title": "Atlas refinement",
            "startsAt": starts.isoformat(),
            "timeboxMinutes": 75,
            "participantIds": participants,
        },
    )
    session: dict[str, Any] = payload["session"]
    return session


def kinds(updates: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(u["event"]["kind"], u["event"]["message"]) for u in updates]


def points_on_agenda(update: dict[str, Any]) -> dict[str, int | None]:
    return {i["story"]["key"]: i["story"]["points"] for i in update["session"]["agenda"]}


async def test_two_subscribers_see_the_same_changes_as_they_commit(
    api: Api, engine: AsyncEngine, server: str
) -> None:
    train = await build_train(api, engine)
    devon, devon_token = await reader(api, engine, train)
    keys = [s["key"] for s in train.stories[:5]]
    async with http_client(server) as client:
        sam = Http(client, train.tokens["sam"])
        created = await scheduled_session(
            http=sam,
            train=train,
            participants=[
                train.people["sam"],
                train.people["pia"],
                devon,
            ],
        )
        variables = {"id": created["id"]}
        async with ws_client(server) as a, ws_client(server) as b:
            assert await a.init({"authorization": f"Bearer {train.tokens['sam']}"}) == {
                "type": "connection_ack"
            }
            assert await b.init({"authorization": f"Bearer {devon_token}"}) == {
                "type": "connection_ack"
            }
            await a.subscribe("a1", FOLLOW, variables)
            await b.subscribe("b1", FOLLOW, variables)
            # The first update is where the session stands: both are live from here on.
            first_a = await a.updates("a1", "SCHEDULED")
            first_b = await b.updates("b1", "SCHEDULED")
            assert first_a == first_b
            assert first_a[0]["session"] == {
                "id": created["id"],
                "version": 1,
                "status": "SCHEDULED",
                "agenda": [],
            }
            assert first_a[0]["event"]["actor"] == {"name": "Sam"}

            # Each update carries the session as read when the update is sent, so the test
            # takes both clients' updates after each change to compare the states exactly.
            async def both(last_kind: str) -> list[dict[str, Any]]:
                seen_a = await a.updates("a1", last_kind)
                assert await b.updates("b1", last_kind) == seen_a
                return seen_a

            agenda = await sam.ok(
                "setRefinementAgenda",
                "session { version }",
                {
                    "id": created["id"],
                    "version": created["version"],
                    "itemIds": [s["id"] for s in train.stories[:5]],
                },
            )
            seen = await both("AGENDA_CHANGED")
            # A refused change (stale version) writes nothing and publishes nothing: the next
            # update either client gets is the start that follows it.
            refused = await sam.mutate(
                "startRefinementSession",
                "session { version }",
                {"id": created["id"], "version": created["version"]},
            )
            assert [e["code"] for e in refused["errors"]] == ["CONFLICT"]
            assert refused["session"] is None
            await sam.ok(
                "startRefinementSession",
                "session { version }",
                {"id": created["id"], "version": agenda["session"]["version"]},
            )
            seen += await both("STARTED")
            story = train.stories[0]
            await sam.ok(
                "refineStory",
                "story { points } session { version }",
                {
                    "sessionId": created["id"],
                    "storyId": story["id"],
                    "version": story["version"],
                    "points": 5,
                    "acceptanceCriteria": ["A refund shows on the statement."],
                    "covered": True,
                },
            )
            seen += await both("BECAME_READY")
            due = (dt.date.today() + dt.timedelta(days=3)).isoformat()
            await sam.ok(
                "flagRefinementItem",
                "followUp { id }",
                {
                    "sessionId": created["id"],
                    "itemId": train.stories[1]["id"],
                    "kind": "QUESTION",
                    "note": "Which card networks?",
                    "ownerId": train.people["pia"],
                    "dueOn": due,
                },
            )
            seen += await both("FLAGGED")
            assert kinds(seen) == [
                ("AGENDA_CHANGED", "Agenda set: 5 item(s)."),
                ("STARTED", "Started with 5 item(s) on the agenda; timebox 75 minutes."),
                ("ITEM_REFINED", f"{keys[0]}: acceptance criteria, estimate."),
                ("ESTIMATED", f"{keys[0]} estimated: 5."),
                ("ITEM_COVERED", f"{keys[0]} covered."),
                ("BECAME_READY", f"{keys[0]} meets the Definition of Ready."),
                (
                    "FLAGGED",
                    f"{keys[1]} flagged question: Which card networks? (follow-up: Pia, "
                    f"due {due}).",
                ),
            ]
            # Each update carries the session as it stood after that change.
            by_kind = {u["event"]["kind"]: u for u in seen}
            assert [u["session"]["status"] for u in seen] == ["SCHEDULED"] + ["IN_PROGRESS"] * 6
            assert points_on_agenda(by_kind["STARTED"]) == dict.fromkeys(keys)
            assert points_on_agenda(by_kind["ESTIMATED"]) == {**dict.fromkeys(keys), keys[0]: 5}
            assert points_on_agenda(by_kind["AGENDA_CHANGED"]) == dict.fromkeys(keys)
            assert points_on_agenda(by_kind["FLAGGED"]) == {**dict.fromkeys(keys), keys[0]: 5}
            assert by_kind["ESTIMATED"]["event"]["story"] == {"key": keys[0]}
            assert by_kind["FLAGGED"]["session"]["agenda"][0]["covered"] is True
            assert by_kind["AGENDA_CHANGED"]["session"]["version"] == agenda["session"]["version"]

            # One subscriber leaves; the other goes on receiving.
            await a.send({"id": "a1", "type": "complete"})
            # Messages are handled in order: once the pong is back, the complete was handled.
            await a.send({"type": "ping"})
            assert await a.receive() == {"type": "pong"}
            state = await sam.client.post(
                "/graphql",
                json={
                    "query": "query($id: ID!) { node(id: $id) { ... on RefinementSession "
                    "{ version } } }",
                    "variables": variables,
                },
                headers={"authorization": f"Bearer {train.tokens['sam']}"},
            )
            version = state.json()["data"]["node"]["version"]
            await sam.ok(
                "closeRefinementSession",
                "session { status }",
                {"id": created["id"], "version": version},
            )
            closing = await b.updates("b1", "CLOSED")
            assert closing[-1]["session"]["status"] == "CLOSED"
            # The subscriber that left gets nothing more: its next message answers its ping.
            await a.send({"type": "ping"})
            assert await a.receive() == {"type": "pong"}


async def test_a_viewer_outside_the_art_is_refused(
    api: Api, engine: AsyncEngine, server: str
) -> None:
    train = await build_train(api, engine)
    other_art = await create_art(api, "OPS", "Operations")
    pk, secret = await make_person(engine, "olga@tests.trainyard", scope=TokenScope.READ)
    assert secret is not None
    await ok(
        api,
        "createMembership",
        "membership { id }",
        {"personId": to_global_id("Person", pk), "role": "RTE", "artId": other_art},
    )
    async with http_client(server) as client:
        created = await scheduled_session(Http(client, train.tokens["sam"]), train, [])
    async with ws_client(server) as olga:
        assert (await olga.init({"authorization": f"Bearer {secret}"}))["type"] == "connection_ack"
        await olga.subscribe("o1", FOLLOW, {"id": created["id"]})
        refused = await olga.receive()
        assert refused["type"] == "error"
        assert refused["id"] == "o1"
        assert [e["message"] for e in refused["payload"]] == ["No refinement session with that id."]
        # A malformed id is refused the same way, with what is wrong with it.
        await olga.subscribe("o2", FOLLOW, {"id": "nonsense"})
        malformed = await olga.receive()
        assert malformed["type"] == "error"
        assert [e["message"] for e in malformed["payload"]] == ["id: 'nonsense' is not a valid id."]


async def test_unauthenticated_connections_are_closed_4403(server: str) -> None:
    async with ws_client(server) as nobody:
        await nobody.send({"type": "connection_init", "payload": {}})
        assert await nobody.closed() == (4403, "Forbidden")
    async with ws_client(server) as forged:
        await forged.send(
            {"type": "connection_init", "payload": {"authorization": "Bearer not-a-token"}}
        )
        assert await forged.closed() == (4403, "Forbidden")
    # A bad Authorization header on the upgrade counts as no credentials at all.
    async with ws_client(server, headers={"authorization": "Bearer not-a-token"}) as header:
        await header.send({"type": "connection_init", "payload": {}})
        assert await header.closed() == (4403, "Forbidden")
    # Subscribing before connection_init is refused by the protocol.
    async with ws_client(server) as eager:
        await eager.subscribe("e1", FOLLOW, {"id": "UmVmaW5lbWVudFNlc3Npb246MQ=="})
        assert await eager.closed() == (4401, "Unauthorized")


async def test_the_browser_session_cookie_authenticates_same_origin_only(
    api: Api, engine: AsyncEngine, server: str
) -> None:
    train = await build_train(api, engine)
    pk, _ = await make_person(
        engine, "cleo@tests.trainyard", password="correct horse battery", scope=None
    )
    await ok(
        api,
        "createMembership",
        "membership { id }",
        {"personId": to_global_id("Person", pk), "role": "DEVELOPER", "teamId": train.atlas},
    )
    async with http_client(server) as client:
        created = await scheduled_session(Http(client, train.tokens["sam"]), train, [])
        signed_in = await client.post(
            "/auth/sign-in",
            json={"email": "cleo@tests.trainyard", "password": "correct horse battery"},
        )
        assert signed_in.status_code == 200, signed_in.text
        cookie = f"trainyard_session={signed_in.cookies['trainyard_session']}"
    async with ws_client(server, headers={"cookie": cookie}, origin=server) as cleo:
        assert await cleo.init() == {"type": "connection_ack"}
        await cleo.subscribe("c1", FOLLOW, {"id": created["id"]})
        [first] = await cleo.updates("c1", "SCHEDULED")
        assert first["session"]["id"] == created["id"]
    # Another site's page cannot use the cookie: the handshake is refused.
    with pytest.raises(InvalidStatus) as refused:
        async with ws_client(server, headers={"cookie": cookie}, origin="http://evil.test"):
            pass
    assert refused.value.response.status_code == 403


async def test_queries_and_mutations_stay_on_http(
    api: Api, engine: AsyncEngine, server: str
) -> None:
    _, secret = await make_person(engine, "quinn@tests.trainyard", scope=TokenScope.READ)
    async with ws_client(server) as quinn:
        assert await quinn.init({"authorization": f"Bearer {secret}"}) == {"type": "connection_ack"}
        await quinn.subscribe("q1", "{ __typename }", {})
        refused = await quinn.receive()
        assert refused == {
            "id": "q1",
            "type": "error",
            "payload": [
                {
                    "message": "Queries and mutations are sent with GET or POST to /graphql; "
                    "this WebSocket runs subscriptions only."
                }
            ],
        }
    expected = {
        "errors": [
            {
                "message": "Subscriptions run over a WebSocket to /graphql with the "
                "graphql-transport-ws subprotocol, not over GET or POST."
            }
        ]
    }
    document = 'subscription { refinementSession(id: "x") { event { kind } } }'
    async with http_client(server) as client:
        headers = {"authorization": f"Bearer {secret}"}
        posted = await client.post("/graphql", json={"query": document}, headers=headers)
        assert (posted.status_code, posted.json()) == (400, expected)
        got = await client.get("/graphql", params={"query": document}, headers=headers)
        assert (got.status_code, got.json()) == (400, expected)


# The broker on its own.


async def test_broker_fans_out_in_order_and_forgets_subscribers_that_leave() -> None:
    broker = Broker()
    with broker.subscribe(7) as first, broker.subscribe(7) as second, broker.subscribe(8):
        assert (broker.subscriber_count(7), broker.subscriber_count()) == (2, 3)
        for event_id in (1, 2, 3):
            broker.publish(7, event_id)
        broker.publish(9, 4)  # nobody follows session 9
        assert [await anext(first) for _ in range(3)] == [1, 2, 3]
        assert [await anext(second) for _ in range(3)] == [1, 2, 3]
    assert broker.subscriber_count() == 0
    broker.publish(7, 5)  # no subscriber left: nothing to do


async def test_a_subscriber_that_falls_behind_is_cut_off_without_blocking_publishers() -> None:
    broker = Broker(max_pending=2)
    with broker.subscribe(7) as slow, broker.subscribe(7) as fast:
        broker.publish(7, 1)
        assert await anext(fast) == 1
        broker.publish(7, 2)
        broker.publish(7, 3)  # slow still has 1 and 2 waiting: 3 does not fit
        assert [await anext(fast) for _ in range(2)] == [2, 3]
        with pytest.raises(FellBehind) as cut_off:
            await anext(slow)
        assert str(cut_off.value) == (
            "This subscription fell more than 2 events behind its refinement session and was "
            "ended: subscribe again to get the current state."
        )
        broker.publish(7, 4)
        assert await anext(fast) == 4


async def test_on_postgresql_a_subscriber_hears_changes_made_through_another_server(
    api: Api,
    engine: AsyncEngine,
    server: str,
    backend: str,
    database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Two server processes on one database (as with several replicas): the subscriber is on
    one, the scrum master's mutations go to the other."""
    if backend != "postgresql":
        pytest.skip("SQLite is the embedded, single-process default.")
    train = await build_train(api, engine)
    log = tmp_path_factory.mktemp("subscriptions") / "second.log"
    with running_server(database_url, log) as other:
        async with http_client(other) as client:
            sam = Http(client, train.tokens["sam"])
            created = await scheduled_session(
                http=sam, train=train, participants=[train.people["sam"], train.people["dev"]]
            )
            async with ws_client(server) as follower:
                await follower.init({"authorization": f"Bearer {train.tokens['dev']}"})
                await follower.subscribe("f1", FOLLOW, {"id": created["id"]})
                assert kinds(await follower.updates("f1", "SCHEDULED"))[0][0] == "SCHEDULED"
                await sam.ok(
                    "setRefinementAgenda",
                    "session { version }",
                    {
                        "id": created["id"],
                        "version": created["version"],
                        "itemIds": [s["id"] for s in train.stories[:5]],
                    },
                )
                heard = await follower.updates("f1", "AGENDA_CHANGED")
                assert kinds(heard) == [("AGENDA_CHANGED", "Agenda set: 5 item(s).")]
                assert [i["story"]["key"] for i in heard[0]["session"]["agenda"]] == [
                    s["key"] for s in train.stories[:5]
                ]
                # A refused change is never announced: the next thing heard is the start.
                refused = await sam.mutate(
                    "startRefinementSession",
                    "session { version }",
                    {"id": created["id"], "version": created["version"]},
                )
                assert [e["code"] for e in refused["errors"]] == ["CONFLICT"]
                await sam.ok(
                    "startRefinementSession",
                    "session { version }",
                    {"id": created["id"], "version": created["version"] + 1},
                )
                started = await follower.updates("f1", "STARTED")
                assert kinds(started) == [
                    ("STARTED", "Started with 5 item(s) on the agenda; timebox 75 minutes.")
                ]


def test_channel_payloads_stay_under_the_postgresql_limit_and_read_back() -> None:
    logged = [Logged(7, event) for event in range(1, 2001)]
    sent = payloads(logged)
    assert [len(p) <= MAX_PAYLOAD for p in sent] == [True] * len(sent)
    assert len(sent) == 2
    assert [e for p in sent for e in parse(p)] == logged
    assert parse("3:4,garbage,5:") == [Logged(3, 4)]

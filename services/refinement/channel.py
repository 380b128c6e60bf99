"""Refinement events across server processes, through PostgreSQL LISTEN/NOTIFY.

On PostgreSQL a mutation sends its logged events with `pg_notify` inside its own transaction:
PostgreSQL delivers the notification when the transaction commits and drops it when it rolls
back, so subscribers never hear of what did not happen. Every server process listens on one
dedicated connection and hands what it hears to its in-process broker (the API's
schema/kit/broker.py), its own mutations included. On SQLite (one embedded process) the broker
is fed directly after each commit.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from services.refinement.events import Logged

CHANNEL = "trainyard_refinement"
# PostgreSQL refuses payloads of 8000 bytes or more; one mutation's events are far fewer.
MAX_PAYLOAD = 7000
RECONNECT_S = 1.0
log = logging.getLogger(__name__)


def payloads(logged: Sequence[Logged]) -> list[str]:
    """The events as "session:event" pairs, comma-separated, in payloads under the limit."""
    out: list[str] = []
    current = ""
    for session_id, event_id in logged:
        pair = f"{session_id}:{event_id}"
        if current and len(current) + 1 + len(pair) > MAX_PAYLOAD:
            out.append(current)
            current = ""
        current = f"{current},{pair}" if current else pair
    if current:
        out.append(current)
    return out


def parse(payload: str) -> list[Logged]:
    found = []
    for pair in payload.split(","):
        session_id, _, event_id = pair.partition(":")
        if session_id.isdigit() and event_id.isdigit():
            found.append(Logged(int(session_id), int(event_id)))
    return found


async def notify(session: AsyncSession, logged: Sequence[Logged]) -> None:
    """Announce the events on commit of the session's transaction (call it inside)."""
    for payload in payloads(logged):
        await session.execute(
            text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload}
        )


# Called with (session id, event id) for every event heard on the channel.
OnEvent = Callable[[int, int], None]


class EventChannel:
    """Hands every event heard on the channel to `on_event`; reconnects when its connection
    drops."""

    def __init__(self, engine: AsyncEngine, on_event: OnEvent) -> None:
        self._engine = engine
        self._on_event = on_event
        self._connection: AsyncConnection | None = None
        self._driver: Any = None
        self._reconnect: asyncio.Task[None] | None = None
        self._stopping = False

    async def start(self) -> None:
        await self._listen()

    async def _listen(self) -> None:
        connection = await self._engine.connect()
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.add_listener(CHANNEL, self._heard)
        driver.add_termination_listener(self._lost)
        self._connection, self._driver = connection, driver

    def _heard(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        for session_id, event_id in parse(payload):
            self._on_event(session_id, event_id)

    def _lost(self, _connection: Any) -> None:
        if not self._stopping and self._reconnect is None:
            log.warning("Lost the refinement event channel; reconnecting.")
            self._reconnect = asyncio.get_running_loop().create_task(self._again())

    async def _again(self) -> None:
        old, self._connection = self._connection, None
        if old is not None:
            try:
                await old.invalidate()
            except Exception:
                log.debug("Dropping the lost channel connection failed.", exc_info=True)
        while not self._stopping:
            try:
                await self._listen()
            except Exception:
                log.warning("The refinement event channel is down; retrying.", exc_info=True)
                await asyncio.sleep(RECONNECT_S)
            else:
                log.info("Listening on the refinement event channel again.")
                break
        self._reconnect = None

    async def stop(self) -> None:
        self._stopping = True
        if self._reconnect is not None:
            self._reconnect.cancel()
        if self._driver is not None and not self._driver.is_closed():
            await self._driver.remove_listener(CHANNEL, self._heard)
        if self._connection is not None:
            await self._connection.close()

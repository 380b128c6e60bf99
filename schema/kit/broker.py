"""In-process publish/subscribe of refinement session events, for live subscriptions.

A mutation publishes the ids of the events its transaction logged once that transaction has
committed (schema.kit.mutations.run); every subscriber of the session gets each id in its own
bounded queue. Publishing never waits: a subscriber that falls too far behind is cut off with
a message telling it to subscribe again, rather than slowing the mutation down or silently
missing events.

One broker per app, so per process. On PostgreSQL the processes share their events through
LISTEN/NOTIFY (services/refinement/channel.py): each broker is then fed from the channel, so a
subscriber hears the mutations of every process.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

from schema.kit.errors import ClientError

# How many published events a subscriber may have waiting before it is cut off. A session
# logs a handful of events per minute; this many means the subscriber has stalled.
MAX_PENDING = 256


class FellBehind(ClientError):
    """The subscriber did not keep up with its session's events and was cut off."""


class Feed:
    """One subscriber's events of one refinement session, in the order they were published."""

    def __init__(self, session_id: int, max_pending: int) -> None:
        self.session_id = session_id
        self.max_pending = max_pending
        self._queue: asyncio.Queue[int] = asyncio.Queue(max_pending)
        self.fell_behind = False

    def offer(self, event_id: int) -> None:
        """Queue an event id without waiting; a full queue cuts the subscriber off."""
        if self.fell_behind:
            return
        try:
            self._queue.put_nowait(event_id)
        except asyncio.QueueFull:
            self.fell_behind = True
            # Nothing is waiting on a full queue; the reader finds the flag on its next read.
            while not self._queue.empty():
                self._queue.get_nowait()

    def __aiter__(self) -> Feed:
        return self

    async def __anext__(self) -> int:
        if self.fell_behind:
            raise FellBehind(
                f"This subscription fell more than {self.max_pending} events behind its "
                "refinement session and was ended: subscribe again to get the current state."
            )
        return await self._queue.get()


class Broker:
    """Subscribers by refinement session id."""

    def __init__(self, max_pending: int = MAX_PENDING) -> None:
        self.max_pending = max_pending
        self._feeds: dict[int, set[Feed]] = {}
        # True while the event channel (services/refinement/channel.py) feeds it from
        # PostgreSQL: mutations then notify the channel instead of publishing here themselves.
        self.fed_by_database = False

    def publish(self, session_id: int, event_id: int) -> None:
        """Hand a committed event to the session's subscribers; never waits."""
        for feed in tuple(self._feeds.get(session_id, ())):
            feed.offer(event_id)

    @contextmanager
    def subscribe(self, session_id: int) -> Iterator[Feed]:
        """A feed of the session's events from now on, until the block exits."""
        feed = Feed(session_id, self.max_pending)
        self._feeds.setdefault(session_id, set()).add(feed)
        try:
            yield feed
        finally:
            feeds = self._feeds.get(session_id)
            if feeds is not None:
                feeds.discard(feed)
                if not feeds:
                    del self._feeds[session_id]

    def subscriber_count(self, session_id: int | None = None) -> int:
        if session_id is not None:
            return len(self._feeds.get(session_id, ()))
        return sum(len(feeds) for feeds in self._feeds.values())

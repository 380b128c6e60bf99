"""Root subscription fields: live refinement sessions, over schema.transport.websocket."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.kit.context import Context
from schema.kit.errors import ClientError
from schema.kit.relay import IdError, decode_id
from schema.refinement.types import RefinementEvent, RefinementSession
from services.refinement import live

NO_SESSION = "No refinement session with that id."


@strawberry.type(description="One change to a refinement session, as it happened.")
class RefinementSessionUpdate:
    event: RefinementEvent = strawberry.field(description="What happened (the session's log).")
    session: RefinementSession = strawberry.field(
        description="The session as read when this update is sent: with this change and any "
        "committed since (agenda, estimates and status included)."
    )


@strawberry.type(
    description="Live updates. Sent over a WebSocket to /graphql with the graphql-transport-ws "
    "subprotocol (GET and POST refuse subscriptions)."
)
class Subscription:
    @strawberry.subscription(
        description="Follow a refinement session. The first update is its latest event with the "
        "session as it is now, sent once the subscription is live (nothing committed after it "
        "is missed); then one update per change, in the order the changes committed, to every "
        "subscriber alike. A subscriber that falls far behind is ended with an error and "
        "subscribes again."
    )
    async def refinement_session(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The session to follow.")],
    ) -> AsyncGenerator[RefinementSessionUpdate, None]:
        # A plain coroutine returning the stream: refusals happen before the stream starts,
        # so the client gets the protocol's `error` message rather than a failed `next`.
        try:
            pk = decode_id(id, RefinementSession, "id")[1]
        except IdError as exc:
            raise ClientError(str(exc)) from None
        info.context.refresh()  # the connection's Context may have read this id before
        if await info.context.nodes.fetch(RefinementSession, pk) is None:
            raise ClientError(NO_SESSION)
        return _updates(info.context, pk)


async def _updates(
    context: Context, session_id: int
) -> AsyncGenerator[RefinementSessionUpdate, None]:
    # Subscribe before reading the current state, so nothing committed after that read is lost.
    with context.broker.subscribe(session_id) as feed:
        latest = await _latest_event_id(context, session_id)
        if latest is not None:
            first = await _update(context, session_id, latest)
            if first is not None:
                yield first
        async for event_id in feed:
            if event_id == latest:
                continue  # published after we subscribed, but already sent as the first update
            update = await _update(context, session_id, event_id)
            if update is not None:
                yield update


async def _latest_event_id(context: Context, session_id: int) -> int | None:
    async with context.sessionmaker() as session:
        return await live.latest_event_id(session, session_id, context.loaders.visible_arts)


async def _update(
    context: Context, session_id: int, event_id: int
) -> RefinementSessionUpdate | None:
    """The event and the session read now, in one short session. Each update is executed with
    the connection's long-lived Context, so its caches start empty again: nested fields
    (agenda, stories, estimates) are read afresh for every update. (Another subscription on
    the same connection that is mid-update then reads fresh rows too: never staler ones.)"""
    context.refresh()
    async with context.sessionmaker() as session:
        event, refinement = await live.event_and_session(
            session, event_id, session_id, context.loaders.visible_arts
        )
    if refinement is None:
        raise ClientError(NO_SESSION)  # deleted, or moved out of the viewer's ARTs
    if event is None:
        return None  # rolled back with a savepoint after it was logged
    return RefinementSessionUpdate(
        event=RefinementEvent.from_row(event), session=RefinementSession.from_row(refinement)
    )

"""The session log: every change to a session is an event; the API sends each one to the
session's live subscribers once its transaction has committed."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from services.access.permissions import Actor
from services.core.enums import RefinementEventKind
from services.models import RefinementEvent, RefinementSession

PENDING_KEY = "trainyard_refinement_events"


class Logged(NamedTuple):
    """An event this transaction logged, and the session it belongs to."""

    session_id: int
    event_id: int


async def log(
    session: AsyncSession,
    refinement: RefinementSession,
    actor: Actor,
    kind: RefinementEventKind,
    message: str,
    *,
    story_id: int | None = None,
    feature_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> RefinementEvent:
    event = RefinementEvent(
        session_id=refinement.id,
        actor_id=actor.person_id,
        kind=kind,
        story_id=story_id,
        feature_id=feature_id,
        message=message,
        detail=detail or {},
    )
    session.add(event)
    await session.flush()
    session.info.setdefault(PENDING_KEY, []).append(Logged(refinement.id, event.id))
    return event


def pending(session: AsyncSession) -> list[Logged]:
    """The events this transaction logged, in order (to publish after it commits)."""
    return list(session.info.get(PENDING_KEY, []))

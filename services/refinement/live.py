"""What a live subscriber of a session reads: its latest event, and an event with the session
as it is now, limited to the ARTs the subscriber may see (None: every ART)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import reads
from services.access.reads import VisibleArts, visible
from services.models import RefinementEvent, RefinementSession


async def latest_event_id(session: AsyncSession, session_id: int, arts: VisibleArts) -> int | None:
    latest: int | None = await session.scalar(
        select(func.max(RefinementEvent.id)).where(
            RefinementEvent.session_id == session_id, *visible(RefinementEvent, arts)
        )
    )
    return latest


async def event_and_session(
    session: AsyncSession, event_id: int, session_id: int, arts: VisibleArts
) -> tuple[Row[Any] | None, Row[Any] | None]:
    """The event's row and the session's row, None for one that is gone or not visible."""
    events = await reads.rows_by_id(session, RefinementEvent, [event_id], arts)
    sessions = await reads.rows_by_id(session, RefinementSession, [session_id], arts)
    return events.get(event_id), sessions.get(session_id)

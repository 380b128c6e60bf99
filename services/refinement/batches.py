"""Batched reads of sessions for the API's loaders: agendas, participants and warnings of many
sessions in one statement each."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.models import AgendaItem, RefinementSession, SessionParticipant
from services.refinement.warnings import SessionWarning, session_warnings


async def agendas(session: AsyncSession, session_ids: Sequence[int]) -> dict[int, list[AgendaItem]]:
    """Each session's agenda items, in order."""
    rows = await session.scalars(
        select(AgendaItem)
        .where(AgendaItem.session_id.in_(list(session_ids)))
        .order_by(AgendaItem.session_id, AgendaItem.position, AgendaItem.id)
    )
    grouped: dict[int, list[AgendaItem]] = {}
    for row in rows:
        grouped.setdefault(row.session_id, []).append(row)
    return grouped


async def participants(session: AsyncSession, session_ids: Sequence[int]) -> dict[int, list[int]]:
    """Each session's participants (person ids)."""
    rows = await session.execute(
        select(SessionParticipant.session_id, SessionParticipant.person_id)
        .where(SessionParticipant.session_id.in_(list(session_ids)))
        .order_by(SessionParticipant.session_id, SessionParticipant.person_id)
    )
    grouped: dict[int, list[int]] = {}
    for session_id, person_id in rows:
        grouped.setdefault(session_id, []).append(person_id)
    return grouped


async def warnings(
    session: AsyncSession, session_ids: Sequence[int]
) -> dict[int, list[SessionWarning]]:
    """Each session's warnings (overloaded agenda, no technical representation, ...)."""
    rows = list(
        await session.scalars(
            select(RefinementSession).where(RefinementSession.id.in_(list(session_ids)))
        )
    )
    return await session_warnings(session, rows)

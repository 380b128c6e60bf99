"""The pitfalls a session is warned about (services/DOMAIN.md): an overloaded or thin agenda, no
technical representation, running over its timebox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.core.enums import SessionStatus
from services.models import AgendaItem, Membership, SessionParticipant, utcnow
from services.refinement.rules import AGENDA_SIZE, TECHNICAL_ROLES


@dataclass(frozen=True, slots=True)
class SessionWarning:
    code: str  # AGENDA_OVERLOADED, AGENDA_THIN, NO_TECHNICAL_REPRESENTATION, OVER_TIMEBOX
    message: str


def elapsed_minutes(row: Any, now: dt.datetime | None = None) -> float | None:
    """Minutes since a session started (until it closed); None before it starts."""
    if row.started_at is None:
        return None
    end: dt.datetime = row.closed_at or (now or utcnow())
    started: dt.datetime = row.started_at
    return round((end - started).total_seconds() / 60, 1)


async def agenda_sizes(session: AsyncSession, session_ids: Sequence[int]) -> dict[int, int]:
    rows = await session.execute(
        select(AgendaItem.session_id, func.count())
        .where(AgendaItem.session_id.in_(list(session_ids)))
        .group_by(AgendaItem.session_id)
    )
    return {r[0]: r[1] for r in rows}


async def technically_represented(
    session: AsyncSession, sessions: Sequence[Any]
) -> dict[int, bool]:
    """Per team session: whether a participant is a developer or tech lead of the team."""
    team_sessions = [s for s in sessions if s.team_id is not None]
    if not team_sessions:
        return {}
    rows = await session.execute(
        select(SessionParticipant.session_id, Membership.team_id)
        .join(Membership, Membership.person_id == SessionParticipant.person_id)
        .where(
            SessionParticipant.session_id.in_([s.id for s in team_sessions]),
            Membership.role.in_(TECHNICAL_ROLES),
            Membership.archived_at.is_(None),
        )
    )
    teams_of: dict[int, set[int | None]] = {}
    for session_id, team_id in rows:
        teams_of.setdefault(session_id, set()).add(team_id)
    return {s.id: s.team_id in teams_of.get(s.id, set()) for s in team_sessions}


async def session_warnings(
    session: AsyncSession, sessions: Sequence[Any], now: dt.datetime | None = None
) -> dict[int, list[SessionWarning]]:
    """Warnings of each session (rows with id, team_id, status, timebox, start, close), in
    two statements for any number of sessions. Cancelled sessions have none."""
    live = [s for s in sessions if s.status is not SessionStatus.CANCELLED]
    sizes = await agenda_sizes(session, [s.id for s in live])
    represented = await technically_represented(session, live)
    low, high = AGENDA_SIZE
    out: dict[int, list[SessionWarning]] = {s.id: [] for s in sessions}
    for s in live:
        found = out[s.id]
        size = sizes.get(s.id, 0)
        noun = "stories" if s.team_id is not None else "features"
        if size > high:
            found.append(
                SessionWarning(
                    "AGENDA_OVERLOADED",
                    f"{size} {noun} on the agenda: more than {high} overloads a session "
                    f"(override: {s.agenda_override_reason or 'no reason given'}).",
                )
            )
        elif s.team_id is not None and s.status is not SessionStatus.CLOSED and size < low:
            found.append(
                SessionWarning(
                    "AGENDA_THIN",
                    f"{size} {noun} on the agenda; a session refines {low}-{high}.",
                )
            )
        if s.team_id is not None and not represented.get(s.id, False):
            found.append(
                SessionWarning(
                    "NO_TECHNICAL_REPRESENTATION",
                    "No developer or tech lead of the team among the participants.",
                )
            )
        elapsed = elapsed_minutes(s, now)
        if elapsed is not None and elapsed > s.timebox_minutes:
            found.append(
                SessionWarning(
                    "OVER_TIMEBOX",
                    f"{elapsed:g} minutes used of a {s.timebox_minutes}-minute timebox.",
                )
            )
    return out

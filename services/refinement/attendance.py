"""Which refinement sessions teams held in the last weeks, which weeks they skipped, and the
pitfalls (services/DOMAIN.md) in those sessions: overloaded agendas, no technical representation.

Weeks are 7-day windows ending at `now` (not calendar weeks), so "skipped" never depends on
the weekday a team refines on. Read for any number of teams in four statements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.core.enums import SessionStatus
from services.models import RefinementSession
from services.refinement import warnings as session_warnings
from services.refinement.rules import AGENDA_SIZE, SKIP_DAYS

WEEK = dt.timedelta(days=7)
LOOKBACK_WEEKS = 4  # held sessions, skipped weeks and the pitfalls look this far back
# Sessions that happened or are meant to (a cancelled one counts for nothing).
LIVE_SESSIONS = (SessionStatus.SCHEDULED, SessionStatus.IN_PROGRESS, SessionStatus.CLOSED)


def week_starts(now: dt.datetime, weeks: int) -> list[dt.datetime]:
    """Starts of the `weeks` 7-day windows that end at `now`, oldest first."""
    return [now - WEEK * (weeks - k) for k in range(weeks)]


def week_index(at: dt.datetime, now: dt.datetime, weeks: int) -> int | None:
    """The window `at` falls in: [start, start + 7 days), the last one closed at `now`; None
    outside them all."""
    first = now - WEEK * weeks
    if at < first or at > now:
        return None
    return min(weeks - 1, (at - first) // WEEK)


@dataclass(frozen=True, slots=True)
class OverloadedSession:
    session_id: int
    starts_at: dt.datetime
    items: int  # agenda items: more than AGENDA_SIZE[1]
    override_reason: str


@dataclass(frozen=True, slots=True)
class TeamSessions:
    held_session_ids: tuple[int, ...]  # closed sessions started in the last 4 weeks
    last_held_at: dt.datetime | None  # start of the latest closed session, however old
    skipping: bool  # no session held in the last SKIP_DAYS days
    skipped_weeks: tuple[dt.date, ...]  # starts of the windows without a held session
    overloaded_sessions: tuple[OverloadedSession, ...]
    sessions_without_tech: tuple[int, ...]  # no developer or tech lead of the team invited


async def team_sessions(
    session: AsyncSession, team_ids: Sequence[int], now: dt.datetime
) -> dict[int, TeamSessions]:
    """Per team: the sessions of the last 4 weeks, held or scheduled (a session's moment is
    when it started, else when it is scheduled to), in four statements."""
    ids = sorted(set(team_ids))
    since = now - WEEK * LOOKBACK_WEEKS
    rows = await session.scalars(
        select(RefinementSession)
        .where(
            RefinementSession.team_id.in_(ids),
            RefinementSession.status.in_(LIVE_SESSIONS),
            RefinementSession.archived_at.is_(None),
            or_(
                RefinementSession.started_at.between(since, now),
                RefinementSession.starts_at.between(since, now),
            ),
        )
        .order_by(RefinementSession.starts_at, RefinementSession.id)
    )
    recent = [s for s in rows if since <= (s.started_at or s.starts_at) <= now]
    last_held = {
        row[0]: row[1]
        for row in await session.execute(
            select(RefinementSession.team_id, func.max(RefinementSession.started_at))
            .where(
                RefinementSession.team_id.in_(ids),
                RefinementSession.status == SessionStatus.CLOSED,
                RefinementSession.archived_at.is_(None),
                RefinementSession.started_at <= now,
            )
            .group_by(RefinementSession.team_id)
        )
    }
    # The same counts the session's own warnings use (services.refinement.warnings).
    agenda = await session_warnings.agenda_sizes(session, [s.id for s in recent])
    represented = await session_warnings.technically_represented(session, recent)
    starts = week_starts(now, LOOKBACK_WEEKS)
    out = {}
    for team_id in ids:
        mine = [s for s in recent if s.team_id == team_id]
        held = [s for s in mine if s.status is SessionStatus.CLOSED and s.started_at is not None]
        held_weeks = {week_index(s.started_at, now, LOOKBACK_WEEKS) for s in held if s.started_at}
        last = last_held.get(team_id)
        out[team_id] = TeamSessions(
            held_session_ids=tuple(s.id for s in held),
            last_held_at=last,
            skipping=last is None or last < now - dt.timedelta(days=SKIP_DAYS),
            skipped_weeks=tuple(
                start.date() for k, start in enumerate(starts) if k not in held_weeks
            ),
            overloaded_sessions=tuple(
                OverloadedSession(s.id, s.starts_at, agenda[s.id], s.agenda_override_reason)
                for s in mine
                if agenda.get(s.id, 0) > AGENDA_SIZE[1]
            ),
            sessions_without_tech=tuple(s.id for s in mine if not represented.get(s.id, False)),
        )
    return out

"""A team's weekly technical refinement: its series (day, time, zone, timebox, invitees) and
the sessions it schedules."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import records
from services.core.enums import RefinementEventKind, SessionStatus
from services.core.errors import ErrorCode, Problems, at
from services.models import AgendaItem, RefinementSchedule, RefinementSession, Team, utcnow
from services.refinement import agenda, events
from services.refinement.sessions import SessionSlot, add_session, check_people, check_timebox

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleDraft:
    """A team's weekly refinement: the day (0 Monday ... 6 Sunday) and local time sessions
    start, their time zone (default UTC), timebox and invitees."""

    weekday: int
    start_time: dt.time
    timebox_minutes: int
    timezone: str | None = None
    invitee_ids: Sequence[int] = ()


def next_occurrence(schedule: RefinementSchedule, after: dt.datetime) -> dt.datetime:
    """The first start of the weekly series at or after `after` (in the schedule's zone)."""
    zone = zoneinfo.ZoneInfo(schedule.timezone)
    local = after.astimezone(zone)
    day = local.date() + dt.timedelta(days=(schedule.weekday - local.weekday()) % 7)
    start = dt.datetime.combine(day, schedule.start_time, tzinfo=zone)
    if start < after:
        start = dt.datetime.combine(day + dt.timedelta(days=7), schedule.start_time, tzinfo=zone)
    return start.astimezone(dt.UTC)


async def current_schedule(session: AsyncSession, team_id: int) -> RefinementSchedule | None:
    """The team's weekly refinement, if it has one."""
    found: RefinementSchedule | None = await session.scalar(
        select(RefinementSchedule).where(
            RefinementSchedule.team_id == team_id, RefinementSchedule.archived_at.is_(None)
        )
    )
    return found


async def schedule_team_refinement(
    session: AsyncSession,
    actor: Actor,
    team_id: int,
    draft: ScheduleDraft,
    *,
    now: dt.datetime | None = None,
) -> tuple[RefinementSchedule, RefinementSession]:
    """Set the team's weekly refinement (replacing the one before) and schedule its next
    session after `now`, inviting the invitees."""
    permissions.require_write(actor)
    team = await records.load(session, Team, team_id, "team", field="team_id")
    permissions.require(
        actor,
        Action.RUN_TEAM_REFINEMENT,
        art_id=team.art_id,
        team_id=team.id,
        where=f"(team {team.key})",
    )
    problems = Problems()
    if not 0 <= draft.weekday <= 6:
        problems.add(
            ErrorCode.INVALID_VALUE, at("weekday", ": 0 (Monday) to 6 (Sunday)."), "weekday"
        )
    zone = draft.timezone or "UTC"
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.add(
            ErrorCode.INVALID_VALUE,
            at("timezone", f": {zone!r} is not an IANA time zone (e.g. Europe/Berlin, UTC)."),
            "timezone",
        )
    timebox = check_timebox(problems, draft.timebox_minutes, True)
    invitees = await check_people(session, problems, draft.invitee_ids, "invitee_ids")
    problems.raise_if_any()
    assert timebox is not None

    replaced = []
    for old in await session.scalars(
        select(RefinementSchedule).where(
            RefinementSchedule.team_id == team.id, RefinementSchedule.archived_at.is_(None)
        )
    ):
        old.archived_at = utcnow()
        await session.flush()
        replaced.append(old.id)
    schedule = RefinementSchedule(
        team_id=team.id,
        weekday=draft.weekday,
        start_time=draft.start_time.replace(tzinfo=None),
        timezone=zone,
        timebox_minutes=timebox,
        invitee_ids=invitees,
    )
    session.add(schedule)
    await records.flush(session, schedule, "Refinement schedule")
    slot = SessionSlot(
        art_id=team.art_id,
        team_id=team.id,
        schedule_id=schedule.id,
        title=f"{team.name} refinement",
        starts_at=next_occurrence(schedule, now or utcnow()),
        timebox_minutes=timebox,
        participant_ids=invitees,
    )
    refinement = await add_session(session, actor, slot)
    if replaced:
        await _replace_series(session, actor, replaced, refinement)
    return schedule, refinement


async def _replace_series(
    session: AsyncSession, actor: Actor, schedule_ids: Sequence[int], following: RefinementSession
) -> None:
    """The replaced series' sessions not yet started are cancelled; their agendas move to the
    new series' first session."""
    olds = list(
        await session.scalars(
            select(RefinementSession)
            .where(
                RefinementSession.schedule_id.in_(list(schedule_ids)),
                RefinementSession.status == SessionStatus.SCHEDULED,
            )
            .order_by(RefinementSession.starts_at, RefinementSession.id)
        )
    )
    moved: list[AgendaItem] = []
    for old in olds:
        moved.extend(await agenda.items(session, old.id))
        old.status = SessionStatus.CANCELLED
        old.notes = (
            old.notes + "\n" if old.notes else ""
        ) + "The weekly refinement was rescheduled."
        await records.flush(session, old, "Refinement session")
        await events.log(
            session,
            old,
            actor,
            RefinementEventKind.CANCELLED,
            "Cancelled: the team's weekly refinement was rescheduled.",
        )
    seen: set[int | None] = set()
    for position, item in enumerate(moved, 1):
        if item.story_id in seen:
            await session.delete(item)
            continue
        seen.add(item.story_id)
        item.session_id, item.position = following.id, position
    if moved:
        await session.flush()


async def schedule_occurrence(
    session: AsyncSession, actor: Actor, schedule: RefinementSchedule, starts_at: dt.datetime
) -> RefinementSession:
    """The next session of a team's weekly series, its invitees invited."""
    team = await records.load(session, Team, schedule.team_id, "team", allow_archived=True)
    slot = SessionSlot(
        art_id=team.art_id,
        team_id=team.id,
        schedule_id=schedule.id,
        title=f"{team.name} refinement",
        starts_at=starts_at,
        timebox_minutes=schedule.timebox_minutes,
        participant_ids=schedule.invitee_ids,
    )
    return await add_session(session, actor, slot)

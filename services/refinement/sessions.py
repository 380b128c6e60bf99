"""Scheduling and running refinement sessions: a team's weekly technical refinement and the
ART's program backlog refinement; their participants, agenda, start, close and cancel."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import records, validation
from services.core.enums import AgendaStep, RefinementEventKind, SessionStatus, StoryStatus
from services.core.errors import DomainError, ErrorCode, Problems
from services.models import (
    AgendaItem,
    Art,
    Feature,
    Person,
    RefinementSchedule,
    RefinementSession,
    SessionParticipant,
    Story,
    Team,
    utcnow,
)
from services.refinement import events
from services.refinement.rules import AGENDA_SIZE, ART_TIMEBOX, TEAM_TIMEBOX

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
OPEN = (SessionStatus.SCHEDULED, SessionStatus.IN_PROGRESS)


async def require_run(session: AsyncSession, actor: Actor, refinement: RefinementSession) -> None:
    """Scrum master and product owner run their team's sessions, RTE and product management
    the ART's (admins any)."""
    permissions.require_write(actor)
    if refinement.team_id is not None:
        team = await records.load(session, Team, refinement.team_id, "team", allow_archived=True)
        permissions.require(
            actor, Action.RUN_TEAM_REFINEMENT, art_id=team.art_id, team_id=team.id,
            where=f"(team {team.key})",
        )  # fmt: skip
    else:
        art = await records.load(session, Art, refinement.art_id, "ART", allow_archived=True)
        permissions.require(
            actor, Action.RUN_ART_REFINEMENT, art_id=art.id, where=f"(ART {art.key})"
        )


def check_timebox(problems: Problems, minutes: Any, team_session: bool) -> int | None:
    low, high = TEAM_TIMEBOX if team_session else ART_TIMEBOX
    what = "A team's technical refinement" if team_session else "Program backlog refinement"
    if not isinstance(minutes, int) or not low <= minutes <= high:
        problems.add(
            ErrorCode.TIMEBOX,
            f"timeboxMinutes: {what} is time-boxed to {low}-{high} minutes; got {minutes}.",
            "timebox_minutes",
        )
        return None
    return minutes


async def check_people(
    session: AsyncSession, problems: Problems, ids: Sequence[int], field: str
) -> list[int]:
    wanted = sorted(set(ids))
    if len(wanted) != len(ids):
        problems.add(ErrorCode.INVALID_VALUE, f"{field}: name each person once.", field)
    found = set(
        await session.scalars(
            select(Person.id).where(Person.id.in_(wanted), Person.archived_at.is_(None))
        )
    )
    missing = [i for i in wanted if i not in found]
    if missing:
        problems.add(
            ErrorCode.NOT_FOUND,
            f"{field}: {len(missing)} of the people named do not exist or are archived.",
            field,
        )
    return wanted


def check_open(refinement: RefinementSession, doing: str) -> None:
    if refinement.status not in OPEN:
        raise DomainError.single(
            ErrorCode.SESSION_STATE,
            f"The session is {refinement.status.value}; only a scheduled or running session "
            f"can {doing}.",
            "id",
        )


def next_occurrence(schedule: RefinementSchedule, after: dt.datetime) -> dt.datetime:
    """The first start of the weekly series at or after `after` (in the schedule's zone)."""
    zone = zoneinfo.ZoneInfo(schedule.timezone)
    local = after.astimezone(zone)
    day = local.date() + dt.timedelta(days=(schedule.weekday - local.weekday()) % 7)
    start = dt.datetime.combine(day, schedule.start_time, tzinfo=zone)
    if start < after:
        start = dt.datetime.combine(day + dt.timedelta(days=7), schedule.start_time, tzinfo=zone)
    return start.astimezone(dt.UTC)


async def _set_participants(
    session: AsyncSession, refinement: RefinementSession, person_ids: Sequence[int]
) -> None:
    await session.execute(
        delete(SessionParticipant).where(SessionParticipant.session_id == refinement.id)
    )
    session.add_all(SessionParticipant(session_id=refinement.id, person_id=p) for p in person_ids)


async def participants(session: AsyncSession, session_id: int) -> list[int]:
    return list(
        await session.scalars(
            select(SessionParticipant.person_id)
            .where(SessionParticipant.session_id == session_id)
            .order_by(SessionParticipant.person_id)
        )
    )


async def schedule_team_refinement(
    session: AsyncSession, actor: Actor, team_id: int, values: Mapping[str, Any]
) -> tuple[RefinementSchedule, RefinementSession]:
    """Set the team's weekly refinement (replacing the one before) and schedule its next
    session, inviting the invitees."""
    permissions.require_write(actor)
    team = await records.load(session, Team, team_id, "team", field="team_id")
    permissions.require(
        actor, Action.RUN_TEAM_REFINEMENT, art_id=team.art_id, team_id=team.id,
        where=f"(team {team.key})",
    )  # fmt: skip
    problems = Problems()
    weekday = values.get("weekday")
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        problems.add(ErrorCode.INVALID_VALUE, "weekday: 0 (Monday) to 6 (Sunday).", "weekday")
    start_time = values.get("start_time")
    if not isinstance(start_time, dt.time):
        problems.add(ErrorCode.REQUIRED, "startTime: the local time sessions start.", "start_time")
    zone = values.get("timezone") or "UTC"
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.add(
            ErrorCode.INVALID_VALUE,
            f"timezone: {zone!r} is not an IANA time zone (e.g. Europe/Berlin, UTC).",
            "timezone",
        )
    timebox = check_timebox(problems, values.get("timebox_minutes"), True)
    invitees = await check_people(session, problems, values.get("invitee_ids") or [], "invitee_ids")
    problems.raise_if_any()
    assert timebox is not None
    assert isinstance(start_time, dt.time)
    assert isinstance(weekday, int)

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
        team_id=team.id, weekday=weekday, start_time=start_time.replace(tzinfo=None),
        timezone=zone, timebox_minutes=timebox, invitee_ids=invitees,
    )  # fmt: skip
    session.add(schedule)
    await records.flush(session, schedule, "Refinement schedule")
    after = values.get("now") or utcnow()
    refinement = await _create(
        session, actor, team.art_id, team.id, schedule.id,
        f"{team.name} refinement", next_occurrence(schedule, after), timebox, invitees, None,
    )  # fmt: skip
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
        moved.extend(await agenda(session, old.id))
        old.status = SessionStatus.CANCELLED
        old.notes = (
            old.notes + "\n" if old.notes else ""
        ) + "The weekly refinement was rescheduled."
        await records.flush(session, old, "Refinement session")
        await events.log(
            session, old, actor, RefinementEventKind.CANCELLED,
            "Cancelled: the team's weekly refinement was rescheduled.",
        )  # fmt: skip
    seen: set[int | None] = set()
    for position, item in enumerate(moved, 1):
        if item.story_id in seen:
            await session.delete(item)
            continue
        seen.add(item.story_id)
        item.session_id, item.position = following.id, position
    if moved:
        await session.flush()


async def _create(
    session: AsyncSession,
    actor: Actor,
    art_id: int,
    team_id: int | None,
    schedule_id: int | None,
    title: str,
    starts_at: dt.datetime,
    timebox: int,
    people: Sequence[int],
    facilitator_id: int | None,
) -> RefinementSession:
    refinement = RefinementSession(
        art_id=art_id, team_id=team_id, schedule_id=schedule_id, title=title,
        starts_at=starts_at, timebox_minutes=timebox, status=SessionStatus.SCHEDULED,
        facilitator_id=facilitator_id, agenda_override_reason="", notes="",
    )  # fmt: skip
    session.add(refinement)
    await records.flush(session, refinement, "Refinement session")
    await _set_participants(session, refinement, people)
    when = starts_at.strftime("%Y-%m-%d %H:%M UTC")
    await events.log(
        session, refinement, actor, RefinementEventKind.SCHEDULED,
        f"{title} scheduled for {when} ({timebox} minutes).",
    )  # fmt: skip
    return refinement


async def create_session(
    session: AsyncSession, actor: Actor, values: Mapping[str, Any]
) -> RefinementSession:
    """One session: a team's (team_id) or the ART's program backlog refinement (art_id)."""
    permissions.require_write(actor)
    problems = Problems()
    team_id, art_id = values.get("team_id"), values.get("art_id")
    if (team_id is None) == (art_id is None):
        raise DomainError.single(
            ErrorCode.INVALID_VALUE,
            "Give teamId for a team's refinement or artId for the ART's program backlog "
            "refinement (one of them).",
            "team_id",
        )
    if team_id is not None:
        team = await records.load(session, Team, team_id, "team", field="team_id")
        art_id = team.art_id
        default_title = f"{team.name} refinement"
    else:
        assert art_id is not None
        art = await records.load(session, Art, art_id, "ART", field="art_id")
        default_title = f"{art.name} program backlog refinement"
    assert art_id is not None
    draft = RefinementSession(art_id=art_id, team_id=team_id)
    await require_run(session, actor, draft)
    title = validation.text(
        problems, "title", values.get("title") or default_title, max_len=validation.TITLE_MAX
    )
    starts_at = values.get("starts_at")
    if not isinstance(starts_at, dt.datetime) or starts_at.tzinfo is None:
        problems.add(
            ErrorCode.REQUIRED, "startsAt: a date and time with its UTC offset.", "starts_at"
        )
    timebox = check_timebox(problems, values.get("timebox_minutes"), team_id is not None)
    people = await check_people(
        session, problems, values.get("participant_ids") or [], "participant_ids"
    )
    facilitator = values.get("facilitator_id")
    if facilitator is not None:
        await check_people(session, problems, [facilitator], "facilitator_id")
    problems.raise_if_any()
    assert title is not None
    assert timebox is not None
    assert isinstance(starts_at, dt.datetime)
    return await _create(
        session, actor, art_id, team_id, None, title, starts_at, timebox, people, facilitator
    )


async def update_session(
    session: AsyncSession, actor: Actor, session_id: int, version: int, values: Mapping[str, Any]
) -> RefinementSession:
    """Change time, timebox, title, participants, facilitator or notes of an open session."""
    refinement = await records.load(session, RefinementSession, session_id, "refinement session")
    await require_run(session, actor, refinement)
    records.check_version(refinement, version, "Refinement session")
    check_open(refinement, "change")
    problems = Problems()
    changed = []
    if "title" in values:
        title = validation.text(
            problems, "title", values["title"], max_len=validation.TITLE_MAX, required=True
        )
        if title is not None:
            refinement.title = title
            changed.append("title")
    if "starts_at" in values:
        starts_at = values["starts_at"]
        if refinement.status is not SessionStatus.SCHEDULED:
            problems.add(
                ErrorCode.SESSION_STATE, "startsAt: the session has already started.", "starts_at"
            )
        elif not isinstance(starts_at, dt.datetime) or starts_at.tzinfo is None:
            problems.add(
                ErrorCode.REQUIRED, "startsAt: a date and time with its UTC offset.", "starts_at"
            )
        else:
            refinement.starts_at = starts_at
            changed.append("start")
    if "timebox_minutes" in values:
        timebox = check_timebox(problems, values["timebox_minutes"], refinement.team_id is not None)
        if timebox is not None:
            refinement.timebox_minutes = timebox
            changed.append("timebox")
    if "notes" in values:
        notes = validation.text(
            problems, "notes", values["notes"] or "", max_len=validation.LONG_TEXT_MAX
        )
        if notes is not None:
            refinement.notes = notes
            changed.append("notes")
    if "facilitator_id" in values:
        if values["facilitator_id"] is not None:
            await check_people(session, problems, [values["facilitator_id"]], "facilitator_id")
        refinement.facilitator_id = values["facilitator_id"]
        changed.append("facilitator")
    people = None
    if values.get("participant_ids") is not None:
        people = await check_people(session, problems, values["participant_ids"], "participant_ids")
    problems.raise_if_any()
    if people is not None:
        await _set_participants(session, refinement, people)
        changed.append("participants")
    refinement.updated_at = utcnow()
    await records.flush(session, refinement, "Refinement session")
    await events.log(
        session, refinement, actor, RefinementEventKind.CHANGED,
        f"Changed: {', '.join(changed) or 'nothing'}.",
    )  # fmt: skip
    return refinement


async def agenda(session: AsyncSession, session_id: int) -> list[AgendaItem]:
    return list(
        await session.scalars(
            select(AgendaItem)
            .where(AgendaItem.session_id == session_id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )


async def _check_agenda_items(
    session: AsyncSession, problems: Problems, refinement: RefinementSession, ids: Sequence[int]
) -> None:
    if len(set(ids)) != len(ids):
        problems.add(ErrorCode.INVALID_VALUE, "itemIds: name each item once.", "item_ids")
    if refinement.team_id is not None:
        rows = {
            r.id: r
            for r in await session.execute(
                select(Story.id, Story.key, Story.team_id, Story.status, Story.archived_at).where(
                    Story.id.in_(ids)
                )
            )
        }
        team = await session.get(Team, refinement.team_id)
        assert team is not None
        for i in ids:
            row = rows.get(i)
            if row is None or row.archived_at is not None:
                problems.add(ErrorCode.NOT_FOUND, "itemIds: a story does not exist.", "item_ids")
            elif row.team_id != team.id:
                problems.add(
                    ErrorCode.WRONG_TEAM,
                    f"itemIds: {row.key} belongs to another team; a team's refinement agenda "
                    f"holds only stories of team {team.key}.",
                    "item_ids",
                )
            elif row.status is StoryStatus.DONE:
                problems.add(
                    ErrorCode.INVALID_VALUE, f"itemIds: {row.key} is done already.", "item_ids"
                )
    else:
        features = {
            r.id: r
            for r in await session.execute(
                select(Feature.id, Feature.key, Feature.art_id, Feature.archived_at).where(
                    Feature.id.in_(ids)
                )
            )
        }
        for i in ids:
            feature = features.get(i)
            if feature is None or feature.archived_at is not None:
                problems.add(ErrorCode.NOT_FOUND, "itemIds: a feature does not exist.", "item_ids")
            elif feature.art_id != refinement.art_id:
                problems.add(
                    ErrorCode.WRONG_ART,
                    f"itemIds: {feature.key} belongs to another ART.",
                    "item_ids",
                )


async def set_agenda(
    session: AsyncSession,
    actor: Actor,
    session_id: int,
    version: int,
    item_ids: Sequence[int],
    override_reason: str | None,
) -> RefinementSession:
    """The agenda, in order: stories of the team (team session) or features of the ART.
    More than 8 items needs an override reason; items already covered keep their record."""
    refinement = await records.load(session, RefinementSession, session_id, "refinement session")
    await require_run(session, actor, refinement)
    records.check_version(refinement, version, "Refinement session")
    check_open(refinement, "change its agenda")
    problems = Problems()
    await _check_agenda_items(session, problems, refinement, item_ids)
    reason = validation.text(
        problems, "override_reason", override_reason or "", max_len=validation.SHORT_TEXT_MAX
    )
    high = AGENDA_SIZE[1]
    if len(item_ids) > high and not reason:
        problems.add(
            ErrorCode.AGENDA_OVERLOADED,
            f"itemIds: {len(item_ids)} items overload a session (5-8 keep it focused); give an "
            "overrideReason to hold more.",
            "item_ids",
        )
    problems.raise_if_any()
    column = AgendaItem.story_id if refinement.team_id is not None else AgendaItem.feature_id
    current = {getattr(a, column.key): a for a in await agenda(session, refinement.id)}
    for item_id, item in current.items():
        if item_id not in item_ids:
            await session.delete(item)
    for position, item_id in enumerate(item_ids, 1):
        if item_id in current:
            current[item_id].position = position
        else:
            session.add(
                AgendaItem(session_id=refinement.id, position=position, steps=[],
                           **{column.key: item_id})
            )  # fmt: skip
    refinement.agenda_override_reason = (reason or "") if len(item_ids) > high else ""
    refinement.updated_at = utcnow()
    await records.flush(session, refinement, "Refinement session")
    await events.log(
        session, refinement, actor, RefinementEventKind.AGENDA_CHANGED,
        f"Agenda set: {len(item_ids)} item(s).", detail={"items": list(item_ids)},
    )  # fmt: skip
    return refinement


async def agenda_count(session: AsyncSession, session_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count()).select_from(AgendaItem).where(AgendaItem.session_id == session_id)
        )
        or 0
    )


async def schedule_occurrence(
    session: AsyncSession, actor: Actor, schedule: RefinementSchedule, starts_at: dt.datetime
) -> RefinementSession:
    """The next session of a team's weekly series, its invitees invited."""
    team = await records.load(session, Team, schedule.team_id, "team", allow_archived=True)
    return await _create(
        session, actor, team.art_id, team.id, schedule.id, f"{team.name} refinement",
        starts_at, schedule.timebox_minutes, schedule.invitee_ids, None,
    )  # fmt: skip


async def carry_over(
    session: AsyncSession,
    actor: Actor,
    following: RefinementSession,
    source: RefinementSession,
    leftovers: Sequence[AgendaItem],
) -> None:
    """Put a closed session's leftovers first on the next session's agenda."""
    current = await agenda(session, following.id)
    have = {(a.story_id, a.feature_id) for a in current}
    moved = [i for i in leftovers if (i.story_id, i.feature_id) not in have]
    for position, item in enumerate(moved, 1):
        session.add(
            AgendaItem(
                session_id=following.id, position=position, story_id=item.story_id,
                feature_id=item.feature_id, carried_from_id=source.id, steps=[],
            )
        )  # fmt: skip
    for offset, item in enumerate(current, len(moved) + 1):
        item.position = offset
    following.updated_at = utcnow()
    await records.flush(session, following, "Refinement session")
    await events.log(
        session, following, actor, RefinementEventKind.AGENDA_CHANGED,
        f"{len(moved)} item(s) left over from {source.title} ({source.starts_at:%Y-%m-%d}) "
        "put first on the agenda.",
        detail={"carried_from": source.id, "items": [i.story_id or i.feature_id for i in moved]},
    )  # fmt: skip


async def agenda_item(
    session: AsyncSession, refinement: RefinementSession, story_id: int | None,
    feature_id: int | None,
) -> AgendaItem:  # fmt: skip
    column = AgendaItem.story_id if story_id is not None else AgendaItem.feature_id
    item = await session.scalar(
        select(AgendaItem).where(
            AgendaItem.session_id == refinement.id, column == (story_id or feature_id)
        )
    )
    if item is None:
        raise DomainError.single(
            ErrorCode.INVALID_VALUE,
            "That item is not on this session's agenda; add it to the agenda first.",
            "story_id" if story_id is not None else "feature_id",
        )
    return item


def mark(item: AgendaItem, steps: set[AgendaStep], covered: bool | None) -> None:
    """Record steps done on an agenda item (its discussion starts with the first one)."""
    now = utcnow()
    if item.discussion_started_at is None:
        item.discussion_started_at = now
    item.steps = sorted(set(item.steps) | {s.value for s in steps})
    if covered is True and item.covered_at is None:
        item.covered_at = now
    elif covered is False:
        item.covered_at = None

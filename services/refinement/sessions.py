"""Refinement sessions: one session, a team's technical refinement or the ART's program backlog
refinement; who runs it, its participants, its time, timebox and notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import records, validation
from services.core.enums import RefinementEventKind, SessionStatus
from services.core.errors import DomainError, ErrorCode, Field, Problems, at
from services.core.inputs import UNSET, Maybe
from services.history import audit
from services.models import Art, Person, RefinementSession, SessionParticipant, Team
from services.refinement import batches, events
from services.refinement.rules import ART_TIMEBOX, TEAM_TIMEBOX

OPEN = (SessionStatus.SCHEDULED, SessionStatus.IN_PROGRESS)


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionDraft:
    """One session: a team's (team_id) or the ART's program backlog refinement (art_id)."""

    starts_at: dt.datetime
    timebox_minutes: int
    team_id: int | None = None
    art_id: int | None = None
    title: str | None = None  # default: from the team or the ART
    participant_ids: Sequence[int] = ()
    facilitator_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionChanges:
    """Changes to an open session; UNSET fields stay as they are."""

    title: Maybe[str | None] = UNSET
    starts_at: Maybe[dt.datetime | None] = UNSET
    timebox_minutes: Maybe[int | None] = UNSET
    participant_ids: Maybe[Sequence[int] | None] = UNSET  # None: keep them
    facilitator_id: Maybe[int | None] = UNSET  # None: no facilitator
    notes: Maybe[str | None] = UNSET


async def find_session(session: AsyncSession, session_id: int) -> RefinementSession | None:
    """The session with that id, if there is one."""
    return await session.get(RefinementSession, session_id)


async def require_run(session: AsyncSession, actor: Actor, refinement: RefinementSession) -> None:
    """Scrum master and product owner run their team's sessions, RTE and product management
    the ART's (admins any)."""
    permissions.require_write(actor)
    if refinement.team_id is not None:
        team = await records.load(session, Team, refinement.team_id, "team", allow_archived=True)
        permissions.require(
            actor,
            Action.RUN_TEAM_REFINEMENT,
            art_id=team.art_id,
            team_id=team.id,
            where=f"(team {team.key})",
        )
    else:
        art = await records.load(session, Art, refinement.art_id, "ART", allow_archived=True)
        permissions.require(
            actor, Action.RUN_ART_REFINEMENT, art_id=art.id, where=f"(ART {art.key})"
        )


def check_timebox(problems: Problems, minutes: int | None, team_session: bool) -> int | None:
    low, high = TEAM_TIMEBOX if team_session else ART_TIMEBOX
    what = "A team's technical refinement" if team_session else "Program backlog refinement"
    if minutes is None or not low <= minutes <= high:
        problems.add(
            ErrorCode.TIMEBOX,
            at(
                "timebox_minutes", f": {what} is time-boxed to {low}-{high} minutes; got {minutes}."
            ),
            "timebox_minutes",
        )
        return None
    return minutes


def check_starts_at(problems: Problems, starts_at: dt.datetime | None) -> dt.datetime | None:
    if starts_at is None or starts_at.tzinfo is None:
        problems.add(
            ErrorCode.REQUIRED,
            at("starts_at", ": a date and time with its UTC offset."),
            "starts_at",
        )
        return None
    # Stored and read back in UTC: the payload answers the same instant as any later read.
    return starts_at.astimezone(dt.UTC)


async def check_people(
    session: AsyncSession, problems: Problems, ids: Sequence[int], field: str
) -> list[int]:
    wanted = sorted(set(ids))
    if len(wanted) != len(ids):
        problems.add(ErrorCode.INVALID_VALUE, at(field, ": name each person once."), field)
    found = set(
        await session.scalars(
            select(Person.id).where(Person.id.in_(wanted), Person.archived_at.is_(None))
        )
    )
    missing = [i for i in wanted if i not in found]
    if missing:
        problems.add(
            ErrorCode.NOT_FOUND,
            at(field, f": {len(missing)} of the people named do not exist or are archived."),
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


async def _set_participants(
    session: AsyncSession, refinement: RefinementSession, person_ids: Sequence[int]
) -> None:
    await session.execute(
        delete(SessionParticipant).where(SessionParticipant.session_id == refinement.id)
    )
    session.add_all(SessionParticipant(session_id=refinement.id, person_id=p) for p in person_ids)


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionSlot:
    """Where and when a new session sits, and who is in it (checked by the caller)."""

    art_id: int
    team_id: int | None
    schedule_id: int | None
    title: str
    starts_at: dt.datetime
    timebox_minutes: int
    participant_ids: Sequence[int]
    facilitator_id: int | None = None


async def add_session(session: AsyncSession, actor: Actor, slot: SessionSlot) -> RefinementSession:
    """Write a scheduled session and log it (its input already checked)."""
    refinement = RefinementSession(
        art_id=slot.art_id,
        team_id=slot.team_id,
        schedule_id=slot.schedule_id,
        title=slot.title,
        starts_at=slot.starts_at,
        timebox_minutes=slot.timebox_minutes,
        status=SessionStatus.SCHEDULED,
        facilitator_id=slot.facilitator_id,
        agenda_override_reason="",
        notes="",
    )
    session.add(refinement)
    await records.flush(session, refinement, "Refinement session")
    await _set_participants(session, refinement, slot.participant_ids)
    when = slot.starts_at.strftime("%Y-%m-%d %H:%M UTC")
    await events.log(
        session,
        refinement,
        actor,
        RefinementEventKind.SCHEDULED,
        f"{slot.title} scheduled for {when} ({slot.timebox_minutes} minutes).",
    )
    return refinement


async def create_session(
    session: AsyncSession, actor: Actor, draft: SessionDraft
) -> RefinementSession:
    """One session: a team's (team_id) or the ART's program backlog refinement (art_id)."""
    permissions.require_write(actor)
    problems = Problems()
    team_id, art_id = draft.team_id, draft.art_id
    if team_id is not None and art_id is None:
        team = await records.load(session, Team, team_id, "team", field="team_id")
        art_id = team.art_id
        default_title = f"{team.name} refinement"
    elif art_id is not None and team_id is None:
        art = await records.load(session, Art, art_id, "ART", field="art_id")
        default_title = f"{art.name} program backlog refinement"
    else:
        raise DomainError.single(
            ErrorCode.INVALID_VALUE,
            (
                "Give ",
                Field("team_id"),
                " for a team's refinement or ",
                Field("art_id"),
                " for the ART's program backlog refinement (one of them).",
            ),
            "team_id",
        )
    await require_run(session, actor, RefinementSession(art_id=art_id, team_id=team_id))
    title = validation.text(
        problems, "title", draft.title or default_title, max_len=validation.TITLE_MAX
    )
    starts_at = check_starts_at(problems, draft.starts_at)
    timebox = check_timebox(problems, draft.timebox_minutes, team_id is not None)
    people = await check_people(session, problems, draft.participant_ids, "participant_ids")
    if draft.facilitator_id is not None:
        await check_people(session, problems, [draft.facilitator_id], "facilitator_id")
    problems.raise_if_any()
    assert title is not None
    assert starts_at is not None
    assert timebox is not None
    slot = SessionSlot(
        art_id=art_id,
        team_id=team_id,
        schedule_id=None,
        title=title,
        starts_at=starts_at,
        timebox_minutes=timebox,
        participant_ids=people,
        facilitator_id=draft.facilitator_id,
    )
    return await add_session(session, actor, slot)


async def update_session(
    session: AsyncSession, actor: Actor, session_id: int, version: int, changes: SessionChanges
) -> RefinementSession:
    """Change time, timebox, title, participants, facilitator or notes of an open session."""
    refinement = await records.load(session, RefinementSession, session_id, "refinement session")
    await require_run(session, actor, refinement)
    records.check_version(refinement, version, "Refinement session")
    check_open(refinement, "change")
    problems = Problems()
    changed: list[str] = []

    def put(column: str, value: object, label: str) -> None:
        if getattr(refinement, column) != value:
            setattr(refinement, column, value)
            changed.append(label)

    if changes.title is not UNSET:
        title = validation.text(
            problems, "title", changes.title, max_len=validation.TITLE_MAX, required=True
        )
        if title is not None:
            put("title", title, "title")
    if changes.starts_at is not UNSET:
        if refinement.status is not SessionStatus.SCHEDULED:
            problems.add(
                ErrorCode.SESSION_STATE,
                at("starts_at", ": the session has already started."),
                "starts_at",
            )
        else:
            starts_at = check_starts_at(problems, changes.starts_at)
            if starts_at is not None:
                put("starts_at", starts_at, "start")
    if changes.timebox_minutes is not UNSET:
        timebox = check_timebox(problems, changes.timebox_minutes, refinement.team_id is not None)
        if timebox is not None:
            put("timebox_minutes", timebox, "timebox")
    if changes.notes is not UNSET:
        notes = validation.text(
            problems, "notes", changes.notes or "", max_len=validation.LONG_TEXT_MAX
        )
        if notes is not None:
            put("notes", notes, "notes")
    if changes.facilitator_id is not UNSET:
        if changes.facilitator_id is not None:
            await check_people(session, problems, [changes.facilitator_id], "facilitator_id")
        put("facilitator_id", changes.facilitator_id, "facilitator")
    people = None
    if changes.participant_ids is not UNSET and changes.participant_ids is not None:
        people = await check_people(session, problems, changes.participant_ids, "participant_ids")
    problems.raise_if_any()
    if people is not None:
        before = (await batches.participants(session, [refinement.id])).get(refinement.id, [])
        if before != people:
            await _set_participants(session, refinement, people)
            # The people are part of the session: its history says who, its version goes up.
            audit.note(session, refinement, "participant_ids", before, people)
            records.touch(refinement)
            changed.append("participants")
    if not changed:
        return refinement  # what it has already: nothing to write
    await records.flush(session, refinement, "Refinement session")
    await events.log(
        session, refinement, actor, RefinementEventKind.CHANGED, f"Changed: {', '.join(changed)}."
    )
    return refinement

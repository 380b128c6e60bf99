"""Closing a session, with its summary and its leftovers rolled to the next one, or
cancelling one that has not started."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access.permissions import Actor
from services.core import records
from services.core.enums import RefinementEventKind, SessionStatus
from services.core.errors import DomainError, ErrorCode, at
from services.models import AgendaItem, FollowUp, RefinementEvent, RefinementSession, utcnow
from services.refinement import agenda, events, run, schedules, sessions
from services.work import readiness


async def _summary(
    session: AsyncSession, refinement: RefinementSession, items: list[AgendaItem]
) -> dict[str, Any]:
    log = list(
        await session.scalars(
            select(RefinementEvent)
            .where(RefinementEvent.session_id == refinement.id)
            .order_by(RefinementEvent.id)
        )
    )

    def items_with(kind: RefinementEventKind) -> list[int]:
        found = [e.story_id or e.feature_id for e in log if e.kind is kind]
        return sorted({i for i in found if i is not None})

    ready = await run.ready_now(session, refinement, items)
    item_of = {i.id: (i.story_id or i.feature_id) for i in items}
    follow_ups = list(
        await session.scalars(
            select(FollowUp.id).where(FollowUp.session_id == refinement.id).order_by(FollowUp.id)
        )
    )
    spikes = [e.detail.get("spike_id") for e in log if e.kind is RefinementEventKind.SPIKE_CREATED]
    assert refinement.started_at is not None
    assert refinement.closed_at is not None
    minutes = (refinement.closed_at - refinement.started_at).total_seconds() / 60
    return {
        "level": "TEAM" if refinement.team_id is not None else "ART",
        "agenda": [item_of[i.id] for i in items],
        "covered": [item_of[i.id] for i in items if i.covered_at is not None],
        "estimated": items_with(RefinementEventKind.ESTIMATED),
        "became_ready": [
            item_of[i.id] for i in items if ready.get(i.id) and i.ready_at_start is False
        ],
        "flagged": items_with(RefinementEventKind.FLAGGED),
        "spikes_created": [s for s in spikes if s is not None],
        "follow_ups": follow_ups,
        "left_over": [item_of[i.id] for i in items if i.covered_at is None],
        "minutes": round(minutes, 1),
        "over_timebox_minutes": max(0.0, round(minutes - refinement.timebox_minutes, 1)),
    }


async def _next_session(
    session: AsyncSession, actor: Actor, refinement: RefinementSession
) -> RefinementSession | None:
    """Where leftovers go: the team's next scheduled session (one is scheduled from its weekly
    series when there is none); for the ART's program backlog refinement, its next scheduled
    one, if any."""
    same_level = (
        RefinementSession.team_id == refinement.team_id
        if refinement.team_id is not None
        else (RefinementSession.art_id == refinement.art_id) & RefinementSession.team_id.is_(None)
    )
    found = await session.scalar(
        select(RefinementSession)
        .where(
            same_level,
            RefinementSession.status == SessionStatus.SCHEDULED,
            RefinementSession.archived_at.is_(None),
            RefinementSession.id != refinement.id,
        )
        .order_by(RefinementSession.starts_at, RefinementSession.id)
        .limit(1)
    )
    if found is not None or refinement.team_id is None:
        return found
    schedule = await schedules.current_schedule(session, refinement.team_id)
    if schedule is None:
        return None
    after = max(utcnow(), refinement.starts_at)
    starts = schedules.next_occurrence(schedule, after)
    if starts <= refinement.starts_at:
        starts = schedules.next_occurrence(schedule, refinement.starts_at.replace(microsecond=1))
    return await schedules.schedule_occurrence(session, actor, schedule, starts)


async def close_session(
    session: AsyncSession, actor: Actor, session_id: int, version: int
) -> RefinementSession:
    """Close a running session: its summary is written and its leftovers (items not covered)
    roll to the team's next session, first on its agenda."""
    refinement = await records.load(session, RefinementSession, session_id, "refinement session")
    await sessions.require_run(session, actor, refinement)
    records.check_version(refinement, version, "Refinement session")
    if refinement.status is not SessionStatus.IN_PROGRESS:
        hint = {
            SessionStatus.SCHEDULED: "start it first, or cancel it",
            SessionStatus.CLOSED: "it is closed already",
            SessionStatus.CANCELLED: "it was cancelled",
        }[refinement.status]
        raise DomainError.single(
            ErrorCode.SESSION_STATE,
            f"Only a running session can be closed: {hint}.",
            "id",
        )
    items = await agenda.items(session, refinement.id)
    refinement.status = SessionStatus.CLOSED
    refinement.closed_at = utcnow()
    story_ids = [i.story_id for i in items if i.story_id is not None]
    if story_ids:
        await readiness.stamp_ready(session, story_ids)
    summary = await _summary(session, refinement, items)
    leftovers = [i for i in items if i.covered_at is None]
    following = await _next_session(session, actor, refinement) if leftovers else None
    if following is not None:
        await agenda.carry_over(session, actor, following, refinement, leftovers)
        summary["rolled_to_session"] = following.id
    refinement.summary = summary
    await records.flush(session, refinement, "Refinement session")
    await events.log(
        session,
        refinement,
        actor,
        RefinementEventKind.CLOSED,
        f"Closed: {len(summary['covered'])} of {len(items)} covered, "
        f"{len(summary['became_ready'])} became ready, {len(leftovers)} left over.",
        detail={"summary": summary},
    )
    return refinement


async def cancel_session(
    session: AsyncSession, actor: Actor, session_id: int, version: int, reason: str
) -> RefinementSession:
    refinement = await records.load(session, RefinementSession, session_id, "refinement session")
    await sessions.require_run(session, actor, refinement)
    records.check_version(refinement, version, "Refinement session")
    if refinement.status is not SessionStatus.SCHEDULED:
        raise DomainError.single(
            ErrorCode.SESSION_STATE,
            f"The session is {refinement.status.value}; only a scheduled session can be cancelled.",
            "id",
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError.single(
            ErrorCode.REQUIRED, at("reason", ": say why the session is cancelled."), "reason"
        )
    refinement.status = SessionStatus.CANCELLED
    refinement.notes = (refinement.notes + "\n" if refinement.notes else "") + reason
    await records.flush(session, refinement, "Refinement session")
    await events.log(
        session, refinement, actor, RefinementEventKind.CANCELLED, f"Cancelled: {reason}"
    )
    return refinement

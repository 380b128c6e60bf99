"""Running a session: start it, walk its agenda (clarify, acceptance criteria, estimate,
technical details, flag, spike), close it with its summary, leftovers rolled to the next one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access.permissions import Actor
from services.core import records
from services.core.enums import AgendaStep, RefinementEventKind, SessionStatus
from services.core.errors import DomainError, ErrorCode
from services.models import (
    AgendaItem,
    Feature,
    FollowUp,
    RefinementEvent,
    RefinementSchedule,
    RefinementSession,
    Story,
    utcnow,
)
from services.refinement import events, sessions
from services.work import features, readiness, stories

STORY_STEPS: dict[str, AgendaStep] = {
    "business_value_notes": AgendaStep.CLARIFY,
    "technical_assumptions": AgendaStep.CLARIFY,
    "acceptance_criteria": AgendaStep.ACCEPTANCE_CRITERIA,
    "points": AgendaStep.ESTIMATE,
    "tshirt_size": AgendaStep.ESTIMATE,
    "architecture_impact": AgendaStep.TECHNICAL_DETAILS,
    "nfrs": AgendaStep.TECHNICAL_DETAILS,
    "test_approach": AgendaStep.TECHNICAL_DETAILS,
    "component_ids": AgendaStep.TECHNICAL_DETAILS,
}
FEATURE_STEPS: dict[str, AgendaStep] = {
    "business_value_notes": AgendaStep.CLARIFY,
    "technical_assumptions": AgendaStep.CLARIFY,
    "benefit_hypothesis": AgendaStep.CLARIFY,
    "acceptance_criteria": AgendaStep.ACCEPTANCE_CRITERIA,
    "user_business_value": AgendaStep.ESTIMATE,
    "time_criticality": AgendaStep.ESTIMATE,
    "risk_reduction": AgendaStep.ESTIMATE,
    "job_size": AgendaStep.ESTIMATE,
    "dependencies_identified": AgendaStep.TECHNICAL_DETAILS,
    "component_ids": AgendaStep.TECHNICAL_DETAILS,
    "owning_team_id": AgendaStep.TECHNICAL_DETAILS,
}


async def _load_running(session: AsyncSession, session_id: int, doing: str) -> RefinementSession:
    refinement = await records.load(session, RefinementSession, session_id, "refinement session")
    if refinement.status is not SessionStatus.IN_PROGRESS:
        raise DomainError.single(
            ErrorCode.SESSION_STATE,
            f"The session is {refinement.status.value}; start it before you {doing}.",
            "session_id",
        )
    return refinement


async def _ready_now(
    session: AsyncSession, refinement: RefinementSession, items: list[AgendaItem]
) -> dict[int, bool]:
    """Per agenda item id: whether its story / feature meets the Definition of Ready now."""
    if refinement.team_id is not None:
        found = await readiness.story_readiness(
            session, [i.story_id for i in items if i.story_id is not None]
        )
        return {i.id: found[i.story_id].ready for i in items if i.story_id in found}
    found = await readiness.feature_readiness(
        session, [i.feature_id for i in items if i.feature_id is not None]
    )
    return {i.id: found[i.feature_id].ready for i in items if i.feature_id in found}


async def start_session(
    session: AsyncSession, actor: Actor, session_id: int, version: int
) -> RefinementSession:
    refinement = await records.load(session, RefinementSession, session_id, "refinement session")
    await sessions.require_run(session, actor, refinement)
    records.check_version(refinement, version, "Refinement session")
    if refinement.status is not SessionStatus.SCHEDULED:
        raise DomainError.single(
            ErrorCode.SESSION_STATE,
            f"The session is {refinement.status.value}; only a scheduled session can start.",
            "id",
        )
    items = await sessions.agenda(session, refinement.id)
    ready = await _ready_now(session, refinement, items)
    for item in items:
        item.ready_at_start = ready.get(item.id, False)
    refinement.status = SessionStatus.IN_PROGRESS
    refinement.started_at = utcnow()
    await records.flush(session, refinement, "Refinement session")
    await events.log(
        session, refinement, actor, RefinementEventKind.STARTED,
        f"Started with {len(items)} item(s) on the agenda; timebox "
        f"{refinement.timebox_minutes} minutes.",
    )  # fmt: skip
    return refinement


async def refine_story(
    session: AsyncSession,
    actor: Actor,
    session_id: int,
    story_id: int,
    version: int,
    values: Mapping[str, Any],
    covered: bool | None = None,
) -> Story:
    """Record what the team clarified on an agenda story; the steps it completes follow from
    the fields given. Validated like any story change (estimate on the scale, ...)."""
    refinement = await _load_running(session, session_id, "refine its stories")
    await sessions.require_run(session, actor, refinement)
    if refinement.team_id is None:
        raise DomainError.single(
            ErrorCode.INVALID_VALUE,
            "This is the ART's program backlog refinement: refine features in it.",
            "session_id",
        )
    item = await sessions.agenda_item(session, refinement, story_id, None)
    story = await stories.update_story(session, actor, story_id, version, values)
    steps = {STORY_STEPS[k] for k in values if k in STORY_STEPS}
    sessions.mark(item, steps, covered)
    await _log_refined(session, refinement, actor, story.key, steps, story_id=story.id)
    if AgendaStep.ESTIMATE in steps:
        estimate = story.points if story.points is not None else story.tshirt_size
        shown = getattr(estimate, "value", estimate)
        await events.log(
            session, refinement, actor, RefinementEventKind.ESTIMATED,
            f"{story.key} estimated: {shown}.", story_id=story.id, detail={"estimate": shown},
        )  # fmt: skip
    if covered:
        await _covered(session, refinement, actor, story.key, story_id=story.id)
    if await readiness.stamp_ready(session, [story.id]):
        await events.log(
            session, refinement, actor, RefinementEventKind.BECAME_READY,
            f"{story.key} meets the Definition of Ready.", story_id=story.id,
        )  # fmt: skip
    return story


async def refine_feature(
    session: AsyncSession,
    actor: Actor,
    session_id: int,
    feature_id: int,
    version: int,
    values: Mapping[str, Any],
    covered: bool | None = None,
) -> Feature:
    """Record what program backlog refinement clarified on an agenda feature."""
    refinement = await _load_running(session, session_id, "refine its features")
    await sessions.require_run(session, actor, refinement)
    if refinement.team_id is not None:
        raise DomainError.single(
            ErrorCode.INVALID_VALUE,
            "This is a team's technical refinement: refine the team's stories in it.",
            "session_id",
        )
    item = await sessions.agenda_item(session, refinement, None, feature_id)
    was_ready = (await readiness.feature_readiness(session, [feature_id]))[feature_id].ready
    feature = await features.update_feature(session, actor, feature_id, version, values)
    steps = {FEATURE_STEPS[k] for k in values if k in FEATURE_STEPS}
    sessions.mark(item, steps, covered)
    await _log_refined(session, refinement, actor, feature.key, steps, feature_id=feature.id)
    if AgendaStep.ESTIMATE in steps and feature.wsjf is not None:
        await events.log(
            session, refinement, actor, RefinementEventKind.ESTIMATED,
            f"{feature.key} scored: WSJF {feature.wsjf:g}.", feature_id=feature.id,
            detail={"wsjf": feature.wsjf},
        )  # fmt: skip
    if covered:
        await _covered(session, refinement, actor, feature.key, feature_id=feature.id)
    ready = (await readiness.feature_readiness(session, [feature_id]))[feature_id].ready
    if ready and not was_ready:
        await events.log(
            session, refinement, actor, RefinementEventKind.BECAME_READY,
            f"{feature.key} meets the Definition of Ready.", feature_id=feature.id,
        )  # fmt: skip
    return feature


async def _log_refined(
    session: AsyncSession,
    refinement: RefinementSession,
    actor: Actor,
    key: str,
    steps: set[AgendaStep],
    *,
    story_id: int | None = None,
    feature_id: int | None = None,
) -> None:
    label = ", ".join(sorted(s.value.lower().replace("_", " ") for s in steps)) or "discussed"
    await events.log(
        session, refinement, actor, RefinementEventKind.ITEM_REFINED, f"{key}: {label}.",
        story_id=story_id, feature_id=feature_id, detail={"steps": sorted(s.value for s in steps)},
    )  # fmt: skip


async def _covered(
    session: AsyncSession,
    refinement: RefinementSession,
    actor: Actor,
    key: str,
    *,
    story_id: int | None = None,
    feature_id: int | None = None,
) -> None:
    await events.log(
        session, refinement, actor, RefinementEventKind.ITEM_COVERED, f"{key} covered.",
        story_id=story_id, feature_id=feature_id,
    )  # fmt: skip


async def cover_item(
    session: AsyncSession,
    actor: Actor,
    session_id: int,
    version: int,
    story_id: int | None,
    feature_id: int | None,
) -> RefinementSession:
    """Mark an agenda item as covered (discussed to the end) without changing it."""
    refinement = await _load_running(session, session_id, "cover its items")
    await sessions.require_run(session, actor, refinement)
    records.check_version(refinement, version, "Refinement session")
    item = await sessions.agenda_item(session, refinement, story_id, feature_id)
    sessions.mark(item, set(), True)
    key = await session.scalar(
        select(Story.key).where(Story.id == story_id)
        if story_id is not None
        else select(Feature.key).where(Feature.id == feature_id)
    )
    refinement.updated_at = utcnow()
    await records.flush(session, refinement, "Refinement session")
    await _covered(session, refinement, actor, key or "?", story_id=story_id, feature_id=feature_id)
    return refinement


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

    ready = await _ready_now(session, refinement, items)
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
    schedule = await session.scalar(
        select(RefinementSchedule).where(
            RefinementSchedule.team_id == refinement.team_id,
            RefinementSchedule.archived_at.is_(None),
        )
    )
    if schedule is None:
        return None
    after = max(utcnow(), refinement.starts_at)
    starts = sessions.next_occurrence(schedule, after)
    if starts <= refinement.starts_at:
        starts = sessions.next_occurrence(schedule, refinement.starts_at.replace(microsecond=1))
    return await sessions.schedule_occurrence(session, actor, schedule, starts)


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
    items = await sessions.agenda(session, refinement.id)
    refinement.status = SessionStatus.CLOSED
    refinement.closed_at = utcnow()
    story_ids = [i.story_id for i in items if i.story_id is not None]
    if story_ids:
        await readiness.stamp_ready(session, story_ids)
    summary = await _summary(session, refinement, items)
    leftovers = [i for i in items if i.covered_at is None]
    following = await _next_session(session, actor, refinement) if leftovers else None
    if following is not None:
        await sessions.carry_over(session, actor, following, refinement, leftovers)
        summary["rolled_to_session"] = following.id
    refinement.summary = summary
    await records.flush(session, refinement, "Refinement session")
    await events.log(
        session, refinement, actor, RefinementEventKind.CLOSED,
        f"Closed: {len(summary['covered'])} of {len(items)} covered, "
        f"{len(summary['became_ready'])} became ready, {len(leftovers)} left over.",
        detail={"summary": summary},
    )  # fmt: skip
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
            ErrorCode.REQUIRED, "reason: say why the session is cancelled.", "reason"
        )
    refinement.status = SessionStatus.CANCELLED
    refinement.notes = (refinement.notes + "\n" if refinement.notes else "") + reason
    await records.flush(session, refinement, "Refinement session")
    await events.log(
        session, refinement, actor, RefinementEventKind.CANCELLED, f"Cancelled: {reason}"
    )
    return refinement

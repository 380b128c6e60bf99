"""Running a session: start it and walk its agenda (clarify, acceptance criteria, estimate,
technical details); services.refinement.closing closes it, services.refinement.followups
flags items and creates spikes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access.permissions import Actor
from services.core import records
from services.core.enums import AgendaStep, RefinementEventKind, SessionStatus
from services.core.errors import DomainError, ErrorCode
from services.core.inputs import given
from services.history import audit
from services.models import AgendaItem, Feature, RefinementSession, Story, utcnow
from services.refinement import agenda, events, sessions
from services.work import features, readiness, stories
from services.work.features import FeatureChanges
from services.work.stories import StoryChanges

# The agenda step a change to each field of a story or feature completes.
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


async def ready_now(
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
    items = await agenda.items(session, refinement.id)
    ready = await ready_now(session, refinement, items)
    for item in items:
        item.ready_at_start = ready.get(item.id, False)
    refinement.status = SessionStatus.IN_PROGRESS
    refinement.started_at = utcnow()
    await records.flush(session, refinement, "Refinement session")
    await events.log(
        session,
        refinement,
        actor,
        RefinementEventKind.STARTED,
        f"Started with {len(items)} item(s) on the agenda; timebox "
        f"{refinement.timebox_minutes} minutes.",
    )
    return refinement


async def refine_story(
    session: AsyncSession,
    actor: Actor,
    session_id: int,
    story_id: int,
    version: int,
    changes: StoryChanges,
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
    item = await agenda.item_on(session, refinement, story_id, None)
    story = await stories.update_story(session, actor, story_id, version, changes)
    steps = {STORY_STEPS[k] for k in given(changes) if k in STORY_STEPS}
    agenda.mark(item, steps, covered)
    await _log_refined(session, refinement, actor, story.key, steps, story_id=story.id)
    if AgendaStep.ESTIMATE in steps:
        if story.points is not None:
            shown: int | str | None = story.points
        else:
            shown = story.tshirt_size.value if story.tshirt_size is not None else None
        await events.log(
            session,
            refinement,
            actor,
            RefinementEventKind.ESTIMATED,
            f"{story.key} estimated: {shown}.",
            story_id=story.id,
            detail={"estimate": shown},
        )
    if covered:
        await _covered(session, refinement, actor, story.key, story_id=story.id)
    if await readiness.stamp_ready(session, [story.id]):
        await events.log(
            session,
            refinement,
            actor,
            RefinementEventKind.BECAME_READY,
            f"{story.key} meets the Definition of Ready.",
            story_id=story.id,
        )
    return story


async def refine_feature(
    session: AsyncSession,
    actor: Actor,
    session_id: int,
    feature_id: int,
    version: int,
    changes: FeatureChanges,
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
    item = await agenda.item_on(session, refinement, None, feature_id)
    was_ready = (await readiness.feature_readiness(session, [feature_id]))[feature_id].ready
    feature = await features.update_feature(session, actor, feature_id, version, changes)
    steps = {FEATURE_STEPS[k] for k in given(changes) if k in FEATURE_STEPS}
    agenda.mark(item, steps, covered)
    await _log_refined(session, refinement, actor, feature.key, steps, feature_id=feature.id)
    if AgendaStep.ESTIMATE in steps and feature.wsjf is not None:
        await events.log(
            session,
            refinement,
            actor,
            RefinementEventKind.ESTIMATED,
            f"{feature.key} scored: WSJF {feature.wsjf:g}.",
            feature_id=feature.id,
            detail={"wsjf": feature.wsjf},
        )
    if covered:
        await _covered(session, refinement, actor, feature.key, feature_id=feature.id)
    ready = (await readiness.feature_readiness(session, [feature_id]))[feature_id].ready
    if ready and not was_ready:
        await events.log(
            session,
            refinement,
            actor,
            RefinementEventKind.BECAME_READY,
            f"{feature.key} meets the Definition of Ready.",
            feature_id=feature.id,
        )
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
        session,
        refinement,
        actor,
        RefinementEventKind.ITEM_REFINED,
        f"{key}: {label}.",
        story_id=story_id,
        feature_id=feature_id,
        detail={"steps": sorted(s.value for s in steps)},
    )


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
        session,
        refinement,
        actor,
        RefinementEventKind.ITEM_COVERED,
        f"{key} covered.",
        story_id=story_id,
        feature_id=feature_id,
    )


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
    item = await agenda.item_on(session, refinement, story_id, feature_id)
    if item.covered_at is not None:
        return refinement  # covered already: nothing to write
    agenda_items = await agenda.items(session, refinement.id)
    covered = [agenda.subject_id(i) for i in agenda_items if i.covered_at is not None]
    agenda.mark(item, set(), True)
    key = await session.scalar(
        select(Story.key).where(Story.id == story_id)
        if story_id is not None
        else select(Feature.key).where(Feature.id == feature_id)
    )
    # What its agenda covers is part of the session: its history keeps it, its version goes up.
    now_covered = [agenda.subject_id(i) for i in agenda_items if i.covered_at is not None]
    field = "covered_story_ids" if refinement.team_id is not None else "covered_feature_ids"
    audit.note(session, refinement, field, covered, now_covered)
    records.touch(refinement)
    await records.flush(session, refinement, "Refinement session")
    await _covered(session, refinement, actor, key or "?", story_id=story_id, feature_id=feature_id)
    return refinement

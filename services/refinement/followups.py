"""Flags and follow-ups: a blocked or incomplete item, or an open question, with an owner and a
due date, tracked until done; and spikes, the time-boxed, sized stories that resolve unknowns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import records, validation
from services.core.enums import AgendaStep, FollowUpKind, RefinementEventKind, StoryKind, TShirtSize
from services.core.errors import DomainError, ErrorCode, Problems, at
from services.core.inputs import UNSET, Maybe
from services.models import (
    AgendaItem,
    Art,
    Feature,
    FollowUp,
    Person,
    RefinementSession,
    Story,
    Team,
    utcnow,
)
from services.refinement import agenda, events, sessions
from services.work import features, stories
from services.work.stories import StoryDraft


@dataclass(frozen=True, slots=True, kw_only=True)
class FlagDraft:
    """A story (story_id) or feature (feature_id) flagged BLOCKED or INCOMPLETE, or an open
    QUESTION on it, with who follows it up by when; flagged in an open session whose agenda
    holds the item (session_id) or outside one."""

    kind: FollowUpKind
    note: str
    owner_id: int
    due_on: dt.date
    story_id: int | None = None
    feature_id: int | None = None
    session_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SpikeDraft:
    """A spike for the unknown of a story (story_id) or an exploration spike of a feature
    (feature_id), run by a team (default: the story's team or the feature's owning team),
    optionally created in an open session."""

    key: str
    title: str
    story_id: int | None = None
    feature_id: int | None = None
    session_id: int | None = None
    team_id: int | None = None
    spike_timebox_days: Maybe[int | None] = UNSET
    points: Maybe[int | None] = UNSET
    tshirt_size: Maybe[TShirtSize | None] = UNSET
    description: Maybe[str | None] = UNSET
    acceptance_criteria: Maybe[list[str] | None] = UNSET
    iteration_id: Maybe[int | None] = UNSET


async def _item(
    session: AsyncSession, story_id: int | None, feature_id: int | None
) -> tuple[Story | None, Feature]:
    if (story_id is None) == (feature_id is None):
        raise DomainError.single(
            ErrorCode.INVALID_VALUE, "Name the story or the feature (one of them).", "story_id"
        )
    if story_id is not None:
        story = await records.load(session, Story, story_id, "story", field="story_id")
        feature = await records.load(
            session, Feature, story.feature_id, "feature", allow_archived=True
        )
        return story, feature
    assert feature_id is not None
    return None, await records.load(session, Feature, feature_id, "feature", field="feature_id")


async def _require_edit(
    session: AsyncSession, actor: Actor, story: Story | None, feature: Feature
) -> None:
    """Who may change the item may flag it: the team for a story, product management for a
    feature (and those who run the ART's refinement)."""
    permissions.require_write(actor)
    if story is not None:
        await stories.require_team(session, actor, story.team_id)
        return
    art = await records.load(session, Art, feature.art_id, "ART", allow_archived=True)
    if not permissions.allowed(actor, Action.RUN_ART_REFINEMENT, art_id=art.id):
        features.require_edit(actor, art, feature.kind)


async def _session_for(
    session: AsyncSession, session_id: int | None, story: Story | None, feature: Feature
) -> RefinementSession | None:
    if session_id is None:
        return None
    refinement = await records.load(
        session, RefinementSession, session_id, "refinement session", field="session_id"
    )
    sessions.check_open(refinement, "record flags and spikes")
    await _agenda_item(session, refinement, story, feature)
    return refinement


async def _agenda_item(
    session: AsyncSession, refinement: RefinementSession, story: Story | None, feature: Feature
) -> AgendaItem:
    if story is not None:
        return await agenda.item_on(session, refinement, story.id, None)
    return await agenda.item_on(session, refinement, None, feature.id)


async def _mark_step(
    session: AsyncSession,
    refinement: RefinementSession,
    story: Story | None,
    feature: Feature,
    step: AgendaStep,
) -> None:
    agenda.mark(await _agenda_item(session, refinement, story, feature), {step}, None)


async def flag_item(
    session: AsyncSession, actor: Actor, draft: FlagDraft, today: dt.date | None = None
) -> FollowUp:
    """Flag a story or feature blocked or incomplete, or record an open question, with a
    follow-up owner and due date. A BLOCKED story is marked blocked until it is resolved."""
    story, feature = await _item(session, draft.story_id, draft.feature_id)
    await _require_edit(session, actor, story, feature)
    refinement = await _session_for(session, draft.session_id, story, feature)
    problems = Problems()
    note = validation.text(
        problems, "note", draft.note, max_len=validation.SHORT_TEXT_MAX, required=True
    )
    owner = await session.get(Person, draft.owner_id)
    if owner is None or owner.archived_at is not None:
        problems.add(ErrorCode.NOT_FOUND, at("owner_id", ": no such person."), "owner_id")
    due, today = draft.due_on, today or utcnow().date()
    if due < today:
        problems.add(
            ErrorCode.INVALID_VALUE,
            at(
                "due_on",
                f": {due.isoformat()} has passed; give today ({today.isoformat()}) or later.",
            ),
            "due_on",
        )
    problems.raise_if_any()
    assert note is not None
    assert owner is not None
    kind = draft.kind
    follow_up = FollowUp(
        art_id=feature.art_id,
        team_id=story.team_id if story is not None else feature.owning_team_id,
        story_id=story.id if story is not None else None,
        feature_id=None if story is not None else feature.id,
        session_id=refinement.id if refinement is not None else None,
        kind=kind,
        note=note,
        owner_id=owner.id,
        due_on=due,
        resolution="",
    )
    session.add(follow_up)
    await records.flush(session, follow_up, "Follow-up")
    if story is not None and kind is FollowUpKind.BLOCKED and not story.is_blocked:
        story.is_blocked, story.blocked_reason = True, note
        await records.flush(session, story, "Story")
    if refinement is not None:
        await _mark_step(session, refinement, story, feature, AgendaStep.FLAG)
        key = story.key if story is not None else feature.key
        await events.log(
            session,
            refinement,
            actor,
            RefinementEventKind.FLAGGED,
            f"{key} flagged {kind.value.lower()}: {note} (follow-up: {owner.name}, due "
            f"{due.isoformat()}).",
            story_id=follow_up.story_id,
            feature_id=follow_up.feature_id,
            detail={"follow_up_id": follow_up.id, "kind": kind.value},
        )
    return follow_up


async def resolve_follow_up(
    session: AsyncSession, actor: Actor, follow_up_id: int, version: int, resolution: str
) -> FollowUp:
    """Close a follow-up. Its owner may, and whoever may change the item. A story whose last
    open BLOCKED follow-up is resolved is no longer blocked."""
    follow_up = await records.load(session, FollowUp, follow_up_id, "follow-up")
    records.check_version(follow_up, version, "Follow-up")
    story, feature = await _item(session, follow_up.story_id, follow_up.feature_id)
    if actor.person_id is None or actor.person_id != follow_up.owner_id or not actor.may_write:
        await _require_edit(session, actor, story, feature)
    if follow_up.done_at is not None:
        raise DomainError.single(ErrorCode.SESSION_STATE, "That follow-up is done already.", "id")
    problems = Problems()
    text = validation.text(
        problems, "resolution", resolution, max_len=validation.SHORT_TEXT_MAX, required=True
    )
    problems.raise_if_any()
    follow_up.done_at = utcnow()
    follow_up.resolution = text or ""
    await records.flush(session, follow_up, "Follow-up")
    if story is not None and follow_up.kind is FollowUpKind.BLOCKED and story.is_blocked:
        still = await session.scalar(
            select(func.count())
            .select_from(FollowUp)
            .where(
                FollowUp.story_id == story.id,
                FollowUp.kind == FollowUpKind.BLOCKED,
                FollowUp.done_at.is_(None),
                FollowUp.archived_at.is_(None),
            )
        )
        if not still:
            story.is_blocked, story.blocked_reason = False, ""
            await records.flush(session, story, "Story")
    return follow_up


def _missing(value: object) -> bool:
    return value is None or value is UNSET


async def create_spike(session: AsyncSession, actor: Actor, draft: SpikeDraft) -> Story:
    """A spike for an unknown: a SPIKE story, time-boxed and sized, in the feature of the
    story whose unknown it resolves (that story waits for it), or an exploration spike of a
    feature (the feature is not ready while it is open)."""
    story, feature = await _item(session, draft.story_id, draft.feature_id)
    refinement = await _session_for(session, draft.session_id, story, feature)
    team_id = draft.team_id or (story.team_id if story is not None else feature.owning_team_id)
    if team_id is None:
        raise DomainError.single(
            ErrorCode.REQUIRED,
            at(
                "team_id", f": {feature.key} has no owning team; name the team that runs the spike."
            ),
            "team_id",
        )
    if _missing(draft.points) and _missing(draft.tshirt_size):
        raise DomainError.single(
            ErrorCode.REQUIRED,
            "A spike is sized and tracked like any story: give points or a t-shirt size.",
            "points",
        )
    spike = await stories.create_story(
        session,
        actor,
        StoryDraft(
            feature_id=feature.id,
            team_id=team_id,
            key=draft.key,
            title=draft.title,
            kind=StoryKind.SPIKE,
            spike_for_story_id=story.id if story is not None else None,
            description=draft.description,
            acceptance_criteria=draft.acceptance_criteria,
            points=draft.points,
            tshirt_size=draft.tshirt_size,
            spike_timebox_days=draft.spike_timebox_days,
            iteration_id=draft.iteration_id,
        ),
    )
    if refinement is not None:
        await _mark_step(session, refinement, story, feature, AgendaStep.SPIKE)
        target = story.key if story is not None else feature.key
        team = await session.get(Team, team_id)
        await events.log(
            session,
            refinement,
            actor,
            RefinementEventKind.SPIKE_CREATED,
            f"Spike {spike.key} ({spike.spike_timebox_days} days, "
            f"{team.name if team else 'no team'}) created for {target}.",
            story_id=story.id if story is not None else None,
            feature_id=None if story is not None else feature.id,
            detail={"spike_id": spike.id},
        )
    return spike

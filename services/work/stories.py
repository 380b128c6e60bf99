"""Team stories of a feature: estimates, status, blocked flag, planning, spikes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import filters, records
from services.core.enums import StoryKind, StoryStatus, TShirtSize
from services.core.inputs import UNSET, Maybe
from services.core.pagination import Ordering
from services.models import Dependency, Feature, Story, Team, utcnow
from services.work import components, story_checks


@dataclass(frozen=True, slots=True, kw_only=True)
class _StoryFields:
    """What a new story and a change to one share: all but its feature, team, key, title and
    kind. UNSET: not given; None: empty (or cleared)."""

    description: Maybe[str | None] = UNSET
    acceptance_criteria: Maybe[list[str] | None] = UNSET
    business_value_notes: Maybe[str | None] = UNSET
    technical_assumptions: Maybe[str | None] = UNSET
    architecture_impact: Maybe[str | None] = UNSET
    nfrs: Maybe[str | None] = UNSET
    test_approach: Maybe[str | None] = UNSET
    points: Maybe[int | None] = UNSET
    tshirt_size: Maybe[TShirtSize | None] = UNSET
    status: Maybe[StoryStatus | None] = UNSET
    is_blocked: Maybe[bool | None] = UNSET
    blocked_reason: Maybe[str | None] = UNSET
    iteration_id: Maybe[int | None] = UNSET
    rank: Maybe[int | None] = UNSET
    refinement_tag: Maybe[str | None] = UNSET
    spike_timebox_days: Maybe[int | None] = UNSET
    component_ids: Maybe[list[int] | None] = UNSET
    spike_for_story_id: Maybe[int | None] = UNSET


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryDraft(_StoryFields):
    """A new story of a feature, owned by one team of the feature's ART."""

    feature_id: int
    team_id: int
    key: str
    title: str
    kind: StoryKind


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryChanges(_StoryFields):
    """Changes to a story; what is UNSET stays as it is."""

    feature_id: Maybe[int | None] = UNSET
    team_id: Maybe[int | None] = UNSET
    key: Maybe[str | None] = UNSET
    title: Maybe[str | None] = UNSET
    kind: Maybe[StoryKind | None] = UNSET


def story_ordering(field: str, descending: bool) -> Ordering:
    column = {"RANK": Story.rank, "KEY": Story.key, "CREATED_AT": Story.id}[field]
    keys: tuple[tuple[Any, bool], ...] = ((column, descending),)
    if field != "CREATED_AT":
        keys += ((Story.id, descending),)
    return Ordering(f"story_{field.lower()}_{'desc' if descending else 'asc'}", keys)


@dataclass(frozen=True, slots=True)
class StoryFilter:
    team: filters.Match[int] | None = None
    status: filters.Match[StoryStatus] | None = None
    feature: filters.Match[int] | None = None
    tag: filters.Match[str] | None = None
    kind: filters.Match[StoryKind] | None = None
    iteration: filters.Match[int] | None = None
    is_blocked: bool | None = None
    key: filters.Match[str] | None = None
    title: filters.Match[str] | None = None
    archived: bool | None = False


def story_conditions(f: StoryFilter) -> list[ColumnElement[bool]]:
    out = [
        *filters.match(Story.team_id, f.team, "team"),
        *filters.match(Story.status, f.status, "status"),
        *filters.match(Story.feature_id, f.feature, "feature"),
        *filters.match(Story.refinement_tag, f.tag, "tag"),
        *filters.match(Story.kind, f.kind, "kind"),
        *filters.match(Story.iteration_id, f.iteration, "iteration"),
        *filters.match(Story.key, f.key, "key"),
        *filters.match(Story.title, f.title, "title"),
        *filters.archived(Story.archived_at, f.archived),
    ]
    if f.is_blocked is not None:
        out.append(Story.is_blocked == f.is_blocked)
    return out


def of_art(art_id: int) -> ColumnElement[bool]:
    return Story.feature_id.in_(select(Feature.id).where(Feature.art_id == art_id))


async def _next_rank(session: AsyncSession, feature_id: int) -> int:
    highest = await session.scalar(
        select(func.max(Story.rank)).where(Story.feature_id == feature_id)
    )
    return (highest or 0) + 1


async def require_team(session: AsyncSession, actor: Actor, team_id: int | None) -> None:
    """A team edits its own stories (RTE and admins any)."""
    team = None if team_id is None else await session.get(Team, team_id)
    if team is not None:
        permissions.require(
            actor,
            Action.EDIT_STORY,
            art_id=team.art_id,
            team_id=team.id,
            where=f"(stories of team {team.key})",
        )


async def create_story(session: AsyncSession, actor: Actor, draft: StoryDraft) -> Story:
    permissions.require_write(actor)
    await require_team(session, actor, draft.team_id)
    cleaned, component_ids = await story_checks.check(session, draft, None)
    defaults: dict[str, Any] = {
        "description": "",
        "acceptance_criteria": [],
        "status": StoryStatus.BACKLOG,
        "is_blocked": False,
        "blocked_reason": "",
    }
    cleaned = {
        **defaults,
        **{k: v for k, v in cleaned.items() if v is not None or k not in defaults},
    }
    if cleaned.get("rank") is None:
        cleaned["rank"] = await _next_rank(session, cleaned["feature_id"])
    story = Story(**cleaned)
    session.add(story)
    await records.flush(session, story, "Story")
    if component_ids:
        await components.set_story_components(session, story, component_ids)
        await records.flush(session, story, "Story")
    return story


async def update_story(
    session: AsyncSession, actor: Actor, story_id: int, version: int, changes: StoryChanges
) -> Story:
    permissions.require_write(actor)
    story = await records.load(session, Story, story_id, "story")
    await require_team(session, actor, story.team_id)
    if changes.team_id is not UNSET and changes.team_id not in (None, story.team_id):
        await require_team(session, actor, changes.team_id)  # handing over needs both teams
    records.check_version(story, version, "Story")
    cleaned, component_ids = await story_checks.check(session, changes, story)
    for name, value in cleaned.items():
        if name == "description" and value is None:
            value = ""
        if name == "rank" and value is None:
            continue
        setattr(story, name, value)
    if component_ids is not None and await components.set_story_components(
        session, story, component_ids
    ):
        records.touch(story)
    await records.flush(session, story, "Story")
    return story


async def archive_story(session: AsyncSession, actor: Actor, story_id: int, version: int) -> Story:
    """Archive a story with the dependencies that name it."""
    permissions.require_write(actor)
    story = await records.load(session, Story, story_id, "story")
    await require_team(session, actor, story.team_id)
    await records.archive(session, story, version, "Story")
    now = utcnow()
    for dependency in await session.scalars(
        select(Dependency).where(
            Dependency.archived_at.is_(None),
            or_(
                Dependency.dependent_story_id == story_id,
                Dependency.prerequisite_story_id == story_id,
            ),
        )
    ):
        dependency.archived_at = now
    await records.flush(session, story, "Story")
    return story

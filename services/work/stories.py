"""Team stories of a feature: estimates, status, blocked flag, planning, spikes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import filters, records, refs, validation
from services.core.enums import StoryKind, StoryStatus
from services.core.errors import ErrorCode, Problems
from services.core.pagination import Ordering
from services.core.scales import SPIKE_TIMEBOX_DAYS, STORY_POINT_SCALE
from services.models import Dependency, Feature, Story, Team, utcnow
from services.planning import intervals
from services.work import components

FIELDS = frozenset(
    {
        "feature_id",
        "team_id",
        "key",
        "title",
        "description",
        "kind",
        "acceptance_criteria",
        "points",
        "tshirt_size",
        "status",
        "is_blocked",
        "blocked_reason",
        "iteration_id",
        "rank",
        "refinement_tag",
        "spike_timebox_days",
        "component_ids",
        "business_value_notes",
        "technical_assumptions",
        "architecture_impact",
        "nfrs",
        "test_approach",
        "spike_for_story_id",
    }
)
NOTES = (
    "business_value_notes",
    "technical_assumptions",
    "architecture_impact",
    "nfrs",
    "test_approach",
)
RANK_RANGE = (1, 1_000_000_000)


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


def _draft(values: Mapping[str, Any], current: Story | None, name: str, default: Any = None) -> Any:
    if name in values:
        return values[name]
    return getattr(current, name) if current is not None else default


async def _clean(
    session: AsyncSession, values: Mapping[str, Any], current: Story | None
) -> tuple[dict[str, Any], list[int] | None]:
    assert set(values) <= FIELDS, f"unexpected fields {set(values) - FIELDS}"
    problems = Problems()
    out: dict[str, Any] = {}
    creating = current is None

    feature_id = _draft(values, current, "feature_id")
    feature = await refs.resolve(
        session,
        problems,
        Feature,
        feature_id,
        "feature",
        "feature_id",
        allow_archived="feature_id" not in values,
    )
    if feature_id is None:
        problems.add(ErrorCode.REQUIRED, "A story belongs to a feature.", "feature_id")
    if current is not None and feature is not None and "feature_id" in values:
        old = await session.get(Feature, current.feature_id)
        if old is not None and old.art_id != feature.art_id:
            problems.add(
                ErrorCode.WRONG_ART,
                "feature_id: a story can move to another feature of the same ART only.",
                "feature_id",
            )

    team_id = _draft(values, current, "team_id")
    team = await refs.resolve(
        session, problems, Team, team_id, "team", "team_id", allow_archived="team_id" not in values
    )
    if team_id is None:
        problems.add(ErrorCode.REQUIRED, "A story is owned by one team.", "team_id")
    if team is not None and feature is not None and ("team_id" in values or "feature_id" in values):
        refs.same_art(
            problems,
            "team_id",
            "team",
            team.art_id,
            feature.art_id,
            "a story is owned by a team of its feature's ART",
        )
    if "team_id" in values or "feature_id" in values:
        out["team_id"], out["feature_id"] = team_id, feature_id

    key = _draft(values, current, "key")
    if "key" in values or creating:
        key = validation.text(problems, "key", key, max_len=24, required=True)
        key = validation.pattern(
            problems,
            "key",
            key,
            validation.ITEM_KEY_RE,
            "a prefix of 2-10 capital letters or digits, a dash and a number (e.g. ATL-142)",
        )
        out["key"] = key
    if (
        key is not None
        and team_id is not None
        and (
            creating or key != current.key or team_id != current.team_id  # type: ignore[union-attr]
        )
    ):
        taken = await session.scalar(
            select(Story.id).where(Story.team_id == team_id, Story.key == key)
        )
        if taken is not None:
            problems.add(
                ErrorCode.DUPLICATE_KEY,
                f"The team already has a story {key} (archived stories keep their key).",
                "key",
            )

    if "title" in values or creating:
        out["title"] = validation.text(
            problems, "title", values.get("title"), max_len=validation.TITLE_MAX, required=True
        )
    if "description" in values:
        out["description"] = validation.text(
            problems, "description", values["description"] or "", max_len=validation.LONG_TEXT_MAX
        )
    if "acceptance_criteria" in values:
        out["acceptance_criteria"] = validation.text_list(
            problems, "acceptance_criteria", values["acceptance_criteria"] or []
        )
    for name in NOTES:
        if name in values:
            out[name] = validation.text(
                problems, name, values[name] or "", max_len=validation.LONG_TEXT_MAX
            )
    if "status" in values:
        if values["status"] is None:
            problems.add(ErrorCode.REQUIRED, "status cannot be cleared.", "status")
        out["status"] = values["status"]
    if "rank" in values and values["rank"] is not None:
        out["rank"] = validation.in_range(problems, "rank", values["rank"], *RANK_RANGE, "")
    if "refinement_tag" in values:
        tag = validation.text(
            problems, "refinement_tag", values["refinement_tag"], max_len=validation.TAG_MAX
        )
        out["refinement_tag"] = validation.pattern(
            problems,
            "refinement_tag",
            tag or None,
            validation.TAG_RE,
            "lower-case letters, digits, '.', '_' or '-' (e.g. refine-next)",
        )

    # Estimate: points from the scale, or a t-shirt size, never both.
    if "points" in values:
        out["points"] = validation.on_scale(
            problems, "points", values["points"], STORY_POINT_SCALE, "story point"
        )
    if "tshirt_size" in values:
        out["tshirt_size"] = values["tshirt_size"]
    if (
        _draft(values, current, "points") is not None
        and _draft(values, current, "tshirt_size") is not None
    ):
        problems.add(
            ErrorCode.INVALID_VALUE,
            "Estimate a story in points or in a t-shirt size, not both; set the other to null.",
            "points" if "points" in values else "tshirt_size",
        )

    # Spikes are time-boxed; other stories have no timebox.
    kind = _draft(values, current, "kind")
    timebox = _draft(values, current, "spike_timebox_days")
    if "kind" in values or "spike_timebox_days" in values or creating:
        if kind is None:
            problems.add(
                ErrorCode.REQUIRED, "A story's kind is USER_STORY, ENABLER or SPIKE.", "kind"
            )
        elif kind is StoryKind.SPIKE and timebox is None:
            low, high = SPIKE_TIMEBOX_DAYS
            problems.add(
                ErrorCode.REQUIRED,
                f"A spike is time-boxed: give spikeTimeboxDays ({low} to {high} days).",
                "spike_timebox_days",
            )
        elif kind is not StoryKind.SPIKE and timebox is not None:
            problems.add(
                ErrorCode.INVALID_VALUE,
                "Only spikes have a timebox; set spikeTimeboxDays to null for this kind.",
                "spike_timebox_days",
            )
        else:
            validation.in_range(
                problems, "spike_timebox_days", timebox, *SPIKE_TIMEBOX_DAYS, "working days"
            )
        out["kind"], out["spike_timebox_days"] = kind, timebox

    # A spike may name the story whose unknown it resolves: that story waits for it.
    target_id = _draft(values, current, "spike_for_story_id")
    if "spike_for_story_id" in values or ("kind" in values and target_id is not None):
        if target_id is not None:
            target = await refs.resolve(
                session, problems, Story, target_id, "story", "spike_for_story_id"
            )
            if kind is not StoryKind.SPIKE:
                problems.add(
                    ErrorCode.INVALID_VALUE,
                    "spikeForStoryId: only a spike resolves another story's unknown.",
                    "spike_for_story_id",
                )
            elif target is not None and current is not None and target.id == current.id:
                problems.add(
                    ErrorCode.INVALID_VALUE,
                    "spikeForStoryId: a spike cannot resolve its own unknown.",
                    "spike_for_story_id",
                )
            elif target is not None and feature is not None:
                target_feature = await session.get(Feature, target.feature_id)
                if target_feature is not None and target_feature.art_id != feature.art_id:
                    problems.add(
                        ErrorCode.WRONG_ART,
                        "spikeForStoryId: the story must belong to the spike's ART.",
                        "spike_for_story_id",
                    )
        out["spike_for_story_id"] = target_id

    # Blocked needs a reason, so the follow-up knows what to chase.
    blocked = bool(_draft(values, current, "is_blocked", False))
    if "is_blocked" in values or "blocked_reason" in values:
        reason = validation.text(
            problems,
            "blocked_reason",
            _draft(values, current, "blocked_reason", "") or "",
            max_len=validation.SHORT_TEXT_MAX,
        )
        if blocked and not reason:
            problems.add(
                ErrorCode.REQUIRED, "A blocked story needs a blockedReason.", "blocked_reason"
            )
        out["is_blocked"], out["blocked_reason"] = blocked, (reason if blocked else "")

    iteration_id = _draft(values, current, "iteration_id")
    if (
        feature is not None
        and iteration_id is not None
        and ({"iteration_id", "feature_id", "kind"} & set(values) or creating)
    ):
        await intervals.check_planned_iteration(
            session,
            problems,
            iteration_id,
            feature.planning_interval_id,
            field="iteration_id",
            is_feature_work=kind is StoryKind.USER_STORY,
            pi_owner=f"its feature {feature.key}",
            item="a user story" if kind is StoryKind.USER_STORY else "the story",
        )
    if "iteration_id" in values:
        out["iteration_id"] = iteration_id

    component_ids = None
    if values.get("component_ids") is not None and feature is not None:
        component_ids = await components.check_touched(
            session, problems, feature.art_id, values["component_ids"], "component_ids"
        )
    problems.raise_if_any()
    return out, component_ids


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


async def create_story(session: AsyncSession, actor: Actor, values: Mapping[str, Any]) -> Story:
    permissions.require_write(actor)
    await require_team(session, actor, values.get("team_id"))
    cleaned, component_ids = await _clean(session, values, None)
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
    session: AsyncSession, actor: Actor, story_id: int, version: int, values: Mapping[str, Any]
) -> Story:
    permissions.require_write(actor)
    story = await records.load(session, Story, story_id, "story")
    await require_team(session, actor, story.team_id)
    if values.get("team_id") not in (None, story.team_id):
        await require_team(session, actor, values["team_id"])  # handing over needs both teams
    records.check_version(story, version, "Story")
    cleaned, component_ids = await _clean(session, values, story)
    for name, value in cleaned.items():
        if name == "description" and value is None:
            value = ""
        if name == "rank" and value is None:
            continue
        setattr(story, name, value)
    if component_ids is not None:
        await components.set_story_components(session, story, component_ids)
    story.updated_at = utcnow()
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

"""The checks on a story's fields, for a new story or a change to one: every problem at once,
with the message users see; what passes comes back as column values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.core import refs, validation
from services.core.enums import StoryKind
from services.core.errors import ErrorCode, Field, Problems, at
from services.core.inputs import UNSET, Maybe
from services.core.scales import SPIKE_TIMEBOX_DAYS, STORY_POINT_SCALE
from services.models import Feature, Story, Team
from services.planning import iterations
from services.work import components

if TYPE_CHECKING:
    from services.work.stories import StoryChanges, StoryDraft

RANK_RANGE = (1, 1_000_000_000)
T = TypeVar("T")


def _given(value: Maybe[T]) -> T | None:
    return None if value is UNSET else value


def _or(value: Maybe[T], before: T) -> T:
    """The value a change gives, else what the story has (or the default of a new one)."""
    return before if value is UNSET else value


async def check(
    session: AsyncSession, c: StoryDraft | StoryChanges, current: Story | None
) -> tuple[dict[str, Any], list[int] | None]:
    """The column values `c` sets on the story (`current`; None for a new one) and the
    components it touches (None: unchanged); raises DomainError with every problem found."""
    problems = Problems()
    out: dict[str, Any] = {}
    creating = current is None

    feature_id = _or(c.feature_id, current.feature_id if current else None)
    feature = await refs.resolve(
        session,
        problems,
        Feature,
        feature_id,
        "feature",
        "feature_id",
        allow_archived=c.feature_id is UNSET,
    )
    if feature_id is None:
        problems.add(ErrorCode.REQUIRED, "A story belongs to a feature.", "feature_id")
    if current is not None and feature is not None and c.feature_id is not UNSET:
        old = await session.get(Feature, current.feature_id)
        if old is not None and old.art_id != feature.art_id:
            problems.add(
                ErrorCode.WRONG_ART,
                at("feature_id", ": a story can move to another feature of the same ART only."),
                "feature_id",
            )

    team_id = _or(c.team_id, current.team_id if current else None)
    team = await refs.resolve(
        session, problems, Team, team_id, "team", "team_id", allow_archived=c.team_id is UNSET
    )
    if team_id is None:
        problems.add(ErrorCode.REQUIRED, "A story is owned by one team.", "team_id")
    moved = c.team_id is not UNSET or c.feature_id is not UNSET
    if team is not None and feature is not None and moved:
        refs.same_art(
            problems,
            "team_id",
            "team",
            team.art_id,
            feature.art_id,
            "a story is owned by a team of its feature's ART",
        )
    if moved:
        out["team_id"], out["feature_id"] = team_id, feature_id

    key = _or(c.key, current.key if current else None)
    if c.key is not UNSET or creating:
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
        and (current is None or key != current.key or team_id != current.team_id)
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

    if c.title is not UNSET or creating:
        out["title"] = validation.text(
            problems, "title", _given(c.title), max_len=validation.TITLE_MAX, required=True
        )
    for name, text in (
        ("description", c.description),
        ("business_value_notes", c.business_value_notes),
        ("technical_assumptions", c.technical_assumptions),
        ("architecture_impact", c.architecture_impact),
        ("nfrs", c.nfrs),
        ("test_approach", c.test_approach),
    ):
        if text is not UNSET:
            out[name] = validation.text(
                problems, name, text or "", max_len=validation.LONG_TEXT_MAX
            )
    if c.acceptance_criteria is not UNSET:
        out["acceptance_criteria"] = validation.text_list(
            problems, "acceptance_criteria", c.acceptance_criteria or []
        )
    if c.status is not UNSET:
        if c.status is None:
            problems.add(ErrorCode.REQUIRED, at("status", " cannot be cleared."), "status")
        out["status"] = c.status
    if c.rank is not UNSET and c.rank is not None:
        out["rank"] = validation.in_range(problems, "rank", c.rank, *RANK_RANGE, "")
    if c.refinement_tag is not UNSET:
        tag = validation.text(
            problems, "refinement_tag", c.refinement_tag, max_len=validation.TAG_MAX
        )
        out["refinement_tag"] = validation.pattern(
            problems,
            "refinement_tag",
            tag or None,
            validation.TAG_RE,
            "lower-case letters, digits, '.', '_' or '-' (e.g. refine-next)",
        )

    _check_estimate(problems, c, out)

    # Spikes are time-boxed; other stories have no timebox.
    kind = _or(c.kind, current.kind if current else None)
    timebox = _or(c.spike_timebox_days, current.spike_timebox_days if current else None)
    if c.kind is not UNSET or c.spike_timebox_days is not UNSET or creating:
        if kind is None:
            problems.add(
                ErrorCode.REQUIRED, "A story's kind is USER_STORY, ENABLER or SPIKE.", "kind"
            )
        elif kind is StoryKind.SPIKE and timebox is None:
            low, high = SPIKE_TIMEBOX_DAYS
            problems.add(
                ErrorCode.REQUIRED,
                (
                    "A spike is time-boxed: give ",
                    Field("spike_timebox_days"),
                    f" ({low} to {high} days).",
                ),
                "spike_timebox_days",
            )
        elif kind is not StoryKind.SPIKE and timebox is not None:
            problems.add(
                ErrorCode.INVALID_VALUE,
                (
                    "Only spikes have a timebox; set ",
                    Field("spike_timebox_days"),
                    " to null for this kind.",
                ),
                "spike_timebox_days",
            )
        else:
            validation.in_range(
                problems, "spike_timebox_days", timebox, *SPIKE_TIMEBOX_DAYS, "working days"
            )
        out["kind"], out["spike_timebox_days"] = kind, timebox

    # A spike may name the story whose unknown it resolves: that story waits for it.
    target_id = _or(c.spike_for_story_id, current.spike_for_story_id if current else None)
    if c.spike_for_story_id is not UNSET or (c.kind is not UNSET and target_id is not None):
        if target_id is not None:
            await _check_spike_target(session, problems, target_id, kind, current, feature)
        out["spike_for_story_id"] = target_id

    _check_blocked(problems, c, current, out)

    iteration_id = _or(c.iteration_id, current.iteration_id if current else None)
    replanned = (
        c.iteration_id is not UNSET or c.feature_id is not UNSET or c.kind is not UNSET or creating
    )
    if feature is not None and iteration_id is not None and replanned:
        await iterations.check_planned_iteration(
            session,
            problems,
            iteration_id,
            feature.planning_interval_id,
            field="iteration_id",
            is_feature_work=kind is StoryKind.USER_STORY,
            pi_owner=f"its feature {feature.key}",
            item="a user story" if kind is StoryKind.USER_STORY else "the story",
        )
    if c.iteration_id is not UNSET:
        out["iteration_id"] = iteration_id

    component_ids = None
    if c.component_ids is not UNSET and c.component_ids is not None and feature is not None:
        component_ids = await components.check_touched(
            session, problems, feature.art_id, c.component_ids, "component_ids"
        )
    problems.raise_if_any()
    return out, component_ids


def _check_estimate(problems: Problems, c: StoryDraft | StoryChanges, out: dict[str, Any]) -> None:
    """Points from the scale, or a t-shirt size, never both: giving one kind of estimate
    replaces the other (services/DOMAIN.md, Estimates)."""
    points, size = _given(c.points), _given(c.tshirt_size)
    if points is not None and size is not None:
        both = ("Estimate a story in points or in a t-shirt size, not both: give ", Field("points"))
        problems.add(ErrorCode.INVALID_VALUE, (*both, " or ", Field("tshirt_size"), "."), "points")
        return
    if c.points is not UNSET or size is not None:
        out["points"] = validation.on_scale(
            problems, "points", points, STORY_POINT_SCALE, "story point"
        )
    if c.tshirt_size is not UNSET or points is not None:
        out["tshirt_size"] = size


def _check_blocked(
    problems: Problems, c: StoryDraft | StoryChanges, current: Story | None, out: dict[str, Any]
) -> None:
    """Blocked needs a reason, so the follow-up knows what to chase; a reason belongs to a
    blocked story only."""
    if c.is_blocked is UNSET and c.blocked_reason is UNSET:
        return
    blocked = bool(_or(c.is_blocked, current.is_blocked if current else False))
    reason = validation.text(
        problems,
        "blocked_reason",
        _or(c.blocked_reason, current.blocked_reason if current else "") or "",
        max_len=validation.SHORT_TEXT_MAX,
    )
    if reason is None:
        return
    if blocked and not reason:
        problems.add(
            ErrorCode.REQUIRED,
            ("A blocked story needs a ", Field("blocked_reason"), "."),
            "blocked_reason",
        )
    elif not blocked and reason and c.blocked_reason not in (UNSET, None):
        problems.add(
            ErrorCode.INVALID_VALUE,
            (
                Field("blocked_reason"),
                " is kept for a blocked story only, and this one is not blocked: send ",
                Field("is_blocked"),
                ": true with it to block the story, or leave the reason out.",
            ),
            "blocked_reason",
        )
    out["is_blocked"], out["blocked_reason"] = blocked, (reason if blocked else "")


async def _check_spike_target(
    session: AsyncSession,
    problems: Problems,
    target_id: int,
    kind: StoryKind | None,
    current: Story | None,
    feature: Feature | None,
) -> None:
    """The story a spike resolves an unknown of: a live story of the spike's ART, not itself."""
    field = "spike_for_story_id"
    target = await refs.resolve(session, problems, Story, target_id, "story", field)
    if kind is not StoryKind.SPIKE:
        problems.add(
            ErrorCode.INVALID_VALUE,
            at(field, ": only a spike resolves another story's unknown."),
            field,
        )
    elif target is not None and current is not None and target.id == current.id:
        problems.add(
            ErrorCode.INVALID_VALUE, at(field, ": a spike cannot resolve its own unknown."), field
        )
    elif target is not None and feature is not None:
        target_feature = await session.get(Feature, target.feature_id)
        if target_feature is not None and target_feature.art_id != feature.art_id:
            problems.add(
                ErrorCode.WRONG_ART, at(field, ": the story must belong to the spike's ART."), field
            )

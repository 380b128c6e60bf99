"""The checks on a feature's fields, for a new feature or a change to one: every problem at
once, with the message users see; what passes comes back as column values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.core import refs, validation
from services.core.enums import FeatureKind
from services.core.errors import ErrorCode, Problems, at
from services.core.inputs import UNSET, Maybe
from services.core.scales import WSJF_SCALE
from services.models import Art, Feature, Iteration, PlanningInterval, Story, Team, utcnow
from services.planning import iterations
from services.work import components

if TYPE_CHECKING:
    from services.work.features import FeatureChanges, FeatureDraft

RANK_RANGE = (1, 1_000_000_000)
T = TypeVar("T")


def _given(value: Maybe[T]) -> T | None:
    return None if value is UNSET else value


def _or(value: Maybe[T], before: T) -> T:
    """The value a change gives, else what the feature has (or the default of a new one)."""
    return before if value is UNSET else value


async def check(
    session: AsyncSession,
    art: Art,
    c: FeatureDraft | FeatureChanges,
    current: Feature | None,
    problems: Problems | None = None,
) -> tuple[dict[str, Any], list[int] | None]:
    """The column values `c` sets on the feature (`current`; None for a new one) and the
    components it touches (None: unchanged); raises DomainError with every problem found,
    those the caller already collected in `problems` first."""
    problems = problems if problems is not None else Problems()
    out: dict[str, Any] = {}
    creating = current is None

    if c.key is not UNSET or creating:
        key = validation.text(problems, "key", _given(c.key), max_len=24, required=True)
        key = validation.pattern(
            problems,
            "key",
            key,
            validation.ITEM_KEY_RE,
            "a prefix of 2-10 capital letters or digits, a dash and a number (e.g. PAY-12)",
        )
        if key is not None and (current is None or key != current.key):
            taken = await session.scalar(
                select(Feature.id).where(Feature.art_id == art.id, Feature.key == key)
            )
            if taken is not None:
                problems.add(
                    ErrorCode.DUPLICATE_KEY,
                    f"ART {art.key} already has a feature {key} "
                    "(archived features keep their key).",
                    "key",
                )
        out["key"] = key
    if c.title is not UNSET or creating:
        out["title"] = validation.text(
            problems, "title", _given(c.title), max_len=validation.TITLE_MAX, required=True
        )
    for name, text in (
        ("description", c.description),
        ("benefit_hypothesis", c.benefit_hypothesis),
        ("business_value_notes", c.business_value_notes),
        ("technical_assumptions", c.technical_assumptions),
    ):
        if text is not UNSET:
            out[name] = validation.text(
                problems, name, text or "", max_len=validation.LONG_TEXT_MAX
            )
    if c.acceptance_criteria is not UNSET:
        out["acceptance_criteria"] = validation.text_list(
            problems, "acceptance_criteria", c.acceptance_criteria or []
        )
    if c.state is not UNSET:
        if c.state is None:
            problems.add(ErrorCode.REQUIRED, at("state", " cannot be cleared."), "state")
        out["state"] = c.state

    kind = _or(c.kind, current.kind if current is not None else None)
    enabler_type = _or(c.enabler_type, current.enabler_type if current is not None else None)
    if c.kind is not UNSET or c.enabler_type is not UNSET or creating:
        if kind is None:
            problems.add(ErrorCode.REQUIRED, "A feature's kind is BUSINESS or ENABLER.", "kind")
        elif kind is FeatureKind.ENABLER and enabler_type is None:
            problems.add(
                ErrorCode.REQUIRED,
                "An enabler feature needs its enabler type (EXPLORATION, ARCHITECTURAL, "
                "INFRASTRUCTURE or COMPLIANCE).",
                "enabler_type",
            )
        elif kind is FeatureKind.BUSINESS and enabler_type is not None:
            problems.add(
                ErrorCode.INVALID_VALUE,
                "Only enabler features have an enabler type; "
                "leave it empty for a business feature.",
                "enabler_type",
            )
        out["kind"], out["enabler_type"] = kind, enabler_type

    for name, score in (
        ("user_business_value", c.user_business_value),
        ("time_criticality", c.time_criticality),
        ("risk_reduction", c.risk_reduction),
        ("job_size", c.job_size),
    ):
        if score is not UNSET:
            out[name] = validation.on_scale(problems, name, score, WSJF_SCALE, "WSJF")
    if c.rank is not UNSET and c.rank is not None:
        out["rank"] = validation.in_range(problems, "rank", c.rank, *RANK_RANGE, "")

    if c.owning_team_id is not UNSET:
        team = await refs.resolve(
            session, problems, Team, c.owning_team_id, "team", "owning_team_id"
        )
        if team is not None:
            refs.same_art(
                problems,
                "owning_team_id",
                "team",
                team.art_id,
                art.id,
                "a feature is owned by a team of its own ART",
            )
        out["owning_team_id"] = c.owning_team_id

    pi_id = _or(c.planning_interval_id, current.planning_interval_id if current else None)
    if c.planning_interval_id is not UNSET:
        pi = await refs.resolve(
            session, problems, PlanningInterval, pi_id, "planning interval", "planning_interval_id"
        )
        if pi is not None:
            refs.same_art(
                problems,
                "planning_interval_id",
                "planning interval",
                pi.art_id,
                art.id,
                "a feature is planned into a planning interval of its own ART",
            )
        out["planning_interval_id"] = pi_id
        if current is not None and pi_id != current.planning_interval_id:
            await _check_stories_follow(session, problems, current.id, pi_id)
    iteration_id = _or(c.iteration_id, current.iteration_id if current else None)
    if c.iteration_id is not UNSET or (
        c.planning_interval_id is not UNSET and iteration_id is not None
    ):
        await iterations.check_planned_iteration(
            session,
            problems,
            iteration_id,
            pi_id,
            field="iteration_id",
            is_feature_work=True,
            pi_owner="the feature",
            item="the feature",
        )
        out["iteration_id"] = iteration_id

    if c.dependencies_identified is not UNSET:
        already = current.dependencies_identified_at if current is not None else None
        identified_at = already or utcnow()
        out["dependencies_identified_at"] = identified_at if c.dependencies_identified else None

    component_ids = None
    if c.component_ids is not UNSET and c.component_ids is not None:
        component_ids = await components.check_touched(
            session, problems, art.id, c.component_ids, "component_ids"
        )
    problems.raise_if_any()
    return out, component_ids


async def _check_stories_follow(
    session: AsyncSession, problems: Problems, feature_id: int, pi_id: int | None
) -> None:
    """Moving a feature to another PI must not strand its stories in the old PI's iterations."""
    no_pi = pi_id is None
    stranded = await session.scalar(
        select(func.count())
        .select_from(Story)
        .join(Iteration, Iteration.id == Story.iteration_id)
        .where(
            Story.feature_id == feature_id,
            Story.archived_at.is_(None),
            or_(literal(no_pi), Iteration.planning_interval_id != pi_id),
        )
    )
    if stranded:
        problems.add(
            ErrorCode.WRONG_PLANNING_INTERVAL,
            f"{stranded} of this feature's stories are planned in iterations of its current "
            "planning interval; unplan or move them before moving the feature.",
            "planning_interval_id",
        )

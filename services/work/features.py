"""Features of an ART's backlog: WSJF, Kanban state, planning, components touched."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import filters, records, refs, validation
from services.core.enums import EnablerType, FeatureKind, FeatureState
from services.core.errors import DomainError, ErrorCode, Problems
from services.core.pagination import Ordering
from services.core.scales import WSJF_SCALE, cost_of_delay, wsjf
from services.models import (
    Art,
    Dependency,
    Feature,
    Iteration,
    PlanningInterval,
    Story,
    Team,
    utcnow,
)
from services.planning import intervals
from services.work import components, readiness

FIELDS = frozenset(
    {
        "key",
        "title",
        "description",
        "kind",
        "enabler_type",
        "state",
        "benefit_hypothesis",
        "acceptance_criteria",
        "user_business_value",
        "time_criticality",
        "risk_reduction",
        "job_size",
        "rank",
        "owning_team_id",
        "planning_interval_id",
        "iteration_id",
        "component_ids",
        "business_value_notes",
        "technical_assumptions",
        "dependencies_identified",
    }
)
WSJF_INPUTS = ("user_business_value", "time_criticality", "risk_reduction", "job_size")
RANK_RANGE = (1, 1_000_000_000)


def feature_ordering(field: str, descending: bool) -> Ordering:
    """Named feature sorts; WSJF breaks ties by rank (DOMAIN.md), every sort ends with the id."""
    if field == "WSJF":
        return Ordering(
            f"feature_wsjf_{'desc' if descending else 'asc'}",
            ((Feature.wsjf_sort, descending), (Feature.rank, False), (Feature.id, False)),
        )
    column = {"RANK": Feature.rank, "KEY": Feature.key, "CREATED_AT": Feature.id}[field]
    keys: tuple[tuple[Any, bool], ...] = ((column, descending),)
    if field != "CREATED_AT":
        keys += ((Feature.id, descending),)
    return Ordering(f"feature_{field.lower()}_{'desc' if descending else 'asc'}", keys)


@dataclass(frozen=True, slots=True)
class FeatureFilter:
    state: filters.Match[FeatureState] | None = None
    team: filters.Match[int] | None = None
    planning_interval: filters.Match[int] | None = None
    kind: filters.Match[FeatureKind] | None = None
    key: filters.Match[str] | None = None
    title: filters.Match[str] | None = None
    archived: bool | None = False


def feature_conditions(f: FeatureFilter) -> list[ColumnElement[bool]]:
    return [
        *filters.match(Feature.state, f.state, "state"),
        *filters.match(Feature.owning_team_id, f.team, "team"),
        *filters.match(Feature.planning_interval_id, f.planning_interval, "planningInterval"),
        *filters.match(Feature.kind, f.kind, "kind"),
        *filters.match(Feature.key, f.key, "key"),
        *filters.match(Feature.title, f.title, "title"),
        *filters.archived(Feature.archived_at, f.archived),
    ]


def _draft(
    values: Mapping[str, Any], current: Feature | None, name: str, default: Any = None
) -> Any:
    if name in values:
        return values[name]
    return getattr(current, name) if current is not None else default


async def _clean(
    session: AsyncSession, art: Art, values: Mapping[str, Any], current: Feature | None
) -> tuple[dict[str, Any], list[int] | None]:
    assert set(values) <= FIELDS, f"unexpected fields {set(values) - FIELDS}"
    problems = Problems()
    out: dict[str, Any] = {}
    creating = current is None

    if "key" in values or creating:
        key = validation.text(problems, "key", values.get("key"), max_len=24, required=True)
        key = validation.pattern(
            problems,
            "key",
            key,
            validation.ITEM_KEY_RE,
            "a prefix of 2-10 capital letters or digits, a dash and a number (e.g. PAY-12)",
        )
        if key is not None and (creating or key != current.key):  # type: ignore[union-attr]
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
    if "title" in values or creating:
        out["title"] = validation.text(
            problems, "title", values.get("title"), max_len=validation.TITLE_MAX, required=True
        )
    for name in (
        "description",
        "benefit_hypothesis",
        "business_value_notes",
        "technical_assumptions",
    ):
        if name in values:
            out[name] = validation.text(
                problems, name, values[name] or "", max_len=validation.LONG_TEXT_MAX
            )
    if "acceptance_criteria" in values:
        out["acceptance_criteria"] = validation.text_list(
            problems, "acceptance_criteria", values["acceptance_criteria"] or []
        )
    if "state" in values:
        if values["state"] is None:
            problems.add(ErrorCode.REQUIRED, "state cannot be cleared.", "state")
        out["state"] = values["state"]

    kind = _draft(values, current, "kind")
    enabler_type: EnablerType | None = _draft(values, current, "enabler_type")
    if "kind" in values or "enabler_type" in values or creating:
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

    for name in WSJF_INPUTS:
        if name in values:
            out[name] = validation.on_scale(problems, name, values[name], WSJF_SCALE, "WSJF")
    if "rank" in values and values["rank"] is not None:
        out["rank"] = validation.in_range(problems, "rank", values["rank"], *RANK_RANGE, "")

    if "owning_team_id" in values:
        team = await refs.resolve(
            session, problems, Team, values["owning_team_id"], "team", "owning_team_id"
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
        out["owning_team_id"] = values["owning_team_id"]

    pi_id = _draft(values, current, "planning_interval_id")
    if "planning_interval_id" in values:
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
    iteration_id = _draft(values, current, "iteration_id")
    if "iteration_id" in values or ("planning_interval_id" in values and iteration_id is not None):
        await intervals.check_planned_iteration(
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

    if "dependencies_identified" in values:
        identified = bool(values["dependencies_identified"])
        already = current.dependencies_identified_at if current is not None else None
        out["dependencies_identified_at"] = (already or utcnow()) if identified else None

    component_ids = None
    if values.get("component_ids") is not None:
        component_ids = await components.check_touched(
            session, problems, art.id, values["component_ids"], "component_ids"
        )
    problems.raise_if_any()
    return out, component_ids


UNREFINED = (FeatureState.FUNNEL, FeatureState.ANALYZING)


async def check_ready_to_leave_analysis(
    session: AsyncSession, feature: Feature, before: FeatureState
) -> None:
    """A feature leaves FUNNEL / ANALYZING for BACKLOG (or later) only when it meets its
    ART's Definition of Ready; the first time it does, it counts as refined."""
    if before not in UNREFINED or feature.state in UNREFINED:
        return
    found = (await readiness.feature_readiness(session, [feature.id]))[feature.id]
    if not found.ready:
        raise DomainError.single(
            ErrorCode.NOT_READY,
            f"{feature.key} cannot move to {feature.state.value}: it does not meet the "
            f"Definition of Ready. {found.text()}",
            "state",
        )
    if feature.refined_at is None:
        feature.refined_at = utcnow()


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


def _derive(feature: Feature) -> None:
    cod = cost_of_delay(
        feature.user_business_value, feature.time_criticality, feature.risk_reduction
    )
    feature.cost_of_delay = cod
    feature.wsjf = wsjf(cod, feature.job_size)
    feature.wsjf_sort = -1.0 if feature.wsjf is None else feature.wsjf


async def _next_rank(session: AsyncSession, art_id: int) -> int:
    highest: int | None = await session.scalar(
        select(func.max(Feature.rank)).where(Feature.art_id == art_id)
    )
    return (highest or 0) + 1


def edit_action(kind: FeatureKind | None) -> Action:
    """Enabler features are also the system architect's (architectural runway)."""
    return Action.EDIT_ENABLER if kind is FeatureKind.ENABLER else Action.EDIT_FEATURE


def require_edit(actor: Actor, art: Art, kind: FeatureKind | None) -> None:
    what = "enabler features" if kind is FeatureKind.ENABLER else "features"
    permissions.require(actor, edit_action(kind), art_id=art.id, where=f"({what} of ART {art.key})")


async def create_feature(
    session: AsyncSession, actor: Actor, art_id: int, values: Mapping[str, Any]
) -> Feature:
    permissions.require_write(actor)
    problems = Problems()
    art = await refs.resolve(session, problems, Art, art_id, "ART", "art_id")
    problems.raise_if_any()
    assert art is not None
    require_edit(actor, art, values.get("kind"))
    cleaned, component_ids = await _clean(session, art, values, None)
    defaults: dict[str, Any] = {
        "description": "",
        "benefit_hypothesis": "",
        "acceptance_criteria": [],
        "state": FeatureState.FUNNEL,
    }
    cleaned = {
        **defaults,
        **{k: v for k, v in cleaned.items() if v is not None or k not in defaults},
    }
    if cleaned.get("rank") is None:
        cleaned["rank"] = await _next_rank(session, art.id)
    feature = Feature(art_id=art.id, **cleaned)
    _derive(feature)
    session.add(feature)
    await records.flush(session, feature, "Feature")
    if component_ids:
        await components.set_feature_components(session, feature, component_ids)
        await records.flush(session, feature, "Feature")
    return feature


async def update_feature(
    session: AsyncSession, actor: Actor, feature_id: int, version: int, values: Mapping[str, Any]
) -> Feature:
    permissions.require_write(actor)
    feature = await records.load(session, Feature, feature_id, "feature")
    art = await records.load(session, Art, feature.art_id, "ART", allow_archived=True)
    require_edit(actor, art, feature.kind)
    if values.get("kind") not in (None, feature.kind):
        require_edit(actor, art, values["kind"])
    records.check_version(feature, version, "Feature")
    state_before = feature.state
    cleaned, component_ids = await _clean(session, art, values, feature)
    for name, value in cleaned.items():
        if name in {"description", "benefit_hypothesis"} and value is None:
            value = ""
        if name == "rank" and value is None:
            continue
        setattr(feature, name, value)
    _derive(feature)
    if component_ids is not None:
        await components.set_feature_components(session, feature, component_ids)
    await check_ready_to_leave_analysis(session, feature, state_before)
    # Touching the row bumps its version even when only its components changed.
    feature.updated_at = utcnow()
    await records.flush(session, feature, "Feature")
    return feature


async def archive_feature(
    session: AsyncSession, actor: Actor, feature_id: int, version: int
) -> Feature:
    """Archive a feature with its stories and every dependency that names either."""
    permissions.require_write(actor)
    feature = await records.load(session, Feature, feature_id, "feature")
    art = await records.load(session, Art, feature.art_id, "ART", allow_archived=True)
    require_edit(actor, art, feature.kind)
    await records.archive(session, feature, version, "Feature")
    now = utcnow()
    stories = list(
        await session.scalars(
            select(Story).where(Story.feature_id == feature_id, Story.archived_at.is_(None))
        )
    )
    story_ids = [s.id for s in stories]
    for dependency in await session.scalars(
        select(Dependency).where(
            Dependency.archived_at.is_(None),
            or_(
                Dependency.dependent_feature_id == feature_id,
                Dependency.prerequisite_feature_id == feature_id,
                Dependency.dependent_story_id.in_(story_ids),
                Dependency.prerequisite_story_id.in_(story_ids),
            ),
        )
    ):
        dependency.archived_at = now
    for story in stories:
        story.archived_at = now
    await records.flush(session, feature, "Feature")
    return feature

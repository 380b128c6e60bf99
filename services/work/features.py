"""Features of an ART's backlog: WSJF, Kanban state, planning, components touched."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import filters, records, refs
from services.core.enums import EnablerType, FeatureKind, FeatureState
from services.core.errors import DomainError, ErrorCode, Problems
from services.core.inputs import UNSET, Maybe
from services.core.pagination import Ordering
from services.core.scales import cost_of_delay, wsjf
from services.history import audit
from services.models import Art, Dependency, Feature, Story, utcnow
from services.work import components, feature_checks, kanban, readiness


@dataclass(frozen=True, slots=True, kw_only=True)
class _FeatureFields:
    """What a new feature and a change to one share: all but the key, title and kind.
    UNSET: not given; None: empty (or cleared)."""

    enabler_type: Maybe[EnablerType | None] = UNSET
    description: Maybe[str | None] = UNSET
    state: Maybe[FeatureState | None] = UNSET
    benefit_hypothesis: Maybe[str | None] = UNSET
    acceptance_criteria: Maybe[list[str] | None] = UNSET
    business_value_notes: Maybe[str | None] = UNSET
    technical_assumptions: Maybe[str | None] = UNSET
    dependencies_identified: Maybe[bool | None] = UNSET
    user_business_value: Maybe[int | None] = UNSET
    time_criticality: Maybe[int | None] = UNSET
    risk_reduction: Maybe[int | None] = UNSET
    job_size: Maybe[int | None] = UNSET
    rank: Maybe[int | None] = UNSET
    owning_team_id: Maybe[int | None] = UNSET
    planning_interval_id: Maybe[int | None] = UNSET
    iteration_id: Maybe[int | None] = UNSET
    component_ids: Maybe[list[int] | None] = UNSET


@dataclass(frozen=True, slots=True, kw_only=True)
class FeatureDraft(_FeatureFields):
    """A new feature of an ART's backlog."""

    key: str
    title: str
    kind: FeatureKind


@dataclass(frozen=True, slots=True, kw_only=True)
class FeatureChanges(_FeatureFields):
    """Changes to a feature; what is UNSET stays as it is."""

    key: Maybe[str | None] = UNSET
    title: Maybe[str | None] = UNSET
    kind: Maybe[FeatureKind | None] = UNSET
    # Why the state changes: required to move back to an earlier state; the history keeps it.
    state_reason: Maybe[str | None] = UNSET


def feature_ordering(field: str, descending: bool) -> Ordering:
    """Named feature sorts; WSJF breaks ties by rank (services/DOMAIN.md); each ends with the id."""
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
        *filters.match(Feature.planning_interval_id, f.planning_interval, "planning_interval"),
        *filters.match(Feature.kind, f.kind, "kind"),
        *filters.match(Feature.key, f.key, "key"),
        *filters.match(Feature.title, f.title, "title"),
        *filters.archived(Feature.archived_at, f.archived),
    ]


UNREFINED = (FeatureState.FUNNEL, FeatureState.ANALYZING)


async def check_ready(session: AsyncSession, feature: Feature, before: FeatureState | None) -> None:
    """A feature created in BACKLOG or later (`before` None), or leaving FUNNEL / ANALYZING
    for one of them, meets its ART's Definition of Ready. The first time one leaves analysis
    it counts as refined; one created refined was refined elsewhere (an import), so it does
    not count among the features refined here."""
    if feature.state in UNREFINED or (before is not None and before not in UNREFINED):
        return
    found = (await readiness.feature_readiness(session, [feature.id]))[feature.id]
    if not found.ready:
        verb = "be created in" if before is None else "move to"
        raise DomainError.single(
            ErrorCode.NOT_READY,
            f"{feature.key} cannot {verb} {feature.state.value}: it does not meet the "
            f"Definition of Ready. {found.text()}",
            "state",
        )
    if before is not None and feature.refined_at is None:
        feature.refined_at = utcnow()


def _given(value: Maybe[str | None]) -> str | None:
    return None if value is UNSET else value


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
    session: AsyncSession, actor: Actor, art_id: int, draft: FeatureDraft
) -> Feature:
    permissions.require_write(actor)
    problems = Problems()
    art = await refs.resolve(session, problems, Art, art_id, "ART", "art_id")
    problems.raise_if_any()
    assert art is not None
    require_edit(actor, art, draft.kind)
    cleaned, component_ids = await feature_checks.check(session, art, draft, None)
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
    await kanban.check_wip(session, art, cleaned["key"], cleaned["state"], None)
    if cleaned.get("rank") is None:
        cleaned["rank"] = await _next_rank(session, art.id)
    feature = Feature(art_id=art.id, **cleaned)
    _derive(feature)
    session.add(feature)
    await records.flush(session, feature, "Feature")
    if component_ids:
        await components.set_feature_components(session, feature, component_ids)
        await records.flush(session, feature, "Feature")
    # Readiness reads what was just written; a refusal rolls the whole creation back.
    await check_ready(session, feature, None)
    return feature


async def update_feature(
    session: AsyncSession, actor: Actor, feature_id: int, version: int, changes: FeatureChanges
) -> Feature:
    permissions.require_write(actor)
    feature = await records.load(session, Feature, feature_id, "feature")
    art = await records.load(session, Art, feature.art_id, "ART", allow_archived=True)
    require_edit(actor, art, feature.kind)
    if changes.kind is not UNSET and changes.kind not in (None, feature.kind):
        require_edit(actor, art, changes.kind)
    records.check_version(feature, version, "Feature")
    state_before = feature.state
    problems = Problems()
    reason = kanban.reason_given(problems, "state_reason", _given(changes.state_reason))
    moved_to = None if changes.state is UNSET else changes.state
    kanban.check_move(problems, feature.key, state_before, moved_to, reason)
    cleaned, component_ids = await feature_checks.check(session, art, changes, feature, problems)
    if moved_to is not None and moved_to is not state_before:
        await kanban.check_wip(session, art, feature.key, moved_to, feature.id)
        if reason is not None:
            audit.give_reason(session, feature, reason)
    for name, value in cleaned.items():
        if name in {"description", "benefit_hypothesis"} and value is None:
            value = ""
        if name == "rank" and value is None:
            continue
        setattr(feature, name, value)
    _derive(feature)
    if component_ids is not None and await components.set_feature_components(
        session, feature, component_ids
    ):
        records.touch(feature)  # its components are part of it: the version goes up
    await check_ready(session, feature, state_before)
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

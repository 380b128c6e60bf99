"""Dependencies between plan items: "dependent depends on prerequisite", across teams and ARTs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services import access, features, filters, records, refs, stories, validation
from services.access import Actor
from services.enums import DependencyType, WorkItemType
from services.errors import ErrorCode, Problems
from services.models import Art, Dependency, Feature, Iteration, PlanningInterval, Story
from services.pagination import Ordering

DEPENDENCY_ORDER = Ordering("dependency", ((Dependency.id, False),))
FIELDS = frozenset({"type", "needed_by_iteration_id", "note"})


@dataclass(frozen=True, slots=True)
class ItemRef:
    type: WorkItemType
    id: int


@dataclass(frozen=True, slots=True)
class DependencyFilter:
    type: filters.Match[DependencyType] | None = None
    archived: bool | None = False


def dependency_conditions(f: DependencyFilter) -> list[ColumnElement[bool]]:
    return [
        *filters.match(Dependency.type, f.type, "type"),
        *filters.archived(Dependency.archived_at, f.archived),
    ]


def of_art(art_id: int) -> ColumnElement[bool]:
    return or_(Dependency.dependent_art_id == art_id, Dependency.prerequisite_art_id == art_id)


@dataclass(frozen=True, slots=True)
class _Item:
    ref: ItemRef
    art_id: int
    feature_id: int  # the item itself for a feature, its parent for a story
    pi_id: int | None
    label: str


async def _item(
    session: AsyncSession, problems: Problems, ref: ItemRef, field: str
) -> _Item | None:
    if ref.type is WorkItemType.FEATURE:
        feature = await refs.resolve(session, problems, Feature, ref.id, "feature", field)
        if feature is None:
            return None
        return _Item(ref, feature.art_id, feature.id, feature.planning_interval_id, feature.key)
    story = await refs.resolve(session, problems, Story, ref.id, "story", field)
    if story is None:
        return None
    parent = await session.get(Feature, story.feature_id)
    assert parent is not None
    return _Item(ref, parent.art_id, parent.id, parent.planning_interval_id, story.key)


async def _check_needed_by(
    session: AsyncSession, problems: Problems, iteration_id: int | None, dependent: _Item
) -> None:
    field = "needed_by_iteration_id"
    iteration = await refs.resolve(session, problems, Iteration, iteration_id, "iteration", field)
    if iteration is None:
        return
    if dependent.pi_id is not None:
        if iteration.planning_interval_id != dependent.pi_id:
            problems.add(
                ErrorCode.WRONG_PLANNING_INTERVAL,
                f"{field}: that iteration is not in the planning interval {dependent.label} is "
                "planned in.",
                field,
            )
        return
    pi = await session.get(PlanningInterval, iteration.planning_interval_id)
    if pi is not None and pi.art_id != dependent.art_id:
        problems.add(
            ErrorCode.WRONG_ART,
            f"{field}: that iteration belongs to another ART than {dependent.label}.",
            field,
        )


def _check_ends(problems: Problems, dependent: _Item, prerequisite: _Item) -> bool:
    if dependent.ref == prerequisite.ref:
        problems.add(
            ErrorCode.SELF_DEPENDENCY,
            f"{dependent.label} cannot depend on itself.",
            "prerequisite_id",
        )
        return False
    kinds = {dependent.ref.type, prerequisite.ref.type}
    if (
        kinds == {WorkItemType.FEATURE, WorkItemType.STORY}
        and dependent.feature_id == prerequisite.feature_id
    ):
        problems.add(
            ErrorCode.PARENT_CHILD_DEPENDENCY,
            f"{dependent.label} and {prerequisite.label} are a feature and one of its own stories; "
            "a feature is delivered by its stories, so one cannot depend on the other.",
            "prerequisite_id",
        )
        return False
    return True


def _end_columns(ref: ItemRef, side: str) -> dict[str, int | None]:
    feature = ref.id if ref.type is WorkItemType.FEATURE else None
    story = ref.id if ref.type is WorkItemType.STORY else None
    return {f"{side}_feature_id": feature, f"{side}_story_id": story}


async def require_edit(session: AsyncSession, actor: Actor, dependent: ItemRef) -> None:
    """Whoever may change the dependent item declares what it depends on."""
    if dependent.type is WorkItemType.FEATURE:
        feature = await session.get(Feature, dependent.id)
        art = None if feature is None else await session.get(Art, feature.art_id)
        if feature is not None and art is not None:
            features.require_edit(actor, art, feature.kind)
    else:
        story = await session.get(Story, dependent.id)
        if story is not None:
            await stories.require_team(session, actor, story.team_id)


async def create_dependency(
    session: AsyncSession,
    actor: Actor,
    dependent_ref: ItemRef,
    prerequisite_ref: ItemRef,
    values: Mapping[str, Any],
) -> Dependency:
    assert set(values) <= FIELDS
    access.require_write(actor)
    await require_edit(session, actor, dependent_ref)
    problems = Problems()
    dependent = await _item(session, problems, dependent_ref, "dependent_id")
    prerequisite = await _item(session, problems, prerequisite_ref, "prerequisite_id")
    note = validation.text(
        problems, "note", values.get("note") or "", max_len=validation.SHORT_TEXT_MAX
    )
    problems.raise_if_any()
    assert dependent is not None
    assert prerequisite is not None
    if _check_ends(problems, dependent, prerequisite):
        columns = {
            **_end_columns(dependent_ref, "dependent"),
            **_end_columns(prerequisite_ref, "prerequisite"),
        }
        existing = await session.scalar(
            select(Dependency.id).where(
                Dependency.archived_at.is_(None),
                *[
                    getattr(Dependency, name) == value
                    if value is not None
                    else getattr(Dependency, name).is_(None)
                    for name, value in columns.items()
                ],
            )
        )
        if existing is not None:
            problems.add(
                ErrorCode.DUPLICATE_DEPENDENCY,
                f"{dependent.label} already depends on {prerequisite.label}.",
                "prerequisite_id",
            )
    await _check_needed_by(session, problems, values.get("needed_by_iteration_id"), dependent)
    problems.raise_if_any()
    dependency = Dependency(
        **_end_columns(dependent_ref, "dependent"),
        **_end_columns(prerequisite_ref, "prerequisite"),
        dependent_art_id=dependent.art_id,
        prerequisite_art_id=prerequisite.art_id,
        type=values.get("type") or DependencyType.BLOCKS,
        needed_by_iteration_id=values.get("needed_by_iteration_id"),
        note=note or "",
    )
    session.add(dependency)
    await records.flush(session, dependency, "Dependency")
    return dependency


def dependent_ref(dependency: Dependency) -> ItemRef:
    if dependency.dependent_feature_id is not None:
        return ItemRef(WorkItemType.FEATURE, dependency.dependent_feature_id)
    assert dependency.dependent_story_id is not None
    return ItemRef(WorkItemType.STORY, dependency.dependent_story_id)


async def update_dependency(
    session: AsyncSession, actor: Actor, dependency_id: int, version: int, values: Mapping[str, Any]
) -> Dependency:
    assert set(values) <= FIELDS
    access.require_write(actor)
    dependency = await records.load(session, Dependency, dependency_id, "dependency")
    await require_edit(session, actor, dependent_ref(dependency))
    records.check_version(dependency, version, "Dependency")
    problems = Problems()
    if "note" in values:
        dependency_note = validation.text(
            problems, "note", values["note"] or "", max_len=validation.SHORT_TEXT_MAX
        )
    if "type" in values and values["type"] is None:
        problems.add(ErrorCode.REQUIRED, "type cannot be cleared (BLOCKS or RELATES).", "type")
    if values.get("needed_by_iteration_id") is not None:
        dependent = await _item(session, problems, dependent_ref(dependency), "dependent_id")
        if dependent is not None:
            await _check_needed_by(session, problems, values["needed_by_iteration_id"], dependent)
    problems.raise_if_any()
    if "note" in values:
        dependency.note = dependency_note or ""
    if "type" in values:
        dependency.type = values["type"]
    if "needed_by_iteration_id" in values:
        dependency.needed_by_iteration_id = values["needed_by_iteration_id"]
    await records.flush(session, dependency, "Dependency")
    return dependency


async def archive_dependency(
    session: AsyncSession, actor: Actor, dependency_id: int, version: int
) -> Dependency:
    access.require_write(actor)
    dependency = await records.load(session, Dependency, dependency_id, "dependency")
    await require_edit(session, actor, dependent_ref(dependency))
    await records.archive(session, dependency, version, "Dependency")
    return dependency

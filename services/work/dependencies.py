"""Dependencies between plan items: "dependent depends on prerequisite", across teams and ARTs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Actor
from services.core import filters, records, refs, validation
from services.core.enums import DependencyType, WorkItemType
from services.core.errors import ErrorCode, Problems, at
from services.core.inputs import UNSET, Maybe
from services.core.pagination import Ordering
from services.models import Art, Dependency, Feature, Iteration, PlanningInterval, Story, node_of
from services.work import cycles, features, stories

DEPENDENCY_ORDER = Ordering("dependency", ((Dependency.id, False),))
T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class DependencyDraft:
    """What a new dependency says besides its two ends (UNSET: the default)."""

    type: Maybe[DependencyType | None] = UNSET  # default BLOCKS
    needed_by_iteration_id: Maybe[int | None] = UNSET
    note: Maybe[str | None] = UNSET


@dataclass(frozen=True, slots=True, kw_only=True)
class DependencyChanges:
    """Changes to a dependency; what is UNSET stays as it is."""

    type: Maybe[DependencyType | None] = UNSET
    needed_by_iteration_id: Maybe[int | None] = UNSET
    note: Maybe[str | None] = UNSET


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


def _given(value: Maybe[T]) -> T | None:
    return None if value is UNSET else value


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
                at(
                    field,
                    f": that iteration is not in the planning interval {dependent.label} is "
                    "planned in.",
                ),
                field,
            )
        return
    pi = await session.get(PlanningInterval, iteration.planning_interval_id)
    if pi is not None and pi.art_id != dependent.art_id:
        problems.add(
            ErrorCode.WRONG_ART,
            at(field, f": that iteration belongs to another ART than {dependent.label}."),
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
    draft: DependencyDraft,
) -> Dependency:
    permissions.require_write(actor)
    await require_edit(session, actor, dependent_ref)
    problems = Problems()
    dependent = await _item(session, problems, dependent_ref, "dependent_id")
    prerequisite = await _item(session, problems, prerequisite_ref, "prerequisite_id")
    note = validation.text(
        problems, "note", _given(draft.note) or "", max_len=validation.SHORT_TEXT_MAX
    )
    problems.raise_if_any()
    assert dependent is not None
    assert prerequisite is not None
    dependent_node, prerequisite_node = node(dependent_ref), node(prerequisite_ref)
    kind = _given(draft.type) or DependencyType.BLOCKS
    if _check_ends(problems, dependent, prerequisite):
        existing = await session.scalar(
            select(Dependency.id).where(
                Dependency.archived_at.is_(None),
                Dependency.dependent_node == dependent_node,
                Dependency.prerequisite_node == prerequisite_node,
            )
        )
        if existing is not None:
            problems.add(
                ErrorCode.DUPLICATE_DEPENDENCY,
                f"{dependent.label} already depends on {prerequisite.label}.",
                "prerequisite_id",
            )
        elif kind is DependencyType.BLOCKS:
            await cycles.check_no_cycle(session, problems, dependent_node, prerequisite_node)
    needed_by = _given(draft.needed_by_iteration_id)
    await _check_needed_by(session, problems, needed_by, dependent)
    problems.raise_if_any()
    dependency = Dependency(
        **_end_columns(dependent_ref, "dependent"),
        **_end_columns(prerequisite_ref, "prerequisite"),
        dependent_art_id=dependent.art_id,
        prerequisite_art_id=prerequisite.art_id,
        dependent_node=dependent_node,
        prerequisite_node=prerequisite_node,
        type=kind,
        needed_by_iteration_id=needed_by,
        note=note or "",
    )
    session.add(dependency)
    await records.flush(session, dependency, "Dependency")
    return dependency


def node(ref: ItemRef) -> int:
    if ref.type is WorkItemType.FEATURE:
        return node_of(ref.id, None)
    return node_of(None, ref.id)


def dependent_ref(dependency: Dependency) -> ItemRef:
    if dependency.dependent_feature_id is not None:
        return ItemRef(WorkItemType.FEATURE, dependency.dependent_feature_id)
    assert dependency.dependent_story_id is not None
    return ItemRef(WorkItemType.STORY, dependency.dependent_story_id)


async def update_dependency(
    session: AsyncSession,
    actor: Actor,
    dependency_id: int,
    version: int,
    changes: DependencyChanges,
) -> Dependency:
    permissions.require_write(actor)
    dependency = await records.load(session, Dependency, dependency_id, "dependency")
    await require_edit(session, actor, dependent_ref(dependency))
    records.check_version(dependency, version, "Dependency")
    problems = Problems()
    note = None
    if changes.note is not UNSET:
        note = validation.text(
            problems, "note", changes.note or "", max_len=validation.SHORT_TEXT_MAX
        )
    if changes.type is None:
        problems.add(
            ErrorCode.REQUIRED, at("type", " cannot be cleared (BLOCKS or RELATES)."), "type"
        )
    elif changes.type is DependencyType.BLOCKS and dependency.type is not DependencyType.BLOCKS:
        await cycles.check_no_cycle(
            session, problems, dependency.dependent_node, dependency.prerequisite_node
        )
    needed_by = changes.needed_by_iteration_id
    if needed_by is not UNSET and needed_by is not None:
        dependent = await _item(session, problems, dependent_ref(dependency), "dependent_id")
        if dependent is not None:
            await _check_needed_by(session, problems, needed_by, dependent)
    problems.raise_if_any()
    if changes.note is not UNSET:
        dependency.note = note or ""
    if changes.type is not UNSET and changes.type is not None:
        dependency.type = changes.type
    if needed_by is not UNSET:
        dependency.needed_by_iteration_id = needed_by
    await records.flush(session, dependency, "Dependency")
    return dependency


async def archive_dependency(
    session: AsyncSession, actor: Actor, dependency_id: int, version: int
) -> Dependency:
    permissions.require_write(actor)
    dependency = await records.load(session, Dependency, dependency_id, "dependency")
    await require_edit(session, actor, dependent_ref(dependency))
    await records.archive(session, dependency, version, "Dependency")
    return dependency

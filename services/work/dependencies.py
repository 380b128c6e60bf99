"""Dependencies between plan items: "dependent depends on prerequisite", across teams and ARTs."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    and_,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from graph.cycles import closing_cycle
from services.access import permissions
from services.access.permissions import Actor
from services.core import filters, records, refs, validation
from services.core.enums import DependencyType, WorkItemType
from services.core.errors import ErrorCode, Problems
from services.core.pagination import Ordering
from services.models import Art, Dependency, Feature, Iteration, PlanningInterval, Story, node_of
from services.work import features, stories

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
    permissions.require_write(actor)
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
    dependent_node, prerequisite_node = node(dependent_ref), node(prerequisite_ref)
    kind = values.get("type") or DependencyType.BLOCKS
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
            await check_no_cycle(session, problems, dependent_node, prerequisite_node)
    await _check_needed_by(session, problems, values.get("needed_by_iteration_id"), dependent)
    problems.raise_if_any()
    dependency = Dependency(
        **_end_columns(dependent_ref, "dependent"),
        **_end_columns(prerequisite_ref, "prerequisite"),
        dependent_art_id=dependent.art_id,
        prerequisite_art_id=prerequisite.art_id,
        dependent_node=dependent_node,
        prerequisite_node=prerequisite_node,
        type=kind,
        needed_by_iteration_id=values.get("needed_by_iteration_id"),
        note=note or "",
    )
    session.add(dependency)
    await records.flush(session, dependency, "Dependency")
    return dependency


def node(ref: ItemRef) -> int:
    if ref.type is WorkItemType.FEATURE:
        return node_of(ref.id, None)
    return node_of(None, ref.id)


def _steps(reach: Any, dialect: str) -> tuple[Any, Any]:
    """The live blocking edges out of each node of `reach`: (from clause, prerequisite column).

    On PostgreSQL as a LATERAL subquery kept apart by OFFSET 0, so each node's edges are one
    lookup in the walk index; left to itself the planner estimates the walk at a few rows
    and scans the whole table at every step of the recursion."""
    edge = aliased(Dependency)
    # The type inline (not a bound parameter), so the partial walk index matches every plan.
    blocks = literal(DependencyType.BLOCKS, edge.type.type, literal_execute=True)
    live = (edge.archived_at.is_(None), edge.type == blocks)
    if dialect == "postgresql":
        step = (
            select(edge.prerequisite_node)
            .where(edge.dependent_node == reach.c.node, *live)
            .offset(0)
            .lateral("step")
        )
        return reach.join(step, true()), step.c.prerequisite_node
    return reach.join(
        edge, and_(edge.dependent_node == reach.c.node, *live)
    ), edge.prerequisite_node


@functools.cache
def _closing_walk(dialect: str) -> Any:
    """One query: walk what :prerequisite (transitively) depends on, stopping as soon as it
    reaches :dependent; when it does, the edges of the whole walk as one JSON array of
    [from, to] pairs (to name the cycle), else nothing.

    The walk is a recursive CTE read twice, so it is computed once; the edges are only read
    when the (one-time) hit test passes. Built once per dialect."""
    start = bindparam("prerequisite", type_=BigInteger)
    reach = select(start.label("node")).cte("reach", recursive=True)
    joined, step = _steps(reach, dialect)
    reach = reach.union(select(step).select_from(joined))
    hit = (
        select(reach.c.node)
        .where(reach.c.node == bindparam("dependent", type_=BigInteger))
        .limit(1)
        .cte("hit")
    )
    joined, step = _steps(reach, dialect)
    pair = (func.json_build_array if dialect == "postgresql" else func.json_array)(
        reach.c.node, step
    )
    edges = func.json_agg(pair) if dialect == "postgresql" else func.json_group_array(pair)
    return select(edges).select_from(joined).where(exists(select(hit.c.node)))


async def check_no_cycle(
    session: AsyncSession, problems: Problems, dependent_node: int, prerequisite_node: int
) -> None:
    """Refuse a blocking dependency that would close a cycle, naming the whole cycle.

    Local: one recursive query walks what the new prerequisite already depends on, and stops
    as soon as it reaches the dependent; only then does it return the edges of that walk, and
    the (shortest) cycle is named from them."""
    dialect = session.get_bind().dialect.name
    found = await session.scalar(
        _closing_walk(dialect), {"dependent": dependent_node, "prerequisite": prerequisite_node}
    )
    pairs = json.loads(found) if isinstance(found, str) else found
    if not pairs:  # PostgreSQL aggregates nothing to NULL, SQLite to []
        return
    cycle = closing_cycle(((int(a), int(b)) for a, b in pairs), dependent_node, prerequisite_node)
    assert cycle is not None
    keys = await _keys(session, cycle)
    names = [keys[n] for n in cycle]
    problems.add(
        ErrorCode.CYCLE,
        f"{names[0]} cannot depend on {names[1]}: that would close the cycle "
        f"{' -> '.join([*names, names[0]])}.",
        "prerequisite_id",
    )


# The keys of dependency ends by node number, in one statement built once.
_KEYS = union_all(
    select((Feature.id * 2).label("node"), Feature.key).where(
        Feature.id.in_(bindparam("features", expanding=True))
    ),
    select((Story.id * 2 + 1).label("node"), Story.key).where(
        Story.id.in_(bindparam("stories", expanding=True))
    ),
)


async def _keys(session: AsyncSession, nodes: list[int]) -> dict[int, str]:
    features = [n // 2 for n in nodes if n % 2 == 0]
    stories = [n // 2 for n in nodes if n % 2 == 1]
    rows = await session.execute(_KEYS, {"features": features, "stories": stories})
    return {node: key for node, key in rows.all()}  # noqa: C416 (rows, not pairs)


def dependent_ref(dependency: Dependency) -> ItemRef:
    if dependency.dependent_feature_id is not None:
        return ItemRef(WorkItemType.FEATURE, dependency.dependent_feature_id)
    assert dependency.dependent_story_id is not None
    return ItemRef(WorkItemType.STORY, dependency.dependent_story_id)


async def update_dependency(
    session: AsyncSession, actor: Actor, dependency_id: int, version: int, values: Mapping[str, Any]
) -> Dependency:
    assert set(values) <= FIELDS
    permissions.require_write(actor)
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
    elif (
        values.get("type") is DependencyType.BLOCKS and dependency.type is not DependencyType.BLOCKS
    ):
        await check_no_cycle(
            session, problems, dependency.dependent_node, dependency.prerequisite_node
        )
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
    permissions.require_write(actor)
    dependency = await records.load(session, Dependency, dependency_id, "dependency")
    await require_edit(session, actor, dependent_ref(dependency))
    await records.archive(session, dependency, version, "Dependency")
    return dependency

"""A generated plan in PostgreSQL and back: asyncpg COPY into the real tables (no ORM, no
API), and a plain asyncpg loader that builds the `graph.model.Plan` from the rows.

The loader is the benchmark's baseline for "load the plan from the database": one query
per kind of row, filtered by ART, turned into the engine's plain data. Mapping (the same
in both directions, so a seeded plan loads back equal):

- item ids: feature n is "F<n>", story n is "S<n>"; dependency n is "D<n>", component n
  "C<n>", milestone n "M<n>".
- a slot is (the planning interval's order by start date, the iteration's index).
- feature: done = state DONE, movable = state before IMPLEMENTING, business value 0 when not
  scored (features are all feature work, as graph.model.Item says). Story: done = status DONE, movable = status BACKLOG,
  feature_work = USER_STORY, estimate = points.
- a milestone's slot is the iteration its date falls in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from collections.abc import Sequence
from typing import Any

import asyncpg

from graph.model import Component, Dependency, Item, ItemKind, Iteration, Milestone, Plan, Slot
from tests.perf.graph_plans import REGULAR, WEEKS_PER_ITERATION, Generated

FIRST_DAY = dt.date(2027, 1, 4)
COMMON = ("created_at", "updated_at", "archived_at", "version")
COLUMNS: dict[str, tuple[str, ...]] = {
    "arts": ("id", "key", "name", "description"),
    "teams": ("id", "art_id", "key", "name", "description", "is_shared_services", "tshirt_points"),
    "planning_intervals": ("id", "art_id", "name", "start_date", "end_date"),
    "iterations": (
        "id",
        "planning_interval_id",
        "index",
        "name",
        "start_date",
        "end_date",
        "kind",
    ),
    "features": (
        "id",
        "art_id",
        "key",
        "title",
        "description",
        "kind",
        "enabler_type",
        "state",
        "benefit_hypothesis",
        "acceptance_criteria",
        "user_business_value",
        "wsjf",
        "wsjf_sort",
        "rank",
        "owning_team_id",
        "planning_interval_id",
        "iteration_id",
    ),
    "stories": (
        "id",
        "feature_id",
        "team_id",
        "key",
        "title",
        "description",
        "kind",
        "acceptance_criteria",
        "points",
        "status",
        "is_blocked",
        "blocked_reason",
        "iteration_id",
        "rank",
    ),
    "components": ("id", "art_id", "name", "kind", "description", "owning_team_id"),
    "feature_components": ("feature_id", "component_id"),
    "story_components": ("story_id", "component_id"),
    "dependencies": (
        "id",
        "dependent_feature_id",
        "dependent_story_id",
        "prerequisite_feature_id",
        "prerequisite_story_id",
        "dependent_art_id",
        "prerequisite_art_id",
        "dependent_node",
        "prerequisite_node",
        "type",
        "needed_by_iteration_id",
        "note",
    ),
    "team_capacities": ("id", "team_id", "iteration_id", "points"),
    "milestones": ("id", "planning_interval_id", "name", "date", "kind", "description"),
}
PLAIN_TABLES = frozenset({"feature_components", "story_components"})  # no Editable columns
MILESTONE_KINDS = ("SYSTEM_DEMO", "SYSTEM_DEMO", "RELEASE", "PI_PLANNING")


def number(item_id: str) -> int:
    return int(item_id[1:])


def node(item_id: str) -> int:
    """The dependency end as the cycle guard numbers it (services.models.node_of)."""
    return number(item_id) * 2 + (item_id[0] == "S")


def _iteration_days(pi: int, index: int) -> tuple[dt.date, dt.date]:
    days = 7 * WEEKS_PER_ITERATION
    first = FIRST_DAY + dt.timedelta(days=days * ((pi - 1) * (REGULAR + 1) + index - 1))
    return first, first + dt.timedelta(days=days - 1)


def plan_rows(generated: Generated) -> dict[str, list[tuple[Any, ...]]]:
    """Rows per table, in COLUMNS order (without the common Editable columns)."""
    plan = generated.plan
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in COLUMNS}
    art_id = {key: n + 1 for n, key in enumerate(generated.arts)}
    team_id = {team.label: n + 1 for n, team in enumerate(generated.teams)}
    for key, n in art_id.items():
        rows["arts"].append((n, key, f"Benchmark train {key}", ""))
    for n, team in enumerate(generated.teams, start=1):
        name = team.label
        rows["teams"].append((n, team.art + 1, team.key, name, "", False, "{}"))
    pi_id: dict[tuple[int, int], int] = {}  # (art id, PI order) -> id
    iteration_id: dict[tuple[int, Slot], int] = {}  # (art id, slot) -> id
    slots = sorted({it.slot for it in plan.iterations})
    orders = sorted({s[0] for s in slots})
    for a in art_id.values():
        for order in orders:
            start, _ = _iteration_days(order, 1)
            _, end = _iteration_days(order, REGULAR + 1)
            pi_id[(a, order)] = len(pi_id) + 1
            rows["planning_intervals"].append(
                (pi_id[(a, order)], a, f"PI 2027.{order}", start, end)
            )
        for it in plan.iterations:
            first, last = _iteration_days(*it.slot)
            iteration_id[(a, it.slot)] = len(iteration_id) + 1
            rows["iterations"].append(
                (
                    iteration_id[(a, it.slot)],
                    pi_id[(a, it.slot[0])],
                    it.slot[1],
                    it.label,
                    first,
                    last,
                    "IP" if it.ip else "REGULAR",
                )
            )
    criteria = json.dumps(["Given the board, when it loads, then every item shows."])
    for item in plan.items:
        a = art_id[item.art]
        iteration = None if item.slot is None else iteration_id[(a, item.slot)]
        owner_id = None if item.team is None else team_id[item.team]
        if item.kind is ItemKind.FEATURE:
            state = "DONE" if item.done else ("BACKLOG" if item.movable else "IMPLEMENTING")
            rows["features"].append(
                (
                    number(item.id),
                    a,
                    item.key,
                    f"Feature {item.key}",
                    "",
                    "BUSINESS",
                    None,
                    state,
                    "",
                    criteria,
                    item.business_value if item.wsjf is not None else None,
                    item.wsjf,
                    item.wsjf if item.wsjf is not None else -1.0,
                    item.rank,
                    owner_id,
                    None if item.slot is None else pi_id[(a, item.slot[0])],
                    iteration,
                )
            )
        else:
            assert item.parent is not None
            status = "DONE" if item.done else ("BACKLOG" if item.movable else "IN_PROGRESS")
            rows["stories"].append(
                (
                    number(item.id),
                    number(item.parent),
                    owner_id,
                    item.key,
                    f"Story {item.key}",
                    "",
                    "USER_STORY" if item.feature_work else "ENABLER",
                    criteria,
                    item.estimate,
                    status,
                    False,
                    "",
                    iteration,
                    item.rank,
                )
            )
    for c in plan.components:
        owner = None if c.owner is None else team_id[c.owner]
        a = generated.component_arts[c.id] + 1
        rows["components"].append((number(c.id), a, c.name, "SERVICE", "", owner))
    for item_id, component in plan.touches:
        table = "feature_components" if item_id[0] == "F" else "story_components"
        rows[table].append((number(item_id), number(component)))
    by_id = plan.by_id
    for d in plan.dependencies:
        x, y = by_id[d.dependent], by_id[d.prerequisite]
        dependent_art = art_id[x.art]
        needed_by = None if d.needed_by is None else iteration_id[(dependent_art, d.needed_by)]
        rows["dependencies"].append(
            (
                number(d.id),
                number(x.id) if x.kind is ItemKind.FEATURE else None,
                number(x.id) if x.kind is ItemKind.STORY else None,
                number(y.id) if y.kind is ItemKind.FEATURE else None,
                number(y.id) if y.kind is ItemKind.STORY else None,
                dependent_art,
                art_id[y.art],
                node(x.id),
                node(y.id),
                "BLOCKS" if d.blocks else "RELATES",
                needed_by,
                "",
            )
        )
    team_art = {team.label: team.art + 1 for team in generated.teams}
    for (label, slot), points in plan.capacity.items():
        rows["team_capacities"].append(
            (
                len(rows["team_capacities"]) + 1,
                team_id[label],
                iteration_id[(team_art[label], slot)],
                points,
            )
        )
    for n, m in enumerate(plan.milestones):
        a = generated.milestone_arts[m.id] + 1
        first, _ = _iteration_days(*m.slot)
        rows["milestones"].append(
            (
                number(m.id),
                pi_id[(a, m.slot[0])],
                m.name,
                first + dt.timedelta(days=9),
                MILESTONE_KINDS[n % len(MILESTONE_KINDS)],
                "",
            )
        )
    return rows


async def seed_plan(dsn: str, generated: Generated) -> dict[str, int]:
    """COPY the plan into the (migrated, empty) database at `dsn`; rows written per table."""
    rows = plan_rows(generated)
    now = dt.datetime.now(dt.UTC)
    common = (now, now, None, 1)
    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            for table, columns in COLUMNS.items():
                plain = table in PLAIN_TABLES
                records = rows[table] if plain else [(*row, *common) for row in rows[table]]
                await connection.copy_records_to_table(
                    table, records=records, columns=list(columns if plain else (*columns, *COMMON))
                )
                if not plain:
                    await connection.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                    )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return {table: len(found) for table, found in rows.items()}


class Part(enum.Flag):
    """The rows an analysis needs (items always come with their teams and iterations)."""

    ITEMS = enum.auto()
    DEPENDENCIES = enum.auto()
    COMPONENTS = enum.auto()  # components and what touches them
    CAPACITY = enum.auto()
    MILESTONES = enum.auto()


ALL_PARTS = Part.ITEMS | Part.DEPENDENCIES | Part.COMPONENTS | Part.CAPACITY | Part.MILESTONES

ITERATIONS_SQL = """
SELECT i.id, i.index, i.name, i.kind, i.start_date, i.end_date, pi.id AS pi_id,
       dense_rank() OVER (ORDER BY pi.start_date)::int AS pi_order
FROM iterations i JOIN planning_intervals pi ON pi.id = i.planning_interval_id
WHERE pi.art_id = ANY($1::int[]) AND i.archived_at IS NULL AND pi.archived_at IS NULL
"""
FEATURES_SQL = """
SELECT f.id, f.key, a.key AS art, t.name AS team, f.iteration_id, f.state, f.wsjf,
       f.rank, f.user_business_value
FROM features f JOIN arts a ON a.id = f.art_id LEFT JOIN teams t ON t.id = f.owning_team_id
WHERE f.art_id = ANY($1::int[]) AND f.archived_at IS NULL
ORDER BY f.id
"""
STORIES_SQL = """
SELECT s.id, s.key, s.feature_id, a.key AS art, t.name AS team, s.iteration_id, s.status,
       s.kind, s.points, s.rank
FROM stories s JOIN features f ON f.id = s.feature_id JOIN arts a ON a.id = f.art_id
     JOIN teams t ON t.id = s.team_id
WHERE f.art_id = ANY($1::int[]) AND s.archived_at IS NULL AND f.archived_at IS NULL
ORDER BY s.id
"""
DEPENDENCIES_SQL = """
SELECT id, dependent_feature_id, dependent_story_id, prerequisite_feature_id,
       prerequisite_story_id, type, needed_by_iteration_id
FROM dependencies
WHERE archived_at IS NULL
  AND (dependent_art_id = ANY($1::int[]) OR prerequisite_art_id = ANY($1::int[]))
ORDER BY id
"""
COMPONENTS_SQL = """
SELECT c.id, c.name, t.name AS owner
FROM components c LEFT JOIN teams t ON t.id = c.owning_team_id
WHERE (c.art_id = ANY($1::int[]) OR c.art_id IS NULL) AND c.archived_at IS NULL
ORDER BY c.id
"""
TOUCHES_SQL = """
SELECT 'F' || fc.feature_id AS item, 'C' || fc.component_id AS component
FROM feature_components fc JOIN features f ON f.id = fc.feature_id
WHERE f.art_id = ANY($1::int[]) AND f.archived_at IS NULL
UNION ALL
SELECT 'S' || sc.story_id, 'C' || sc.component_id
FROM story_components sc JOIN stories s ON s.id = sc.story_id
     JOIN features f ON f.id = s.feature_id
WHERE f.art_id = ANY($1::int[]) AND s.archived_at IS NULL
"""
CAPACITY_SQL = """
SELECT t.name AS team, tc.iteration_id, tc.points
FROM team_capacities tc JOIN teams t ON t.id = tc.team_id
WHERE t.art_id = ANY($1::int[]) AND tc.archived_at IS NULL
"""
MILESTONES_SQL = """
SELECT m.id, m.name, m.date, m.planning_interval_id
FROM milestones m JOIN planning_intervals pi ON pi.id = m.planning_interval_id
WHERE pi.art_id = ANY($1::int[]) AND m.archived_at IS NULL
ORDER BY m.id
"""
NOT_STARTED = frozenset({"FUNNEL", "ANALYZING", "BACKLOG"})


async def load_plan_rows(
    connection: asyncpg.Connection, art_ids: Sequence[int], parts: Part = ALL_PARTS
) -> Plan:
    """The Plan of the ARTs from plain asyncpg fetches: the baseline loader."""
    arts = list(art_ids)
    slot_of: dict[int, Slot] = {}
    iterations: dict[Slot, Iteration] = {}
    ranges: dict[int, list[tuple[dt.date, dt.date, Slot]]] = {}  # PI id -> iteration days
    for r in await connection.fetch(ITERATIONS_SQL, arts):
        slot = (r["pi_order"], r["index"])
        slot_of[r["id"]] = slot
        iterations.setdefault(slot, Iteration(slot, r["name"], r["kind"] == "IP"))
        ranges.setdefault(r["pi_id"], []).append((r["start_date"], r["end_date"], slot))
    items: list[Item] = []
    if parts & Part.ITEMS:
        for r in await connection.fetch(FEATURES_SQL, arts):
            iteration = r["iteration_id"]
            items.append(
                Item(
                    id=f"F{r['id']}",
                    key=r["key"],
                    kind=ItemKind.FEATURE,
                    team=r["team"],
                    slot=None if iteration is None else slot_of[iteration],
                    done=r["state"] == "DONE",
                    art=r["art"],
                    wsjf=r["wsjf"],
                    rank=r["rank"],
                    business_value=r["user_business_value"] or 0,
                    movable=r["state"] in NOT_STARTED,
                )
            )
        for r in await connection.fetch(STORIES_SQL, arts):
            iteration = r["iteration_id"]
            items.append(
                Item(
                    id=f"S{r['id']}",
                    key=r["key"],
                    kind=ItemKind.STORY,
                    team=r["team"],
                    slot=None if iteration is None else slot_of[iteration],
                    done=r["status"] == "DONE",
                    estimate=r["points"],
                    parent=f"F{r['feature_id']}",
                    art=r["art"],
                    rank=r["rank"],
                    feature_work=r["kind"] == "USER_STORY",
                    movable=r["status"] == "BACKLOG",
                )
            )
    dependencies: list[Dependency] = []
    if parts & Part.DEPENDENCIES:
        for r in await connection.fetch(DEPENDENCIES_SQL, arts):
            a, b = r["dependent_feature_id"], r["prerequisite_feature_id"]
            needed_by = r["needed_by_iteration_id"]
            dependencies.append(
                Dependency(
                    f"D{r['id']}",
                    f"F{a}" if a is not None else f"S{r['dependent_story_id']}",
                    f"F{b}" if b is not None else f"S{r['prerequisite_story_id']}",
                    r["type"] == "BLOCKS",
                    None if needed_by is None else slot_of[needed_by],
                )
            )
    components: tuple[Component, ...] = ()
    touches: tuple[tuple[str, str], ...] = ()
    if parts & Part.COMPONENTS:
        components = tuple(
            Component(f"C{r['id']}", r["name"], r["owner"])
            for r in await connection.fetch(COMPONENTS_SQL, arts)
        )
        touches = tuple(
            (r["item"], r["component"]) for r in await connection.fetch(TOUCHES_SQL, arts)
        )
    capacity: dict[tuple[str, Slot], int] = {}
    if parts & Part.CAPACITY:
        for r in await connection.fetch(CAPACITY_SQL, arts):
            capacity[(r["team"], slot_of[r["iteration_id"]])] = r["points"]
    milestones: list[Milestone] = []
    if parts & Part.MILESTONES:
        for r in await connection.fetch(MILESTONES_SQL, arts):
            day = r["date"]
            slot = next(
                s for first, last, s in ranges[r["planning_interval_id"]] if first <= day <= last
            )
            milestones.append(Milestone(f"M{r['id']}", r["name"], slot))
    return Plan(
        items=tuple(items),
        dependencies=tuple(dependencies),
        components=components,
        touches=touches,
        iterations=tuple(sorted(iterations.values(), key=lambda it: it.slot)),
        capacity=capacity,
        milestones=tuple(milestones),
    )


def differences(expected: Plan, loaded: Plan) -> list[str]:
    """What differs between two plans, in a few words per kind of row (empty: equal).

    Items and dependencies are matched by id and compared field by field; the rest as sets."""
    out = []
    for name in ("items", "dependencies"):
        mine = {x.id: x for x in getattr(expected, name)}
        theirs = {x.id: x for x in getattr(loaded, name)}
        missing, extra = len(mine.keys() - theirs.keys()), len(theirs.keys() - mine.keys())
        fields: dict[str, int] = {}
        for key in mine.keys() & theirs.keys():
            a, b = mine[key], theirs[key]
            if a != b:
                for f in dataclasses.fields(a):
                    if getattr(a, f.name) != getattr(b, f.name):
                        fields[f.name] = fields.get(f.name, 0) + 1
        if missing or extra or fields:
            counts = ", ".join(f"{f} of {n}" for f, n in sorted(fields.items()))
            out.append(f"{name}: {missing} missing, {extra} extra, differing {counts or 'none'}")
    for name in ("components", "touches", "iterations", "milestones"):
        a_set, b_set = set(getattr(expected, name)), set(getattr(loaded, name))
        if a_set != b_set:
            out.append(f"{name}: {len(a_set - b_set)} missing, {len(b_set - a_set)} extra")
    if dict(expected.capacity) != dict(loaded.capacity):
        a_cap, b_cap = dict(expected.capacity), dict(loaded.capacity)
        same = sum(a_cap.get(k) == v for k, v in b_cap.items())
        out.append(f"capacity: {len(a_cap)} expected, {len(b_cap)} loaded, {same} equal")
    return out


def without_caches(plan: Plan) -> Plan:
    """The same plan as a new object: none of its cached properties computed yet."""
    return dataclasses.replace(plan)

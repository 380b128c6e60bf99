"""Property-based tests: every analysis of the graph engine against a brute-force oracle.

The oracles below are written independently of graph/: plain loops, plain depth-first search and
exhaustive enumeration over the plan's dataclasses, no networkx and no engine helper.

Each property runs 200 random plans (GRAPH_EXAMPLES=5000 to search harder). Counter-examples
found so far are pinned with `@example`, so they are checked first on every run.

The oracles read time through a Clock: by default from a slot's own numbers (planning interval,
iteration index); for plans of several ARTs on their own calendars (tests/graph/calendars.py)
from the iterations' dates, so that the slots graph/timeline.py gives them are checked too.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass, replace
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from graph import display
from graph.coupling import coupling
from graph.critical import critical_path
from graph.cycles import Cycle, closing_cycle, find_cycles
from graph.display import redundant_dependencies
from graph.health import dependency_health, feature_health
from graph.hotspots import hotspots
from graph.impact import Move, what_if
from graph.model import Dependency, Health, Item, ItemKind, Iteration, Plan, Slot
from graph.planner import ProposedPlan, propose_plan
from tests.graph.calendars import Calendar, CalendarWhatIf, calendar_what_ifs, calendars
from tests.graph.calendars import todays as calendar_todays
from tests.graph.strategies import WhatIf, edge_lists, plans, todays, what_ifs

SETTINGS = settings(
    max_examples=int(os.environ.get("GRAPH_EXAMPLES", "200")), deadline=None, database=None
)

# An effective time: (0, ...) for a planned slot, (1, 0, 0) for "never" (unplanned).
When = tuple[int, ...]
NEVER: When = (1, 0, 0)


class Clock:
    """Time as a slot's own numbers say: (0, pi, iteration); intervals in their order."""

    def when(self, slot: Slot | None) -> When:
        return NEVER if slot is None else (0, slot[0], slot[1])

    def slot_at(self, w: When) -> Slot | None:
        return None if w == NEVER else (w[1], w[2])

    def interval_of(self, slot: Slot) -> int:
        return slot[0]

    def position(self, slot: Slot) -> int:
        """The iteration's index in its planning interval."""
        return slot[1]

    def apart(self, b: Slot, a: Slot) -> int:
        """> 0 when b's planning interval lies wholly after a's, < 0 before, 0 otherwise."""
        return b[0] - a[0]

    def iteration(self, slot: Slot) -> Hashable:
        return slot


SLOTS = Clock()


class CalendarClock(Clock):
    """Time as the iterations' dates say: (0, start, end, id). Intervals are apart when no
    chain of intervals overlapping in time links them (found by merging overlaps until
    nothing changes)."""

    def __init__(self, calendar: Calendar) -> None:
        assert len(set(calendar.slot_of.values())) == len(calendar.slot_of), "shared slots"
        self.of = calendar.iteration_of
        self.at = {self.when(slot): slot for slot in self.of}
        spans: dict[int, tuple[dt.date, dt.date]] = {}
        for d in calendar.dated.values():
            start, end = spans.get(d.interval, (d.start, d.end))
            spans[d.interval] = (min(start, d.start), max(end, d.end))
        groups = [{i} for i in spans]
        merged = True
        while merged:
            merged = False
            for x in range(len(groups)):
                for y in range(x + 1, len(groups)):
                    if any(
                        spans[i][0] <= spans[j][1] and spans[j][0] <= spans[i][1]
                        for i in groups[x]
                        for j in groups[y]
                    ):
                        groups[x] |= groups.pop(y)
                        merged = True
                        break
                if merged:
                    break
        self.group_start = {i: min(spans[j][0] for j in group) for group in groups for i in group}
        self.group = {i: min(group) for group in groups for i in group}
        self.dated = calendar.dated

    def when(self, slot: Slot | None) -> When:
        if slot is None:
            return NEVER
        d = self.of[slot]
        return (0, d.start.toordinal(), d.end.toordinal(), d.id)

    def slot_at(self, w: When) -> Slot | None:
        return None if w == NEVER else self.at[w]

    def interval_of(self, slot: Slot) -> int:
        return self.of[slot].interval

    def position(self, slot: Slot) -> int:
        d = self.of[slot]
        return 1 + sum(
            1 for o in self.dated.values() if o.interval == d.interval and o.start < d.start
        )

    def apart(self, b: Slot, a: Slot) -> int:
        ib, ia = self.of[b].interval, self.of[a].interval
        if self.group[ib] == self.group[ia]:
            return 0
        return 1 if self.group_start[ib] > self.group_start[ia] else -1

    def iteration(self, slot: Slot) -> Hashable:
        return self.of[slot].id


# --- Oracle helpers ---------------------------------------------------------------------------


def item_map(plan: Plan) -> dict[str, Item]:
    out: dict[str, Item] = {}
    for item in plan.items:
        out[item.id] = item
    return out


def in_plan(plan: Plan, d: Dependency) -> bool:
    ids = item_map(plan)
    return d.dependent in ids and d.prerequisite in ids


def blocking_edges(plan: Plan) -> list[tuple[str, str]]:
    """(dependent, prerequisite) for every blocking dependency with both ends in the plan."""
    return [
        (d.dependent, d.prerequisite) for d in plan.dependencies if d.blocks and in_plan(plan, d)
    ]


def adjacency(edges: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a, b in edges:
        out.setdefault(a, [])
        if b not in out[a]:
            out[a].append(b)
    return out


def reachable(adj: dict[str, list[str]], start: str) -> set[str]:
    """Everything reachable from `start` through at least one edge (plain DFS)."""
    seen: set[str] = set()
    stack = list(adj.get(start, []))
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(adj.get(node, []))
    return seen


def stories_of(plan: Plan, feature: str) -> list[Item]:
    return [i for i in plan.items if i.parent == feature]


def health_rule(
    a_slot: Slot | None, b: Item, needed_by: Slot | None, clock: Clock = SLOTS
) -> Health:
    """services/DOMAIN.md's table plus graph/health.py's documented extras, restated."""
    if b.done:
        return Health.DONE
    deadline = needed_by if needed_by is not None else a_slot
    if deadline is None:
        return Health.AMBER
    if b.slot is None:
        return Health.RED
    apart = clock.apart(b.slot, deadline)
    if apart:
        return Health.RED if apart > 0 else Health.GREEN
    if clock.when(b.slot) > clock.when(deadline):
        return Health.RED
    if clock.when(b.slot) == clock.when(deadline):
        return Health.AMBER
    return Health.GREEN


def oracle_health(plan: Plan, d: Dependency, clock: Clock = SLOTS) -> Health:
    ids = item_map(plan)
    return health_rule(ids[d.dependent].slot, ids[d.prerequisite], d.needed_by, clock)


SEVERITY = {Health.RED: 3, Health.AMBER: 2, Health.GREEN: 1, Health.DONE: 0}


# --- Minimal counter-examples found by these properties (run first, as explicit examples) -----


def _item(
    id_: str,
    team: str | None = "Team Atlas",
    slot: Slot | None = None,
    *,
    parent: str | None = None,
    estimate: int | None = None,
    movable: bool = True,
) -> Item:
    kind = ItemKind.FEATURE if id_.startswith("F") else ItemKind.STORY
    return Item(
        id_,
        f"PAY-{id_[1:]}",
        kind,
        team,
        slot=slot,
        parent=parent,
        estimate=estimate,
        movable=movable,
    )


_PI1_AND_PI2 = (
    Iteration((1, 1), "Iteration 1"),
    Iteration((1, 2), "Iteration 2"),
    Iteration((1, 3), "Iteration 3"),
    Iteration((2, 1), "Iteration 1 (PI 2)"),
)

# Knot {S1, S2, S3}: S1 -> S2 -> S3 -> S1 and S2 <-> S3. The shortest cycle is S2 -> S3 -> S2.
KNOT_WITH_A_SHORTER_CYCLE = Plan(
    (_item("S1"), _item("S2"), _item("S3")),
    (
        Dependency("D1", "S1", "S2"),
        Dependency("D2", "S2", "S3"),
        Dependency("D3", "S3", "S1"),
        Dependency("D4", "S3", "S2"),
    ),
)

# F0 (PI 1) has one story in PI 1 iteration 1 and one in PI 2 iteration 3: in PI 1 it spans
# one iteration, not 3.
FEATURE_SPANNING_TWO_PIS = Plan(
    (
        _item("F0", slot=(1, 1)),
        _item("S1", slot=(1, 1), parent="F0"),
        _item("S2", slot=(2, 3), parent="F0"),
    ),
)

# PAY-1, a not-started, estimated story of PI 1's feature PAY-0, sits in PI 2: proposing PI 1
# neither places it nor lists it as unplaced.
STORY_OF_THE_INTERVAL_IN_ANOTHER_PI = Plan(
    (_item("F0", slot=(1, 2)), _item("S1", slot=(2, 1), parent="F0", estimate=3)),
    iterations=_PI1_AND_PI2,
    capacity={("Team Atlas", (1, 1)): 5, ("Team Atlas", (1, 2)): 5, ("Team Atlas", (1, 3)): 5},
)

# PAY-2 (of PI 1's PAY-1) waits for feature PAY-3, planned in PI 2, whose only story PAY-4 was
# started in PI 1 iteration 1: PAY-2 is placed in iteration 2, before PAY-3 (RED after the moves).
PREREQUISITE_FEATURE_IN_A_LATER_PI = Plan(
    (
        _item("F1", slot=(1, 3)),
        _item("S2", parent="F1", estimate=3),
        _item("F3", "Team Nova", (2, 1)),
        _item("S4", "Team Nova", (1, 1), parent="F3", estimate=2, movable=False),
    ),
    (Dependency("D1", "S2", "F3"),),
    iterations=_PI1_AND_PI2,
    capacity={("Team Atlas", (1, 1)): 5, ("Team Atlas", (1, 2)): 5, ("Team Atlas", (1, 3)): 5},
)

# The same with PAY-3 not planned at all: PAY-2 is placed, the dependency is RED afterwards.
PREREQUISITE_FEATURE_NOT_PLANNED = Plan(
    tuple(
        replace(i, slot=None) if i.id == "F3" else i
        for i in PREREQUISITE_FEATURE_IN_A_LATER_PI.items
    ),
    PREREQUISITE_FEATURE_IN_A_LATER_PI.dependencies,
    iterations=_PI1_AND_PI2,
    capacity=PREREQUISITE_FEATURE_IN_A_LATER_PI.capacity,
)


# --- Health -----------------------------------------------------------------------------------


@SETTINGS
@given(plans())
def test_dependency_health_matches_the_table(plan: Plan) -> None:
    result = dependency_health(plan)
    expected = [(d.id, oracle_health(plan, d)) for d in plan.dependencies if in_plan(plan, d)]
    assert [(h.dependency, h.health) for h in result] == expected
    ids = item_map(plan)
    for h in result:
        a, b = ids[h.dependent], ids[h.prerequisite]
        assert h.reason.startswith(f"{a.key} (")
        assert f" needs {b.key} (" in h.reason
        assert h.reason.endswith(".")


@SETTINGS
@given(plans())
def test_feature_health_is_the_worst_blocking_dependency_of_feature_and_stories(
    plan: Plan,
) -> None:
    ids = item_map(plan)
    expected: dict[str, tuple[Health, tuple[str, ...]]] = {}
    for f in plan.items:
        if f.parent is not None:
            continue
        mine = [
            d
            for d in plan.dependencies
            if d.blocks
            and in_plan(plan, d)
            and (d.dependent == f.id or ids[d.dependent].parent == f.id)
        ]
        if not mine:
            continue
        top = max(SEVERITY[oracle_health(plan, d)] for d in mine)
        deciding = [d for d in mine if SEVERITY[oracle_health(plan, d)] == top]
        expected[f.id] = (oracle_health(plan, deciding[0]), tuple(d.id for d in deciding))
    result = feature_health(plan, dependency_health(plan))
    assert [f.feature for f in result] == sorted(expected)
    assert {f.feature: (f.health, f.dependencies) for f in result} == expected


# --- Cycles -----------------------------------------------------------------------------------


def is_cycle(path: list[str] | tuple[str, ...], edges: set[tuple[str, str]]) -> bool:
    if not path or len(set(path)) != len(path):
        return False
    return all((path[k], path[(k + 1) % len(path)]) in edges for k in range(len(path)))


def shortest_cycle_length(adj: dict[str, list[str]], members: set[str]) -> int:
    """The length of the shortest cycle among `members` (breadth-first from each member)."""
    best = len(members) + 1
    for start in members:
        frontier, depth, seen = [start], 0, {start}
        while frontier and depth < best:
            depth += 1
            nxt: list[str] = []
            for node in frontier:
                for succ in adj.get(node, []):
                    if succ not in members:
                        continue
                    if succ == start:
                        best = min(best, depth)
                    elif succ not in seen:
                        seen.add(succ)
                        nxt.append(succ)
            frontier = nxt
    return best


@SETTINGS
@given(plans())
def test_find_cycles_matches_a_naive_cycle_search(plan: Plan) -> None:
    edges = blocking_edges(plan)
    adj = adjacency(edges)
    reach = {i.id: reachable(adj, i.id) for i in plan.items}
    on_cycle = {x for x in reach if x in reach[x]}
    cycles = find_cycles(plan)
    members = [m for c in cycles for m in c.members]
    assert set(members) == on_cycle
    assert len(members) == len(set(members))  # knots do not overlap
    assert [c.members for c in cycles] == sorted(c.members for c in cycles)
    for c in cycles:
        assert list(c.members) == sorted(c.members)
        knot = set(c.members)
        # A knot: members reach one another, and nothing outside it does both ways.
        for x in knot:
            assert knot <= reach[x] | {x}
            assert {y for y in reach[x] if x in reach[y]} <= knot
        assert set(c.items) <= knot
        assert is_cycle(c.items, set(edges)), c


@example(KNOT_WITH_A_SHORTER_CYCLE)
@SETTINGS
@given(plans())
def test_each_knot_is_named_by_one_of_its_shortest_cycles(plan: Plan) -> None:
    """cycles.py: "One shortest cycle per knot of mutually dependent items"."""
    adj = adjacency(blocking_edges(plan))
    for c in find_cycles(plan):
        assert len(c.items) == shortest_cycle_length(adj, set(c.members)), c


def test_cycle_text_names_the_cycle_closing_on_the_first() -> None:
    keys = {"S1": "PAY-1", "S2": "PAY-2", "S3": "PAY-3"}
    assert Cycle(("S1", "S2", "S3"), ("S1", "S2", "S3")).text(keys) == (
        "PAY-1 -> PAY-2 -> PAY-3 -> PAY-1"
    )
    assert Cycle(("S1",), ("S1",)).text(keys) == "PAY-1 -> PAY-1"


@SETTINGS
@given(edge_lists())
def test_closing_cycle_iff_the_prerequisite_reaches_the_dependent(
    case: tuple[list[tuple[str, str]], str, str],
) -> None:
    edges, a, b = case
    closes = a == b or a in reachable(adjacency(edges), b)
    result = closing_cycle(edges, a, b)
    assert (result is not None) == closes
    if result is not None:
        assert result[0] == a
        assert is_cycle(result, {*edges, (a, b)}), result
        if a != b:
            assert result[1] == b


# --- Critical path ----------------------------------------------------------------------------


def oracle_weights(plan: Plan, interval: int, clock: Clock = SLOTS) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in plan.items:
        if item.slot is None or clock.interval_of(item.slot) != interval:
            continue
        if item.parent is None:
            indexes = [
                clock.position(s.slot)
                for s in stories_of(plan, item.id)
                if s.slot is not None and clock.interval_of(s.slot) == interval
            ]
            out[item.id] = max(indexes) - min(indexes) + 1 if indexes else 1
        else:
            out[item.id] = 1
    return out


def all_paths(nodes: list[str], successors: dict[str, list[str]]) -> list[list[str]]:
    """Every chain (one node or more) following the edges; the graph must be acyclic."""
    out: list[list[str]] = []

    def extend(path: list[str]) -> None:
        out.append(path)
        for nxt in successors.get(path[-1], []):
            extend([*path, nxt])

    for node in nodes:
        extend([node])
    return out


def check_critical_path(plan: Plan, interval: int, clock: Clock = SLOTS) -> None:
    weight = oracle_weights(plan, interval, clock)
    ids = item_map(plan)
    points = {n: ids[n].estimate or 0 for n in weight}
    # Time order: prerequisite -> dependent, both in the interval.
    forward = adjacency((b, a) for a, b in blocking_edges(plan) if a in weight and b in weight)
    paths = all_paths(sorted(weight), forward)
    result = critical_path(plan, interval)
    assert result.cycles == ()
    length = max((sum(weight[n] for n in p) for p in paths), default=0)
    assert result.length == length
    best_points = max(
        (sum(points[n] for n in p) for p in paths if sum(weight[n] for n in p) == length),
        default=0,
    )
    assert result.points == best_points
    if paths:
        chain = list(result.items)
        assert chain in paths
        assert sum(weight[n] for n in chain) == length
        assert sum(points[n] for n in chain) == best_points
    else:
        assert result.items == ()
    teams: list[str] = []
    for n in result.items:
        team = ids[n].team
        if team and team not in teams:
            teams.append(team)
    assert list(result.teams) == teams
    through = {n: max(sum(weight[m] for m in p) for p in paths if n in p) for n in weight}
    assert result.slack == {n: length - through[n] for n in weight}


@example(FEATURE_SPANNING_TWO_PIS, 1)
@SETTINGS
@given(plans(acyclic=True), st.integers(1, 2))
def test_critical_path_is_the_heaviest_chain(plan: Plan, interval: int) -> None:
    check_critical_path(plan, interval)


@SETTINGS
@given(plans(acyclic=True, max_intervals=1))
def test_critical_path_within_one_planning_interval(plan: Plan) -> None:
    check_critical_path(plan, 1)


@SETTINGS
@given(plans(), st.integers(1, 2))
def test_critical_path_reports_the_cycles_inside_the_interval(plan: Plan, interval: int) -> None:
    scoped = {i.id for i in plan.items if i.slot is not None and i.slot[0] == interval}
    adj = adjacency((a, b) for a, b in blocking_edges(plan) if a in scoped and b in scoped)
    on_cycle = {x for x in scoped if x in reachable(adj, x)}
    result = critical_path(plan, interval)
    assert {m for c in result.cycles for m in c.members} == on_cycle
    if on_cycle:
        assert (result.items, result.length, result.points, result.slack) == ((), 0, 0, {})


# --- What-if ----------------------------------------------------------------------------------


def effective(plan: Plan, slot: dict[str, Slot | None], clock: Clock = SLOTS) -> dict[str, When]:
    """Latest time among an item and everything it transitively waits for."""
    adj = adjacency(blocking_edges(plan))
    return {
        x: max(clock.when(slot[y]) for y in {x} | reachable(adj, x))
        for x in (i.id for i in plan.items)
    }


def check_what_if(case: WhatIf, clock: Clock = SLOTS, arts: Collection[str] | None = None) -> None:
    """what_if against plain reachability; a milestone needs only its own ART's features and
    the value at risk counts those of `arts` (None: every ART)."""
    plan, moves = case.plan, case.moves
    when, as_slot = clock.when, clock.slot_at
    ids = item_map(plan)
    moved = {m.item: m.to for m in moves}
    before_slot = {i.id: i.slot for i in plan.items}
    after_slot = {i: moved.get(i, s) for i, s in before_slot.items()}
    before, after = effective(plan, before_slot, clock), effective(plan, after_slot, clock)
    adj = adjacency(blocking_edges(plan))

    impact = what_if(plan, moves, arts)
    assert impact.moves == moves

    # Slipped: exactly the items not moved whose effective slot got later; worst first (the
    # latest finish first, "never" before any slot), then by key.
    slipped = [x for x in ids if x not in moved and after[x] > before[x]]
    slipped.sort(key=lambda x: ids[x].key)
    slipped.sort(key=lambda x: after[x], reverse=True)
    assert [s.item for s in impact.slipped] == slipped
    for s in impact.slipped:
        assert (s.was, s.now) == (as_slot(before[s.item]), as_slot(after[s.item]))
        assert s.cause in moved  # only a moved item can push anything later
        assert s.cause in reachable(adj, s.item)
        assert when(after_slot[s.cause]) == after[s.item]
        assert s.reason.startswith(f"{ids[s.item].key} (")

    # Late features: completion (feature and its stories) later than planned and than before.
    def completion(eff: dict[str, When], f: str) -> When:
        return max([eff[f], *(eff[s.id] for s in stories_of(plan, f))])

    late: list[tuple[str, Slot, Slot | None]] = []
    finishing: dict[str, tuple[When, When]] = {}
    for f in plan.items:
        if f.parent is not None or f.slot is None:
            continue
        was, now = completion(before, f.id), completion(after, f.id)
        if now > when(f.slot) and now > was:
            late.append((f.id, f.slot, as_slot(now)))
            finishing[f.id] = (was, now)
    late.sort(key=lambda f: (-ids[f[0]].business_value, ids[f[0]].key))  # most value first
    assert [(f.feature, f.planned, f.finishes) for f in impact.late_features] == late

    # Late milestones (by date, then name): a late feature planned by the milestone that
    # finished by it before the moves and no longer does.
    milestones = []
    for m in sorted(plan.milestones, key=lambda m: (when(m.slot), m.name)):
        hit = tuple(
            f
            for f, planned, _ in late
            if (not m.art or ids[f].art == m.art)
            and when(planned) <= when(m.slot)
            and finishing[f][0] <= when(m.slot) < finishing[f][1]
        )
        if hit:
            milestones.append((m.id, hit))
    assert [(m.milestone, m.features) for m in impact.late_milestones] == milestones

    # Turned RED: dependencies touching a moved item, RED after the moves and not before.
    after_ids = {
        i: replace(ids[i], slot=s) if i in moved else ids[i] for i, s in after_slot.items()
    }
    red = [
        d.id
        for d in plan.dependencies
        if in_plan(plan, d)
        and (d.dependent in moved or d.prerequisite in moved)
        and health_rule(after_slot[d.dependent], after_ids[d.prerequisite], d.needed_by, clock)
        is Health.RED
        and health_rule(before_slot[d.dependent], ids[d.prerequisite], d.needed_by, clock)
        is not Health.RED
    ]
    assert [h.dependency for h in impact.turned_red] == red
    assert all(h.health is Health.RED for h in impact.turned_red)

    teams = {ids[x].team for x in slipped} | {ids[f].team for f, _, _ in late}
    assert impact.teams_hit == tuple(sorted(t for t in teams if t))
    assert impact.value_at_risk == sum(
        ids[f].business_value for f, _, _ in late if arts is None or ids[f].art in arts
    )


@SETTINGS
@given(what_ifs())
def test_what_if_matches_plain_reachability(case: WhatIf) -> None:
    check_what_if(case)


@SETTINGS
@given(what_ifs(acyclic=True))
def test_what_if_on_dag_plans(case: WhatIf) -> None:
    check_what_if(case)


@SETTINGS
@given(plans())
def test_moving_nothing_anywhere_new_changes_nothing(plan: Plan) -> None:
    impact = what_if(plan, [Move(i.id, i.slot) for i in plan.items])
    assert impact.turned_red == ()
    assert impact.slipped == ()
    assert impact.late_features == ()
    assert impact.late_milestones == ()
    assert (impact.teams_hit, impact.value_at_risk) == ((), 0)


# --- Coupling ---------------------------------------------------------------------------------


@SETTINGS
@given(plans())
def test_coupling_counts_cross_team_dependencies(plan: Plan) -> None:
    ids = item_map(plan)
    cells: Counter[tuple[str, str, bool]] = Counter()
    for d in plan.dependencies:
        if not in_plan(plan, d):
            continue
        a, b = ids[d.dependent], ids[d.prerequisite]
        if a.team and b.team and a.team != b.team:
            cells[(a.team, b.team, a.art != b.art)] += 1
    result = coupling(plan)
    got = [(p.dependent_team, p.prerequisite_team, p.cross_art) for p in result.pairs]
    assert got == sorted(got)
    assert {
        (p.dependent_team, p.prerequisite_team, p.cross_art): p.dependencies for p in result.pairs
    } == dict(cells)
    assert len(got) == len(set(got))
    assert result.teams == tuple(sorted({i.team for i in plan.items if i.team}))
    features = [i for i in plan.items if i.parent is None]
    assert result.features == len(features)

    multi: list[tuple[str, tuple[str, ...]]] = []
    for f in sorted(features, key=lambda f: f.key):
        family = [f, *stories_of(plan, f.id)]
        teams = {i.team for i in family}
        for d in plan.dependencies:
            if in_plan(plan, d) and any(d.dependent == i.id for i in family):
                teams.add(ids[d.prerequisite].team)
        named = tuple(sorted(t for t in teams if t))
        if len(named) > 2:
            multi.append((f.id, named))
    assert [(m.feature, m.teams) for m in result.multi_team] == multi
    share = len(multi) / len(features) if features else 0.0
    assert result.multi_team_share == share


# --- Hotspots ---------------------------------------------------------------------------------


@SETTINGS
@given(plans(components=True))
def test_hotspots_match_a_brute_force_count(plan: Plan) -> None:
    check_hotspots(plan)


def check_hotspots(plan: Plan, clock: Clock = SLOTS) -> None:
    """Hotspots by brute force: teams changing a component in one iteration (its identity)."""
    ids = item_map(plan)
    components = {c.id: c for c in plan.components}
    touching: dict[str, set[str]] = {}
    for item, component in plan.touches:
        if item in ids and component in components:
            touching.setdefault(component, set()).add(item)
    result = hotspots(plan)

    spots = set()
    planned = {i: clock.iteration(slot) for i in ids if (slot := ids[i].slot) is not None}
    for component, items in touching.items():
        for iteration in {planned[i] for i in items if i in planned}:
            there = {i for i in items if planned.get(i) == iteration and ids[i].team}
            changers = sorted({t for i in there if (t := ids[i].team)})
            if len(changers) >= 2:
                spots.add((component, iteration, tuple(changers), tuple(sorted(there))))
    assert {
        (h.component, clock.iteration(h.slot), h.teams, h.items) for h in result.hotspots
    } == spots
    assert len(result.hotspots) == len(spots)
    sizes = [len(h.teams) for h in result.hotspots]
    assert sizes == sorted(sizes, reverse=True)  # most teams first

    all_teams = {i.team for i in plan.items if i.team}
    central: dict[str, tuple[tuple[str, ...], int, float]] = {}
    for component, items in touching.items():
        teams = tuple(sorted({t for i in items if (t := ids[i].team)}))
        central[component] = (teams, len(items), len(teams) / len(all_teams) if all_teams else 0)
    got = {c.component: (c.teams, c.items, c.degree) for c in result.centrality}
    assert got.keys() == central.keys()
    for component, (teams, count, degree) in central.items():
        assert got[component][:2] == (teams, count)
        assert abs(got[component][2] - degree) < 1e-4
    degrees = [c.degree for c in result.centrality]
    assert degrees == sorted(degrees, reverse=True)  # most central first

    missing = set()
    for f in plan.items:
        if f.parent is not None:
            continue
        family = {f.id} | {s.id for s in stories_of(plan, f.id)}
        for component, items in touching.items():
            owner = components[component].owner
            if items & family and owner:
                if not any(s.team == owner for s in stories_of(plan, f.id)):
                    missing.add((f.id, component, owner))
    assert {(m.feature, m.component, m.owner) for m in result.missing_enablers} == missing
    assert len(result.missing_enablers) == len(missing)


# --- Planner ----------------------------------------------------------------------------------


PlannerCase = tuple[Plan, int, dt.date | None]


@st.composite
def planner_cases(draw: st.DrawFn) -> PlannerCase:
    """A plan with capacities and dated iterations, the interval to plan, and maybe today."""
    plan = draw(plans(capacities=True, dated=True))
    return plan, draw(st.integers(1, 2)), draw(todays(plan))


@dataclass(frozen=True)
class Proposal:
    plan: Plan
    interval: int
    clock: Clock
    today: dt.date | None
    result: ProposedPlan
    regular: set[Slot]  # the open regular iterations of the interval (not IP, not ended)
    moved_to: dict[str, Slot]
    final: dict[str, Slot | None]  # every item's slot after the moves
    unplaced: dict[str, str]
    candidates: set[str]  # not-started stories of the interval's features
    placed: set[str]  # candidates the planner placed in the interval

    @property
    def ids(self) -> dict[str, Item]:
        return item_map(self.plan)

    def within(self, slot: Slot | None) -> bool:
        """Whether a slot is an iteration of the interval planned."""
        return slot is not None and self.clock.interval_of(slot) == self.interval


def propose(plan: Plan, interval: int, today: dt.date | None, clock: Clock = SLOTS) -> Proposal:
    ids = item_map(plan)
    regular = {
        it.slot
        for it in plan.iterations
        if clock.interval_of(it.slot) == interval
        and not it.ip
        and (today is None or it.end is None or it.end >= today)
    }
    result = propose_plan(plan, interval, today)
    moved_to: dict[str, Slot] = {}
    for m in result.moves:
        assert m.item not in moved_to, m  # one move per item
        moved_to[m.item] = m.to
    final = {i.id: moved_to.get(i.id, i.slot) for i in plan.items}
    unplaced = {u.item: u.reason for u in result.unplaced}

    def in_interval(slot: Slot | None) -> bool:
        return slot is not None and clock.interval_of(slot) == interval

    candidates = {
        s.id
        for s in plan.items
        if s.parent is not None
        and s.movable
        and not s.done
        and s.parent in ids
        and in_interval(ids[s.parent].slot)
    }
    placed = {s for s in candidates if s not in unplaced and in_interval(final[s])}
    return Proposal(
        plan=plan,
        interval=interval,
        clock=clock,
        today=today,
        result=result,
        regular=regular,
        moved_to=moved_to,
        final=final,
        unplaced=unplaced,
        candidates=candidates,
        placed=placed,
    )


@SETTINGS
@given(planner_cases())
def test_planner_moves_only_not_started_work_into_regular_iterations(case: PlannerCase) -> None:
    check_planner_moves(propose(*case))


def check_planner_moves(p: Proposal) -> None:
    plan = p.plan
    ids = p.ids
    for m in p.result.moves:
        assert m.to in p.regular, m  # never the IP iteration, never another PI
        assert m.was == ids[m.item].slot
        assert m.to != m.was
        assert m.reason
    for s in plan.items:
        if s.parent is not None and (not s.movable or s.done):
            assert s.id not in p.moved_to, s  # started or done work stays where it is
            assert s.id not in p.unplaced
    for item, reason in p.unplaced.items():
        assert item in p.candidates
        assert item not in p.moved_to
        assert reason.startswith(f"{ids[item].key} ")
    for story in p.placed:
        assert p.final[story] in p.regular
        assert ids[story].team
        assert ids[story].estimate is not None


@example((STORY_OF_THE_INTERVAL_IN_ANOTHER_PI, 1, None))
@SETTINGS
@given(planner_cases())
def test_planner_answers_for_every_not_started_story_of_the_interval(case: PlannerCase) -> None:
    """Every movable, estimated story of a feature of the interval is placed or unplaced."""
    p = propose(*case)
    for s in sorted(p.candidates):
        if p.ids[s].estimate is not None:
            assert s in p.unplaced or p.final[s] in p.regular, p.ids[s]


@SETTINGS
@given(planner_cases())
def test_planner_keeps_every_team_within_capacity(case: PlannerCase) -> None:
    check_planner_capacity(propose(*case))


def check_planner_capacity(p: Proposal) -> None:
    plan = p.plan
    ids = p.ids
    # Fixed and started work included; unplaced stories are taken out of the plan.
    load: Counter[tuple[str, Slot]] = Counter()
    for s in plan.items:
        where = p.final[s.id]
        if s.parent is None or not s.team or s.id in p.unplaced or where is None:
            continue
        if p.within(where):
            load[(s.team, where)] += s.estimate or 0
    for story in sorted(p.placed):
        team, where = ids[story].team, p.final[story]
        assert team is not None
        assert where is not None
        assert load[(team, where)] <= plan.capacity.get((team, where), 0), (story, load)
    assert {k: v for k, v in p.result.load.items() if v} == {k: v for k, v in load.items() if v}
    assert p.result.capacity == {k: v for k, v in plan.capacity.items() if p.within(k[1])}


@example((PREREQUISITE_FEATURE_IN_A_LATER_PI, 1, None))
@example((PREREQUISITE_FEATURE_NOT_PLANNED, 1, None))
@SETTINGS
@given(planner_cases())
def test_planner_places_a_story_after_everything_it_waits_for(case: PlannerCase) -> None:
    check_planner_order(propose(*case))


def check_planner_order(p: Proposal) -> None:
    plan = p.plan
    ids = p.ids
    for dependent, prerequisite in blocking_edges(plan):
        if dependent not in p.placed:
            continue
        mine = p.final[dependent]
        assert mine is not None
        if ids[prerequisite].done:
            continue  # DONE whatever its stories say (the health table)
        # A feature is finished with its last story: wait for the feature and its stories.
        others = [prerequisite]
        if ids[prerequisite].parent is None:
            others += [s.id for s in stories_of(plan, prerequisite)]
        for other in others:
            if ids[other].done:
                continue  # done: healthy wherever it sits (services/DOMAIN.md)
            theirs = p.final[other]
            assert theirs is not None, (dependent, other)
            assert theirs < mine, (dependent, other, theirs, mine)


@SETTINGS
@given(planner_cases())
def test_planner_places_a_story_before_the_fixed_work_that_waits_for_it(
    case: PlannerCase,
) -> None:
    """Started stories stay where they are, so what they wait for must come before them."""
    p = propose(*case)
    ids = p.ids
    for dependent, prerequisite in blocking_edges(p.plan):
        fixed = ids[dependent]
        if prerequisite not in p.placed or fixed.parent is None or dependent in p.candidates:
            continue
        if not p.within(fixed.slot):
            continue
        assert fixed.slot is not None
        mine = p.final[prerequisite]
        assert mine is not None
        assert mine < fixed.slot, (prerequisite, dependent, mine, fixed.slot)


def ready_after(p: Proposal, story: str) -> Slot | None:
    """The latest final slot among what `story` waits for (a feature: with its stories)."""
    ids = p.ids
    latest: Slot | None = None
    for dependent, prerequisite in blocking_edges(p.plan):
        if dependent != story:
            continue
        others = [prerequisite]
        if ids[prerequisite].parent is None:
            others += [s.id for s in stories_of(p.plan, prerequisite)]
        for other in others:
            theirs = p.final[other]
            if theirs is not None and (latest is None or theirs > latest):
                latest = theirs
    return latest


@SETTINGS
@given(planner_cases())
def test_planner_takes_the_first_iteration_with_room(case: PlannerCase) -> None:
    """Loads only grow while the planner works, so an open iteration after everything the
    story waits for but before the one it got must be full even at the end."""
    p = propose(*case)
    ids = p.ids
    load: Counter[tuple[str, Slot]] = Counter()
    for s in p.plan.items:
        where = p.final[s.id]
        if s.parent is not None and s.team and s.id not in p.unplaced and where is not None:
            load[(s.team, where)] += s.estimate or 0
    for story in sorted(p.placed):
        team, estimate, got = ids[story].team, ids[story].estimate, p.final[story]
        assert team is not None
        assert estimate is not None
        assert got is not None
        ready = ready_after(p, story)
        for slot in sorted(p.regular):
            if slot < got and (ready is None or slot > ready):
                room = p.plan.capacity.get((team, slot), 0) - load[(team, slot)]
                assert estimate > room, (story, slot, got)


@SETTINGS
@given(planner_cases())
def test_planner_lands_a_feature_with_its_last_story(case: PlannerCase) -> None:
    p = propose(*case)
    plan = p.plan
    for f in plan.items:
        if f.parent is not None or not p.within(f.slot):
            continue
        if f.done or not f.movable:
            assert f.id not in p.moved_to, f  # done features stay where they are
            continue
        # Done stories count where they were done; done without an iteration, not at all.
        stories = [s for s in stories_of(plan, f.id) if not (s.done and s.slot is None)]
        ends = [p.final[s.id] for s in stories if s.id not in p.unplaced]
        if stories and len(ends) == len(stories) and None not in ends:
            end = max(e for e in ends if e is not None)
            assert p.final[f.id] == (end if end in p.regular else f.slot), f
        else:
            assert f.id not in p.moved_to, f


# --- Transitive reduction ---------------------------------------------------------------------


# Both ways of finding implied edges: reachability bitsets (small graphs) and bounded walks.
WAYS = pytest.mark.parametrize("reachability", [display.BITSET_NODES, 0], ids=["bitsets", "walks"])


def closure(edges: list[tuple[str, str]]) -> set[tuple[str, str]]:
    adj = adjacency(edges)
    return {(a, b) for a in adj for b in reachable(adj, a)}


@WAYS
@SETTINGS
@given(plan=plans(acyclic=True))
def test_redundant_dependencies_are_a_transitive_reduction(plan: Plan, reachability: int) -> None:
    blocking = [d for d in plan.dependencies if d.blocks and in_plan(plan, d)]
    with mock.patch.object(display, "BITSET_NODES", reachability):
        redundant = redundant_dependencies(plan)
    assert redundant <= {d.id for d in blocking}
    kept = [(d.dependent, d.prerequisite) for d in blocking if d.id not in redundant]
    assert closure(kept) == closure([(d.dependent, d.prerequisite) for d in blocking])
    for k, (a, b) in enumerate(kept):
        others = kept[:k] + kept[k + 1 :]
        assert b not in reachable(adjacency(others), a), (a, b)


@WAYS
@SETTINGS
@given(plan=plans())
def test_redundant_dependencies_keep_reachability_and_cycles(plan: Plan, reachability: int) -> None:
    blocking = [d for d in plan.dependencies if d.blocks and in_plan(plan, d)]
    with mock.patch.object(display, "BITSET_NODES", reachability):
        redundant = redundant_dependencies(plan)
    kept = [(d.dependent, d.prerequisite) for d in blocking if d.id not in redundant]
    everything = [(d.dependent, d.prerequisite) for d in blocking]
    assert closure(kept) == closure(everything)
    # Inside a knot, every dependency is kept (one of several between the same two items).
    reach = closure(everything)
    for d in blocking:
        if (d.prerequisite, d.dependent) in reach or d.dependent == d.prerequisite:
            twins = [
                e.id
                for e in blocking
                if (e.dependent, e.prerequisite) == (d.dependent, d.prerequisite)
            ]
            assert [t for t in twins if t not in redundant] == [min(twins)]


# --- Several ARTs, each on its own calendar, starting on the same day -------------------------


@SETTINGS
@given(calendars())
def test_timeline_orders_iterations_by_their_dates(calendar: Calendar) -> None:
    clock = CalendarClock(calendar)  # asserts that no two iterations share a slot
    by_date = sorted(calendar.dated.values(), key=lambda d: (d.start, d.end, d.id))
    by_slot = sorted(calendar.dated.values(), key=lambda d: calendar.slot_of[d.id])
    assert by_slot == by_date
    for a in calendar.dated.values():
        for b in calendar.dated.values():
            same_window = calendar.slot_of[a.id][0] == calendar.slot_of[b.id][0]
            assert same_window == (clock.group[a.interval] == clock.group[b.interval])


@SETTINGS
@given(calendars())
def test_dependency_health_on_several_calendars(calendar: Calendar) -> None:
    plan, clock = calendar.plan, CalendarClock(calendar)
    labels = {clock.iteration(it.slot): it.label for it in plan.iterations}
    result = dependency_health(plan)
    expected = [
        (d.id, oracle_health(plan, d, clock)) for d in plan.dependencies if in_plan(plan, d)
    ]
    assert [(h.dependency, h.health) for h in result] == expected
    ids = item_map(plan)
    for h in result:
        a, b = ids[h.dependent], ids[h.prerequisite]
        for item, text in ((a, f"{a.key} ("), (b, f" needs {b.key} (")):
            where = "not planned" if item.slot is None else labels[clock.iteration(item.slot)]
            assert f"{text}{item.team or 'no team'}, {where})" in h.reason, h.reason


@SETTINGS
@given(calendar_what_ifs())
def test_what_if_on_several_calendars(case: CalendarWhatIf) -> None:
    check_what_if(
        WhatIf(case.calendar.plan, case.moves), CalendarClock(case.calendar), arts={case.art}
    )


@SETTINGS
@given(calendar_what_ifs(acyclic=True))
def test_what_if_on_several_calendars_without_cycles(case: CalendarWhatIf) -> None:
    check_what_if(WhatIf(case.calendar.plan, case.moves), CalendarClock(case.calendar))


@SETTINGS
@given(calendars(acyclic=True), st.data())
def test_critical_path_on_several_calendars(calendar: Calendar, data: st.DataObject) -> None:
    interval = data.draw(st.sampled_from(sorted(calendar.art_of_interval)))
    check_critical_path(calendar.plan, interval, CalendarClock(calendar))


@SETTINGS
@given(calendars(components=True))
def test_hotspots_on_several_calendars(calendar: Calendar) -> None:
    check_hotspots(calendar.plan, CalendarClock(calendar))


@SETTINGS
@given(calendars(capacities=True), st.data())
def test_planner_on_several_calendars(calendar: Calendar, data: st.DataObject) -> None:
    """Only the interval's own open regular iterations, within capacity, after what each
    story waits for, whatever the other ARTs' calendars hold between them."""
    interval = data.draw(st.sampled_from(sorted(calendar.art_of_interval)))
    today = data.draw(calendar_todays(calendar))
    p = propose(calendar.plan, interval, today, CalendarClock(calendar))
    check_planner_moves(p)
    check_planner_capacity(p)
    check_planner_order(p)

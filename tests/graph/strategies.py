"""Hypothesis strategies for small random plans (2-9 items) for the graph engine's tests.

Items are numbered 0..n-1; item i is `F{i}` (feature) or `S{i}` (story) with key `PAY-{i}`.
Iterations span one or two planning intervals (orders 1 and 2) of 1-5 iterations each; the
last iteration of an interval may be the IP iteration. `acyclic=True` only draws dependencies
from a higher-numbered dependent to a lower-numbered prerequisite, so the blocking graph is a
DAG; otherwise any pair (self-loops included when `self_loops=True`) may be drawn.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import strategies as st

from graph.impact import Move
from graph.model import (
    Component,
    Dependency,
    Item,
    ItemKind,
    Iteration,
    Milestone,
    Plan,
    Slot,
)

TEAMS = ("Team Atlas", "Team Nova", "Team Orion", "Team Vega")
ARTS = ("Payments ART", "Platform ART")


START = dt.date(2026, 1, 5)


@st.composite
def iterations(
    draw: st.DrawFn, *, max_intervals: int = 2, dated: bool = False
) -> tuple[Iteration, ...]:
    """1-2 planning intervals of 1-5 iterations; the last may be the IP iteration. Dated
    iterations end every two weeks, one after the other (some without an end date)."""
    out: list[Iteration] = []
    for order in range(1, draw(st.integers(1, max_intervals)) + 1):
        count = draw(st.integers(1, 5))
        has_ip = count >= 2 and draw(st.booleans())
        for index in range(1, count + 1):
            end = None
            if dated and draw(st.integers(0, 5)):
                end = START + dt.timedelta(days=14 * (len(out) + 1) - 1)
            if has_ip and index == count:
                out.append(Iteration((order, index), f"IP (PI {order})", ip=True, end=end))
            else:
                out.append(Iteration((order, index), f"Iteration {index} (PI {order})", end=end))
    return tuple(out)


def todays(plan: Plan) -> st.SearchStrategy[dt.date | None]:
    """No date, or a day on, just after or just before an iteration's end."""
    ends = sorted({it.end for it in plan.iterations if it.end is not None})
    days = sorted({d + dt.timedelta(days=k) for d in ends for k in (-1, 0, 1)})
    return st.sampled_from([None, *days])


def slots_of(its: tuple[Iteration, ...]) -> list[Slot]:
    return [it.slot for it in its]


@st.composite
def items(
    draw: st.DrawFn,
    slots: list[Slot],
    *,
    min_items: int = 2,
    max_items: int = 9,
    unplanned: bool = True,
    team_none: bool = True,
) -> tuple[Item, ...]:
    n = draw(st.integers(min_items, max_items))
    kinds = draw(st.lists(st.booleans(), min_size=n, max_size=n))  # True: feature
    kinds[0] = True  # stories need a feature to belong to
    features = [i for i in range(n) if kinds[i]]
    # One draw per field (each draw costs time: hypothesis runs hundreds of plans per test).
    slot_choice = st.sampled_from([None, *slots] if unplanned else slots)
    team_choice = st.sampled_from([*TEAMS, None] if team_none else TEAMS)
    team_art = {team: draw(st.sampled_from(ARTS)) for team in TEAMS}
    out: list[Item] = []
    for i in range(n):
        is_feature = kinds[i]
        team = draw(team_choice)
        out.append(
            Item(
                id=f"F{i}" if is_feature else f"S{i}",
                key=f"PAY-{i}",
                kind=ItemKind.FEATURE if is_feature else ItemKind.STORY,
                team=team,
                slot=draw(slot_choice),
                done=draw(st.integers(0, 4)) == 0,
                estimate=draw(st.sampled_from([None, 0, 1, 2, 3, 5, 8])),
                parent=None if is_feature else f"F{draw(st.sampled_from(features))}",
                art=team_art[team] if team else ARTS[0],
                wsjf=draw(st.sampled_from([None, 0.0, 1.5, 3.0, 7.25, 12.0])),
                rank=draw(st.integers(0, 3)),
                business_value=draw(st.sampled_from([0, 1, 5, 8, 13, 20])),
                movable=draw(st.integers(0, 3)) != 0,
            )
        )
    return tuple(out)


def related(a: Item, b: Item) -> bool:
    """Parent and child (services/DOMAIN.md refuses a dependency between them)."""
    return a.parent == b.id or b.parent == a.id


@st.composite
def dependencies(
    draw: st.DrawFn,
    its: tuple[Item, ...],
    slots: list[Slot],
    *,
    acyclic: bool,
    self_loops: bool = False,
    relates: bool = True,
    needed_by: bool = True,
    parent_child: bool = False,
    dangling: bool = False,
) -> tuple[Dependency, ...]:
    n = len(its)
    pairs = [
        (i, j)
        for i in range(n)
        for j in range(n)
        if (i > j if acyclic else (i != j or self_loops))
        and (parent_child or i == j or not related(its[i], its[j]))
    ]
    if not pairs:
        return ()
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=min(14, 2 * n)))
    out: list[Dependency] = []
    for k, (i, j) in enumerate(chosen):
        out.append(
            Dependency(
                id=f"D{k}",
                dependent=its[i].id,
                prerequisite=its[j].id,
                blocks=not relates or draw(st.integers(0, 4)) != 0,
                needed_by=draw(st.sampled_from([None, None, None, *slots])) if needed_by else None,
            )
        )
    if dangling and draw(st.booleans()):  # an end outside the plan: must be ignored
        out.append(Dependency(f"D{len(out)}", its[0].id, "S99"))
        out.append(Dependency(f"D{len(out)}", "F98", its[-1].id))
    return tuple(out)


@st.composite
def plans(
    draw: st.DrawFn,
    *,
    acyclic: bool = False,
    self_loops: bool = True,
    relates: bool = True,
    needed_by: bool = True,
    parent_child: bool = False,
    dangling: bool = True,
    min_items: int = 2,
    max_items: int = 9,
    max_intervals: int = 2,
    dated: bool = False,
    capacities: bool = False,
    components: bool = False,
    milestones: bool = False,
) -> Plan:
    """A random plan: items and dependencies; on request components and touches, team
    capacities and milestones (drawing them costs time, so only the tests that use them do)."""
    its = draw(iterations(max_intervals=max_intervals, dated=dated))
    slots = slots_of(its)
    plan_items = draw(items(slots, min_items=min_items, max_items=max_items))
    deps = draw(
        dependencies(
            plan_items,
            slots,
            acyclic=acyclic,
            self_loops=self_loops and not acyclic,
            relates=relates,
            needed_by=needed_by,
            parent_child=parent_child,
            dangling=dangling,
        )
    )
    parts: tuple[Component, ...] = ()
    touches: tuple[tuple[str, str], ...] = ()
    if components:
        parts = tuple(
            Component(f"C{k}", f"Component {k}", draw(st.one_of(st.none(), st.sampled_from(TEAMS))))
            for k in range(draw(st.integers(1, 3)))
        )
        touches = tuple(
            draw(
                st.lists(
                    st.tuples(
                        st.sampled_from([i.id for i in plan_items]),
                        st.sampled_from([c.id for c in parts]),
                    ),
                    max_size=8,
                    unique=True,
                )
            )
        )
    capacity: dict[tuple[str, Slot], int] = {}
    if capacities:
        for team in sorted({i.team for i in plan_items if i.team}):
            for slot, points in zip(
                slots,
                draw(
                    st.lists(
                        st.sampled_from([None, 0, 2, 5, 8, 12, 20, 40]),
                        min_size=len(slots),
                        max_size=len(slots),
                    )
                ),
                strict=True,
            ):
                if points is not None:
                    capacity[(team, slot)] = points
    marks: tuple[Milestone, ...] = ()
    if milestones:
        marks = tuple(
            Milestone(f"M{k}", f"Milestone {k}", slot)
            for k, slot in enumerate(draw(st.lists(st.sampled_from(slots), max_size=2)))
        )
    return Plan(
        items=plan_items,
        dependencies=deps,
        components=parts,
        touches=touches,
        iterations=its,
        capacity=capacity,
        milestones=marks,
    )


@dataclass(frozen=True)
class WhatIf:
    plan: Plan
    moves: tuple[Move, ...]


@st.composite
def what_ifs(draw: st.DrawFn, *, acyclic: bool = False) -> WhatIf:
    """A plan and 1-3 moves of distinct items to a random slot of the plan, or out (None)."""
    plan = draw(plans(acyclic=acyclic, milestones=True))
    slots = [it.slot for it in plan.iterations]
    moved = draw(
        st.lists(st.sampled_from([i.id for i in plan.items]), min_size=1, max_size=3, unique=True)
    )
    moves = tuple(Move(item, draw(st.one_of(st.none(), st.sampled_from(slots)))) for item in moved)
    return WhatIf(plan, moves)


@st.composite
def edge_lists(
    draw: st.DrawFn, *, nodes: tuple[str, ...] = ("a", "b", "c", "d", "e", "f")
) -> tuple[list[tuple[str, str]], str, str]:
    """Random "depends on" edges among a few names, and a candidate new edge (a, b)."""
    edges = draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=12))
    return edges, draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))

"""Drawing helpers: the transitive reduction of the dependency graph (no edge that another
path already implies) and a layout-ready export of the board."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.health import DependencyHealth
from graph.model import Health, Plan, Slot, worst


def _topological(succ: list[list[int]]) -> list[int]:
    """Kahn's order of the nodes it can order (all of them unless there is a cycle)."""
    indegree = [0] * len(succ)
    for targets in succ:
        for b in targets:
            indegree[b] += 1
    order = [v for v, d in enumerate(indegree) if d == 0]
    for v in order:  # grows while it is walked
        for w in succ[v]:
            indegree[w] -= 1
            if indegree[w] == 0:
                order.append(w)
    return order


# Up to this many nodes, reachability is kept as one bitset per node (at most n * n / 8 bytes,
# 112 MB at the limit, far less in real plans): a few big-integer ORs per edge. Larger graphs
# take bounded walks.
BITSET_NODES = 30_000


def _implied_bitsets(succ: list[list[int]], order: list[int]) -> set[tuple[int, int]]:
    """Edges (u, v) of a DAG that a longer path u -> w -> ... -> v also makes: v is reachable
    from another successor w of u. Reachability as bitsets, built in reverse topological
    order."""
    reach = [0] * len(succ)
    implied: set[tuple[int, int]] = set()
    for u in reversed(order):
        targets = succ[u]
        below = 0
        for w in targets:
            below |= reach[w]
        reach[u] = below | sum(1 << w for w in set(targets))
        if below:
            implied.update((u, v) for v in targets if below >> v & 1)
    return implied


def _implied(succ: list[list[int]], position: list[int]) -> set[tuple[int, int]]:
    """Edges (u, v) of a DAG that a longer path u -> w -> ... -> v also makes.

    For each node with several successors, walk down from them nearest first (in topological
    position); a successor reached from a nearer one is implied. A path to v only passes
    nodes placed before v, so each walk stops at the farthest successor's position: the work
    is bounded by what lies between a node and its successors, not by everything below it."""
    implied = set()
    for u, targets in enumerate(succ):
        if len(targets) < 2:
            continue
        ordered = sorted(targets, key=position.__getitem__)
        limit = position[ordered[-1]]
        reached: set[int] = set()
        for v in ordered:
            if v in reached:
                implied.add((u, v))
                continue
            reached.add(v)
            stack = [w for w in succ[v] if position[w] <= limit]
            while stack:
                x = stack.pop()
                if x in reached:
                    continue
                reached.add(x)
                stack.extend(w for w in succ[x] if position[w] <= limit and w not in reached)
    return implied


def redundant_dependencies(plan: Plan) -> set[str]:
    """Blocking dependencies implied by a longer chain (the transitive reduction drops them),
    and repeats of one pair; edges inside cycles are kept."""
    out = set()
    index: dict[str, int] = {}
    pairs: dict[tuple[int, int], str] = {}
    for d in sorted(plan.blocking, key=lambda d: d.id):
        pair = (
            index.setdefault(d.dependent, len(index)),
            index.setdefault(d.prerequisite, len(index)),
        )
        if pair in pairs:
            out.add(d.id)  # several dependencies between the same two items: keep one
        else:
            pairs[pair] = d.id
    # Knots of a cycle become one node (the reduction of a graph with cycles is the one of its
    # condensation); a plan without cycles keeps its items.
    component = list(range(len(index)))
    succ: list[list[int]] = [[] for _ in index]
    for a, b in pairs:
        succ[a].append(b)
    order = _topological(succ)
    if len(order) < len(index):
        graph = nx.DiGraph(list(pairs))
        knots = list(nx.strongly_connected_components(graph))
        for number, knot in enumerate(knots):
            for node in knot:
                component[node] = number
        succ = [[] for _ in knots]
        for a, b in {(component[a], component[b]) for a, b in pairs}:
            if a != b:
                succ[a].append(b)
        order = _topological(succ)
    if len(succ) <= BITSET_NODES:
        implied = _implied_bitsets(succ, order)
    else:
        position = [0] * len(succ)
        for place, node in enumerate(order):
            position[node] = place
        implied = _implied(succ, position)
    out.update(
        dependency
        for (a, b), dependency in pairs.items()
        if (component[a], component[b]) in implied
    )
    return out


@dataclass(frozen=True, slots=True)
class BoardNode:
    item: str
    lane: str  # team
    column: Slot | None  # None: the "not planned" column
    health: Health | None  # worst health of what it waits for


@dataclass(frozen=True, slots=True)
class BoardEdge:
    dependency: str
    dependent: str
    prerequisite: str
    health: Health
    redundant: bool  # implied by a longer chain: draw it faintly, or not at all


@dataclass(frozen=True, slots=True)
class Board:
    lanes: tuple[str, ...]
    columns: tuple[Slot, ...]
    nodes: tuple[BoardNode, ...]
    edges: tuple[BoardEdge, ...]


def board(plan: Plan, healths: list[DependencyHealth]) -> Board:
    redundant = redundant_dependencies(plan)
    waits: dict[str, list[Health]] = {}
    for h in healths:
        waits.setdefault(h.dependent, []).append(h.health)
    lanes = tuple(sorted({i.team or "No team" for i in plan.items}))
    columns = tuple(sorted(it.slot for it in plan.iterations))
    nodes = tuple(
        BoardNode(i.id, i.team or "No team", i.slot, worst(waits.get(i.id, ())))
        for i in sorted(plan.items, key=lambda i: (i.team or "", i.slot or (0, 0), i.key))
    )
    edges = tuple(
        BoardEdge(h.dependency, h.dependent, h.prerequisite, h.health, h.dependency in redundant)
        for h in healths
    )
    return Board(lanes, columns, nodes, edges)

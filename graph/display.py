"""Drawing helpers: the transitive reduction of the dependency graph (no edge that another
path already implies) and a layout-ready export of the board."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.health import DependencyHealth
from graph.model import Health, Plan, Slot, worst


def redundant_dependencies(plan: Plan) -> set[str]:
    """Blocking dependencies implied by a longer chain (edges inside cycles are kept)."""
    graph = nx.DiGraph()
    graph.add_edges_from((d.dependent, d.prerequisite) for d in plan.blocking)
    condensed = nx.condensation(graph)
    mapping = condensed.graph["mapping"]
    reduced = nx.transitive_reduction(condensed)
    out = set()
    for d in plan.blocking:
        a, b = mapping[d.dependent], mapping[d.prerequisite]
        if a != b and not reduced.has_edge(a, b):
            out.add(d.id)
    # Several dependencies between the same two items: keep one.
    seen: set[tuple[str, str]] = set()
    for d in sorted(plan.blocking, key=lambda d: d.id):
        pair = (d.dependent, d.prerequisite)
        if pair in seen:
            out.add(d.id)
        seen.add(pair)
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

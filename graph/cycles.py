"""Cycles among blocking dependencies: an error, named in full (A -> B -> C -> A)."""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import networkx as nx

from graph.model import Plan


@dataclass(frozen=True, slots=True)
class Cycle:
    items: tuple[str, ...]  # one cycle, each item depending on the next, closing on the first
    members: tuple[str, ...]  # every item caught in the same knot (strongly connected)

    def text(self, keys: Mapping[str, str]) -> str:
        return " -> ".join(keys[i] for i in (*self.items, self.items[0]))


N = TypeVar("N", bound=Hashable)


def shortest_path(adjacency: Mapping[N, Sequence[N]], start: N, goal: N) -> list[N] | None:
    """Breadth-first path start -> ... -> goal along the edges, or None."""
    previous: dict[N, N | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while (step := previous[path[-1]]) is not None:
                path.append(step)
            return path[::-1]
        for nxt in adjacency.get(node, ()):
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return None


# Work allowed per knot when looking for its shortest cycle (edge visits). Real knots are a
# handful of items; a huge one (a bad import) is still named by a real cycle, the shortest
# found within the budget.
SHORTEST_CYCLE_BUDGET = 2_000_000


def _shortest_cycle_through(
    inside: Mapping[str, Sequence[str]], start: str, shorter_than: int | None, budget: list[int]
) -> list[str] | None:
    """The shortest cycle through `start` with fewer than `shorter_than` items, or None."""
    previous: dict[str, str | None] = {start: None}
    frontier = [start]
    depth = 0
    # The first search (nothing found yet) always completes: a knot has a cycle through each
    # member. Later ones only look for something shorter, within the budget.
    while frontier and (shorter_than is None or (depth + 1 < shorter_than and budget[0] > 0)):
        nxt = []
        for node in frontier:
            for succ in inside[node]:
                budget[0] -= 1
                if succ == start:
                    path = [node]
                    while (step := previous[path[-1]]) is not None:
                        path.append(step)
                    return path[::-1]
                if succ not in previous:
                    previous[succ] = node
                    nxt.append(succ)
        frontier = nxt
        depth += 1
    return None


def shortest_cycle(inside: Mapping[str, Sequence[str]], members: Sequence[str]) -> list[str]:
    """A shortest cycle of a knot (its adjacency `inside`), starting at its smallest member
    that lies on one; members in sorted order."""
    for node in members:
        if node in inside[node]:
            return [node]
    best: list[str] | None = None
    budget = [SHORTEST_CYCLE_BUDGET]
    for start in members:
        found = _shortest_cycle_through(inside, start, None if best is None else len(best), budget)
        if found is not None:
            best = found
            if len(best) == 2 or budget[0] <= 0:
                break
    assert best is not None, "a knot has a cycle"
    return best


def _not_ordered(plan: Plan) -> set[str]:
    """The items Kahn's algorithm cannot order: those in a cycle and those that (transitively)
    depend on one. Empty for a plan without cycles, found in one linear pass."""
    succ: dict[str, list[str]] = {}
    waiting: dict[str, int] = {}
    for d in plan.blocking:
        succ.setdefault(d.prerequisite, []).append(d.dependent)
        waiting[d.dependent] = waiting.get(d.dependent, 0) + 1
        waiting.setdefault(d.prerequisite, 0)
    ready = [n for n, count in waiting.items() if count == 0]
    for node in ready:  # grows while it is walked
        for s in succ.get(node, ()):
            waiting[s] -= 1
            if waiting[s] == 0:
                ready.append(s)
    return set(waiting) - set(ready)


def find_cycles(plan: Plan) -> list[Cycle]:
    """One shortest cycle per knot of mutually dependent items, knots in a stable order."""
    suspects = _not_ordered(plan)
    if not suspects:
        return []
    graph = nx.DiGraph()
    graph.add_edges_from(
        (d.dependent, d.prerequisite)
        for d in plan.blocking
        if d.dependent in suspects and d.prerequisite in suspects
    )
    out = []
    for component in nx.strongly_connected_components(graph):
        members = sorted(component)
        if len(members) == 1 and not graph.has_edge(members[0], members[0]):
            continue
        inside = {n: sorted(s for s in graph.successors(n) if s in component) for n in members}
        out.append(Cycle(tuple(shortest_cycle(inside, members)), tuple(members)))
    return sorted(out, key=lambda c: c.members)


def closing_cycle(edges: Iterable[tuple[N, N]], dependent: N, prerequisite: N) -> list[N] | None:
    """The cycle a new "dependent depends on prerequisite" would close, or None.

    It closes one exactly when the prerequisite already (transitively) depends on the
    dependent; the cycle is dependent -> prerequisite -> ... -> dependent (the shortest)."""
    if dependent == prerequisite:
        return [dependent]
    adjacency: dict[N, list[N]] = {}
    for a, b in edges:
        adjacency.setdefault(a, []).append(b)
    path = shortest_path(adjacency, prerequisite, dependent)
    return None if path is None else [dependent, *path[:-1]]

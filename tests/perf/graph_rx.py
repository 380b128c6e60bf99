"""The graph analyses that rustworkx has an algorithm for, done with rustworkx on the same
Plan, for comparison with the engine (graph/, on networkx and plain Python).

Each function builds its PyDiGraph from the Plan itself, as the engine builds its networkx
graph, so the two timings cover the same work. What rustworkx has no algorithm for (slack,
the reasons in words, capacity, coupling...) is left out, and said so beside each function.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import rustworkx as rx

from graph.critical import durations
from graph.impact import NEVER, Move
from graph.model import Plan, Slot

# Critical path: an item's weight is (iterations, points); both go into one integer weight,
# iterations first, so one longest path compares like the engine's (length, points) tuples.
SCALE = 10**9


def depends_on_graph(plan: Plan) -> tuple[rx.PyDiGraph[str, None], dict[str, int]]:
    """Edges from the dependent to its prerequisite; node n is plan.items[n]."""
    index = {item.id: n for n, item in enumerate(plan.items)}
    blocking = plan.blocking
    graph: rx.PyDiGraph[str, None] = rx.PyDiGraph(
        node_count_hint=len(index), edge_count_hint=len(blocking)
    )
    graph.add_nodes_from([item.id for item in plan.items])
    graph.add_edges_from_no_data([(index[d.dependent], index[d.prerequisite]) for d in blocking])
    return graph, index


def knots(plan: Plan) -> list[tuple[str, ...]]:
    """Members of every knot of mutually dependent items (strongly connected components);
    the engine's find_cycles also names one shortest cycle per knot (not done here)."""
    graph, _ = depends_on_graph(plan)
    out = []
    for component in rx.strongly_connected_components(graph):
        if len(component) > 1 or graph.has_edge(component[0], component[0]):
            out.append(tuple(sorted(graph[n] for n in component)))
    return sorted(out)


def critical(plan: Plan, interval: int) -> tuple[int, int, tuple[str, ...]]:
    """(length, points, items) of the longest chain of the interval's items (node-weighted,
    through a virtual source); the engine also computes every item's slack (not done here)."""
    scoped = [i for i in plan.items if i.slot is not None and i.slot[0] == interval]
    weight = durations(plan, scoped, interval)
    index = {item.id: n for n, item in enumerate(scoped)}
    value = [weight[i.id] * SCALE + (i.estimate or 0) for i in scoped]
    graph: rx.PyDiGraph[str, int] = rx.PyDiGraph()
    graph.add_nodes_from([i.id for i in scoped])
    source = graph.add_node("")
    edges = [(source, n, value[n]) for n in range(len(scoped))]
    edges += [
        (index[d.prerequisite], index[d.dependent], value[index[d.dependent]])
        for d in plan.blocking
        if d.dependent in index and d.prerequisite in index
    ]
    graph.add_edges_from(edges)
    if not rx.is_directed_acyclic_graph(graph):
        return 0, 0, ()
    path = [n for n in rx.dag_longest_path(graph, weight_fn=lambda _a, _b, w: w) if n != source]
    total = sum(value[n] for n in path)
    return total // SCALE, total % SCALE, tuple(graph[n] for n in path)


def slipped(plan: Plan, moves: Iterable[Move]) -> set[str]:
    """Items whose effective slot gets later with the moves: a topological order and the
    moved items' descendants from rustworkx, the max-propagation in Python (acyclic plans
    only; the engine condenses knots first, builds the reasons, late features, milestones)."""
    index = {item.id: n for n, item in enumerate(plan.items)}
    graph: rx.PyDiGraph[None, None] = rx.PyDiGraph()
    graph.add_nodes_from([None] * len(index))
    graph.add_edges_from_no_data(
        [(index[d.prerequisite], index[d.dependent]) for d in plan.blocking]
    )
    order = rx.topological_sort(graph)
    slot: list[Slot] = [NEVER if i.slot is None else i.slot for i in plan.items]
    before = list(slot)
    for n in order:
        for p in graph.predecessor_indices(n):
            if before[p] > before[n]:
                before[n] = before[p]
    moved = {index[m.item]: NEVER if m.to is None else m.to for m in moves if m.item in index}
    affected = set(moved)
    for n in moved:
        affected |= rx.descendants(graph, n)
    after: dict[int, Slot] = {}
    for n in order:
        if n not in affected:
            continue
        best = moved.get(n, slot[n])
        for p in graph.predecessor_indices(n):
            found = after.get(p, before[p])
            if found > best:
                best = found
        after[n] = best
    return {plan.items[n].id for n, s in after.items() if n not in moved and s > before[n]}


def redundant(plan: Plan) -> set[str]:
    """Blocking dependencies the transitive reduction drops, and repeats of one pair
    (acyclic plans: rustworkx's transitive_reduction refuses a graph with a cycle)."""
    graph, index = depends_on_graph(plan)
    reduced, mapping = rx.transitive_reduction(graph)
    out = {
        d.id
        for d in plan.blocking
        if not reduced.has_edge(mapping[index[d.dependent]], mapping[index[d.prerequisite]])
    }
    seen: set[tuple[str, str]] = set()
    for d in sorted(plan.blocking, key=lambda d: d.id):
        pair = (d.dependent, d.prerequisite)
        if pair in seen:
            out.add(d.id)
        seen.add(pair)
    return out


def node_graph(edges: Sequence[tuple[int, int]]) -> rx.PyDiGraph[None, None]:
    """The cycle guard's graph: node numbers (services.models.node_of) as node indices."""
    graph: rx.PyDiGraph[None, None] = rx.PyDiGraph()
    graph.extend_from_edge_list(edges)
    return graph


def closing(graph: rx.PyDiGraph[None, None], dependent: int, prerequisite: int) -> list[int] | None:
    """The cycle "dependent depends on prerequisite" would close (shortest), or None."""
    if dependent == prerequisite:
        return [dependent]
    if max(dependent, prerequisite) >= graph.num_nodes():
        return None
    paths = rx.digraph_dijkstra_shortest_paths(graph, prerequisite, target=dependent)
    if dependent not in paths:
        return None
    return [dependent, *list(paths[dependent])[:-1]]

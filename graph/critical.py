"""The critical path of a planning interval: the longest chain of dependent items.

Each item weighs the iterations it occupies (a story one; a feature the span of its stories in
the interval, at least one) and, to break ties, its estimate in points. The slack of an item is
how many iterations its chain may grow without making the longest chain longer.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.cycles import Cycle, find_cycles
from graph.model import Item, Plan


@dataclass(frozen=True, slots=True)
class CriticalPath:
    items: tuple[str, ...]  # from the first prerequisite to the last dependent
    teams: tuple[str, ...]  # the teams along it, in order of first appearance
    length: int  # iterations
    points: int
    slack: dict[str, int]  # every item of the interval -> iterations it may slip
    cycles: tuple[Cycle, ...] = ()  # when not empty there is no critical path


def durations(plan: Plan, items: list[Item], interval: int) -> dict[str, int]:
    """Iterations each item occupies in the interval (a feature: the span of its stories
    planned in it)."""
    out: dict[str, int] = {}
    for item in items:
        if item.parent is None:
            # Positions in the interval: another ART's iterations between two of this
            # interval's (on another calendar) do not lengthen it.
            positions = [
                plan.position(s.slot)
                for s in plan.stories_of.get(item.id, ())
                if s.slot is not None and plan.in_interval(s.slot, interval)
            ]
            out[item.id] = (max(positions) - min(positions) + 1) if positions else 1
        else:
            out[item.id] = 1
    return out


def _topological(succ: dict[str, list[str]], pred: dict[str, list[str]]) -> list[str]:
    """Kahn's order of the nodes it can order (all of them unless there is a cycle)."""
    waiting = {n: len(p) for n, p in pred.items()}
    order = [n for n, count in waiting.items() if count == 0]
    for node in order:  # grows while it is walked
        for s in succ[node]:
            waiting[s] -= 1
            if waiting[s] == 0:
                order.append(s)
    return order


def critical_path(plan: Plan, interval: int) -> CriticalPath:
    """For the items planned in the planning interval `interval` (graph/model.py, Iteration)."""
    scoped = [i for i in plan.items if plan.in_interval(i.slot, interval)]
    ids = {i.id for i in scoped}
    weight = durations(plan, scoped, interval)
    points = {i.id: i.estimate or 0 for i in scoped}
    # Edges run from the prerequisite to the dependent: time order. Plain adjacency lists and
    # Kahn's order: a linear pass, where building a networkx graph cost more than the search.
    succ: dict[str, list[str]] = {n: [] for n in ids}
    pred: dict[str, list[str]] = {n: [] for n in ids}
    for a, b in {
        (d.prerequisite, d.dependent)
        for d in plan.blocking
        if d.dependent in ids and d.prerequisite in ids
    }:
        succ[a].append(b)
        pred[b].append(a)
    order = _topological(succ, pred)
    if len(order) < len(ids):
        sub = Plan(
            tuple(scoped),
            tuple(d for d in plan.blocking if d.dependent in ids and d.prerequisite in ids),
        )
        return CriticalPath((), (), 0, 0, {}, tuple(find_cycles(sub)))
    # Best chain ending at each node: (length, points) and the node it comes from; ties go
    # to the predecessor first by name, so the answer does not depend on the order walked.
    ending: dict[str, tuple[int, int]] = {}
    came_from: dict[str, str | None] = {}
    for node in order:
        best, source = (0, 0), None
        for p in sorted(pred[node]):
            if ending[p] > best:
                best, source = ending[p], p
        ending[node] = (best[0] + weight[node], best[1] + points[node])
        came_from[node] = source
    starting: dict[str, int] = {}
    for node in reversed(order):
        tail = max((starting[s] for s in succ[node]), default=0)
        starting[node] = tail + weight[node]
    if not order:
        return CriticalPath((), (), 0, 0, {})
    end = max(order, key=lambda n: (ending[n], [-ord(c) for c in n]))
    length, total_points = ending[end]
    path = [end]
    while (step := came_from[path[-1]]) is not None:
        path.append(step)
    path.reverse()
    slack = {n: length - (ending[n][0] + starting[n] - weight[n]) for n in order}
    teams: list[str] = []
    for node in path:
        team = plan.by_id[node].team
        if team and team not in teams:
            teams.append(team)
    return CriticalPath(tuple(path), tuple(teams), length, total_points, slack)

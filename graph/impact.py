"""What-if: move items (to another iteration, or out of the planning interval) and see,
without writing anything, which dependencies turn RED, which items slip with them, which
features and milestones become late, which teams are hit and how much value is at risk.

An item cannot finish before anything it (transitively) waits for: its effective slot is the
latest planned slot among itself and all its blocking prerequisites. Unplanned counts as
"after every iteration".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace

import networkx as nx

from graph.health import DependencyHealth, assess
from graph.model import Health, Item, Plan, Slot

NEVER: Slot = (10**9, 0)


@dataclass(frozen=True, slots=True)
class Move:
    item: str
    to: Slot | None  # None: out of the planning interval (unplanned)


@dataclass(frozen=True, slots=True)
class Slip:
    item: str
    was: Slot | None  # effective slot before the moves (None: never)
    now: Slot | None
    cause: str  # the moved item that pushes it
    reason: str


@dataclass(frozen=True, slots=True)
class LateFeature:
    feature: str
    planned: Slot
    finishes: Slot | None
    reason: str


@dataclass(frozen=True, slots=True)
class LateMilestone:
    milestone: str
    features: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Impact:
    moves: tuple[Move, ...]
    turned_red: tuple[DependencyHealth, ...]
    slipped: tuple[Slip, ...]
    late_features: tuple[LateFeature, ...]
    late_milestones: tuple[LateMilestone, ...]
    teams_hit: tuple[str, ...]
    value_at_risk: int


def _order(slot: Slot | None) -> tuple[int, int]:
    return NEVER if slot is None else slot


def _slot(item: Item) -> Slot:
    return NEVER if item.slot is None else item.slot


def _condensed_effective_slots(
    plan: Plan, slot_of: Mapping[str, Slot]
) -> tuple[dict[str, Slot], dict[str, str]]:
    """effective_slots for a plan with cycles: knots share one effective slot."""
    graph = nx.DiGraph()
    graph.add_nodes_from(i.id for i in plan.items)
    graph.add_edges_from((d.prerequisite, d.dependent) for d in plan.blocking)
    condensed = nx.condensation(graph)
    members = nx.get_node_attributes(condensed, "members")
    effective: dict[str, Slot] = {}
    decided_by: dict[str, str] = {}
    for knot in nx.topological_sort(condensed):
        best_id = max(members[knot], key=lambda n: (slot_of[n], n))
        best = (slot_of[best_id], best_id)
        for pred in sorted(condensed.predecessors(knot)):
            some = next(iter(members[pred]))
            candidate = (effective[some], decided_by[some])
            if candidate[0] > best[0]:
                best = candidate
        for node in members[knot]:
            effective[node], decided_by[node] = best
    return effective, decided_by


class _Waits:
    """The blocking dependencies as lists, in an order where prerequisites come first (None
    when there is a cycle)."""

    def __init__(self, plan: Plan) -> None:
        self.prerequisites: dict[str, list[str]] = {i.id: [] for i in plan.items}
        self.dependents: dict[str, list[str]] = {i.id: [] for i in plan.items}
        for d in plan.blocking:
            if d.dependent in self.prerequisites and d.prerequisite in self.prerequisites:
                self.prerequisites[d.dependent].append(d.prerequisite)
                self.dependents[d.prerequisite].append(d.dependent)
        for waits in self.prerequisites.values():
            waits.sort()
        waiting = {item: len(waits) for item, waits in self.prerequisites.items()}
        order = [item for item, count in waiting.items() if count == 0]
        for item in order:  # grows while it is walked
            for dependent in self.dependents[item]:
                waiting[dependent] -= 1
                if waiting[dependent] == 0:
                    order.append(dependent)
        self.order = order if len(order) == len(waiting) else None

    def downstream(self, items: Iterable[str]) -> set[str]:
        """The items and everything that (transitively) waits for them."""
        seen = set(items)
        stack = list(seen)
        while stack:
            for dependent in self.dependents[stack.pop()]:
                if dependent not in seen:
                    seen.add(dependent)
                    stack.append(dependent)
        return seen

    def settle(
        self,
        slot_of: Mapping[str, Slot],
        effective: dict[str, Slot],
        decided_by: dict[str, str],
        only: set[str] | None = None,
    ) -> None:
        """Fill in the effective slots (of `only`, when given, the others being settled)."""
        assert self.order is not None
        for item in self.order:
            if only is not None and item not in only:
                continue
            best, by = slot_of[item], item
            for prerequisite in self.prerequisites[item]:
                if effective[prerequisite] > best:
                    best, by = effective[prerequisite], decided_by[prerequisite]
            effective[item], decided_by[item] = best, by


def effective_slots(plan: Plan) -> tuple[dict[str, Slot], dict[str, str]]:
    """Each item's effective slot, and which item decides it (itself or a prerequisite)."""
    slot_of = {i.id: _slot(i) for i in plan.items}
    waits = _Waits(plan)
    if waits.order is None:
        return _condensed_effective_slots(plan, slot_of)
    effective: dict[str, Slot] = {}
    decided_by: dict[str, str] = {}
    waits.settle(slot_of, effective, decided_by)
    return effective, decided_by


def _label(plan: Plan, slot: Slot | None) -> str:
    if slot is None or slot == NEVER:
        return "out of the planning interval"
    return plan.slot_labels.get(slot) or f"iteration {slot[1]}"


def _when(plan: Plan, slot: Slot | None) -> str:
    if slot is None or slot == NEVER:
        return "only after the planning interval"
    return f"in {_label(plan, slot)}"


def _towards(plan: Plan, slot: Slot | None) -> str:
    return _label(plan, slot) if slot in (None, NEVER) else f"to {_label(plan, slot)}"


def completion(plan: Plan, effective: Mapping[str, Slot], feature: str) -> Slot:
    stories = plan.stories_of.get(feature, ())
    return max([effective[feature], *(effective[s.id] for s in stories)])


def what_if(plan: Plan, moves: Iterable[Move], arts: Collection[str] | None = None) -> Impact:
    """The impact of the moves. A milestone needs only the late features of its own ART; the
    value at risk counts the late features of `arts` (None: every ART), since business value
    is scored on each ART's own scale (services/DOMAIN.md, WSJF)."""
    moves = tuple(moves)
    moved = {m.item: m.to for m in moves if m.item in plan.by_id}
    after = Plan(
        tuple(replace(i, slot=moved[i.id]) if i.id in moved else i for i in plan.items),
        plan.dependencies,
        plan.components,
        plan.touches,
        plan.iterations,
        plan.capacity,
        plan.milestones,
    )
    touched = [d for d in plan.dependencies if d.dependent in moved or d.prerequisite in moved]
    turned_red = tuple(
        new
        for d in touched
        if d.dependent in plan.by_id
        and d.prerequisite in plan.by_id
        and (new := assess(after, d)).health is Health.RED
        and assess(plan, d).health is not Health.RED
    )
    # Only what waits (transitively) for a moved item can change: settle the rest once.
    slot_of = {i.id: _slot(i) for i in plan.items}
    waits = _Waits(plan)
    if waits.order is None:
        before_eff, _ = _condensed_effective_slots(plan, slot_of)
        after_slot = {**slot_of, **{k: NEVER if v is None else v for k, v in moved.items()}}
        after_eff, decided = _condensed_effective_slots(after, after_slot)
        affected = set(plan.by_id)
    else:
        before_eff, decided = {}, {}
        waits.settle(slot_of, before_eff, decided)
        affected = waits.downstream(moved)
        after_slot = {**slot_of, **{k: NEVER if v is None else v for k, v in moved.items()}}
        after_eff, decided = dict(before_eff), dict(decided)
        waits.settle(after_slot, after_eff, decided, only=affected)

    slipped = []
    for item in plan.items:
        if item.id not in affected or item.id in moved:
            continue
        if after_eff[item.id] <= before_eff[item.id]:
            continue
        cause = plan.by_id[decided[item.id]]
        cause_slot = moved.get(cause.id, cause.slot)
        was, now = before_eff[item.id], after_eff[item.id]
        slipped.append(
            Slip(
                item.id,
                None if was == NEVER else was,
                None if now == NEVER else now,
                cause.id,
                f"{item.key} ({item.team or 'no team'}) can now finish {_when(plan, now)} at the "
                f"earliest: it waits for {cause.key} ({cause.team or 'no team'}), "
                f"{'moved' if cause.id in moved else 'pushed'} {_towards(plan, cause_slot)}.",
            )
        )

    # Worst first: what slips furthest, then by key.
    slipped.sort(key=lambda s: plan.by_id[s.item].key)
    slipped.sort(key=lambda s: _order(s.now), reverse=True)  # stable: keys stay in order

    late_features = []
    candidates = {i for i in affected if i in plan.by_id}
    candidates = {plan.by_id[i].parent or i for i in candidates}
    for feature in (
        i for i in plan.items if i.id in candidates and i.parent is None and i.slot is not None
    ):
        assert feature.slot is not None
        was, now = (
            completion(plan, before_eff, feature.id),
            completion(plan, after_eff, feature.id),
        )
        if now > feature.slot and now > was:
            late_features.append(
                LateFeature(
                    feature.id,
                    feature.slot,
                    None if now == NEVER else now,
                    f"{feature.key} is planned for {_label(plan, feature.slot)} but would "
                    f"finish {_when(plan, now)}.",
                )
            )
    # The most business value first.
    late_features.sort(
        key=lambda f: (-plan.by_id[f.feature].business_value, plan.by_id[f.feature].key)
    )
    finishing = {
        f.feature: (
            completion(plan, before_eff, f.feature),
            completion(plan, after_eff, f.feature),
        )
        for f in late_features
    }
    late_milestones = []
    for milestone in sorted(plan.milestones, key=lambda m: (m.slot, m.name)):
        hit = tuple(
            f.feature
            for f in late_features
            if (not milestone.art or plan.by_id[f.feature].art == milestone.art)
            and f.planned <= milestone.slot
            and finishing[f.feature][0] <= milestone.slot < finishing[f.feature][1]
        )
        if hit:
            keys = ", ".join(plan.by_id[f].key for f in hit)
            late_milestones.append(
                LateMilestone(
                    milestone.id, hit, f"{milestone.name} needs {keys}, which would be late."
                )
            )
    teams = {plan.by_id[s.item].team for s in slipped}
    teams |= {plan.by_id[f.feature].team for f in late_features}
    value = sum(
        plan.by_id[f.feature].business_value
        for f in late_features
        if arts is None or plan.by_id[f.feature].art in arts
    )
    return Impact(
        moves,
        turned_red,
        tuple(slipped),
        tuple(late_features),
        tuple(late_milestones),
        tuple(sorted(t for t in teams if t)),
        value,
    )

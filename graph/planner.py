"""A proposed plan: a capacity-aware draft placement of stories into the iterations of one
planning interval, as moves against the current plan, each with its reason.

Greedy list scheduling in program-backlog order (WSJF, ties by rank): each story that has
not started goes into the first regular iteration that is after everything it waits for and
where its team still has room. Prerequisites are placed first, whatever their feature's
WSJF, and before started work that waits for them. Started and done stories (and done
features) stay where they are; the stories use up their team's capacity. The IP iteration is
kept free (no feature work; it is the buffer). A feature lands in the iteration of its last
story. Nothing is placed in an iteration that has already ended: work not started there, or
left in another planning interval, is carried into the first open iteration with room.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graph.model import Item, Plan, Slot


@dataclass(frozen=True, slots=True)
class PlanMove:
    item: str
    was: Slot | None
    to: Slot
    reason: str


@dataclass(frozen=True, slots=True)
class Unplaced:
    item: str
    reason: str


@dataclass(frozen=True, slots=True)
class ProposedPlan:
    moves: tuple[PlanMove, ...]
    unplaced: tuple[Unplaced, ...]
    load: dict[tuple[str, Slot], int]  # team, slot -> points planned after the moves
    capacity: dict[tuple[str, Slot], int]


def _order(item: Item) -> tuple[float, int, str]:
    return (-(item.wsjf if item.wsjf is not None else -1.0), item.rank, item.key)


class _Planner:
    def __init__(self, plan: Plan, interval: int, today: dt.date | None) -> None:
        self.plan = plan
        regular = [
            it for it in plan.iterations if plan.in_interval(it.slot, interval) and not it.ip
        ]
        self.slots = sorted(
            it.slot for it in regular if today is None or it.end is None or it.end >= today
        )
        self.ended = bool(regular) and not self.slots
        self.labels = plan.slot_labels
        self.capacity = {k: v for k, v in plan.capacity.items() if plan.in_interval(k[1], interval)}
        self.load: dict[tuple[str, Slot], int] = {}
        self.placed: dict[str, Slot] = {}
        self.failed: dict[str, str] = {}
        self.reasons: dict[str, str] = {}
        self.interval = interval
        self.waits: dict[str, list[str]] = {}
        self.needed: dict[str, list[str]] = {}  # prerequisite -> its dependents
        for d in plan.blocking:
            self.waits.setdefault(d.dependent, []).append(d.prerequisite)
            self.needed.setdefault(d.prerequisite, []).append(d.dependent)
        # Every not-started story of the interval's features, wherever it sits now (unplanned,
        # in an ended iteration, or left in another planning interval).
        self.scope = {
            i.id
            for i in plan.items
            if i.parent is not None
            and i.movable
            and not i.done
            and (parent := plan.by_id.get(i.parent)) is not None
            and plan.in_interval(parent.slot, interval)
        }
        for item in plan.items:  # fixed work uses up capacity where it is
            if item.parent is not None and item.id not in self.scope and item.slot and item.team:
                if plan.in_interval(item.slot, interval):
                    key = (item.team, item.slot)
                    self.load[key] = self.load.get(key, 0) + (item.estimate or 0)

    def label(self, slot: Slot) -> str:
        return self.labels.get(slot) or f"iteration {slot[1]}"

    def ready_after(self, item_id: str, stack: tuple[str, ...]) -> tuple[Slot | None, str]:
        """The slot everything `item_id` waits for is done by, or None with why not."""
        latest: Slot | None = None
        why = ""
        for prerequisite in sorted(self.waits.get(item_id, ())):
            other = self.plan.by_id[prerequisite]
            if other.done:
                continue  # done is healthy wherever it sits
            slot = self.finish(prerequisite, stack)
            if slot is None:
                state = "cannot be placed" if prerequisite in self.failed else "is not planned"
                return None, f"it waits for {other.key}, which {state}"
            if latest is None or slot > latest:
                latest, why = slot, f"after {other.key} ({self.label(slot)})"
        return latest, why

    def finish(self, item_id: str, stack: tuple[str, ...]) -> Slot | None:
        """Where `item_id` ends up once the proposal is applied (None: not planned)."""
        item = self.plan.by_id[item_id]
        if item.parent is None:
            # A feature lands with its last story. One of this interval that is not done moves
            # there (when that is an open iteration); any other stays where it is.
            ends = []
            for story in self.plan.stories_of.get(item_id, ()):
                end = story.slot if story.done else self.finish(story.id, stack)
                if end is None and not story.done:
                    return None
                if end is not None:
                    ends.append(end)
            if item.slot is None:
                return None
            last = max(ends, default=None)
            if last is not None and self.moves_feature(item) and last in self.slots:
                return last
            return item.slot if last is None else max(last, item.slot)
        if item_id not in self.scope:
            return item.slot
        return self.place(item_id, stack)

    def moves_feature(self, feature: Item) -> bool:
        """Whether the proposal may move this feature to its last story."""
        return (
            self.plan.in_interval(feature.slot, self.interval)
            and feature.movable
            and not feature.done
        )

    def deadline(self, item_id: str) -> tuple[Slot | None, str]:
        """The slot `item_id` must come before: the earliest of its dependents that stay where
        they are in this interval (started work, features of other intervals)."""
        earliest: tuple[Slot, str] | None = None
        for dependent in self.needed.get(item_id, ()):
            other = self.plan.by_id[dependent]
            if other.parent is None:
                continue  # a feature of this interval moves with its stories; others lie beyond
            if dependent in self.scope or not self.plan.in_interval(other.slot, self.interval):
                continue
            assert other.slot is not None
            if earliest is None or (other.slot, other.key) < earliest:
                earliest = (other.slot, other.key)
        if earliest is None:
            return None, ""
        return earliest[0], f"before {earliest[1]} ({self.label(earliest[0])}), which waits for it"

    def place(self, item_id: str, stack: tuple[str, ...] = ()) -> Slot | None:
        if item_id in self.placed:
            return self.placed[item_id]
        if item_id in self.failed:
            return None
        item = self.plan.by_id[item_id]
        if item_id in stack:
            self.failed[item_id] = f"{item.key} is part of a dependency cycle"
            return None
        if item.estimate is None:
            self.failed[item_id] = f"{item.key} has no estimate, so it cannot be fitted to capacity"
            return None
        if not item.team:
            self.failed[item_id] = f"{item.key} has no team"
            return None
        after, why = self.ready_after(item_id, (*stack, item_id))
        if after is None and why:
            self.failed[item_id] = f"{item.key} cannot be placed: {why}"
            return None
        before, needed_by = self.deadline(item_id)
        candidates = [
            s for s in self.slots if (after is None or s > after) and (before is None or s < before)
        ]
        if needed_by:
            why = f"{why}, {needed_by}" if why else needed_by
        best_left = None
        for slot in candidates:
            key = (item.team, slot)
            left = self.capacity.get(key, 0) - self.load.get(key, 0)
            if item.estimate <= left:
                self.load[key] = self.load.get(key, 0) + item.estimate
                self.placed[item_id] = slot
                parts = [f"{item.team} has {left} of {self.capacity.get(key, 0)} points left"]
                if why:
                    parts.insert(0, why)
                self.reasons[item_id] = "; ".join(parts)
                return slot
            if best_left is None or left > best_left[0]:
                best_left = (left, slot)
        if not self.slots and self.ended:
            self.failed[item_id] = (
                f"{item.key} cannot be placed: every regular iteration of the planning "
                "interval has ended"
            )
        elif not candidates:
            self.failed[item_id] = (
                f"{item.key} cannot be placed: {why or 'it waits'} and no open regular "
                "iteration of the planning interval fits that"
            )
        else:
            most = (
                ""
                if best_left is None
                else (f"; the most left is {best_left[0]} in {self.label(best_left[1])}")
            )
            self.failed[item_id] = (
                f"{item.key} ({item.estimate} points) does not fit {item.team}'s capacity in "
                f"any iteration{' ' + why if why else ''}{most}"
            )
        return None


def propose_plan(plan: Plan, interval: int, today: dt.date | None = None) -> ProposedPlan:
    """The draft plan of `interval`; with `today`, iterations that ended before it are closed."""
    planner = _Planner(plan, interval, today)
    features = sorted(
        (i for i in plan.items if i.parent is None and plan.in_interval(i.slot, interval)),
        key=_order,
    )
    for feature in features:
        for story in sorted(plan.stories_of.get(feature.id, ()), key=lambda s: (s.rank, s.key)):
            if story.id in planner.scope:
                planner.place(story.id)
    moves = []
    for feature in features:
        position = (
            f"{feature.key} (WSJF {feature.wsjf if feature.wsjf is not None else 'unscored'})"
        )
        for story in sorted(plan.stories_of.get(feature.id, ()), key=lambda s: (s.rank, s.key)):
            to = planner.placed.get(story.id)
            if to is not None and to != story.slot:
                why = planner.reasons[story.id]
                reason = f"{story.key} to {planner.label(to)} for {position}: {why}."
                moves.append(PlanMove(story.id, story.slot, to, reason))
        end = planner.finish(feature.id, ())
        if (
            planner.moves_feature(feature)
            and end is not None
            and end != feature.slot
            and end in planner.slots
        ):
            moves.append(
                PlanMove(
                    feature.id,
                    feature.slot,
                    end,
                    f"{feature.key} completes with its last story in {planner.label(end)}.",
                )
            )
    unplaced = tuple(Unplaced(i, planner.failed[i]) for i in sorted(planner.failed))
    return ProposedPlan(tuple(moves), unplaced, dict(planner.load), dict(planner.capacity))

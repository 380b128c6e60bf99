"""The plan the engine analyses: plain data, no database, no API.

An item is a feature or a story. Where an item sits in time is its `slot`: the order of its
planning interval on the timeline and the order of its iteration within it, so plans that span
several PIs (of one ART or of several, on other calendars) compare by date. A slot of None
means "not planned". graph/timeline.py gives dated iterations their slots: intervals that
overlap in time share the first number, so it differs only between intervals one after the
other. Which interval an iteration belongs to is its `interval` (by default the slot's first
number).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

Slot = tuple[int, int]  # (planning interval order, iteration order): compared, they compare dates


class Health(enum.Enum):
    """Dependency health on the board (services/DOMAIN.md), worst first."""

    RED = "RED"
    AMBER = "AMBER"
    GREEN = "GREEN"
    DONE = "DONE"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Health.RED: 3, Health.AMBER: 2, Health.GREEN: 1, Health.DONE: 0}


class ItemKind(enum.Enum):
    FEATURE = "FEATURE"
    STORY = "STORY"


@dataclass(frozen=True, slots=True)
class Item:
    id: str  # "F12" / "S34": unique across kinds
    key: str  # PAY-12
    kind: ItemKind
    team: str | None  # the owning team's label, e.g. "Team Atlas"
    slot: Slot | None = None
    done: bool = False
    estimate: int | None = None  # story points
    parent: str | None = None  # a story's feature
    art: str = ""
    wsjf: float | None = None
    rank: int = 0
    business_value: int = 0  # a feature's user-business value (WSJF input)
    feature_work: bool = True  # user stories and features; enabler stories and spikes are not
    movable: bool = True  # the planner may move it (a story not started, a feature not done)

    def where(self, labels: Mapping[Slot, str] | None = None) -> str:
        """'Team Atlas, iteration 2' (or 'not planned')."""
        team = self.team or "no team"
        if self.slot is None:
            return f"{team}, not planned"
        label = (labels or {}).get(self.slot) or f"iteration {self.slot[1]}"
        return f"{team}, {label}"


@dataclass(frozen=True, slots=True)
class Dependency:
    """`dependent` needs `prerequisite` first."""

    id: str
    dependent: str
    prerequisite: str
    blocks: bool = True  # False for RELATES (informational)
    needed_by: Slot | None = None


@dataclass(frozen=True, slots=True)
class Component:
    id: str
    name: str
    owner: str | None  # owning team label


@dataclass(frozen=True, slots=True)
class Iteration:
    slot: Slot
    label: str  # "Iteration 2" / "IP"
    ip: bool = False
    end: dt.date | None = None  # its last day; the planner places nothing in finished ones
    interval: int | None = None  # the planning interval it belongs to (None: slot[0])


@dataclass(frozen=True, slots=True)
class Milestone:
    id: str
    name: str
    slot: Slot  # the iteration its date falls in
    art: str = ""  # the ART whose board it is on: it needs that ART's features ("": any)


@dataclass(frozen=True)
class Plan:
    items: tuple[Item, ...]
    dependencies: tuple[Dependency, ...] = ()
    components: tuple[Component, ...] = ()
    touches: tuple[tuple[str, str], ...] = ()  # (item id, component id)
    iterations: tuple[Iteration, ...] = ()
    capacity: Mapping[tuple[str, Slot], int] = field(default_factory=dict)  # (team, slot) -> pts
    milestones: tuple[Milestone, ...] = ()

    @cached_property
    def by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def stories_of(self) -> dict[str, list[Item]]:
        out: dict[str, list[Item]] = {}
        for item in self.items:
            if item.parent is not None:
                out.setdefault(item.parent, []).append(item)
        return out

    @cached_property
    def slot_labels(self) -> dict[Slot, str]:
        return {it.slot: it.label for it in self.iterations}

    @cached_property
    def interval_of(self) -> dict[Slot, int]:
        """The planning interval of each iteration's slot."""
        return {
            it.slot: it.slot[0] if it.interval is None else it.interval for it in self.iterations
        }

    @cached_property
    def positions(self) -> dict[Slot, int]:
        """Each iteration's position in its planning interval, from 1 (its index)."""
        by_interval: dict[int, list[Slot]] = {}
        for slot, interval in self.interval_of.items():
            by_interval.setdefault(interval, []).append(slot)
        return {
            slot: k
            for slots in by_interval.values()
            for k, slot in enumerate(sorted(slots), start=1)
        }

    def in_interval(self, slot: Slot | None, interval: int) -> bool:
        """Whether a slot is an iteration of the planning interval (a slot the plan lists no
        iteration for belongs to the interval of its first number)."""
        return slot is not None and self.interval_of.get(slot, slot[0]) == interval

    def position(self, slot: Slot) -> int:
        """The iteration's position in its planning interval (for a slot the plan lists no
        iteration for, its second number)."""
        return self.positions.get(slot, slot[1])

    @cached_property
    def blocking(self) -> tuple[Dependency, ...]:
        """BLOCKS dependencies whose two ends are in the plan."""
        ids = self.by_id
        return tuple(
            d
            for d in self.dependencies
            if d.blocks and d.dependent in ids and d.prerequisite in ids
        )

    def describe(self, item_id: str) -> str:
        item = self.by_id[item_id]
        return f"{item.key} ({item.where(self.slot_labels)})"


def worst(healths: Iterable[Health]) -> Health | None:
    return max(healths, key=_SEVERITY.__getitem__, default=None)

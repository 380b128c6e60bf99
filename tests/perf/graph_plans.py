"""Deterministic generated plans for the graph benchmark (`random.Random(seed)`, no I/O).

Three sizes of `graph.model.Plan`:

- ART: one train of 12 teams, 150 features, 1,500 stories, 2,000 blocking dependencies.
- portfolio: 10 such trains (denser: ~2,000 stories and 3,900 dependencies each) plus 1,000
  blocking dependencies between trains: 1,500 features, 20,000 stories, 40,000 dependencies.
- stress: 20 trains, 200,000 items, 500,000 blocking dependencies.

Every blocking dependency runs from a later to an earlier item of one global order (each
item's time position plus noise), so the plans are acyclic whatever the mix; the noise lets
some prerequisites land after their dependents (RED), as on a real board. Item ids are
"F<n>" / "S<n>" with one counter per kind across the whole plan, so they double as the
database ids when a plan is seeded (tests/perf/graph_seed.py).

The planning interval of order 1 has iterations (1,1)..(1,4) and the IP iteration (1,5); a
few features per train (2%) and their stories already sit in the next interval (2,*), and
some of them wait for this interval's work: the cross-PI dependencies.

Memory: the generator keeps one Item / Dependency object per row and only flat lists of
floats and ints beside them; slot tuples and team labels are shared, and the set that keeps
pairs distinct holds one int per pair and is dropped when the plan is built.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from graph.impact import Move
from graph.model import Component, Dependency, Item, ItemKind, Iteration, Milestone, Plan, Slot

TEAM_NAMES = (
    "Atlas",
    "Boreas",
    "Cygnus",
    "Draco",
    "Eos",
    "Fornax",
    "Gemini",
    "Hydra",
    "Indus",
    "Lyra",
    "Mensa",
    "Norma",
)
COMPONENT_NAMES = (
    "Payments API",
    "Ledger",
    "Identity",
    "Search",
    "Notifications",
    "Data Lake",
    "Mobile Shell",
    "Gateway",
)
MILESTONE_NAMES = ("System demo 1", "System demo 2", "Release", "PI planning")
POINTS = (1, 1, 2, 2, 3, 3, 5, 5, 8, 13)  # the points scale, small stories more likely
WSJF_SCALE = (1, 2, 3, 5, 8, 13, 20)
REGULAR = 4  # regular iterations per planning interval; index REGULAR + 1 is the IP
INTERVALS = 2  # this planning interval and the next
WEEKS_PER_ITERATION = 2


@dataclass(frozen=True, slots=True)
class ArtShape:
    """One train of a generated plan."""

    teams: int = 12
    features: int = 150
    stories: int = 1_500
    dependencies: int = 2_000  # blocking, both ends in the train
    relates: int = 100  # informational (RELATES), on top
    components: int = 8
    milestones: int = 4
    capacity: int = 40  # points per team per regular iteration (+-6)


@dataclass(frozen=True, slots=True)
class PlanShape:
    key: str
    arts: int
    art: ArtShape
    cross_art: int = 0  # blocking dependencies between trains
    seed: int = 20271


ART = PlanShape("ART", arts=1, art=ArtShape())
PORTFOLIO = PlanShape(
    "portfolio",
    arts=10,
    art=ArtShape(stories=2_000, dependencies=3_900, relates=200),
    cross_art=1_000,
)
STRESS = PlanShape(
    "stress",
    arts=20,
    art=ArtShape(features=1_000, stories=9_000, dependencies=24_500, relates=0),
    cross_art=10_000,
)
SHAPES = (ART, PORTFOLIO, STRESS)


@dataclass(frozen=True, slots=True)
class TeamRow:
    art: int  # index into Generated.arts
    key: str  # unique within the train
    label: str  # the Item.team label, unique across the plan


@dataclass(frozen=True, slots=True)
class Generated:
    """A plan and what seeding it into the database needs beyond the Plan itself."""

    shape: PlanShape
    plan: Plan
    arts: tuple[str, ...]  # ART keys; ART n is database id n + 1
    teams: tuple[TeamRow, ...]  # team n is database id n + 1
    component_arts: dict[str, int]  # component id -> ART index
    milestone_arts: dict[str, int]  # milestone id -> ART index
    stats: dict[str, int] = field(default_factory=dict)


def slot_position(slot: Slot) -> int:
    """1..5 for the first interval, 6..10 for the next: time order of the slots."""
    return (slot[0] - 1) * (REGULAR + 1) + slot[1]


class _Builder:
    def __init__(self, shape: PlanShape) -> None:
        self.shape = shape
        self.rng = random.Random(f"trainyard-graph-{shape.key}-{shape.seed}")
        self.slots: dict[Slot, Slot] = {
            (pi, i): (pi, i) for pi in range(1, INTERVALS + 1) for i in range(1, REGULAR + 2)
        }
        self.features: list[Item] = []
        self.stories: list[Item] = []
        # Per item (features and stories in one index space: ("F", n) / ("S", n)):
        self.order: dict[str, float] = {}  # the global acyclic order
        self.node: dict[str, int] = {}  # feature n -> 2n, story n -> 2n + 1 (as in the DB)
        self.deps: list[Dependency] = []
        self.pairs: set[int] = set()
        self.arts: list[str] = []
        self.teams: list[TeamRow] = []
        self.components: list[Component] = []
        self.component_arts: dict[str, int] = {}
        self.touches: list[tuple[str, str]] = []
        self.feature_touches: list[tuple[str, str]] = []
        self.capacity: dict[tuple[str, Slot], int] = {}
        self.milestones: list[Milestone] = []
        self.milestone_arts: dict[str, int] = {}
        self.art_items: list[list[str]] = []  # per ART: its item ids sorted by order
        self.art_orders: list[list[float]] = []  # the same, their order values
        self.stats: dict[str, int] = dict.fromkeys(
            (
                "features",
                "stories",
                "blocking",
                "relates",
                "feature_feature",
                "story_story",
                "mixed",
                "cross_team",
                "cross_pi",
                "cross_art",
                "done",
                "not_movable",
                "unplanned",
                "no_estimate",
                "needed_by",
                "touches",
            ),
            0,
        )
        self.team_of: dict[str, str] = {}
        self.art_of: dict[str, int] = {}
        self.parent_of: dict[str, str] = {}
        self.slot_of: dict[str, Slot | None] = {}

    # Items -------------------------------------------------------------------------------

    def add_art(self, index: int) -> None:
        shape, rng = self.shape.art, self.rng
        art = f"A{index + 1:02d}"
        self.arts.append(art)
        teams: list[TeamRow] = []
        for t in range(shape.teams):
            name = TEAM_NAMES[t % len(TEAM_NAMES)]
            suffix = str(t // len(TEAM_NAMES) or "")
            row = TeamRow(index, f"{name[:3].upper()}{suffix}", f"{art} {name}{suffix}")
            teams.append(row)
            self.teams.append(row)
            for i in range(1, REGULAR + 1):
                self.capacity[(row.label, self.slots[(1, i)])] = shape.capacity + rng.randint(-6, 6)
        for c in range(shape.components):
            component_id = f"C{len(self.components) + 1}"
            name = f"{art} {COMPONENT_NAMES[c % len(COMPONENT_NAMES)]}"
            if c >= len(COMPONENT_NAMES):
                name += f" {c // len(COMPONENT_NAMES)}"
            self.components.append(Component(component_id, name, teams[c % len(teams)].label))
            self.component_arts[component_id] = index
        components = self.components[-shape.components :]
        for m in range(shape.milestones):
            milestone_id = f"M{len(self.milestones) + 1}"
            name = f"{art} {MILESTONE_NAMES[m % len(MILESTONE_NAMES)]}"
            when = self.slots[(1, min(REGULAR + 1, 2 + m))]
            self.milestones.append(Milestone(milestone_id, name, when))
            self.milestone_arts[milestone_id] = index

        # Stories per feature: around the mean, at least one each, summing exactly.
        weights = [rng.uniform(0.5, 1.5) for _ in range(shape.features)]
        total = sum(weights)
        counts = [max(1, int(shape.stories * w / total)) for w in weights]
        while sum(counts) < shape.stories:
            counts[rng.randrange(len(counts))] += 1
        while sum(counts) > shape.stories:
            k = rng.randrange(len(counts))
            if counts[k] > 1:
                counts[k] -= 1
        next_pi = max(1, round(shape.features * 0.02))
        story_numbers = dict.fromkeys((t.key for t in teams), 0)
        ids: list[str] = []
        for k in range(shape.features):
            pi = 2 if k >= shape.features - next_pi else 1
            owner = teams[k % len(teams)]
            feature_id = f"F{len(self.features) + 1}"
            stories: list[Item] = []
            for s in range(counts[k]):
                team = owner if rng.random() < 0.6 else teams[rng.randrange(len(teams))]
                story_numbers[team.key] += 1
                u = rng.random()
                done, movable = False, True
                slot: Slot | None = None
                if pi == 2:
                    if u >= 0.1:
                        slot = self.slots[(2, rng.randint(1, REGULAR))]
                elif u < 0.10:
                    pass  # not planned
                elif u < 0.20:
                    done, movable, slot = True, False, self.slots[(1, rng.randint(1, 2))]
                elif u < 0.30:
                    movable, slot = False, self.slots[(1, rng.randint(1, 3))]
                else:
                    slot = self.slots[(1, rng.randint(1, REGULAR))]
                estimate = None if rng.random() < 0.03 else rng.choice(POINTS)
                story = Item(
                    id=f"S{len(self.stories) + 1}",
                    key=f"{team.key}-{story_numbers[team.key]}",
                    kind=ItemKind.STORY,
                    team=team.label,
                    slot=slot,
                    done=done,
                    estimate=estimate,
                    parent=feature_id,
                    art=art,
                    rank=s + 1,
                    feature_work=rng.random() >= 0.1,
                    movable=movable,
                )
                self.stories.append(story)
                stories.append(story)
                self.stats["stories"] += 1
                self.stats["done"] += done
                self.stats["not_movable"] += not movable
                self.stats["unplanned"] += slot is None
                self.stats["no_estimate"] += estimate is None
                if rng.random() < 0.2:
                    self._touch(story.id, components[rng.randrange(len(components))].id)
            planned = [s.slot for s in stories if s.slot is not None]
            f_slot = max(planned) if planned else self.slots[(pi, REGULAR)]
            scored = rng.random() >= 0.05
            ubv, tc, rr, job = (rng.choice(WSJF_SCALE) for _ in range(4))
            started = any(not s.movable for s in stories)
            feature = Item(
                id=feature_id,
                key=f"{art}-{k + 1}",
                kind=ItemKind.FEATURE,
                team=owner.label,
                slot=f_slot,
                done=all(s.done for s in stories),
                art=art,
                wsjf=round((ubv + tc + rr) / job, 4) if scored else None,
                rank=k + 1,
                business_value=ubv if scored else 0,
                movable=not started,
            )
            self.features.append(feature)
            self.stats["features"] += 1
            if rng.random() < 0.7:
                for c in rng.sample(range(len(components)), rng.randint(1, 2)):
                    self._touch(feature_id, components[c].id, feature=True)
            for item in (feature, *stories):
                ids.append(item.id)
                self._register(item, index)
        ids.sort(key=self.order.__getitem__)
        self.art_items.append(ids)
        self.art_orders.append([self.order[i] for i in ids])

    def _register(self, item: Item, art: int) -> None:
        slot = item.slot
        base = self.rng.uniform(1, REGULAR + 1) if slot is None else slot_position(slot)
        self.order[item.id] = base + self.rng.uniform(0, 1.6)
        number = int(item.id[1:])
        self.node[item.id] = number * 2 + (item.kind is ItemKind.STORY)
        self.team_of[item.id] = item.team or ""
        self.art_of[item.id] = art
        self.slot_of[item.id] = slot
        if item.parent is not None:
            self.parent_of[item.id] = item.parent

    def _touch(self, item_id: str, component_id: str, *, feature: bool = False) -> None:
        pair = (item_id, component_id)
        (self.feature_touches if feature else self.touches).append(pair)
        self.stats["touches"] += 1

    # Dependencies ------------------------------------------------------------------------

    def _add(self, dependent: str, prerequisite: str, *, blocks: bool = True) -> bool:
        """Add "dependent depends on prerequisite" unless it is a repeat, a self or
        parent-child pair, or (blocking) against the global order."""
        if dependent == prerequisite:
            return False
        if self.parent_of.get(dependent) == prerequisite:
            return False
        if self.parent_of.get(prerequisite) == dependent:
            return False
        if blocks and not self.order[prerequisite] < self.order[dependent]:
            return False
        key = (self.node[dependent] << 32) | self.node[prerequisite]
        if key in self.pairs:
            return False
        self.pairs.add(key)
        needed_by = None
        slot = self.slot_of[dependent]
        if blocks and slot is not None and slot[1] > 1 and self.rng.random() < 0.1:
            needed_by = self.slots[(slot[0], slot[1] - 1)]
            self.stats["needed_by"] += 1
        self.deps.append(
            Dependency(f"D{len(self.deps) + 1}", dependent, prerequisite, blocks, needed_by)
        )
        if not blocks:
            self.stats["relates"] += 1
            return True
        self.stats["blocking"] += 1
        kinds = dependent[0] + prerequisite[0]
        if kinds == "SS":
            self.stats["story_story"] += 1
        elif kinds == "FF":
            self.stats["feature_feature"] += 1
        else:
            self.stats["mixed"] += 1
        self.stats["cross_team"] += self.team_of[dependent] != self.team_of[prerequisite]
        a, b = self.slot_of[dependent], self.slot_of[prerequisite]
        self.stats["cross_pi"] += a is not None and b is not None and a[0] != b[0]
        self.stats["cross_art"] += self.art_of[dependent] != self.art_of[prerequisite]
        return True

    def _pick(self, ordered: list[str], window: int) -> tuple[str, str] | None:
        """A later item of `ordered` and an earlier one at most `window` places before it."""
        if len(ordered) < 2:
            return None
        i = self.rng.randrange(1, len(ordered))
        j = self.rng.randrange(max(0, i - window), i)
        return ordered[i], ordered[j]

    def add_art_dependencies(self, index: int) -> None:
        shape, rng = self.shape.art, self.rng
        everything = self.art_items[index]
        stories = [i for i in everything if i[0] == "S"]
        features = [i for i in everything if i[0] == "F"]
        by_team: dict[str, list[str]] = {}
        for i in stories:
            by_team.setdefault(self.team_of[i], []).append(i)
        teams = list(by_team.values())
        this_pi = [i for i in everything if (s := self.slot_of[i]) is None or s[0] == 1]
        next_pi = [i for i in everything if (s := self.slot_of[i]) is not None and s[0] == 2]
        n_ff = round(shape.dependencies * 0.10)
        n_mixed = round(shape.dependencies * 0.02)
        n_cross_pi = max(1, round(shape.dependencies * 0.015))
        n_ss = shape.dependencies - n_ff - n_mixed - n_cross_pi
        target = self.stats["blocking"]

        def fill(count: int, draw: Callable[[], tuple[str, str] | None]) -> None:
            goal = self.stats["blocking"] + count
            attempts = 0
            while self.stats["blocking"] < goal:
                attempts += 1
                if attempts > count * 200:
                    raise RuntimeError(f"cannot place {count} dependencies in {shape}")
                pair = draw()
                if pair is not None:
                    self._add(*pair)

        fill(n_ff, lambda: self._pick(features, max(2, len(features) // 4)))

        def story_pair() -> tuple[str, str] | None:
            if rng.random() < 0.6:  # within one team
                own = teams[rng.randrange(len(teams))]
                return self._pick(own, max(2, len(own) // 6))
            return self._pick(stories, max(2, len(stories) // 6))

        fill(n_ss, story_pair)

        def mixed_pair() -> tuple[str, str] | None:
            pair = self._pick(everything, max(2, len(everything) // 6))
            return pair if pair is not None and pair[0][0] != pair[1][0] else None

        fill(n_mixed, mixed_pair)

        def cross_pi_pair() -> tuple[str, str] | None:
            dependent = next_pi[rng.randrange(len(next_pi))]
            return dependent, this_pi[rng.randrange(len(this_pi))]

        fill(n_cross_pi, cross_pi_pair)
        assert self.stats["blocking"] - target == shape.dependencies
        for _ in range(shape.relates):
            pair = self._pick(everything, len(everything))
            if pair is not None:
                self._add(pair[1], pair[0], blocks=False)  # either direction is fine

    def add_cross_art(self, count: int) -> None:
        rng = self.rng
        goal = self.stats["blocking"] + count
        while self.stats["blocking"] < goal:
            a, b = rng.sample(range(len(self.arts)), 2)
            dependents = self.art_items[a]
            dependent = dependents[rng.randrange(len(dependents))]
            orders, items = self.art_orders[b], self.art_items[b]
            below = bisect.bisect_left(orders, self.order[dependent])
            if below == 0:
                continue
            window = max(2, len(items) // 6)
            self._add(dependent, items[rng.randrange(max(0, below - window), below)])

    def build(self) -> Generated:
        for index in range(self.shape.arts):
            self.add_art(index)
        for index in range(self.shape.arts):
            self.add_art_dependencies(index)
        if self.shape.arts > 1:
            self.add_cross_art(self.shape.cross_art)
        self.pairs.clear()
        iterations = tuple(
            Iteration(
                self.slots[(pi, i)],
                "Innovation & Planning" if i == REGULAR + 1 else f"Iteration {i}",
                ip=i == REGULAR + 1,
            )
            for pi in range(1, INTERVALS + 1)
            for i in range(1, REGULAR + 2)
        )
        plan = Plan(
            items=(*self.features, *self.stories),
            dependencies=tuple(self.deps),
            components=tuple(self.components),
            touches=(*self.feature_touches, *self.touches),
            iterations=iterations,
            capacity=self.capacity,
            milestones=tuple(self.milestones),
        )
        return Generated(
            self.shape,
            plan,
            tuple(self.arts),
            tuple(self.teams),
            self.component_arts,
            self.milestone_arts,
            self.stats,
        )


def generate(shape: PlanShape) -> Generated:
    """The plan of `shape`: the same plan for the same shape and seed, every time."""
    return _Builder(shape).build()


def what_if_moves(plan: Plan, count: int = 3, seed: int = 7) -> tuple[Move, ...]:
    """`count` not-started stories of the first interval that others wait for, moved later
    (the last one out of the interval): a what-if that makes work slip."""
    rng = random.Random(seed)
    waiting: dict[str, int] = {}
    for d in plan.dependencies:
        if d.blocks:
            waiting[d.prerequisite] = waiting.get(d.prerequisite, 0) + 1
    candidates = sorted(
        (
            i
            for i in plan.items
            if i.parent is not None
            and i.movable
            and not i.done
            and i.slot is not None
            and i.slot[0] == 1
            and i.slot[1] <= 2
        ),
        key=lambda i: (-waiting.get(i.id, 0), i.id),
    )[:20]
    chosen = rng.sample(candidates, count)
    targets: list[Slot | None] = [(1, REGULAR)] * (count - 1) + [None]
    return tuple(Move(item.id, to) for item, to in zip(chosen, targets, strict=True))

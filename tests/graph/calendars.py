"""Hypothesis strategies for plans across several ARTs, each on a calendar of its own.

Two or three ARTs plan in iterations of their own length (one to four weeks), in one or two
planning intervals of 1-4 iterations each (the last may be the IP iteration); the first
interval of every ART starts on the same day. Ids are shuffled, so that iterations on the same
days are ordered by an id that says nothing about their ART. The iterations get their slots
from graph/timeline.py, and the oracles of tests/graph/test_properties.py read time from the
dates kept here, not from the slots. Labels name the ART, the interval and the iteration, so
a reason that names the wrong iteration shows.

Items belong to one ART's teams and sit in that ART's iterations (or in none); dependencies
may cross ARTs; each ART's milestones sit in its own iterations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import strategies as st

from graph.impact import Move
from graph.model import Component, Item, ItemKind, Iteration, Milestone, Plan, Slot
from graph.timeline import Dated, slots
from tests.graph.strategies import START, dependencies

ART_TEAMS = {
    "PAY": ("Team Atlas", "Team Nova"),
    "OPS": ("Team Orion",),
    "WEB": ("Team Vega", "Team Lyra"),
}


@dataclass(frozen=True)
class Calendar:
    plan: Plan
    dated: dict[int, Dated]  # iteration id -> its dates and interval
    slot_of: dict[int, Slot]  # iteration id -> the slot graph/timeline.py gave it
    art_of_interval: dict[int, str]

    @property
    def iteration_of(self) -> dict[Slot, Dated]:
        """The iteration of each slot (the slots must be distinct: the tests check it)."""
        return {slot: self.dated[i] for i, slot in self.slot_of.items()}


@st.composite
def calendar_iterations(
    draw: st.DrawFn,
) -> tuple[list[tuple[Dated, str, bool]], dict[int, str]]:
    """(iteration, label, is IP) of 2-3 ARTs on their own calendars, and each interval's ART."""
    arts = draw(st.sampled_from([("PAY", "OPS"), ("PAY", "WEB"), ("PAY", "OPS", "WEB")]))
    drafts: list[tuple[str, int, dt.date, dt.date, str, bool]] = []  # art, pi, dates, label, IP
    pi_count = 0
    for art in arts:
        length = draw(st.sampled_from([7, 14, 21, 28]))
        day = START
        for number in range(1, draw(st.integers(1, 2)) + 1):
            pi_count += 1
            count = draw(st.integers(1, 4))
            has_ip = count >= 2 and draw(st.booleans())
            for index in range(1, count + 1):
                ip = has_ip and index == count
                days = draw(st.sampled_from([7, length])) if ip else length
                end = day + dt.timedelta(days=days - 1)
                name = "IP" if ip else f"Iteration {index}"
                drafts.append((art, pi_count, day, end, f"{art} PI {number} {name}", ip))
                day = end + dt.timedelta(days=draw(st.sampled_from([1, 1, 3])))
            day += dt.timedelta(days=draw(st.sampled_from([0, 0, 7])))
    iteration_ids = draw(st.permutations(range(1, len(drafts) + 1)))
    interval_ids = draw(st.permutations(range(1, pi_count + 1)))
    out = []
    art_of_interval: dict[int, str] = {}
    for k, (art, pi, start, end, label, ip) in enumerate(drafts):
        interval = 100 + interval_ids[pi - 1]
        art_of_interval[interval] = art
        out.append((Dated(iteration_ids[k], interval, start, end), label, ip))
    return out, art_of_interval


@st.composite
def calendars(
    draw: st.DrawFn,
    *,
    acyclic: bool = False,
    components: bool = False,
    capacities: bool = False,
) -> Calendar:
    drafted, art_of_interval = draw(calendar_iterations())
    dated = {d.id: d for d, _, _ in drafted}
    slot_of = slots(dated.values())
    iterations = tuple(
        sorted(
            (
                Iteration(slot_of[d.id], label, ip=ip, end=d.end, interval=d.interval)
                for d, label, ip in drafted
            ),
            key=lambda it: it.slot,
        )
    )
    arts = sorted(set(art_of_interval.values()))
    slots_of_art = {
        art: [slot_of[d.id] for d in dated.values() if art_of_interval[d.interval] == art]
        for art in arts
    }
    n = draw(st.integers(2, 9))
    items: list[Item] = []
    features_of: dict[str, list[str]] = {art: [] for art in arts}
    for i in range(n):
        art = draw(st.sampled_from(arts))
        is_feature = not features_of[art] or draw(st.booleans())
        team = draw(st.sampled_from([*ART_TEAMS[art], None] if is_feature else ART_TEAMS[art]))
        item_id = f"F{i}" if is_feature else f"S{i}"
        items.append(
            Item(
                id=item_id,
                key=f"{art}-{i}",
                kind=ItemKind.FEATURE if is_feature else ItemKind.STORY,
                team=team,
                slot=draw(st.sampled_from([None, *slots_of_art[art]])),
                done=draw(st.integers(0, 4)) == 0,
                estimate=draw(st.sampled_from([None, 0, 1, 2, 3, 5, 8])),
                parent=None if is_feature else draw(st.sampled_from(features_of[art])),
                art=art,
                wsjf=draw(st.sampled_from([None, 1.5, 3.0, 12.0])),
                rank=draw(st.integers(0, 3)),
                business_value=draw(st.sampled_from([0, 1, 5, 8, 13, 20])),
                movable=draw(st.integers(0, 3)) != 0,
            )
        )
        if is_feature:
            features_of[art].append(item_id)
    every_slot = [it.slot for it in iterations]
    deps = draw(dependencies(tuple(items), every_slot, acyclic=acyclic))
    parts: tuple[Component, ...] = ()
    touches: tuple[tuple[str, str], ...] = ()
    if components:
        teams = [t for art in arts for t in ART_TEAMS[art]]
        parts = tuple(
            Component(f"C{k}", f"Component {k}", draw(st.sampled_from([None, *teams])))
            for k in range(draw(st.integers(1, 2)))
        )
        pairs = st.tuples(
            st.sampled_from([i.id for i in items]), st.sampled_from([c.id for c in parts])
        )
        touches = tuple(draw(st.lists(pairs, max_size=8, unique=True)))
    capacity: dict[tuple[str, Slot], int] = {}
    if capacities:
        for art in arts:
            for team in ART_TEAMS[art]:
                for slot in slots_of_art[art]:
                    points = draw(st.sampled_from([None, 0, 3, 8, 20]))
                    if points is not None:
                        capacity[(team, slot)] = points
    milestones = tuple(
        Milestone(f"M{k}", f"{art} milestone", slot, art)
        for k, (art, slot) in enumerate(
            (art, draw(st.sampled_from(slots_of_art[art]))) for art in arts if draw(st.booleans())
        )
    )
    plan = Plan(tuple(items), deps, parts, touches, iterations, capacity, milestones)
    return Calendar(plan, dated, slot_of, art_of_interval)


@dataclass(frozen=True)
class CalendarWhatIf:
    calendar: Calendar
    moves: tuple[Move, ...]
    art: str  # whose planning interval is asked about: its value at risk counts


@st.composite
def calendar_what_ifs(draw: st.DrawFn, *, acyclic: bool = False) -> CalendarWhatIf:
    """1-3 moves of distinct items to any iteration of any ART, or out (None)."""
    calendar = draw(calendars(acyclic=acyclic))
    plan = calendar.plan
    every_slot = [it.slot for it in plan.iterations]
    moved = draw(
        st.lists(st.sampled_from([i.id for i in plan.items]), min_size=1, max_size=3, unique=True)
    )
    moves = tuple(Move(i, draw(st.one_of(st.none(), st.sampled_from(every_slot)))) for i in moved)
    art = draw(st.sampled_from(sorted(set(calendar.art_of_interval.values()))))
    return CalendarWhatIf(calendar, moves, art)


def todays(calendar: Calendar) -> st.SearchStrategy[dt.date | None]:
    ends = sorted({d.end for d in calendar.dated.values()})
    return st.sampled_from([None, *(e + dt.timedelta(days=k) for e in ends for k in (-1, 0))])

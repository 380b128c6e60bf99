"""Where dated iterations sit on one timeline: their slots, for plans that span ARTs.

ARTs need not share a calendar: two planning intervals may start on the same day with
iterations of other lengths, so neither an interval's start date nor an iteration's index
says which of two iterations comes first. Dates do. Iterations are ordered by their start,
then their end, then their id (so that two on the same days still get one order each).

A slot is (window, rank). Intervals that overlap in time, directly or through a chain of
overlapping ones, share a window; windows follow one another in time. Within a window,
iterations are ranked in date order. Comparing two slots therefore compares dates, no two
iterations share a slot, and the first numbers differ only when one interval lies wholly
after the other: "a later planning interval" (services/DOMAIN.md, Dependency health).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from graph.model import Slot


@dataclass(frozen=True, slots=True)
class Dated:
    """An iteration as its calendar has it."""

    id: int
    interval: int  # its planning interval's id
    start: dt.date
    end: dt.date  # its last day


def date_order(iteration: Dated) -> tuple[dt.date, dt.date, int]:
    return (iteration.start, iteration.end, iteration.id)


def slots(iterations: Iterable[Dated]) -> dict[int, Slot]:
    """Each iteration's slot, by iteration id."""
    ordered = sorted(iterations, key=date_order)
    spans: dict[int, tuple[dt.date, dt.date]] = {}
    for it in ordered:
        start, end = spans.get(it.interval, (it.start, it.end))
        spans[it.interval] = (min(start, it.start), max(end, it.end))
    window_of: dict[int, int] = {}
    window, reach = 0, None
    for interval, (start, end) in sorted(spans.items(), key=lambda kv: (*kv[1], kv[0])):
        if reach is None or start > reach:
            window, reach = window + 1, end
        else:
            reach = max(reach, end)
        window_of[interval] = window
    ranks: dict[int, int] = {}
    out: dict[int, Slot] = {}
    for it in ordered:
        window = window_of[it.interval]
        ranks[window] = ranks.get(window, 0) + 1
        out[it.id] = (window, ranks[window])
    return out

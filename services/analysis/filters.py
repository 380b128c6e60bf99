"""Which dependency healths a reader asks for: by health, team, planning interval, and only
those between two teams. Applied to the cached analysis, so a filter never recomputes it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from graph.health import DependencyHealth
from graph.model import Health
from services.analysis.plans import LoadedPlan
from services.core.errors import at
from services.core.filters import MAX_IN_VALUES, FilterError, Match

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DependencyHealthFilter:
    """`team` matches a dependency when either end belongs to the team (a feature by its
    owning team); `planning_interval` when either end is planned in the interval (in one of
    its iterations, or a feature in the interval without an iteration yet); `cross_team_only`
    keeps the dependencies whose two ends have teams, and different ones."""

    health: Match[Health] | None = None
    team: Match[int] | None = None
    planning_interval: Match[int] | None = None
    cross_team_only: bool = False


def _accepted(m: Match[T] | None, name: str) -> set[T] | None:
    """The values a comparator lets through (None: any)."""
    if m is None:
        return None
    accepted: set[T] | None = None
    if m.in_ is not None:
        if len(m.in_) > MAX_IN_VALUES:
            raise FilterError(
                at(name, f".in lists {len(m.in_)} values; at most {MAX_IN_VALUES} are allowed.")
            )
        accepted = set(m.in_)
    if m.eq is not None:
        accepted = {m.eq} if accepted is None else accepted & {m.eq}
    return accepted


def _any(values: Iterable[T | None], accepted: set[T] | None) -> bool:
    return accepted is None or any(v in accepted for v in values if v is not None)


def select_health(
    loaded: LoadedPlan, healths: Sequence[DependencyHealth], f: DependencyHealthFilter
) -> list[DependencyHealth]:
    """The healths matching every part of the filter, in their order."""
    by_id = loaded.plan.by_id
    healths_wanted = _accepted(f.health, "health")
    teams_wanted = _accepted(f.team, "team")
    intervals_wanted = _accepted(f.planning_interval, "planning_interval")
    out = []
    for h in healths:
        teams = [by_id[h.dependent].team, by_id[h.prerequisite].team]
        if healths_wanted is not None and h.health not in healths_wanted:
            continue
        if not _any((loaded.team_ids.get(t) for t in teams if t), teams_wanted):
            continue
        intervals = [loaded.interval_of_item.get(h.dependent)]
        intervals.append(loaded.interval_of_item.get(h.prerequisite))
        if not _any(intervals, intervals_wanted):
            continue
        if f.cross_team_only and (None in teams or teams[0] == teams[1]):
            continue
        out.append(h)
    return out

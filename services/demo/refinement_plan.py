"""The demo's refinement history as data.TEAM_REFINEMENT and data.ART_REFINEMENT tell it:
parsed, placed on days relative to today, and what the seed leaves for the sessions to agree.

Nothing here touches the database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from dataclasses import dataclass

from services.demo import data
from services.demo.plan import DemoPlan

ZONE = zoneinfo.ZoneInfo(data.REFINEMENT_TIMEZONE)
WEEKLY_SLOT_AGO = (1, 6)  # days from a team's last weekly slot to today
Item = tuple[str, str]  # (marker, key): "" agreed, "~" left over, "?" clarified, "^" rework


@dataclass(frozen=True, slots=True)
class Week:
    status: str  # "-" before the team's series started, "C" cancelled, "H" held
    reason: str  # why it was cancelled
    items: tuple[Item, ...]  # the stories put on a held session's agenda that week


@dataclass(frozen=True, slots=True)
class TeamSeries:
    """A team's weekly refinement slot and its last four weeks, oldest first."""

    team: str
    ago: int  # days from its last weekly slot to today, about
    start: dt.time
    minutes: int
    weeks: tuple[Week, ...] = ()

    def carried_into(self, index: int) -> tuple[Item, ...]:
        """The stories left over the week before: first on this week's agenda, agreed now."""
        if index == 0 or self.weeks[index - 1].status != "H":
            return ()
        return tuple(("", key) for marker, key in self.weeks[index - 1].items if marker == "~")

    def agenda(self, index: int) -> tuple[Item, ...]:
        return (*self.carried_into(index), *self.weeks[index].items)


def items(words: list[str]) -> tuple[Item, ...]:
    return tuple((w[0], w[1:]) if w[0] in "~?^+" else ("", w) for w in words)


def team_series() -> list[TeamSeries]:
    out: list[TeamSeries] = []
    for line in data.TEAM_REFINEMENT.strip().splitlines():
        status, _, rest = line.partition(" ")
        if status in {"-", "C", "H"}:
            week = Week(status, rest if status == "C" else "", items(rest.split()))
            out[-1] = dataclasses.replace(out[-1], weeks=(*out[-1].weeks, week))
        else:
            team, ago, start, minutes = line.split()
            out.append(TeamSeries(team, int(ago), dt.time.fromisoformat(start), int(minutes)))
    for series in out:
        for week, following in zip(series.weeks, series.weeks[1:], strict=False):
            if any(m == "~" for m, _ in week.items) and following.status != "H":
                raise AssertionError(f"{series.team}: leftovers need a held session after them")
    return out


def art_sessions() -> list[tuple[int, tuple[Item, ...]]]:
    """Program backlog refinement: (day counted from the PI's first Monday, its features)."""
    out = []
    for line in data.ART_REFINEMENT.strip().splitlines():
        day, *keys = line.split()
        out.append((int(day), items(keys)))
    return out


@dataclass(frozen=True, slots=True)
class FollowUpPlan:
    kind: str
    owner: str
    due_in_days: int  # from today; never before the session that flagged it
    note: str  # "" for a blocked story: its blocked reason
    resolution: str  # "" while open


def follow_ups() -> dict[str, FollowUpPlan]:
    """By the key of the story or feature flagged."""
    return {
        key: FollowUpPlan(kind, owner, due_in_days, note, resolution)
        for key, kind, owner, due_in_days, note, resolution in data.FOLLOW_UPS
    }


@dataclass(frozen=True, slots=True)
class Deferred:
    """What only a past refinement session agreed: the seed creates these stories without
    acceptance criteria and estimate, these features in analysis without criteria and WSJF."""

    stories: frozenset[str]
    features: frozenset[str]


def deferred(plan: DemoPlan) -> Deferred:
    estimated = {s.key for s in plan.stories if s.points is not None or s.tshirt is not None}
    stories = {
        key
        for series in team_series()
        for index, week in enumerate(series.weeks)
        if week.status == "H"
        for marker, key in series.agenda(index)
        if marker == "" and key in estimated and key not in data.REFINEMENT_SPIKES
    }
    features = {key for _, keys in art_sessions() for marker, key in keys if marker == "+"}
    return Deferred(frozenset(stories), frozenset(features))


def at(day: dt.date, time: dt.time) -> dt.datetime:
    """A local time of the demo's refinement time zone, in UTC."""
    return dt.datetime.combine(day, time, tzinfo=ZONE).astimezone(dt.UTC)


def plan_entered(pi_start: dt.date) -> dt.datetime:
    """When the plan was entered: two weeks before PI planning, before any refinement."""
    return at(pi_start - dt.timedelta(days=14), dt.time(9))


def team_days(ago: int, today: dt.date) -> list[dt.date]:
    """The days of a team's weekly slot in its last four weeks, and its next one. The last is
    `ago` days before today or, on a weekend, the nearest working day 1-6 days back: so every
    team held a session in the last week, unless its data says it did not."""
    low, high = WEEKLY_SLOT_AGO
    nearest = sorted(range(low, high + 1), key=lambda days: (abs(days - ago), days))
    last = next(d for d in (today - dt.timedelta(days=n) for n in nearest) if d.weekday() < 5)
    return [last + dt.timedelta(days=7 * k) for k in range(-3, 2)]


def working_days(when: dt.datetime, days: int) -> dt.datetime:
    """The same time `days` working days later (earlier when negative)."""
    step = dt.timedelta(days=1 if days > 0 else -1)
    for _ in range(abs(days)):
        when += step
        while when.astimezone(ZONE).weekday() >= 5:
            when += step
    return when


def next_art_day(today: dt.date) -> dt.date:
    """Program backlog refinement is on Thursdays: the next one from today."""
    return today + dt.timedelta(days=(3 - today.weekday()) % 7)

"""Filters of the calendar's lists: planning intervals."""

from __future__ import annotations

import strawberry

from schema.kit.filters import ARCHIVED_HELP, StringFilter, text_match
from services.planning import intervals


@strawberry.input(description="Filter planning intervals.")
class PlanningIntervalFilter:
    name: StringFilter | None = strawberry.field(default=None, description="Name.")
    archived: bool | None = strawberry.field(default=False, description=ARCHIVED_HELP)


def pi_filter(f: PlanningIntervalFilter | None) -> intervals.PlanningIntervalFilter:
    if f is None:
        return intervals.PlanningIntervalFilter()
    return intervals.PlanningIntervalFilter(text_match(f.name), f.archived)

"""The calendar's nested lists: planning intervals, their iterations and milestones."""

from __future__ import annotations

from services.core.relations import Relation, by
from services.models import (
    Iteration,
    Milestone,
    PlanningInterval,
)
from services.planning import intervals

ART_PLANNING_INTERVALS = Relation(
    "art.planningIntervals",
    PlanningInterval,
    by(PlanningInterval.art_id),
    intervals.pi_conditions,
)


PI_ITERATIONS = Relation(
    "pi.iterations",
    Iteration,
    by(Iteration.planning_interval_id),
    lambda _: [Iteration.archived_at.is_(None)],
)


PI_MILESTONES = Relation(
    "pi.milestones",
    Milestone,
    by(Milestone.planning_interval_id),
    lambda _: [Milestone.archived_at.is_(None)],
)

"""The parts of a plan the engine reads, built from the rows (rows.py): items, each team's
capacity per iteration, milestones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from graph.model import Item, ItemKind, Slot
from graph.model import Milestone as GraphMilestone
from services.analysis import rows
from services.core.enums import FeatureState, IterationKind, StoryKind, StoryStatus
from services.core.scales import story_points

POINTS_PER_MEMBER = 8  # SAFe's normalised capacity: 8 points per full-time team member


def feature_id(row_id: int) -> str:
    return f"F{row_id}"


def story_id(row_id: int) -> str:
    return f"S{row_id}"


def items(
    work: rows.WorkRows,
    label: dict[int, str],
    scales: dict[int, dict[str, int]],
    slot_of: dict[int, Slot],
    art_keys: dict[int, str],
) -> list[Item]:
    """The features and stories as engine items; a feature's estimate is its stories' points."""
    items: list[Item] = []
    for r in work.features:
        items.append(
            Item(
                feature_id(r.id),
                r.key,
                ItemKind.FEATURE,
                label.get(r.owning_team_id) if r.owning_team_id else None,
                slot_of.get(r.iteration_id) if r.iteration_id else None,
                done=r.state is FeatureState.DONE,
                art=art_keys.get(r.art_id, ""),
                wsjf=r.wsjf,
                rank=r.rank,
                business_value=r.user_business_value or 0,
                movable=r.state not in (FeatureState.DONE,),
            )
        )
    art_of_feature = {r.id: art_keys.get(r.art_id, "") for r in work.features}
    for s in work.stories:
        items.append(
            Item(
                story_id(s.id),
                s.key,
                ItemKind.STORY,
                label.get(s.team_id),
                slot_of.get(s.iteration_id) if s.iteration_id else None,
                done=s.status is StoryStatus.DONE,
                estimate=story_points(s.points, s.tshirt_size, scales.get(s.team_id)),
                parent=feature_id(s.feature_id),
                art=art_of_feature.get(s.feature_id, ""),
                rank=s.rank,
                feature_work=s.kind is StoryKind.USER_STORY,
                movable=s.status is StoryStatus.BACKLOG,
            )
        )
    points: dict[str, int] = {}
    for item in items:
        if item.parent is not None:
            points[item.parent] = points.get(item.parent, 0) + (item.estimate or 0)
    return [
        replace(i, estimate=points.get(i.id, 0)) if i.kind is ItemKind.FEATURE else i for i in items
    ]


def capacities(
    team_ids: list[int],
    members: dict[int, int],
    overrides: dict[tuple[int, int], int],
    iteration_rows: Sequence[Any],
    slot_of: dict[int, Slot],
    label: dict[int, str],
) -> dict[tuple[str, Slot], int]:
    """Each team's points per regular iteration: its override, else 8 per team member."""
    out: dict[tuple[str, Slot], int] = {}
    for team_id in team_ids:
        for r in iteration_rows:
            if r.kind is IterationKind.IP:
                continue
            points = overrides.get((team_id, r.id), POINTS_PER_MEMBER * members.get(team_id, 0))
            out[(label[team_id], slot_of[r.id])] = points
    return out


def milestones(
    milestone_rows: Sequence[Any],
    iteration_rows: Sequence[Any],
    slot_of: dict[int, Slot],
    art_of_interval: dict[int, str],
) -> tuple[GraphMilestone, ...]:
    """Each milestone in the iteration of its own interval that its date falls in; it needs
    the features of its interval's ART only."""
    out = []
    for r in milestone_rows:
        slot = slot_at(r.date, r.planning_interval_id, iteration_rows, slot_of)
        if slot is not None:
            art = art_of_interval.get(r.planning_interval_id, "")
            out.append(GraphMilestone(f"M{r.id}", r.name, slot, art))
    return tuple(out)


def slot_at(
    day: dt.date, pi_id: int, iteration_rows: Iterable[Any], slot_of: dict[int, Slot]
) -> Slot | None:
    """The iteration a date falls in (or the last one that started before it)."""
    best = None
    for r in sorted(
        (r for r in iteration_rows if r.planning_interval_id == pi_id), key=lambda r: r.start_date
    ):
        if r.start_date <= day:
            best = slot_of[r.id]
    return best

"""How refinement is going in each team: how deep its ready backlog is, the sessions it held
or skipped and their pitfalls (services.refinement.attendance), its open follow-ups and spikes.

Everything is read for any number of teams in a fixed number of statements (IN lists, one
pass each), so a view of the whole ART costs what a view of one team costs. `now` is a
parameter: every window ends at it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from services.analysis.plans import POINTS_PER_MEMBER
from services.core.enums import (
    TEAM_MEMBER_ROLES,
    FollowUpKind,
    IterationKind,
    StoryKind,
    StoryStatus,
)
from services.core.scales import story_points
from services.models import (
    Feature,
    FollowUp,
    Iteration,
    Membership,
    PlanningInterval,
    Story,
    Team,
    TeamCapacity,
)
from services.refinement.attendance import OverloadedSession, team_sessions
from services.work.readiness import story_readiness

VELOCITY_ITERATIONS = 3  # velocity: the average of this many last ended iterations
DepthBasis = Literal["VELOCITY", "CAPACITY", "NONE"]


@dataclass(frozen=True, slots=True)
class OpenFollowUp:
    follow_up_id: int
    kind: FollowUpKind
    note: str
    story_id: int | None
    feature_id: int | None
    owner_id: int
    due_on: dt.date
    age_days: int  # whole days since it was raised
    overdue: bool  # due before today


@dataclass(frozen=True, slots=True)
class OpenSpike:
    story_id: int
    key: str
    title: str
    status: StoryStatus
    for_story_id: int | None  # the story whose unknown it resolves (waits for it)
    for_story_key: str | None


@dataclass(frozen=True, slots=True)
class TeamRefinementHealth:
    team_id: int
    team_key: str
    team_name: str
    ready_stories: int
    ready_points: int
    velocity: float | None  # average done points of the last 3 ended regular iterations
    capacity: int  # points per iteration: the current (or next) iteration's, else the default
    depth_iterations: float | None  # ready points / velocity (or / capacity)
    depth_basis: DepthBasis
    held_session_ids: tuple[int, ...]  # closed sessions started in the last 4 weeks
    last_held_at: dt.datetime | None
    skipping: bool  # no session held in the last SKIP_DAYS days
    skipped_weeks: tuple[dt.date, ...]  # starts of the 7-day windows without a held session
    overloaded_sessions: tuple[OverloadedSession, ...]
    sessions_without_tech: tuple[int, ...]  # no developer or tech lead of the team invited
    open_follow_ups: tuple[OpenFollowUp, ...]  # oldest first
    open_spikes: tuple[OpenSpike, ...]

    @property
    def overdue_follow_ups(self) -> int:
        return sum(1 for f in self.open_follow_ups if f.overdue)


async def team_refinement_health(
    session: AsyncSession, team_ids: Sequence[int], now: dt.datetime
) -> dict[int, TeamRefinementHealth]:
    """Refinement health of the teams (unknown ids are left out), in about 16 statements."""
    ids = sorted(set(team_ids))
    if not ids:
        return {}
    teams = (
        await session.execute(
            select(Team.id, Team.key, Team.name, Team.art_id, Team.tshirt_points).where(
                Team.id.in_(ids)
            )
        )
    ).all()
    ids = [t.id for t in teams]
    backlog = await _backlog(session, ids)
    pace = await _pace(session, teams, now)
    meetings = await team_sessions(session, ids, now)
    follow_ups = await _follow_ups(session, ids, now)
    out = {}
    for t in teams:
        ready_stories, ready_points, spikes = backlog.get(t.id, (0, 0, []))
        velocity, capacity = pace[t.id]
        depth: float | None = None
        basis: DepthBasis = "NONE"
        if velocity:
            depth, basis = round(ready_points / velocity, 2), "VELOCITY"
        elif capacity > 0:
            depth, basis = round(ready_points / capacity, 2), "CAPACITY"
        m = meetings[t.id]
        out[t.id] = TeamRefinementHealth(
            team_id=t.id,
            team_key=t.key,
            team_name=t.name,
            ready_stories=ready_stories,
            ready_points=ready_points,
            velocity=velocity,
            capacity=capacity,
            depth_iterations=depth,
            depth_basis=basis,
            held_session_ids=m.held_session_ids,
            last_held_at=m.last_held_at,
            skipping=m.skipping,
            skipped_weeks=m.skipped_weeks,
            overloaded_sessions=m.overloaded_sessions,
            sessions_without_tech=m.sessions_without_tech,
            open_follow_ups=tuple(follow_ups.get(t.id, ())),
            open_spikes=tuple(spikes),
        )
    return out


async def _backlog(
    session: AsyncSession, team_ids: list[int]
) -> dict[int, tuple[int, int, list[OpenSpike]]]:
    """Per team: ready stories, their points, and open spikes (stories not done)."""
    target = aliased(Story)
    rows = (
        await session.execute(
            select(
                Story.id,
                Story.team_id,
                Story.key,
                Story.title,
                Story.kind,
                Story.status,
                Story.points,
                Story.tshirt_size,
                Story.spike_for_story_id,
                target.key.label("target_key"),
                Team.tshirt_points,
            )
            .join(Team, Team.id == Story.team_id)
            .join(Feature, Feature.id == Story.feature_id)
            .outerjoin(target, target.id == Story.spike_for_story_id)
            .where(
                Story.team_id.in_(team_ids),
                Story.status != StoryStatus.DONE,
                Story.archived_at.is_(None),
                Feature.archived_at.is_(None),
            )
            .order_by(Story.id)
        )
    ).all()
    ready = await story_readiness(session, [r.id for r in rows])
    out: dict[int, tuple[int, int, list[OpenSpike]]] = {}
    for r in rows:
        count, points, spikes = out.get(r.team_id, (0, 0, []))
        if ready[r.id].ready:
            count += 1
            points += story_points(r.points, r.tshirt_size, r.tshirt_points) or 0
        if r.kind is StoryKind.SPIKE:
            spikes.append(
                OpenSpike(r.id, r.key, r.title, r.status, r.spike_for_story_id, r.target_key)
            )
        out[r.team_id] = (count, points, spikes)
    return out


async def _pace(
    session: AsyncSession, teams: Sequence[Any], now: dt.datetime
) -> dict[int, tuple[float | None, int]]:
    """Per team: velocity (None without done work in its last ended iterations) and capacity
    per iteration (the current or next regular iteration's override, else 8 points a member,
    as the plan analyses count it)."""
    today = now.date()
    iterations = (
        await session.execute(
            select(Iteration.id, Iteration.start_date, Iteration.end_date, PlanningInterval.art_id)
            .join(PlanningInterval, PlanningInterval.id == Iteration.planning_interval_id)
            .where(
                PlanningInterval.art_id.in_(sorted({t.art_id for t in teams})),
                PlanningInterval.archived_at.is_(None),
                Iteration.archived_at.is_(None),
                Iteration.kind == IterationKind.REGULAR,
            )
            .order_by(Iteration.start_date, Iteration.id)
        )
    ).all()
    ended: dict[int, list[int]] = {}  # ART -> its last ended iterations, latest first
    current: dict[int, int] = {}  # ART -> the iteration running today, or the next one
    for it in sorted(iterations, key=lambda i: (i.end_date, i.id), reverse=True):
        if it.end_date < today:
            ended.setdefault(it.art_id, []).append(it.id)
        else:
            current[it.art_id] = it.id  # the earliest not ended wins (reverse order)
    ended = {art: found[:VELOCITY_ITERATIONS] for art, found in ended.items()}
    team_ids = [t.id for t in teams]
    done = (
        await session.execute(
            select(Story.team_id, Story.iteration_id, Story.points, Story.tshirt_size, func.count())
            .where(
                Story.team_id.in_(team_ids),
                Story.iteration_id.in_(sorted({i for f in ended.values() for i in f})),
                Story.status == StoryStatus.DONE,
                Story.archived_at.is_(None),
            )
            .group_by(Story.team_id, Story.iteration_id, Story.points, Story.tshirt_size)
        )
    ).all()
    scales = {t.id: t.tshirt_points for t in teams}
    done_points: dict[tuple[int, int | None], int] = {}
    for team_id, iteration_id, points, tshirt, count in done:
        each = story_points(points, tshirt, scales[team_id]) or 0
        key = (team_id, iteration_id)
        done_points[key] = done_points.get(key, 0) + each * count
    members: dict[int, int] = {}
    for member_team, role in (
        await session.execute(
            select(Membership.team_id, Membership.role).where(
                Membership.team_id.in_(team_ids), Membership.archived_at.is_(None)
            )
        )
    ).all():
        if member_team is not None and role in TEAM_MEMBER_ROLES:
            members[member_team] = members.get(member_team, 0) + 1
    overrides: dict[tuple[int, int], int] = {
        (team_id, iteration_id): points
        for team_id, iteration_id, points in (
            await session.execute(
                select(TeamCapacity.team_id, TeamCapacity.iteration_id, TeamCapacity.points).where(
                    TeamCapacity.team_id.in_(team_ids),
                    TeamCapacity.iteration_id.in_(sorted(current.values())),
                    TeamCapacity.archived_at.is_(None),
                )
            )
        ).all()
    }
    out: dict[int, tuple[float | None, int]] = {}
    for t in teams:
        counted = ended.get(t.art_id, [])
        total = sum(done_points.get((t.id, i), 0) for i in counted)
        velocity = round(total / len(counted), 2) if total else None
        capacity = POINTS_PER_MEMBER * members.get(t.id, 0)
        if (running := current.get(t.art_id)) is not None:
            capacity = overrides.get((t.id, running), capacity)
        out[t.id] = (velocity, capacity)
    return out


async def _follow_ups(
    session: AsyncSession, team_ids: list[int], now: dt.datetime
) -> dict[int, list[OpenFollowUp]]:
    """Per team: its open follow-ups, oldest first."""
    out: dict[int, list[OpenFollowUp]] = {}
    for f in await session.scalars(
        select(FollowUp)
        .where(
            FollowUp.team_id.in_(team_ids),
            FollowUp.done_at.is_(None),
            FollowUp.archived_at.is_(None),
        )
        .order_by(FollowUp.created_at, FollowUp.id)
    ):
        assert f.team_id is not None
        out.setdefault(f.team_id, []).append(
            OpenFollowUp(
                follow_up_id=f.id,
                kind=f.kind,
                note=f.note,
                story_id=f.story_id,
                feature_id=f.feature_id,
                owner_id=f.owner_id,
                due_on=f.due_on,
                age_days=(now - f.created_at).days,
                overdue=f.due_on < now.date(),
            )
        )
    return out

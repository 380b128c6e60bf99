"""A team's capacity in an iteration: set by the team's people, or the default when unset."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import records, refs
from services.core.enums import IterationKind
from services.core.errors import ErrorCode, Problems, at
from services.models import Iteration, PlanningInterval, Team, TeamCapacity

MAX_CAPACITY = 1_000


async def set_team_capacity(
    session: AsyncSession, actor: Actor, team_id: int, iteration_id: int, points: int | None
) -> TeamCapacity | None:
    """Set (or, with None, reset to the default) a team's capacity in an iteration."""
    permissions.require_write(actor)
    problems = Problems()
    team = await refs.resolve(session, problems, Team, team_id, "team", "team_id")
    iteration = await refs.resolve(
        session, problems, Iteration, iteration_id, "iteration", "iteration_id"
    )
    problems.raise_if_any()
    assert team is not None
    assert iteration is not None
    permissions.require(
        actor, Action.SET_CAPACITY, art_id=team.art_id, team_id=team.id, where=f"(team {team.key})"
    )
    pi = await session.get(PlanningInterval, iteration.planning_interval_id)
    if pi is None or pi.art_id != team.art_id:
        problems.add(
            ErrorCode.WRONG_ART,
            at("iteration_id", ": that iteration is not in the team's ART."),
            "iteration_id",
        )
    elif iteration.kind is IterationKind.IP:
        problems.add(
            ErrorCode.IP_ITERATION,
            at(
                "iteration_id",
                ": the IP iteration holds no feature work, so it has no capacity to plan.",
            ),
            "iteration_id",
        )
    if points is not None and not 0 <= points <= MAX_CAPACITY:
        problems.add(
            ErrorCode.INVALID_VALUE,
            at("points", f" must be 0 to {MAX_CAPACITY} (got {points})."),
            "points",
        )
    problems.raise_if_any()
    row = await session.scalar(
        select(TeamCapacity).where(
            TeamCapacity.team_id == team_id, TeamCapacity.iteration_id == iteration_id
        )
    )
    if points is None:
        if row is not None and row.archived_at is None:
            await records.archive(session, row, row.version, "Team capacity")
        return row
    if row is None:
        row = TeamCapacity(team_id=team_id, iteration_id=iteration_id, points=points)
        session.add(row)
    else:
        row.points = points
        row.archived_at = None
    await records.flush(session, row, "Team capacity")
    return row

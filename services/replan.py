"""Changing the plan in bulk: applying moves (e.g. from the proposed plan) and setting team
capacities. Moves are all-or-nothing and each is an ordinary update of its item, so every
permission, planning rule, version check and history entry applies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services import access, features, records, refs, stories
from services.access import Action, Actor
from services.dependencies import ItemRef
from services.enums import IterationKind, WorkItemType
from services.errors import DomainError, ErrorCode, Problem, Problems
from services.models import Feature, Iteration, PlanningInterval, Story, Team, TeamCapacity

MAX_MOVES = 500
MAX_CAPACITY = 1_000


@dataclass(frozen=True, slots=True)
class ItemMove:
    item: ItemRef
    iteration_id: int | None  # None: take it out of its iteration
    version: int


async def apply_moves(
    session: AsyncSession, actor: Actor, moves: Sequence[ItemMove]
) -> list[Feature | Story]:
    access.require_write(actor)
    if not moves or len(moves) > MAX_MOVES:
        raise DomainError.single(
            ErrorCode.INVALID_VALUE, f"Send 1 to {MAX_MOVES} moves (got {len(moves)}).", "moves"
        )
    moved: list[Feature | Story] = []
    for position, move in enumerate(moves):
        values = {"iteration_id": move.iteration_id}
        try:
            if move.item.type is WorkItemType.STORY:
                moved.append(
                    await stories.update_story(session, actor, move.item.id, move.version, values)
                )
            else:
                moved.append(
                    await features.update_feature(
                        session, actor, move.item.id, move.version, values
                    )
                )
        except DomainError as exc:
            raise DomainError(
                [
                    Problem(p.code, f"moves[{position}]: {p.message}", "moves", p.current_version)
                    for p in exc.problems
                ]
            ) from None
    return moved


async def set_team_capacity(
    session: AsyncSession, actor: Actor, team_id: int, iteration_id: int, points: int | None
) -> TeamCapacity | None:
    """Set (or, with None, reset to the default) a team's capacity in an iteration."""
    access.require_write(actor)
    problems = Problems()
    team = await refs.resolve(session, problems, Team, team_id, "team", "team_id")
    iteration = await refs.resolve(
        session, problems, Iteration, iteration_id, "iteration", "iteration_id"
    )
    problems.raise_if_any()
    assert team is not None
    assert iteration is not None
    access.require(
        actor, Action.SET_CAPACITY, art_id=team.art_id, team_id=team.id, where=f"(team {team.key})"
    )
    pi = await session.get(PlanningInterval, iteration.planning_interval_id)
    if pi is None or pi.art_id != team.art_id:
        problems.add(
            ErrorCode.WRONG_ART,
            "iteration_id: that iteration is not in the team's ART.",
            "iteration_id",
        )
    elif iteration.kind is IterationKind.IP:
        problems.add(
            ErrorCode.IP_ITERATION,
            "iteration_id: the IP iteration holds no feature work, so it has no capacity to plan.",
            "iteration_id",
        )
    if points is not None and not 0 <= points <= MAX_CAPACITY:
        problems.add(
            ErrorCode.INVALID_VALUE, f"points must be 0 to {MAX_CAPACITY} (got {points}).", "points"
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

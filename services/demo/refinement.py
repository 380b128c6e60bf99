"""The demo ART's refinement history: every team's weekly technical refinement over the last
four weeks, the team that stopped refining two weeks ago, and the ART's program backlog
refinement in the planning interval's first weeks, with their follow-ups, spikes and rework.

It is written through the refinement use cases as data.TEAM_REFINEMENT and data.ART_REFINEMENT
tell (services.demo.refinement_sessions), on a timeline that dates every step to when it
happened (services.demo.timeline). What a past session agreed the seed leaves out of the plan
(`deferred`), so the session writes it; afterwards the plan holds what services.demo.plan says,
apart from the spikes refinement found.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.core.enums import RefinementEventKind
from services.demo import data
from services.demo.accounts import demo_email
from services.demo.plan import DemoPlan
from services.demo.refinement_plan import Deferred, deferred, plan_entered, team_series
from services.demo.refinement_sessions import ArtRefinement, Context, TeamRefinement
from services.demo.timeline import Timeline, set_columns
from services.models import Feature, Person, RefinementEvent, RefinementSession, Story, Team

__all__ = ["Deferred", "deferred", "plan_entered", "seed_refinement"]


async def seed_refinement(
    session: AsyncSession, art_id: int, plan: DemoPlan, today: dt.date, pi_start: dt.date
) -> None:
    """Write the demo ART's refinement history, dated relative to `today`."""
    timeline = Timeline(session)
    ctx = await _context(session, art_id, today, plan, timeline)
    ArtRefinement(ctx, pi_start).add_steps()
    for series in team_series():
        TeamRefinement(ctx, series).add_steps()
    await timeline.run()
    await timeline.rewrite_history(await _time_summaries(session, ctx.held))


async def _context(
    session: AsyncSession, art_id: int, today: dt.date, plan: DemoPlan, timeline: Timeline
) -> Context:
    teams = {t.key: t for t in await session.scalars(select(Team).where(Team.art_id == art_id))}
    team_stories = await session.scalars(
        select(Story).where(Story.team_id.in_([t.id for t in teams.values()]))
    )
    features = await session.scalars(select(Feature).where(Feature.art_id == art_id))
    roles: dict[str, list[tuple[str, str]]] = {}
    for line in data.TEAM_PEOPLE.strip().splitlines():
        team, *members = line.split(" | ")
        roles.setdefault(team, []).extend(
            (code, name) for code, _, name in (m.partition(" ") for m in members)
        )
    names = [name for _, name in data.ART_PEOPLE] + [n for m in roles.values() for _, n in m]
    by_email = {demo_email(name): name for name in names}
    people = await session.execute(
        select(Person.email, Person.id).where(Person.email.in_(list(by_email)))
    )
    return Context(
        session=session,
        art_id=art_id,
        today=today,
        timeline=timeline,
        stories={s.key: s for s in team_stories},
        features={f.key: f for f in features},
        teams=teams,
        people={by_email[email]: i for email, i in people},
        roles=roles,
        story_plans={s.key: s for s in plan.stories},
        feature_plans={f"{data.ART_KEY}-{101 + i}": f for i, f in enumerate(plan.features)},
    )


async def _time_summaries(
    session: AsyncSession, held: list[RefinementSession]
) -> dict[tuple[str, int, str], Any]:
    """A closed session's summary counts the minutes from its start to its close: the past
    ones now. The corrected summaries, as the history should record them."""
    fixed: dict[int, dict[str, Any]] = {}
    for refinement in held:
        assert refinement.started_at is not None
        assert refinement.closed_at is not None
        minutes = (refinement.closed_at - refinement.started_at).total_seconds() / 60
        fixed[refinement.id] = {
            **(refinement.summary or {}),
            "minutes": round(minutes, 1),
            "over_timebox_minutes": max(0.0, round(minutes - refinement.timebox_minutes, 1)),
        }
    await set_columns(
        session,
        RefinementSession,
        ("summary",),
        [{"row_id": i, "summary": summary} for i, summary in fixed.items()],
    )
    closing = await session.execute(
        select(RefinementEvent.id, RefinementEvent.session_id).where(
            RefinementEvent.kind == RefinementEventKind.CLOSED,
            RefinementEvent.session_id.in_(list(fixed)),
        )
    )
    await set_columns(
        session,
        RefinementEvent,
        ("detail",),
        [{"row_id": e, "detail": {"summary": fixed[s]}} for e, s in closing],
    )
    return {("RefinementSession", i, "summary"): summary for i, summary in fixed.items()}

"""Writing the demo through the use cases: the organisation, the planning interval, the
components, the plan of services.demo.plan, and the demo accounts.

Every row goes through the same service functions (and so the same validation) as the API, in
the caller's transaction. The demo is the same on every run apart from its dates, which
follow today.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.core.db import create_engine, create_sessionmaker
from services.core.enums import (
    ComponentKind,
    FeatureKind,
    FeatureState,
    IterationKind,
    MilestoneKind,
    Role,
)
from services.core.inputs import UNSET
from services.core.settings import Settings
from services.demo import data, refinement
from services.demo.accounts import SEED_ACTOR, demo_person, seed_accounts
from services.demo.plan import IP_INDEX, DemoPlan, F, FeaturePlan, S, make_plan
from services.demo.summary import DemoSummary, describe, summarize
from services.demo.timeline import backdate_plan, last_history_id
from services.history import audit
from services.models import Art, Component, Iteration, utcnow
from services.org import arts, people, teams
from services.planning import intervals, milestones
from services.work import components, dependencies, features, stories
from services.work.dependencies import ItemRef


async def _seed_organisation(session: AsyncSession, art_id: int) -> dict[str, int]:
    team_ids: dict[str, int] = {}
    for key, name, shared, description in data.TEAMS:
        draft = teams.TeamDraft(
            key=key,
            name=name,
            description=description,
            is_shared_services=shared,
            tshirt_points=data.TSHIRT_TEAMS.get(key) or None,
        )
        team = await teams.create_team(session, SEED_ACTOR, art_id, draft)
        team_ids[key] = team.id
    for art_role, name in data.ART_PEOPLE:
        person_id = (await demo_person(session, name)).id
        await people.create_membership(session, SEED_ACTOR, person_id, art_id, None, Role[art_role])
    for line in data.TEAM_PEOPLE.strip().splitlines():
        team_key, *members = line.split(" | ")
        for member in members:
            code, name = member.split(" ", 1)
            role = Role[data.ROLE_CODES[code]]
            person_id = (await demo_person(session, name)).id
            await people.create_membership(
                session, SEED_ACTOR, person_id, None, team_ids[team_key], role
            )
    return team_ids


def iteration_dates(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Two-week iterations (Monday to Friday) from the Monday three weeks before today."""
    start = today - dt.timedelta(days=today.weekday() + 21)
    return [
        (start + dt.timedelta(days=14 * i), start + dt.timedelta(days=14 * i + 11))
        for i in range(IP_INDEX)
    ]


async def _seed_pi(session: AsyncSession, art_id: int, today: dt.date) -> tuple[int, list[int]]:
    dates = iteration_dates(today)
    start, end = dates[0][0], dates[-1][1]
    specs = [
        intervals.IterationSpec(
            first, last, IterationKind.IP if i == IP_INDEX else IterationKind.REGULAR
        )
        for i, (first, last) in enumerate(dates, 1)
    ]
    name = f"PI {start.year}.{(start.month - 1) // 3 + 1}"
    pi = await intervals.create_planning_interval(
        session,
        SEED_ACTOR,
        art_id,
        intervals.PlanningIntervalDraft(name, start, end, iterations=specs),
    )
    for title, kind, day, description in data.MILESTONES:
        milestone = milestones.MilestoneDraft(
            name=title,
            date=start + dt.timedelta(days=day),
            kind=MilestoneKind[kind],
            description=description,
        )
        await milestones.create_milestone(session, SEED_ACTOR, pi.id, milestone)
    iteration_ids = await session.scalars(
        select(Iteration.id)
        .where(Iteration.planning_interval_id == pi.id)
        .order_by(Iteration.index)
    )
    return pi.id, list(iteration_ids)


async def _seed_components(
    session: AsyncSession, art_id: int, team_ids: dict[str, int]
) -> dict[str, int]:
    ids: dict[str, int] = {}
    for code, name, kind, team, portfolio_wide, description in data.COMPONENTS:
        scope = Component.art_id.is_(None) if portfolio_wide else Component.art_id == art_id
        found = await session.scalar(
            select(Component.id).where(
                scope, Component.name == name, Component.archived_at.is_(None)
            )
        )
        if found is None:
            draft = components.ComponentDraft(
                name=name,
                kind=ComponentKind[kind],
                description=description,
                owning_team_id=team_ids[team],
            )
            scope_id = None if portfolio_wide else art_id
            found = (await components.create_component(session, SEED_ACTOR, scope_id, draft)).id
        ids[code] = found
    return ids


async def _seed_work(
    session: AsyncSession,
    art_id: int,
    pi_id: int,
    iteration_ids: list[int],
    team_ids: dict[str, int],
    component_ids: dict[str, int],
    plan: DemoPlan,
    deferred: refinement.Deferred,
) -> None:
    """The plan's features, stories and dependencies; what a past refinement session agreed
    is left out (the refinement history adds it)."""
    plans, story_plans, dependency_plans = plan.features, plan.stories, plan.dependencies

    def iteration_id(index: int | None) -> int | None:
        return None if index is None else iteration_ids[index - 1]

    by_wsjf = sorted(range(len(plans)), key=lambda i: (-_wsjf(plans[i]), i))
    ranks = {index: rank for rank, index in enumerate(by_wsjf, 1)}
    feature_ids: list[int] = []
    for i, f in enumerate(plans):
        key = f"{data.ART_KEY}-{101 + i}"
        analysed = key in deferred.features  # still in analysis: no criteria, no WSJF yet
        value, criticality, risk, size = (None,) * 4 if analysed else f.wsjf
        state = FeatureState.ANALYZING if analysed else f.state
        # Created refined (BACKLOG or later): it meets the Definition of Ready, dependencies
        # identified included (services/DOMAIN.md, The ART Kanban).
        refined = state not in (FeatureState.FUNNEL, FeatureState.ANALYZING)
        feature = await features.create_feature(
            session,
            SEED_ACTOR,
            art_id,
            features.FeatureDraft(
                key=key,
                title=f.title,
                kind=FeatureKind.BUSINESS if f.enabler_type is None else FeatureKind.ENABLER,
                enabler_type=f.enabler_type,
                state=state,
                dependencies_identified=True if refined else UNSET,
                benefit_hypothesis=f.hypothesis,
                acceptance_criteria=[] if analysed else f.criteria,
                user_business_value=value,
                time_criticality=criticality,
                risk_reduction=risk,
                job_size=size,
                rank=ranks[i],
                owning_team_id=team_ids[f.team],
                planning_interval_id=None if f.iteration is None else pi_id,
                iteration_id=iteration_id(f.iteration),
                component_ids=[component_ids[c] for c in f.components],
            ),
        )
        feature_ids.append(feature.id)
    story_ids: list[int] = []
    for s in story_plans:
        agreed = s.key not in deferred.stories  # else agreed later, in refinement
        story = await stories.create_story(
            session,
            SEED_ACTOR,
            stories.StoryDraft(
                feature_id=feature_ids[s.feature],
                team_id=team_ids[s.team],
                key=s.key,
                title=s.title,
                kind=s.kind,
                acceptance_criteria=s.criteria if agreed else [],
                points=s.points if agreed else None,
                tshirt_size=s.tshirt if agreed else None,
                status=s.status,
                is_blocked=bool(s.blocked_reason),
                blocked_reason=s.blocked_reason,
                iteration_id=iteration_id(s.iteration),
                refinement_tag=s.tag,
                spike_timebox_days=s.timebox,
                component_ids=[component_ids[c] for c in s.components],
            ),
        )
        story_ids.append(story.id)
    ids = {F: feature_ids, S: story_ids}
    for d in dependency_plans:
        await dependencies.create_dependency(
            session,
            SEED_ACTOR,
            ItemRef(d.dependent[0], ids[d.dependent[0]][d.dependent[1]]),
            ItemRef(d.prerequisite[0], ids[d.prerequisite[0]][d.prerequisite[1]]),
            dependencies.DependencyDraft(
                type=d.type, needed_by_iteration_id=iteration_id(d.needed_by), note=d.note
            ),
        )


def _wsjf(f: FeaturePlan) -> float:
    value, criticality, risk, size = f.wsjf
    return (value + criticality + risk) / size


async def seed_demo_into(session: AsyncSession, *, today: dt.date | None = None) -> DemoSummary:
    """Seed the demo ART and its accounts in the caller's transaction (flushes only); a second
    run writes nothing."""
    audit.bind(session, SEED_ACTOR)
    art = await session.scalar(select(Art).where(Art.key == data.ART_KEY))
    created = art is None
    if art is None:
        today = today or dt.date.today()
        since, history_before = utcnow(), await last_history_id(session)
        art = await arts.create_art(
            session,
            SEED_ACTOR,
            arts.ArtDraft(key=data.ART_KEY, name=data.ART_NAME, description=data.ART_DESCRIPTION),
        )
        team_ids = await _seed_organisation(session, art.id)
        pi_id, iteration_ids = await _seed_pi(session, art.id, today)
        component_ids = await _seed_components(session, art.id, team_ids)
        plan = make_plan()
        await _seed_work(
            session,
            art.id,
            pi_id,
            iteration_ids,
            team_ids,
            component_ids,
            plan,
            refinement.deferred(plan),
        )
        # The plan was entered before its refinement history, which follows in time order.
        pi_start = iteration_dates(today)[0][0]
        await backdate_plan(session, history_before, since, refinement.plan_entered(pi_start))
        await refinement.seed_refinement(session, art.id, plan, today, pi_start)
    seeded = await seed_accounts(session, art.id)
    return await summarize(session, art, created=created, seeded=seeded)


async def seed_demo(settings: Settings) -> str:
    """Seed the demo ART into the configured database in one transaction; a summary for people."""
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine).begin() as session:
            summary = await seed_demo_into(session)
    finally:
        await engine.dispose()
    return describe(summary, settings)

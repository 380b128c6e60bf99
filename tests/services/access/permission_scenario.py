"""The plan every permission-matrix row runs against: one person per actor column, each
signed in (a browser session) or holding a token (the portfolio admin's READ token, and their
WRITE token limited to PAY), spare items so that every allowed actor of a row has its own
thing to create, change or archive, and team ORB of the other ART OPS with a story."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from schema.kit.relay import to_global_id
from services.access import tokens
from services.access.accounts import digest
from services.access.permissions import system_actor
from services.core.db import create_sessionmaker
from services.core.enums import (
    ComponentKind,
    EnablerType,
    FeatureKind,
    FeatureState,
    IterationKind,
    MilestoneKind,
    Role,
    StoryKind,
    TokenScope,
    WorkItemType,
)
from services.history import audit
from services.models import Iteration, WebSession, utcnow
from services.org import arts, people, teams
from services.planning import intervals, iterations, milestones
from services.work import components, dependencies, features, stories
from services.work.dependencies import ItemRef
from tests.services.refinement import scenario as refinement_scenario

ACTORS = [
    "admin",
    "RTE",
    "PM",
    "SA",
    "BO",
    "viewer",
    "SM",
    "PO",
    "member",
    "other RTE",
    "read token",
    "limited token",
    "anonymous",
]
# The role each actor column holds (ART roles in PAY, team roles in ATL, RTE of OPS).
ART_ROLE = {
    "RTE": Role.RTE,
    "PM": Role.PRODUCT_MANAGER,
    "SA": Role.SYSTEM_ARCHITECT,
    "BO": Role.BUSINESS_OWNER,
    "viewer": Role.VIEWER,
}
TEAM_ROLE = {"SM": Role.SCRUM_MASTER, "PO": Role.PRODUCT_OWNER, "member": Role.DEVELOPER}
PASSWORD = "correct horse battery staple"
START = dt.date(2027, 1, 4)
SETUP = system_actor("permission matrix setup")


@dataclass
class Scenario:
    ids: dict[str, int] = field(default_factory=dict)
    gids: dict[str, str] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    person_of: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, type_name: str, pk: int) -> None:
        self.ids[name] = pk
        self.gids[name] = to_global_id(type_name, pk)


async def _session_headers(session: AsyncSession, person_id: int) -> dict[str, str]:
    token, csrf = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    session.add(
        WebSession(
            token_hash=digest(token),
            csrf_token=csrf,
            person_id=person_id,
            expires_at=utcnow() + dt.timedelta(days=1),
        )
    )
    return {"cookie": f"trainyard_session={token}", "x-csrf-token": csrf}


async def _iterations_of(session: AsyncSession, pi_id: int) -> list[tuple[int, int]]:
    rows = await session.execute(
        select(Iteration.id, Iteration.index).where(Iteration.planning_interval_id == pi_id)
    )
    return [(r[0], r[1]) for r in rows.all()]


def _iterations() -> list[intervals.IterationSpec]:
    specs = []
    for n in range(5):
        first = START + dt.timedelta(days=14 * n)
        kind = IterationKind.IP if n == 4 else IterationKind.REGULAR
        specs.append(intervals.IterationSpec(first, first + dt.timedelta(days=11), kind))
    return specs


async def _other_art(s: AsyncSession, sc: Scenario, ops: int) -> None:
    """Team ORB of OPS with a story: what the rows on another ART change or read."""
    orb = await teams.create_team(s, SETUP, ops, teams.TeamDraft(key="ORB", name="Orbit"))
    feature = await features.create_feature(
        s,
        SETUP,
        ops,
        features.FeatureDraft(key="OPS-1", title="Runbooks", kind=FeatureKind.BUSINESS),
    )
    story = await stories.create_story(
        s,
        SETUP,
        stories.StoryDraft(
            feature_id=feature.id,
            team_id=orb.id,
            key="ORB-1",
            title="Story",
            kind=StoryKind.USER_STORY,
        ),
    )
    sc.add("ORB", "Team", orb.id)
    sc.add("S_ORB", "Story", story.id)


async def build(engine: AsyncEngine, needs: frozenset[str]) -> Scenario:
    sc = Scenario()
    async with create_sessionmaker(engine).begin() as s:
        audit.bind(s, SETUP)
        pay = await arts.create_art(s, SETUP, arts.ArtDraft(key="PAY", name="Payments"))
        ops = await arts.create_art(s, SETUP, arts.ArtDraft(key="OPS", name="Operations"))
        sc.add("PAY", "Art", pay.id)
        sc.add("OPS", "Art", ops.id)
        atl = await teams.create_team(s, SETUP, pay.id, teams.TeamDraft(key="ATL", name="Atlas"))
        nov = await teams.create_team(s, SETUP, pay.id, teams.TeamDraft(key="NOV", name="Nova"))
        sc.add("ATL", "Team", atl.id)
        sc.add("NOV", "Team", nov.id)
        pi = await intervals.create_planning_interval(
            s,
            SETUP,
            pay.id,
            intervals.PlanningIntervalDraft(
                "PI 1", START, START + dt.timedelta(days=67), _iterations()
            ),
        )
        sc.add("PI", "PlanningInterval", pi.id)
        for iteration_id, index in await _iterations_of(s, pi.id):
            sc.add(f"ITERATION_PI_{index}", "Iteration", iteration_id)
        long_start = dt.date(2027, 4, 5)
        long_pi = await intervals.create_planning_interval(
            s,
            SETUP,
            pay.id,
            intervals.PlanningIntervalDraft(
                "PI long", long_start, long_start + dt.timedelta(days=180)
            ),
        )
        sc.add("LONG_PI", "PlanningInterval", long_pi.id)
        if "iteration" in needs:
            # A planning interval holds at most 12 iterations: half the spares go here.
            later = dt.date(2027, 10, 4)
            second = await intervals.create_planning_interval(
                s,
                SETUP,
                pay.id,
                intervals.PlanningIntervalDraft("PI long 2", later, later + dt.timedelta(days=180)),
            )
            sc.add("LONG_PI_2", "PlanningInterval", second.id)
        demo = milestones.MilestoneDraft(
            "System demo", START + dt.timedelta(days=25), MilestoneKind.SYSTEM_DEMO
        )
        milestone = await milestones.create_milestone(s, SETUP, pi.id, demo)
        sc.add("MILESTONE", "Milestone", milestone.id)
        business = features.FeatureDraft(
            key="PAY-1",
            planning_interval_id=pi.id,
            title="Refunds",
            kind=FeatureKind.BUSINESS,
            owning_team_id=atl.id,
        )
        enabler = features.FeatureDraft(
            key="PAY-2",
            title="Ledger v2",
            kind=FeatureKind.ENABLER,
            enabler_type=EnablerType.ARCHITECTURAL,
            owning_team_id=atl.id,
        )
        f = await features.create_feature(s, SETUP, pay.id, business)
        e = await features.create_feature(s, SETUP, pay.id, enabler)
        sc.add("F", "Feature", f.id)
        sc.add("E", "Feature", e.id)
        atl_story = stories.StoryDraft(
            feature_id=f.id, team_id=atl.id, key="ATL-1", title="Story", kind=StoryKind.USER_STORY
        )
        nov_story = stories.StoryDraft(
            feature_id=f.id, team_id=nov.id, key="NOV-1", title="Story", kind=StoryKind.USER_STORY
        )
        s_atl = await stories.create_story(s, SETUP, atl_story)
        s_nov = await stories.create_story(s, SETUP, nov_story)
        sc.add("S_ATL", "Story", s_atl.id)
        sc.add("S_NOV", "Story", s_nov.id)
        await _other_art(s, sc, ops.id)
        comp = await components.create_component(
            s, SETUP, pay.id, components.ComponentDraft(name="Ledger", kind=ComponentKind.SERVICE)
        )
        portfolio = await components.create_component(
            s, SETUP, None, components.ComponentDraft(name="Identity", kind=ComponentKind.PLATFORM)
        )
        sc.add("C", "Component", comp.id)
        sc.add("P", "Component", portfolio.id)
        story_dep = await dependencies.create_dependency(
            s,
            SETUP,
            ItemRef(WorkItemType.STORY, s_atl.id),
            ItemRef(WorkItemType.STORY, s_nov.id),
            dependencies.DependencyDraft(),
        )
        feature_dep = await dependencies.create_dependency(
            s,
            SETUP,
            ItemRef(WorkItemType.FEATURE, f.id),
            ItemRef(WorkItemType.FEATURE, e.id),
            dependencies.DependencyDraft(),
        )
        sc.add("DEP_STORY", "Dependency", story_dep.id)
        sc.add("DEP_FEATURE", "Dependency", feature_dep.id)
        target = await people.create_person(
            s, SETUP, people.PersonDraft(name="Tess Target", email="target@matrix.test")
        )
        sc.add("T", "Person", target.id)
        m_art = await people.create_membership(s, SETUP, target.id, pay.id, None, Role.VIEWER)
        m_team = await people.create_membership(s, SETUP, target.id, None, atl.id, Role.TESTER)
        sc.add("M_ART", "Membership", m_art.id)
        sc.add("M_TEAM", "Membership", m_team.id)

        for index, actor in enumerate(ACTORS):
            if actor in ("anonymous", "read token", "limited token"):
                continue
            draft = people.PersonDraft(
                name=f"{actor.title()} Person",
                email=f"p{index}@matrix.test",
                password=PASSWORD if "passwords" in needs else None,
                is_admin=actor == "admin",
            )
            person = await people.create_person(s, SETUP, draft)
            sc.person_of[actor] = person.id
            if actor in ART_ROLE:
                await people.create_membership(s, SETUP, person.id, pay.id, None, ART_ROLE[actor])
            elif actor in TEAM_ROLE:
                await people.create_membership(s, SETUP, person.id, None, atl.id, TEAM_ROLE[actor])
            elif actor == "other RTE":
                await people.create_membership(s, SETUP, person.id, ops.id, None, Role.RTE)
            sc.headers[actor] = await _session_headers(s, person.id)
        read = await tokens.create_token(
            s, SETUP, sc.person_of["admin"], "matrix read", TokenScope.READ
        )
        sc.headers["read token"] = {"authorization": f"Bearer {read.secret}"}
        limited = await tokens.create_token(
            s, SETUP, sc.person_of["admin"], "matrix PAY only", TokenScope.WRITE, [pay.id]
        )
        sc.headers["limited token"] = {"authorization": f"Bearer {limited.secret}"}
        sc.headers["anonymous"] = {}
        if "refinement" in needs:
            await refinement_scenario.add(s, SETUP, sc, len(ACTORS))

        for index, actor in enumerate(ACTORS):
            await _spares(s, sc, needs, index, pay.id, atl.id, nov.id, f.id, e.id, long_pi.id)
            if "own_token" in needs and actor in sc.person_of:
                made = await tokens.create_token(
                    s, SETUP, sc.person_of[actor], "own", TokenScope.READ
                )
                sc.add(f"TOKEN_{index}", "ApiToken", made.token.id)
            if "their_token" in needs:
                made = await tokens.create_token(s, SETUP, target.id, "theirs", TokenScope.READ)
                sc.add(f"THEIR_TOKEN_{index}", "ApiToken", made.token.id)
    return sc


async def _spares(
    s: AsyncSession,
    sc: Scenario,
    needs: frozenset[str],
    i: int,
    pay: int,
    atl: int,
    nov: int,
    f: int,
    e: int,
    long_pi: int,
) -> None:
    """One spare item per actor column of each kind the row needs."""
    if "art" in needs:
        art = await arts.create_art(s, SETUP, arts.ArtDraft(key=f"SP{i}", name=f"Spare {i}"))
        sc.add(f"ART_{i}", "Art", art.id)
    if "team" in needs:
        team = await teams.create_team(
            s, SETUP, pay, teams.TeamDraft(key=f"IDL{i}", name=f"Idle {i}")
        )
        sc.add(f"TEAM_{i}", "Team", team.id)
    if "person" in needs:
        person = await people.create_person(
            s, SETUP, people.PersonDraft(name=f"Spare {i}", email=f"spare{i}@matrix.test")
        )
        sc.add(f"PERSON_{i}", "Person", person.id)
        if "membership" in needs:
            art_role = await people.create_membership(s, SETUP, person.id, pay, None, Role.VIEWER)
            team_role = await people.create_membership(
                s, SETUP, person.id, None, atl, Role.DEVELOPER
            )
            sc.add(f"M_ART_{i}", "Membership", art_role.id)
            sc.add(f"M_TEAM_{i}", "Membership", team_role.id)
    if "pi" in needs:
        start = dt.date(2028, 1, 3) + dt.timedelta(days=70 * i)
        spare_pi = await intervals.create_planning_interval(
            s,
            SETUP,
            pay,
            intervals.PlanningIntervalDraft(f"Spare PI {i}", start, start + dt.timedelta(days=60)),
        )
        sc.add(f"PI_{i}", "PlanningInterval", spare_pi.id)
    if "iteration" in needs:
        host, start, n = (long_pi, dt.date(2027, 4, 5), i)
        if i >= 6:
            host, start, n = (sc.ids["LONG_PI_2"], dt.date(2027, 10, 4), i - 6)
        first = start + dt.timedelta(days=14 * n)
        iteration = await iterations.create_iteration(
            s, SETUP, host, intervals.IterationSpec(first, first + dt.timedelta(days=11))
        )
        sc.add(f"ITERATION_{i}", "Iteration", iteration.id)
    if "milestone" in needs:
        pi_id = sc.ids["PI"]
        milestone = await milestones.create_milestone(
            s, SETUP, pi_id, milestones.MilestoneDraft(f"Spare {i}", START + dt.timedelta(days=i))
        )
        sc.add(f"MILESTONE_{i}", "Milestone", milestone.id)
    if "feature" in needs:
        business = await features.create_feature(
            s,
            SETUP,
            pay,
            features.FeatureDraft(key=f"PAY-{100 + i}", title="Spare", kind=FeatureKind.BUSINESS),
        )
        enabler = await features.create_feature(
            s,
            SETUP,
            pay,
            features.FeatureDraft(
                key=f"PAY-{200 + i}",
                title="Spare enabler",
                kind=FeatureKind.ENABLER,
                enabler_type=EnablerType.COMPLIANCE,
            ),
        )
        sc.add(f"FEATURE_{i}", "Feature", business.id)
        sc.add(f"ENABLER_{i}", "Feature", enabler.id)
    if "done" in needs:
        delivered = features.FeatureDraft(
            key=f"PAY-{500 + i}",
            title="Delivered",
            kind=FeatureKind.BUSINESS,
            state=FeatureState.DONE,
            benefit_hypothesis="Refunds in seconds.",
            acceptance_criteria=["A refund reaches the card within 10 seconds."],
            user_business_value=1,
            time_criticality=1,
            risk_reduction=1,
            job_size=1,
            owning_team_id=atl,
            dependencies_identified=True,
        )
        done = await features.create_feature(s, SETUP, pay, delivered)
        sc.add(f"DONE_{i}", "Feature", done.id)
    if "story" in needs:
        own_story = stories.StoryDraft(
            feature_id=f,
            team_id=atl,
            key=f"ATL-{100 + i}",
            title="Spare",
            kind=StoryKind.USER_STORY,
        )
        other_story = stories.StoryDraft(
            feature_id=f,
            team_id=nov,
            key=f"NOV-{100 + i}",
            title="Spare",
            kind=StoryKind.USER_STORY,
        )
        own = await stories.create_story(s, SETUP, own_story)
        other = await stories.create_story(s, SETUP, other_story)
        sc.add(f"STORY_ATL_{i}", "Story", own.id)
        sc.add(f"STORY_NOV_{i}", "Story", other.id)
    if "component" in needs:
        art_comp = await components.create_component(
            s, SETUP, pay, components.ComponentDraft(name=f"Spare {i}", kind=ComponentKind.LIBRARY)
        )
        portfolio = await components.create_component(
            s,
            SETUP,
            None,
            components.ComponentDraft(name=f"Shared {i}", kind=ComponentKind.LIBRARY),
        )
        sc.add(f"COMP_{i}", "Component", art_comp.id)
        sc.add(f"PCOMP_{i}", "Component", portfolio.id)
    if "dependency" in needs:
        story_ids = (sc.ids[f"STORY_ATL_{i}"], sc.ids["S_NOV"])
        story_dep = await dependencies.create_dependency(
            s,
            SETUP,
            ItemRef(WorkItemType.STORY, story_ids[0]),
            ItemRef(WorkItemType.STORY, story_ids[1]),
            dependencies.DependencyDraft(),
        )
        feature_dep = await dependencies.create_dependency(
            s,
            SETUP,
            ItemRef(WorkItemType.FEATURE, sc.ids[f"FEATURE_{i}"]),
            ItemRef(WorkItemType.FEATURE, e),
            dependencies.DependencyDraft(),
        )
        sc.add(f"DEP_STORY_{i}", "Dependency", story_dep.id)
        sc.add(f"DEP_FEATURE_{i}", "Dependency", feature_dep.id)

"""The refinement views: team health, the ART's rollup and the session prep pack, on one plan
built through the services (timestamps in the past set on the rows afterwards)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from graph.model import Health
from services.access.permissions import system_actor
from services.analysis import analyses
from services.analysis.plans import AnalysisCache
from services.core.enums import (
    ComponentKind,
    DependencyType,
    FeatureKind,
    FeatureState,
    FollowUpKind,
    IterationKind,
    ReadyRule,
    Role,
    SessionStatus,
    StoryKind,
    StoryStatus,
    TShirtSize,
    WorkItemType,
)
from services.core.errors import DomainError, ErrorCode
from services.history import audit
from services.models import Feature, FollowUp, HistoryEntry, Iteration, RefinementSession, Story
from services.org import arts, people
from services.org import teams as team_service
from services.planning import intervals
from services.planning.capacity import set_team_capacity
from services.refinement import agenda as agendas
from services.refinement import followups, sessions
from services.refinement.art_health import (
    ReworkChange,
    ReworkedStory,
    TeamAttention,
    WaitingFeature,
    WeekCount,
    art_refinement_health,
)
from services.refinement.attendance import OverloadedSession
from services.refinement.followups import FlagDraft
from services.refinement.health import OpenFollowUp, OpenSpike, team_refinement_health
from services.refinement.prep import (
    ItemEnd,
    PrepDependency,
    PrepFollowUp,
    PrepItem,
    TouchedComponent,
    prep_pack,
)
from services.refinement.sessions import SessionDraft
from services.work import components, dependencies, features, stories
from services.work.dependencies import ItemRef
from services.work.readiness import Failure

ACTOR = system_actor("refinement view tests")
UTC = dt.UTC
NOW = dt.datetime(2027, 2, 17, 12, 0, tzinfo=UTC)  # a Wednesday, in iteration 4
PI_START = dt.date(2027, 1, 4)
FEATURE, STORY = WorkItemType.FEATURE, WorkItemType.STORY
BLOCKS, RELATES = DependencyType.BLOCKS, DependencyType.RELATES


def at(month: int, day: int, hour: int = 10, year: int = 2027) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


@dataclass
class World:
    art: int = 0
    pi: int = 0
    teams: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    iterations: list[int] = field(default_factory=list)  # by index - 1; [4] is the IP
    features: dict[str, int] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)
    components: dict[str, int] = field(default_factory=dict)
    sessions: dict[str, int] = field(default_factory=dict)
    follow_ups: dict[str, int] = field(default_factory=dict)
    dependencies: dict[str, int] = field(default_factory=dict)
    history: dict[str, int] = field(default_factory=dict)


async def _art_and_pi(db: AsyncSession, w: World, key: str = "PAY") -> None:
    audit.bind(db, ACTOR)
    w.art = (await arts.create_art(db, ACTOR, arts.ArtDraft(key=key, name="Payments"))).id
    specs = [
        intervals.IterationSpec(
            PI_START + dt.timedelta(days=14 * i), PI_START + dt.timedelta(days=14 * i + 11)
        )
        for i in range(4)
    ]
    ip_start = PI_START + dt.timedelta(days=56)
    specs.append(
        intervals.IterationSpec(ip_start, ip_start + dt.timedelta(days=11), IterationKind.IP)
    )
    pi = await intervals.create_planning_interval(
        db,
        ACTOR,
        w.art,
        intervals.PlanningIntervalDraft(
            "PI 2027.1", PI_START, PI_START + dt.timedelta(days=67), specs
        ),
    )
    w.pi = pi.id
    w.iterations = list(
        await db.scalars(
            select(Iteration.id)
            .where(Iteration.planning_interval_id == pi.id)
            .order_by(Iteration.index)
        )
    )


async def _team(db: AsyncSession, w: World, key: str, name: str, **values: Any) -> int:
    draft = team_service.TeamDraft(key=key, name=name, **values)
    team = await team_service.create_team(db, ACTOR, w.art, draft)
    w.teams[key] = team.id
    return team.id


async def _person(db: AsyncSession, w: World, name: str, team: str, role: Role) -> int:
    person = await people.create_person(
        db, ACTOR, people.PersonDraft(name=name, email=f"{name.lower()}@tests.trainyard")
    )
    await people.create_membership(db, ACTOR, person.id, None, w.teams[team], role)
    w.people[name] = person.id
    return person.id


async def _feature(db: AsyncSession, w: World, key: str, **values: Any) -> int:
    """A feature in BACKLOG unless told otherwise. A later state is set on the row: the plan
    holds features there that no longer meet the Definition of Ready (as after an ART changed
    it), which no use case puts there."""
    state = values.pop("state", FeatureState.BACKLOG)
    unrefined = state in (FeatureState.FUNNEL, FeatureState.ANALYZING)
    feature = await features.create_feature(
        db,
        ACTOR,
        w.art,
        features.FeatureDraft(
            key=key,
            title=f"Feature {key}",
            kind=FeatureKind.BUSINESS,
            state=state if unrefined else FeatureState.FUNNEL,
            **values,
        ),
    )
    feature.state = state
    await db.flush()
    w.features[key] = feature.id
    return feature.id


async def _story(
    db: AsyncSession, w: World, key: str, feature: str, team: str, **values: Any
) -> Story:
    values.setdefault("kind", StoryKind.USER_STORY)
    if "iteration" in values:
        values["iteration_id"] = w.iterations[values.pop("iteration") - 1]
    story = await stories.create_story(
        db,
        ACTOR,
        stories.StoryDraft(
            key=key,
            title=f"Story {key}",
            feature_id=w.features[feature],
            team_id=w.teams[team],
            **values,
        ),
    )
    w.stories[key] = story
    return story


async def _session(
    db: AsyncSession,
    w: World,
    name: str,
    team: str | None,
    starts: dt.datetime,
    participants: list[str],
    status: SessionStatus = SessionStatus.SCHEDULED,
    agenda: list[int] | None = None,
    override: str | None = None,
) -> RefinementSession:
    draft = SessionDraft(
        team_id=w.teams[team] if team else None,
        art_id=None if team else w.art,
        starts_at=starts,
        timebox_minutes=60 if team else 120,
        participant_ids=[w.people[p] for p in participants],
    )
    refinement = await sessions.create_session(db, ACTOR, draft)
    if agenda:
        await agendas.set_agenda(db, ACTOR, refinement.id, refinement.version, agenda, override)
    refinement.status = status
    if status is SessionStatus.CLOSED:
        refinement.started_at = starts
        refinement.closed_at = starts + dt.timedelta(minutes=60)
    await db.flush()
    w.sessions[name] = refinement.id
    return refinement


async def _flag(
    db: AsyncSession,
    w: World,
    name: str,
    kind: FollowUpKind,
    created: dt.datetime,
    due: dt.date,
    *,
    story: str | None = None,
    feature: str | None = None,
    owner: str = "Sam",
) -> FollowUp:
    draft = FlagDraft(
        story_id=w.stories[story].id if story else None,
        feature_id=None if story else w.features[feature or ""],
        kind=kind,
        note=f"{name} note",
        owner_id=w.people[owner],
        due_on=due,
    )
    follow_up = await followups.flag_item(db, ACTOR, draft, today=created.date())
    follow_up.created_at = created
    await db.flush()
    w.follow_ups[name] = follow_up.id
    return follow_up


async def _depend(
    db: AsyncSession,
    w: World,
    name: str,
    dependent: tuple[WorkItemType, str],
    prerequisite: tuple[WorkItemType, str],
    kind: DependencyType = BLOCKS,
) -> None:
    def ref(end: tuple[WorkItemType, str]) -> ItemRef:
        kind_, key = end
        return ItemRef(kind_, w.features[key] if kind_ is FEATURE else w.stories[key].id)

    made = await dependencies.create_dependency(
        db, ACTOR, ref(dependent), ref(prerequisite), dependencies.DependencyDraft(type=kind)
    )
    w.dependencies[name] = made.id


async def _change(
    db: AsyncSession, w: World, name: str, story: str, when: dt.datetime, **values: Any
) -> None:
    """Change a story and date its history entry."""
    row = w.stories[story]
    await stories.update_story(db, ACTOR, row.id, row.version, stories.StoryChanges(**values))
    latest = await db.scalar(
        select(func.max(HistoryEntry.id)).where(
            HistoryEntry.entity_type == "Story", HistoryEntry.entity_id == row.id
        )
    )
    await db.execute(update(HistoryEntry).where(HistoryEntry.id == latest).values(at=when))
    assert latest is not None
    w.history[name] = latest


async def build(db: AsyncSession) -> World:
    """ART PAY, PI 2027.1 (iterations 1-4 from 2027-01-04, two weeks each, then IP); NOW is
    2027-02-17 12:00, so iterations 1-3 have ended and 4 is running.

    Atlas: t-shirt scale XS1 S3 M5 L8 XL13; a developer, a tech lead, a tester (24 points by
    default, 20 set for iteration 4), a scrum master. Done: 8 (it. 1), M=5 (it. 2), 8 (it. 3):
    velocity 7. Ready: ATL-1 (5), ATL-2 (L=8, in progress), ATL-5 (1): 14 points, depth 2.
    Nova: one developer (8 points); no done work; ready NOV-1 (3): depth 3 / 8 by capacity.
    Orbit: nobody, nothing.
    """
    w = World()
    await _art_and_pi(db, w)
    await _team(db, w, "ATL", "Atlas", tshirt_points={"XS": 1, "S": 3, "M": 5, "L": 8, "XL": 13})
    await _team(db, w, "NOV", "Nova")
    await _team(db, w, "ORB", "Orbit")
    await _person(db, w, "Dana", "ATL", Role.DEVELOPER)
    await _person(db, w, "Tom", "ATL", Role.TECH_LEAD)
    await _person(db, w, "Tess", "ATL", Role.TESTER)
    await _person(db, w, "Sam", "ATL", Role.SCRUM_MASTER)
    await _person(db, w, "Nina", "NOV", Role.DEVELOPER)
    await set_team_capacity(db, ACTOR, w.teams["ATL"], w.iterations[3], 20)
    for name, owner in (("Gateway", "ATL"), ("Ledger", "NOV")):
        component = await components.create_component(
            db,
            ACTOR,
            w.art,
            components.ComponentDraft(
                name=name, kind=ComponentKind.SERVICE, owning_team_id=w.teams[owner]
            ),
        )
        w.components[name] = component.id

    pi = w.pi
    planned = {"planning_interval_id": pi, "iteration_id": w.iterations[3]}
    await _feature(
        db,
        w,
        "PAY-1",
        owning_team_id=w.teams["ATL"],
        benefit_hypothesis="Faster payouts",
        acceptance_criteria=["Payouts in a day"],
        user_business_value=8,
        time_criticality=5,
        risk_reduction=3,
        job_size=2,
        dependencies_identified=True,
        component_ids=[w.components["Ledger"]],
        **planned,
    )
    await _feature(db, w, "PAY-2", owning_team_id=w.teams["NOV"], planning_interval_id=pi)
    await _feature(db, w, "PAY-3", owning_team_id=w.teams["NOV"], **planned)
    await _feature(db, w, "PAY-4", state=FeatureState.DONE)
    # Waiting for program backlog refinement.
    await _feature(
        db,
        w,
        "PAY-5",
        state=FeatureState.FUNNEL,
        owning_team_id=w.teams["ATL"],
        benefit_hypothesis="More merchants",
        acceptance_criteria=["Sign-up in 5 minutes"],
        user_business_value=8,
        time_criticality=5,
        risk_reduction=3,
        job_size=2,
        rank=30,
    )
    await _feature(
        db,
        w,
        "PAY-6",
        state=FeatureState.ANALYZING,
        user_business_value=5,
        time_criticality=3,
        risk_reduction=2,
        job_size=5,
        rank=40,
    )
    await _feature(db, w, "PAY-7", state=FeatureState.FUNNEL, job_size=3, rank=60)
    await _feature(db, w, "PAY-8", state=FeatureState.ANALYZING, rank=50)

    ac = {"acceptance_criteria": ["It works"]}
    await _story(
        db,
        w,
        "ATL-1",
        "PAY-1",
        "ATL",
        points=5,
        iteration=4,
        component_ids=[w.components["Ledger"], w.components["Gateway"]],
        **ac,
    )
    await _story(
        db,
        w,
        "ATL-2",
        "PAY-1",
        "ATL",
        tshirt_size=TShirtSize.L,
        status=StoryStatus.IN_PROGRESS,
        iteration=4,
        **ac,
    )
    await _story(db, w, "ATL-3", "PAY-1", "ATL", **ac)
    await _story(db, w, "ATL-4", "PAY-1", "ATL", points=3, iteration=4, **ac)
    await _story(db, w, "ATL-5", "PAY-1", "ATL", points=1, **ac)
    await _story(
        db,
        w,
        "ATL-6",
        "PAY-1",
        "ATL",
        kind=StoryKind.SPIKE,
        spike_timebox_days=3,
        points=2,
        spike_for_story_id=w.stories["ATL-4"].id,
    )
    await _story(db, w, "ATL-7", "PAY-1", "ATL", points=2, **ac)
    await _story(db, w, "ATL-8", "PAY-1", "ATL")
    await _story(db, w, "ATL-9", "PAY-1", "ATL")
    done = {"status": StoryStatus.DONE}
    await _story(db, w, "ATL-10", "PAY-1", "ATL", points=5, iteration=1, **done)
    await _story(db, w, "ATL-11", "PAY-1", "ATL", points=3, iteration=1, **done)
    await _story(db, w, "ATL-12", "PAY-1", "ATL", tshirt_size=TShirtSize.M, iteration=2, **done)
    await _story(db, w, "ATL-13", "PAY-1", "ATL", points=8, iteration=3, **done)
    await _story(
        db,
        w,
        "ATL-14",
        "PAY-1",
        "ATL",
        kind=StoryKind.SPIKE,
        spike_timebox_days=2,
        points=13,
        iteration=4,
        **done,
    )
    await _story(db, w, "NOV-1", "PAY-2", "NOV", points=3, iteration=4, **ac)
    await _story(db, w, "NOV-2", "PAY-2", "NOV", iteration=3)
    await _story(db, w, "NOV-3", "PAY-2", "NOV", iteration=3)

    await _depend(db, w, "ATL-1 needs NOV-1", (STORY, "ATL-1"), (STORY, "NOV-1"))
    await _depend(db, w, "PAY-1 needs PAY-2", (FEATURE, "PAY-1"), (FEATURE, "PAY-2"))
    await _depend(db, w, "NOV-2 needs ATL-1", (STORY, "NOV-2"), (STORY, "ATL-1"))
    await _depend(db, w, "PAY-3 relates to PAY-1", (FEATURE, "PAY-3"), (FEATURE, "PAY-1"), RELATES)
    await _depend(db, w, "ATL-1 needs ATL-13", (STORY, "ATL-1"), (STORY, "ATL-13"))
    await _depend(db, w, "ATL-4 needs NOV-3", (STORY, "ATL-4"), (STORY, "NOV-3"))

    # Sessions (weeks end at NOW: from Jan 20, Jan 27, Feb 3 and Feb 10, 12:00).
    items = [
        w.stories[k].id
        for k in ("ATL-1", "ATL-2", "ATL-3", "ATL-4", "ATL-5", "ATL-6", "ATL-7", "ATL-8", "ATL-9")
    ]
    closed = SessionStatus.CLOSED
    await _session(db, w, "S1", "ATL", at(1, 22), ["Dana"], closed, items, "Release crunch")
    await _session(db, w, "S2", "ATL", at(2, 11), ["Sam"], closed, items[:2])
    await _session(
        db,
        w,
        "S3",
        "ATL",
        at(2, 16),
        ["Tom"],
        agenda=[w.stories["ATL-4"].id, w.stories["ATL-1"].id],
    )
    await _session(db, w, "S4", "ATL", at(2, 1), [], SessionStatus.CANCELLED)
    await _session(db, w, "S5", "ATL", at(12, 1, year=2026), ["Dana"], closed)
    await _session(db, w, "S6", "ATL", at(2, 24), [])
    await _session(db, w, "N1", "NOV", at(1, 30), ["Nina"], closed)
    await _session(
        db, w, "ART", None, at(2, 18), [], agenda=[w.features["PAY-2"], w.features["PAY-1"]]
    )

    # Follow-ups of Atlas (and of its feature PAY-1): one overdue, one resolved.
    await _flag(
        db, w, "F1", FollowUpKind.QUESTION, at(2, 10, 12), dt.date(2027, 2, 15), story="ATL-3"
    )
    await _flag(
        db, w, "FQ", FollowUpKind.QUESTION, at(2, 12, 12), dt.date(2027, 2, 22), feature="PAY-1"
    )
    await _flag(
        db, w, "I1", FollowUpKind.INCOMPLETE, at(2, 14, 12), dt.date(2027, 2, 19), story="ATL-1"
    )
    await _flag(
        db, w, "Q1", FollowUpKind.QUESTION, at(2, 15, 12), dt.date(2027, 2, 25), story="ATL-1"
    )
    await _flag(
        db, w, "F2", FollowUpKind.BLOCKED, at(2, 16, 0), dt.date(2027, 2, 20), story="ATL-7"
    )
    done_flag = await _flag(
        db, w, "F3", FollowUpKind.INCOMPLETE, at(2, 9), dt.date(2027, 2, 20), story="ATL-5"
    )
    await followups.resolve_follow_up(db, ACTOR, done_flag.id, done_flag.version, "Clarified")

    # Refined features per week; ready stamps and rework.
    for key, when in (
        ("PAY-1", at(2, 16)),
        ("PAY-2", at(2, 2, 9)),
        ("PAY-3", at(2, 3, 8)),
        ("PAY-4", at(11, 1, year=2026)),
    ):
        feature = await db.get(Feature, w.features[key])
        assert feature is not None
        feature.refined_at = when
    for key, when in (
        ("ATL-1", at(2, 1)),
        ("ATL-2", at(1, 25)),
        ("ATL-5", at(11, 1, year=2026)),
        ("NOV-1", at(2, 10)),
    ):
        w.stories[key].first_ready_at = when
    await db.flush()
    await _change(
        db,
        w,
        "ATL-1 criteria",
        "ATL-1",
        at(2, 5, 9),
        acceptance_criteria=["It works", "It is fast"],
    )
    await _change(db, w, "ATL-1 title", "ATL-1", at(2, 6), title="Pay out faster")
    await _change(db, w, "ATL-2 to XL", "ATL-2", at(2, 6), tshirt_size=TShirtSize.XL)
    await _change(db, w, "ATL-2 back to L", "ATL-2", at(2, 8), tshirt_size=TShirtSize.L)
    await _change(
        db, w, "NOV-1 before ready", "NOV-1", at(2, 9), acceptance_criteria=["It works", "Logged"]
    )
    await _change(
        db, w, "ATL-5 long ago", "ATL-5", at(12, 1, year=2026), acceptance_criteria=["Old"]
    )
    return w


def _follow_up(
    w: World,
    name: str,
    kind: FollowUpKind,
    story: str | None,
    feature: str | None,
    due: dt.date,
    age: int,
    overdue: bool,
) -> OpenFollowUp:
    return OpenFollowUp(
        w.follow_ups[name],
        kind,
        f"{name} note",
        w.stories[story].id if story else None,
        w.features[feature] if feature else None,
        w.people["Sam"],
        due,
        age,
        overdue,
    )


async def test_team_health(db: AsyncSession) -> None:
    w = await build(db)
    found = await team_refinement_health(
        db, [w.teams["NOV"], w.teams["ATL"], w.teams["ORB"], 999_999], NOW
    )
    assert sorted(found) == sorted(w.teams.values())

    atlas = found[w.teams["ATL"]]
    assert (atlas.team_key, atlas.team_name) == ("ATL", "Atlas")
    assert (atlas.ready_stories, atlas.ready_points) == (3, 14)
    assert (atlas.velocity, atlas.capacity) == (7.0, 20)
    assert (atlas.depth_iterations, atlas.depth_basis) == (2.0, "VELOCITY")
    assert atlas.held_session_ids == (w.sessions["S1"], w.sessions["S2"])
    assert atlas.last_held_at == at(2, 11)
    assert atlas.skipping is False
    assert atlas.skipped_weeks == (dt.date(2027, 1, 27), dt.date(2027, 2, 3))
    assert atlas.overloaded_sessions == (
        OverloadedSession(w.sessions["S1"], at(1, 22), 9, "Release crunch"),
    )
    assert atlas.sessions_without_tech == (w.sessions["S2"],)
    assert atlas.open_follow_ups == (
        _follow_up(w, "F1", FollowUpKind.QUESTION, "ATL-3", None, dt.date(2027, 2, 15), 7, True),
        _follow_up(w, "FQ", FollowUpKind.QUESTION, None, "PAY-1", dt.date(2027, 2, 22), 5, False),
        _follow_up(w, "I1", FollowUpKind.INCOMPLETE, "ATL-1", None, dt.date(2027, 2, 19), 3, False),
        _follow_up(w, "Q1", FollowUpKind.QUESTION, "ATL-1", None, dt.date(2027, 2, 25), 2, False),
        _follow_up(w, "F2", FollowUpKind.BLOCKED, "ATL-7", None, dt.date(2027, 2, 20), 1, False),
    )
    assert atlas.overdue_follow_ups == 1
    assert atlas.open_spikes == (
        OpenSpike(
            w.stories["ATL-6"].id,
            "ATL-6",
            "Story ATL-6",
            StoryStatus.BACKLOG,
            w.stories["ATL-4"].id,
            "ATL-4",
        ),
    )

    nova = found[w.teams["NOV"]]
    assert (nova.ready_stories, nova.ready_points, nova.velocity, nova.capacity) == (1, 3, None, 8)
    assert (nova.depth_iterations, nova.depth_basis) == (0.38, "CAPACITY")
    assert (nova.held_session_ids, nova.last_held_at, nova.skipping) == (
        (w.sessions["N1"],),
        at(1, 30),
        True,
    )
    assert nova.skipped_weeks == (dt.date(2027, 1, 20), dt.date(2027, 2, 3), dt.date(2027, 2, 10))
    assert (nova.overloaded_sessions, nova.sessions_without_tech) == ((), ())
    assert (nova.open_follow_ups, nova.open_spikes) == ((), ())

    orbit = found[w.teams["ORB"]]
    assert (orbit.ready_stories, orbit.ready_points, orbit.velocity, orbit.capacity) == (
        0,
        0,
        None,
        0,
    )
    assert (orbit.depth_iterations, orbit.depth_basis) == (None, "NONE")
    assert (orbit.held_session_ids, orbit.last_held_at, orbit.skipping) == ((), None, True)
    assert orbit.skipped_weeks == (
        dt.date(2027, 1, 20),
        dt.date(2027, 1, 27),
        dt.date(2027, 2, 3),
        dt.date(2027, 2, 10),
    )


async def test_team_health_of_no_teams(db: AsyncSession) -> None:
    assert await team_refinement_health(db, [], NOW) == {}


NO_DEPENDENCIES = Failure(
    ReadyRule.DEPENDENCIES_IDENTIFIED,
    "Dependencies are not identified: record them, or that there are none (dependenciesIdentified: true).",
)
NO_BENEFIT = Failure(
    ReadyRule.BENEFIT_HYPOTHESIS,
    "No benefit hypothesis: say what the feature should achieve and how to tell.",
)
NO_CRITERIA = Failure(ReadyRule.FEATURE_ACCEPTANCE_CRITERIA, "No acceptance criteria.")
NO_TEAM = Failure(ReadyRule.OWNING_TEAM, "No owning team named.")


async def test_art_health(db: AsyncSession) -> None:
    w = await build(db)
    view = await art_refinement_health(db, w.art, NOW)

    assert view.art_id == w.art
    assert [t.team_key for t in view.teams] == ["ATL", "NOV", "ORB"]
    totals = view.totals
    assert (
        totals.ready_stories,
        totals.ready_points,
        totals.held_sessions,
        totals.skipping_teams,
    ) == (4, 17, 3, 2)
    assert (totals.overloaded_sessions, totals.sessions_without_tech) == (1, 1)
    assert (totals.open_follow_ups, totals.overdue_follow_ups, totals.open_spikes) == (5, 1, 1)

    starts = [dt.date(2026, 12, 23) + dt.timedelta(days=7 * k) for k in range(8)]
    assert view.features_refined_per_week == tuple(
        WeekCount(s, n) for s, n in zip(starts, [0, 0, 0, 0, 0, 2, 0, 1], strict=True)
    )

    def waiting(
        key: str, state: FeatureState, wsjf: float | None, rank: int, *failures: Failure
    ) -> WaitingFeature:
        return WaitingFeature(w.features[key], key, f"Feature {key}", state, wsjf, rank, failures)

    unscored = "WSJF is not scored: user-business value, time criticality, risk reduction / opportunity enablement"
    assert view.features_waiting == (
        waiting("PAY-5", FeatureState.FUNNEL, 8.0, 30, NO_DEPENDENCIES),
        waiting(
            "PAY-6",
            FeatureState.ANALYZING,
            2.0,
            40,
            NO_BENEFIT,
            NO_CRITERIA,
            NO_TEAM,
            NO_DEPENDENCIES,
        ),
        waiting(
            "PAY-8",
            FeatureState.ANALYZING,
            None,
            50,
            NO_BENEFIT,
            NO_CRITERIA,
            Failure(ReadyRule.WSJF_SCORED, f"{unscored}, job size missing."),
            NO_TEAM,
            NO_DEPENDENCIES,
        ),
        waiting(
            "PAY-7",
            FeatureState.FUNNEL,
            None,
            60,
            NO_BENEFIT,
            NO_CRITERIA,
            Failure(ReadyRule.WSJF_SCORED, f"{unscored} missing."),
            NO_TEAM,
            NO_DEPENDENCIES,
        ),
    )

    assert view.attention == (
        TeamAttention(
            w.teams["NOV"],
            "NOV",
            11_000,
            ("No refinement held in 18 days", "Ready backlog covers 0.4 iterations"),
        ),
        TeamAttention(w.teams["ORB"], "ORB", 10_000, ("No refinement held yet",)),
        TeamAttention(
            w.teams["ATL"],
            "ATL",
            111,
            (
                "1 follow-up overdue",
                "1 session without a developer or tech lead",
                "1 session with more than 8 items on the agenda",
            ),
        ),
    )

    assert view.rework == (
        ReworkedStory(
            w.stories["ATL-2"].id,
            "ATL-2",
            w.teams["ATL"],
            at(1, 25),
            (
                ReworkChange(w.history["ATL-2 to XL"], at(2, 6), ("tshirt_size",)),
                ReworkChange(w.history["ATL-2 back to L"], at(2, 8), ("tshirt_size",)),
            ),
        ),
        ReworkedStory(
            w.stories["ATL-1"].id,
            "ATL-1",
            w.teams["ATL"],
            at(2, 1),
            (ReworkChange(w.history["ATL-1 criteria"], at(2, 5, 9), ("acceptance_criteria",)),),
        ),
    )


async def test_art_health_of_an_unknown_art(db: AsyncSession) -> None:
    with pytest.raises(DomainError) as raised:
        await art_refinement_health(db, 999_999, NOW)
    assert [(p.code, p.field) for p in raised.value.problems] == [(ErrorCode.NOT_FOUND, "art_id")]


def _end(w: World, kind: WorkItemType, key: str, team: str) -> ItemEnd:
    item_id = w.features[key] if kind is FEATURE else w.stories[key].id
    return ItemEnd(kind, item_id, key, w.teams[team], team)


def _dep(
    w: World,
    name: str,
    holder: ItemEnd,
    other: ItemEnd,
    health: Health,
    reason: str,
    kind: DependencyType = BLOCKS,
) -> PrepDependency:
    return PrepDependency(w.dependencies[name], kind, holder, other, health, reason)


async def test_prep_pack_of_a_team_session(db: AsyncSession) -> None:
    w = await build(db)
    cache = AnalysisCache()
    pack = await prep_pack(db, w.sessions["S3"], cache)

    atl1, atl4 = _end(w, STORY, "ATL-1", "ATL"), _end(w, STORY, "ATL-4", "ATL")
    pay1 = _end(w, FEATURE, "PAY-1", "ATL")
    pay1_needs_pay2 = _dep(
        w,
        "PAY-1 needs PAY-2",
        pay1,
        _end(w, FEATURE, "PAY-2", "NOV"),
        Health.RED,
        "PAY-1 (Team Atlas, Iteration 4) needs PAY-2 (Team Nova, not planned): PAY-2 is not planned.",
    )
    pay3_relates = _dep(
        w,
        "PAY-3 relates to PAY-1",
        pay1,
        _end(w, FEATURE, "PAY-3", "NOV"),
        Health.AMBER,
        "PAY-3 (Team Nova, Iteration 4) needs PAY-1 (Team Atlas, Iteration 4): both land in the same iteration.",
        RELATES,
    )
    gateway = TouchedComponent(w.components["Gateway"], "Gateway", w.teams["ATL"], "ATL")
    ledger = TouchedComponent(w.components["Ledger"], "Ledger", w.teams["NOV"], "NOV")

    assert (pack.session_id, pack.art_id, pack.team_id) == (w.sessions["S3"], w.art, w.teams["ATL"])
    assert (pack.title, pack.starts_at) == ("Atlas refinement", at(2, 16))
    first, second = pack.items
    assert first == PrepItem(
        first.agenda_item_id,
        1,
        STORY,
        atl4.id,
        w.features["PAY-1"],
        "ATL-4",
        "Story ATL-4",
        ("It works",),
        (
            pay1_needs_pay2,
            _dep(
                w,
                "ATL-4 needs NOV-3",
                atl4,
                _end(w, STORY, "NOV-3", "NOV"),
                Health.GREEN,
                "ATL-4 (Team Atlas, Iteration 4) needs NOV-3 (Team Nova, Iteration 3): NOV-3 comes first.",
            ),
        ),
        (pay3_relates,),
        (),
        (),
        (),
        (Failure(ReadyRule.NO_OPEN_STORY_SPIKE, "Waits on open spike ATL-6."),),
    )
    assert second == PrepItem(
        second.agenda_item_id,
        2,
        STORY,
        atl1.id,
        w.features["PAY-1"],
        "ATL-1",
        "Pay out faster",
        ("It works", "It is fast"),
        (
            _dep(
                w,
                "ATL-1 needs NOV-1",
                atl1,
                _end(w, STORY, "NOV-1", "NOV"),
                Health.AMBER,
                "ATL-1 (Team Atlas, Iteration 4) needs NOV-1 (Team Nova, Iteration 4): both land in the same iteration.",
            ),
            pay1_needs_pay2,
            _dep(
                w,
                "ATL-1 needs ATL-13",
                atl1,
                _end(w, STORY, "ATL-13", "ATL"),
                Health.DONE,
                "ATL-1 (Team Atlas, Iteration 4) needs ATL-13 (Team Atlas, Iteration 3): ATL-13 is done.",
            ),
        ),
        (
            _dep(
                w,
                "NOV-2 needs ATL-1",
                atl1,
                _end(w, STORY, "NOV-2", "NOV"),
                Health.RED,
                "NOV-2 (Team Nova, Iteration 3) needs ATL-1 (Team Atlas, Iteration 4): ATL-1 comes later than it is needed.",
            ),
            pay3_relates,
        ),
        (gateway, ledger),
        (
            PrepFollowUp(
                w.follow_ups["Q1"],
                FollowUpKind.QUESTION,
                "Q1 note",
                w.people["Sam"],
                dt.date(2027, 2, 25),
            ),
        ),
        (
            PrepFollowUp(
                w.follow_ups["I1"],
                FollowUpKind.INCOMPLETE,
                "I1 note",
                w.people["Sam"],
                dt.date(2027, 2, 19),
            ),
        ),
        (),
    )
    # The dependency health came from the cache: asking again analyses nothing, and the
    # board's dependency health reads the same cached analysis.
    misses = cache.misses
    assert await prep_pack(db, w.sessions["S3"], cache) == pack
    _, board = await analyses.dependency_health(db, ACTOR, cache, w.art)
    assert cache.misses == misses
    assert {h.dependency: h.health for h in board}[
        f"D{w.dependencies['ATL-1 needs NOV-1']}"
    ] is Health.AMBER


async def test_prep_pack_of_an_art_session(db: AsyncSession) -> None:
    w = await build(db)
    pack = await prep_pack(db, w.sessions["ART"], AnalysisCache())

    atl1, atl4 = _end(w, STORY, "ATL-1", "ATL"), _end(w, STORY, "ATL-4", "ATL")
    nov1, nov2, nov3 = (_end(w, STORY, k, "NOV") for k in ("NOV-1", "NOV-2", "NOV-3"))
    pay1, pay2 = _end(w, FEATURE, "PAY-1", "ATL"), _end(w, FEATURE, "PAY-2", "NOV")
    amber = "ATL-1 (Team Atlas, Iteration 4) needs NOV-1 (Team Nova, Iteration 4): both land in the same iteration."
    red_feature = "PAY-1 (Team Atlas, Iteration 4) needs PAY-2 (Team Nova, not planned): PAY-2 is not planned."
    green = (
        "ATL-4 (Team Atlas, Iteration 4) needs NOV-3 (Team Nova, Iteration 3): NOV-3 comes first."
    )
    red_story = "NOV-2 (Team Nova, Iteration 3) needs ATL-1 (Team Atlas, Iteration 4): ATL-1 comes later than it is needed."

    assert (pack.team_id, pack.title) == (None, "Payments program backlog refinement")
    first, second = pack.items
    assert first == PrepItem(
        first.agenda_item_id,
        1,
        FEATURE,
        None,
        pay2.id,
        "PAY-2",
        "Feature PAY-2",
        (),
        (_dep(w, "NOV-2 needs ATL-1", nov2, atl1, Health.RED, red_story),),
        (
            _dep(w, "ATL-1 needs NOV-1", nov1, atl1, Health.AMBER, amber),
            _dep(w, "PAY-1 needs PAY-2", pay2, pay1, Health.RED, red_feature),
            _dep(w, "ATL-4 needs NOV-3", nov3, atl4, Health.GREEN, green),
        ),
        (),
        (),
        (),
        (
            NO_BENEFIT,
            NO_CRITERIA,
            Failure(
                ReadyRule.WSJF_SCORED,
                "WSJF is not scored: user-business value, time criticality, risk reduction / opportunity enablement, job size missing.",
            ),
            NO_DEPENDENCIES,
        ),
    )
    assert second == PrepItem(
        second.agenda_item_id,
        2,
        FEATURE,
        None,
        pay1.id,
        "PAY-1",
        "Feature PAY-1",
        ("Payouts in a day",),
        (
            _dep(w, "ATL-1 needs NOV-1", atl1, nov1, Health.AMBER, amber),
            _dep(w, "PAY-1 needs PAY-2", pay1, pay2, Health.RED, red_feature),
            _dep(w, "ATL-4 needs NOV-3", atl4, nov3, Health.GREEN, green),
        ),
        (
            _dep(w, "NOV-2 needs ATL-1", atl1, nov2, Health.RED, red_story),
            _dep(
                w,
                "PAY-3 relates to PAY-1",
                pay1,
                _end(w, FEATURE, "PAY-3", "NOV"),
                Health.AMBER,
                "PAY-3 (Team Nova, Iteration 4) needs PAY-1 (Team Atlas, Iteration 4): both land in the same iteration.",
                RELATES,
            ),
        ),
        (
            TouchedComponent(w.components["Gateway"], "Gateway", w.teams["ATL"], "ATL"),
            TouchedComponent(w.components["Ledger"], "Ledger", w.teams["NOV"], "NOV"),
        ),
        (
            PrepFollowUp(
                w.follow_ups["FQ"],
                FollowUpKind.QUESTION,
                "FQ note",
                w.people["Sam"],
                dt.date(2027, 2, 22),
            ),
        ),
        (),
        (Failure(ReadyRule.NO_OPEN_FEATURE_SPIKE, "Open spike ATL-6: finish it first."),),
    )


async def test_prep_pack_of_an_unknown_session(db: AsyncSession) -> None:
    with pytest.raises(DomainError) as raised:
        await prep_pack(db, 999_999, AnalysisCache())
    assert [(p.code, p.field) for p in raised.value.problems] == [(ErrorCode.NOT_FOUND, "id")]


async def _uniform_team(db: AsyncSession, w: World, n: int) -> int:
    """A team like every other: a developer, a ready and a done story, a spike, a closed
    session with an agenda, an open follow-up."""
    key = f"T{n}"
    await _team(db, w, key, f"Team {n}")
    await _person(db, w, f"Dev{n}", key, Role.DEVELOPER)
    await _feature(db, w, f"PAY-{n}", planning_interval_id=w.pi)
    ready = await _story(
        db, w, f"{key}-1", f"PAY-{n}", key, points=3, iteration=4, acceptance_criteria=["ok"]
    )
    done = await _story(
        db, w, f"{key}-2", f"PAY-{n}", key, points=5, iteration=1, status=StoryStatus.DONE
    )
    await _story(
        db,
        w,
        f"{key}-3",
        f"PAY-{n}",
        key,
        kind=StoryKind.SPIKE,
        spike_timebox_days=2,
        points=1,
        spike_for_story_id=done.id,
    )
    await _session(db, w, key, key, at(2, 11), [f"Dev{n}"], SessionStatus.CLOSED, [ready.id])
    await _flag(
        db,
        w,
        key,
        FollowUpKind.QUESTION,
        at(2, 12),
        dt.date(2027, 2, 20),
        story=f"{key}-1",
        owner=f"Dev{n}",
    )
    return w.teams[key]


async def test_team_health_statements_do_not_grow_with_teams(
    db: AsyncSession, engine: AsyncEngine
) -> None:
    w = World()
    await _art_and_pi(db, w)
    ids = [await _uniform_team(db, w, n) for n in range(1, 7)]
    await db.flush()
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    counts = []
    for chosen in (ids[:2], ids):
        statements.clear()
        event.listen(engine.sync_engine, "before_cursor_execute", record)
        try:
            found = await team_refinement_health(db, chosen, NOW)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", record)
        assert [
            (
                t.ready_points,
                t.velocity,
                t.capacity,
                len(t.held_session_ids),
                len(t.open_follow_ups),
                len(t.open_spikes),
            )
            for t in (found[i] for i in chosen)
        ] == [(3, 1.67, 8, 1, 1, 1)] * len(chosen)
        counts.append(len(statements))
    assert counts[0] == counts[1]

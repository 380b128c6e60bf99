"""The demo ART seed: exact contents, idempotence, the planning rules it keeps, the real CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections import Counter
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from schema.cli import main
from services.demo import DemoSummary, seed_demo_into
from services.enums import (
    DependencyType,
    EnablerType,
    FeatureKind,
    FeatureState,
    IterationKind,
    MilestoneKind,
    Role,
    StoryKind,
    StoryStatus,
)
from services.models import (
    Art,
    Component,
    Dependency,
    Feature,
    FeatureComponent,
    Iteration,
    Membership,
    Milestone,
    Person,
    PlanningInterval,
    Story,
    StoryComponent,
    Team,
)
from services.scales import SPIKE_TIMEBOX_DAYS, STORY_POINT_SCALE, WSJF_SCALE

EXPECTED = DemoSummary(
    art_key="SHOP",
    created=True,
    teams=8,
    people=58,
    features=40,
    stories=294,
    spikes=25,
    components=8,
    dependencies=60,
    cross_team_dependencies=26,
    conflicting_dependencies=5,
    milestones=4,
)
ROLES = {
    Role.RTE: 1,
    Role.PRODUCT_MANAGER: 2,
    Role.SYSTEM_ARCHITECT: 1,
    Role.BUSINESS_OWNER: 2,
    Role.SCRUM_MASTER: 8,
    Role.PRODUCT_OWNER: 8,
    Role.TECH_LEAD: 8,
    Role.DEVELOPER: 19,
    Role.TESTER: 5,
    Role.SME: 4,
}
FEATURE_STATES = {
    FeatureState.FUNNEL: 2,
    FeatureState.ANALYZING: 2,
    FeatureState.BACKLOG: 13,
    FeatureState.IMPLEMENTING: 17,
    FeatureState.VALIDATING: 3,
    FeatureState.DONE: 3,
}
ENABLER_TYPES = {
    None: 30,
    EnablerType.EXPLORATION: 2,
    EnablerType.ARCHITECTURAL: 3,
    EnablerType.INFRASTRUCTURE: 3,
    EnablerType.COMPLIANCE: 2,
}
STORY_KINDS = {StoryKind.USER_STORY: 156, StoryKind.ENABLER: 113, StoryKind.SPIKE: 25}
TABLES: tuple[Any, ...] = (
    Art,
    Team,
    Person,
    Membership,
    PlanningInterval,
    Iteration,
    Milestone,
    Component,
    Feature,
    FeatureComponent,
    Story,
    StoryComponent,
    Dependency,
)
TODAY = dt.date(2027, 3, 10)  # a Wednesday: the PI starts on Monday 15 February


async def table_counts(db: AsyncSession) -> dict[str, int]:
    return {
        model.__tablename__: int(await db.scalar(select(func.count()).select_from(model)) or 0)
        for model in TABLES
    }


async def grouped(db: AsyncSession, column: Any) -> dict[Any, int]:
    rows = await db.execute(select(column, func.count()).group_by(column))
    return {row[0]: row[1] for row in rows}


async def dependency_ends(
    db: AsyncSession,
) -> list[tuple[tuple[int | None, int | None], tuple[int | None, int | None]]]:
    """Each dependency as ((team, iteration index) of the dependent, same of the prerequisite)."""
    index = {row[0]: row[1] for row in await db.execute(select(Iteration.id, Iteration.index))}
    features = {
        fid: (team, index.get(it) if it else None)
        for fid, team, it in await db.execute(
            select(Feature.id, Feature.owning_team_id, Feature.iteration_id)
        )
    }
    stories = {
        sid: (team, index.get(it) if it else None)
        for sid, team, it in await db.execute(select(Story.id, Story.team_id, Story.iteration_id))
    }

    def end(feature_id: int | None, story_id: int | None) -> tuple[int | None, int | None]:
        return features[feature_id] if feature_id is not None else stories[story_id or 0]

    return [
        (
            end(d.dependent_feature_id, d.dependent_story_id),
            end(d.prerequisite_feature_id, d.prerequisite_story_id),
        )
        for d in await db.scalars(select(Dependency))
    ]


async def test_seed_creates_the_designed_art(db: AsyncSession) -> None:
    assert set((await table_counts(db)).values()) == {0}

    assert await seed_demo_into(db) == EXPECTED

    counts = await table_counts(db)
    links = counts.pop("feature_components"), counts.pop("story_components")
    assert counts == {
        "arts": 1,
        "teams": 8,
        "people": 58,
        "memberships": 58,
        "planning_intervals": 1,
        "iterations": 5,
        "milestones": 4,
        "components": 8,
        "features": 40,
        "stories": 294,
        "dependencies": 60,
    }
    assert links[0] > 40
    assert links[1] > 200
    assert await grouped(db, Membership.role) == ROLES
    assert await grouped(db, Team.is_shared_services) == {False: 6, True: 2}
    assert await grouped(db, Feature.kind) == {FeatureKind.BUSINESS: 30, FeatureKind.ENABLER: 10}
    assert await grouped(db, Feature.enabler_type) == ENABLER_TYPES
    assert await grouped(db, Feature.state) == FEATURE_STATES
    assert await grouped(db, Story.kind) == STORY_KINDS
    assert await grouped(db, Story.is_blocked) == {False: 288, True: 6}
    assert await grouped(db, Dependency.type) == {
        DependencyType.BLOCKS: 49,
        DependencyType.RELATES: 11,
    }
    assert await grouped(db, Component.art_id.is_(None)) == {False: 6, True: 2}
    ends = await dependency_ends(db)
    cross = [(d, p) for d, p in ends if d[0] != p[0]]
    conflicts = [(d, p) for d, p in ends if d[1] is not None and (p[1] is None or p[1] > d[1])]
    assert (len(ends), len(cross), len(conflicts)) == (60, 26, 5)


async def test_seeding_twice_writes_nothing(db: AsyncSession) -> None:
    first = await seed_demo_into(db)
    before = await table_counts(db)

    second = await seed_demo_into(db)

    assert first == EXPECTED
    assert second == dataclasses.replace(EXPECTED, created=False)
    assert await table_counts(db) == before


async def test_the_demo_keeps_the_planning_rules(db: AsyncSession) -> None:
    await seed_demo_into(db, today=TODAY)

    art = (await db.scalars(select(Art))).one()
    pi = (await db.scalars(select(PlanningInterval))).one()
    iterations = {it.id: it for it in await db.scalars(select(Iteration))}
    assert (pi.art_id, pi.name, pi.start_date, pi.end_date) == (
        art.id,
        "PI 2027.1",
        dt.date(2027, 2, 15),
        dt.date(2027, 4, 23),
    )
    assert sorted(
        (it.index, it.start_date, it.end_date, it.kind) for it in iterations.values()
    ) == [
        (1, dt.date(2027, 2, 15), dt.date(2027, 2, 26), IterationKind.REGULAR),
        (2, dt.date(2027, 3, 1), dt.date(2027, 3, 12), IterationKind.REGULAR),
        (3, dt.date(2027, 3, 15), dt.date(2027, 3, 26), IterationKind.REGULAR),
        (4, dt.date(2027, 3, 29), dt.date(2027, 4, 9), IterationKind.REGULAR),
        (5, dt.date(2027, 4, 12), dt.date(2027, 4, 23), IterationKind.IP),
    ]
    assert sorted((m.date, m.kind) for m in await db.scalars(select(Milestone))) == [
        (dt.date(2027, 2, 15), MilestoneKind.PI_PLANNING),
        (dt.date(2027, 3, 12), MilestoneKind.SYSTEM_DEMO),
        (dt.date(2027, 3, 31), MilestoneKind.EXTERNAL_DEADLINE),
        (dt.date(2027, 4, 9), MilestoneKind.RELEASE),
    ]

    teams = {t.id: t for t in await db.scalars(select(Team))}
    assert {t.art_id for t in teams.values()} == {art.id}
    team_sizes = Counter(m.team_id for m in await db.scalars(select(Membership)) if m.team_id)
    assert all(5 <= size <= 8 for size in team_sizes.values())
    assert len(team_sizes) == 8
    emails = list(await db.scalars(select(Person.email)))
    assert len(set(emails)) == 58
    assert all(e.endswith("@demo.trainyard") for e in emails)

    features = {f.id: f for f in await db.scalars(select(Feature))}
    for f in features.values():
        assert f.key.startswith("SHOP-")
        assert f.benefit_hypothesis
        assert f.owning_team_id in teams
        inputs = (f.user_business_value, f.time_criticality, f.risk_reduction, f.job_size)
        assert all(value in WSJF_SCALE for value in inputs)
        assert (f.kind is FeatureKind.ENABLER) == (f.enabler_type is not None)
        if f.state in {FeatureState.FUNNEL, FeatureState.ANALYZING}:
            assert f.planning_interval_id is None
            assert f.iteration_id is None
        else:
            assert f.planning_interval_id == pi.id
            assert f.acceptance_criteria
            assert f.iteration_id is not None
            assert iterations[f.iteration_id].kind is IterationKind.REGULAR

    in_ip: Counter[StoryKind] = Counter()
    by_iteration: dict[int | None, Counter[StoryStatus]] = {}
    story_features: dict[int, int] = {}
    for s in await db.scalars(select(Story)):
        story_features[s.id] = s.feature_id
        assert s.team_id in teams
        assert s.key.startswith(f"{teams[s.team_id].key}-")
        assert s.points is None or s.tshirt_size is None
        assert s.points is None or s.points in STORY_POINT_SCALE
        if s.points is None and s.tshirt_size is None:
            assert s.refinement_tag == "refine-next"
            assert s.kind is not StoryKind.SPIKE
        if s.kind is StoryKind.SPIKE:
            low, high = SPIKE_TIMEBOX_DAYS
            assert s.spike_timebox_days is not None
            assert low <= s.spike_timebox_days <= high
        assert s.is_blocked == bool(s.blocked_reason)
        index = None
        if s.iteration_id is not None:
            iteration = iterations[s.iteration_id]
            index = iteration.index
            assert iteration.planning_interval_id == features[s.feature_id].planning_interval_id
            if iteration.kind is IterationKind.IP:
                in_ip[s.kind] += 1
        by_iteration.setdefault(index, Counter())[s.status] += 1
    assert in_ip == {StoryKind.ENABLER: 4}
    assert set(by_iteration[1]) == {StoryStatus.DONE, StoryStatus.IN_REVIEW}
    for later in (4, 5, None):
        assert set(by_iteration[later]) == {StoryStatus.BACKLOG}

    def end(feature_id: int | None, story_id: int | None) -> tuple[str, int]:
        return ("F", feature_id) if feature_id is not None else ("S", story_id or 0)

    def family(item: tuple[str, int]) -> int:
        return item[1] if item[0] == "F" else story_features[item[1]]

    graph: dict[tuple[str, int], set[tuple[str, int]]] = {}
    for d in await db.scalars(select(Dependency)):
        dependent = end(d.dependent_feature_id, d.dependent_story_id)
        prerequisite = end(d.prerequisite_feature_id, d.prerequisite_story_id)
        assert dependent != prerequisite
        if dependent[0] != prerequisite[0]:  # never a feature and one of its own stories
            assert family(dependent) != family(prerequisite)
        graph.setdefault(dependent, set()).add(prerequisite)
        if d.needed_by_iteration_id is not None:
            assert iterations[d.needed_by_iteration_id].planning_interval_id == pi.id
    list(TopologicalSorter(graph).static_order())  # raises CycleError on a cycle


def test_cli_seed_twice_on_a_fresh_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.db"
    monkeypatch.setenv("TRAINYARD_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.delenv("TRAINYARD_HOST", raising=False)
    monkeypatch.delenv("TRAINYARD_PORT", raising=False)

    outputs = []
    for _ in range(2):
        assert main(["seed"]) == 0
        outputs.append(capsys.readouterr().out)
        with sqlite3.connect(path) as connection:
            counts = [
                connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("arts", "features", "stories", "dependencies")
            ]
        assert counts == [1, 40, 294, 60]

    assert outputs[0].startswith("Seeded the demo ART SHOP: 8 teams, 58 people, 40 features")
    assert outputs[1].startswith("The demo ART SHOP is already there; nothing was added.")
    for out in outputs:
        assert "294 stories (25 spikes)" in out
        assert "(26 cross-team, 5 in conflict)" in out
        assert out.rstrip().endswith("Open http://127.0.0.1:8000/graphql")

"""The demo ART seed: exact contents, idempotence, the planning rules it keeps, the demo
accounts and read-only token, the real CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import sqlite3
from collections import Counter
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from schema.cli import main
from services import accounts, tokens
from services.demo import DemoSummary, seed_demo_into
from services.demo.summary import DemoAccount
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
    TokenScope,
)
from services.models import (
    ApiToken,
    Art,
    Component,
    Dependency,
    Feature,
    FeatureComponent,
    HistoryEntry,
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

PASSWORD = "trainyard-demo-2026"
ADMIN = "admin@demo.trainyard"
# email -> (role, team key; None for a role in the ART)
SIGN_IN: dict[str, tuple[Role, str | None]] = {
    "marta.kowalski@demo.trainyard": (Role.RTE, None),
    "daniel.okafor@demo.trainyard": (Role.PRODUCT_MANAGER, None),
    "rahul.mehta@demo.trainyard": (Role.SYSTEM_ARCHITECT, None),
    "catherine.moore@demo.trainyard": (Role.BUSINESS_OWNER, None),
    "teresa.alves@demo.trainyard": (Role.VIEWER, None),
    "hannah.becker@demo.trainyard": (Role.SCRUM_MASTER, "CHK"),
    "omar.haddad@demo.trainyard": (Role.PRODUCT_OWNER, "CHK"),
    "priya.nair@demo.trainyard": (Role.DEVELOPER, "CHK"),
}
ACCOUNTS = (
    DemoAccount(ADMIN, "Portfolio admin (may do everything)"),
    DemoAccount("marta.kowalski@demo.trainyard", "Release Train Engineer, ART SHOP"),
    DemoAccount("daniel.okafor@demo.trainyard", "Product Manager, ART SHOP"),
    DemoAccount("rahul.mehta@demo.trainyard", "System Architect, ART SHOP"),
    DemoAccount("catherine.moore@demo.trainyard", "Business Owner, ART SHOP"),
    DemoAccount("teresa.alves@demo.trainyard", "Viewer (read-only), ART SHOP"),
    DemoAccount("hannah.becker@demo.trainyard", "Scrum Master, team Checkout"),
    DemoAccount("omar.haddad@demo.trainyard", "Product Owner, team Checkout"),
    DemoAccount("priya.nair@demo.trainyard", "Developer, team Checkout"),
)
EXPECTED = DemoSummary(
    art_key="SHOP",
    created=True,
    teams=8,
    people=59,  # everyone with a role in the ART; the portfolio admin has none
    features=40,
    stories=294,
    spikes=25,
    components=8,
    dependencies=60,
    cross_team_dependencies=26,
    conflicting_dependencies=5,
    milestones=4,
    accounts=ACCOUNTS,
    accounts_added=True,
    token_secret=None,  # random: checked on its own
)
ROLES = {
    Role.RTE: 1,
    Role.PRODUCT_MANAGER: 2,
    Role.SYSTEM_ARCHITECT: 1,
    Role.BUSINESS_OWNER: 2,
    Role.VIEWER: 1,
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
    ApiToken,
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


def without_secret(summary: DemoSummary) -> DemoSummary:
    """The summary with the token secret checked and taken out (it is random)."""
    assert summary.token_secret is None or re.fullmatch(r"ty_[\w-]{43}", summary.token_secret)
    return dataclasses.replace(summary, token_secret=None)


async def test_seed_creates_the_designed_art(db: AsyncSession) -> None:
    assert set((await table_counts(db)).values()) == {0}

    summary = await seed_demo_into(db)

    assert summary.token_secret is not None
    assert without_secret(summary) == EXPECTED

    counts = await table_counts(db)
    links = counts.pop("feature_components"), counts.pop("story_components")
    assert counts == {
        "arts": 1,
        "teams": 8,
        "people": 60,  # the 59 of the ART and the portfolio admin
        "memberships": 59,
        "planning_intervals": 1,
        "iterations": 5,
        "milestones": 4,
        "components": 8,
        "features": 40,
        "stories": 294,
        "dependencies": 60,
        "api_tokens": 1,
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


async def password_hashes(db: AsyncSession) -> dict[str, str | None]:
    return {row[0]: row[1] for row in await db.execute(select(Person.email, Person.password_hash))}


async def history_count(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(HistoryEntry)) or 0)


async def test_seeding_twice_writes_nothing(db: AsyncSession) -> None:
    first = await seed_demo_into(db)
    before = await table_counts(db), await history_count(db), await password_hashes(db)

    second = await seed_demo_into(db)

    assert first.token_secret is not None
    assert without_secret(first) == EXPECTED
    assert second == dataclasses.replace(EXPECTED, created=False, accounts_added=False)
    assert second.token_secret is None
    assert (await table_counts(db), await history_count(db), await password_hashes(db)) == before

    # The admin's read-only token: created by the first run only, found with its secret.
    art = (await db.scalars(select(Art))).one()
    token = (await db.scalars(select(ApiToken))).one()
    admin_id = await db.scalar(select(Person.id).where(Person.email == ADMIN))
    assert (token.person_id, token.created_by_id, token.name) == (
        admin_id,
        None,
        "Demo read-only token",
    )
    assert (token.scope, token.art_ids, token.revoked_at, token.expires_at) == (
        TokenScope.READ,
        [art.id],
        None,
        None,
    )
    assert first.token_secret is not None
    found = await tokens.resolve_token(db, first.token_secret)
    assert found is not None
    assert (found[0].id, found[1].email) == (token.id, ADMIN)
    actor = await tokens.actor_for_token(db, *found)
    assert (actor.may_write, actor.visible_art_ids()) == (False, frozenset({art.id}))


async def test_the_demo_accounts_sign_in(db: AsyncSession) -> None:
    summary = await seed_demo_into(db)
    art = (await db.scalars(select(Art))).one()
    team_ids = {t.key: t.id for t in await db.scalars(select(Team))}

    admin = (await db.scalars(select(Person).where(Person.email == ADMIN))).one()
    assert (admin.name, admin.is_admin, admin.archived_at) == ("Demo Admin", True, None)
    assert list(await db.scalars(select(Membership).where(Membership.person_id == admin.id))) == []
    assert await db.scalar(select(func.count()).where(Person.is_admin)) == 1
    hashes = await password_hashes(db)
    assert {email for email, hashed in hashes.items() if hashed} == {ADMIN, *SIGN_IN}
    assert [a.email for a in summary.accounts] == [ADMIN, *SIGN_IN]
    for email, (role, team) in SIGN_IN.items():
        person = (await db.scalars(select(Person).where(Person.email == email))).one()
        assert not person.is_admin
        roles = {
            (m.role, m.art_id, m.team_id)
            for m in await db.scalars(select(Membership).where(Membership.person_id == person.id))
        }
        expected = (art.id, None) if team is None else (None, team_ids[team])
        assert roles == {(role, *expected)}, email
    for email in (ADMIN, *SIGN_IN):
        signed_in = await accounts.sign_in(db, email, PASSWORD, client="test")
        assert signed_in.person.email == email
    with pytest.raises(accounts.SignInRefused):
        await accounts.sign_in(db, "tom.fischer@demo.trainyard", PASSWORD, client="test")


async def test_an_older_demo_gets_its_accounts(db: AsyncSession) -> None:
    """A database seeded before there were demo accounts gets them on its next seed, once."""
    await seed_demo_into(db)
    viewer = select(Person.id).where(Person.email == "teresa.alves@demo.trainyard")
    await db.execute(delete(ApiToken))
    await db.execute(delete(Membership).where(Membership.person_id.in_(viewer)))
    await db.execute(delete(Person).where(Person.email.in_([ADMIN, "teresa.alves@demo.trainyard"])))
    await db.execute(update(Person).values(password_hash=None))
    before = await table_counts(db)

    upgraded = await seed_demo_into(db)
    again = await seed_demo_into(db)

    assert upgraded.token_secret is not None
    assert without_secret(upgraded) == dataclasses.replace(EXPECTED, created=False)
    assert again == dataclasses.replace(EXPECTED, created=False, accounts_added=False)
    after = await table_counts(db)
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == {
        "people": 2,
        "memberships": 1,
        "api_tokens": 1,
    }
    hashes = await password_hashes(db)
    assert {email for email, hashed in hashes.items() if hashed} == {ADMIN, *SIGN_IN}
    for email in (ADMIN, *SIGN_IN):
        await accounts.sign_in(db, email, PASSWORD, client="test")


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
    assert len(set(emails)) == 60
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
                for table in ("arts", "features", "stories", "dependencies", "api_tokens")
            ]
        assert counts == [1, 40, 294, 60, 1]

    assert outputs[0].startswith("Seeded the demo ART SHOP: 8 teams, 59 people, 40 features")
    assert outputs[1].startswith("The demo ART SHOP is already there; nothing was added.")
    for out in outputs:
        assert "294 stories (25 spikes)" in out
        assert "(26 cross-team, 5 in conflict)" in out
        assert out.rstrip().endswith("Open http://127.0.0.1:8000/graphql")
        assert (
            "Sign in at http://127.0.0.1:8000/ as any of these, with the password trainyard-demo-2026:"
            in out
        )
        assert "  admin@demo.trainyard            Portfolio admin (may do everything)\n" in out
        assert "  priya.nair@demo.trainyard       Developer, team Checkout\n" in out

    secrets = re.findall(r"ty_[\w-]{43}", outputs[0])
    assert len(set(secrets)) == 1
    secret = secrets[0]
    assert f"\n  {secret}\n" in outputs[0]
    assert f"curl -H 'Authorization: Bearer {secret}' " in outputs[0]
    with sqlite3.connect(path) as connection:
        stored = connection.execute("SELECT token_hash, scope FROM api_tokens").fetchall()
    assert stored == [(hashlib.sha256(secret.encode()).hexdigest(), "READ")]
    assert re.findall(r"ty_[\w-]+", outputs[1]) == []
    assert (
        "  trainyard token create --email admin@demo.trainyard --scope read --art SHOP\n"
        in outputs[1]
    )
    assert "curl -H 'Authorization: Bearer <token>' " in outputs[1]

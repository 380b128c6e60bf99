"""The demo ART seed: exact contents, idempotence, the planning rules it keeps, the demo
accounts and read-only token, the real CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import sqlite3
import zoneinfo
from collections import Counter
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from schema.transport.cli import main
from services.access import accounts, tokens
from services.core.enums import (
    DependencyType,
    EnablerType,
    FeatureKind,
    FeatureState,
    FollowUpKind,
    HistoryAction,
    IterationKind,
    MilestoneKind,
    ReadyRule,
    RefinementEventKind,
    Role,
    SessionStatus,
    StoryKind,
    StoryStatus,
    TokenScope,
)
from services.core.scales import SPIKE_TIMEBOX_DAYS, STORY_POINT_SCALE, WSJF_SCALE
from services.demo import DemoSummary, seed_demo_into
from services.demo.plan import make_plan
from services.demo.summary import DemoAccount
from services.models import (
    AgendaItem,
    ApiToken,
    Art,
    Component,
    Dependency,
    Feature,
    FeatureComponent,
    FollowUp,
    HistoryEntry,
    Iteration,
    Membership,
    Milestone,
    Person,
    PlanningInterval,
    RefinementEvent,
    RefinementSchedule,
    RefinementSession,
    SessionParticipant,
    Story,
    StoryComponent,
    Team,
)
from services.work import readiness

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
    stories=298,  # the plan's 294 and the 4 spikes refinement found
    spikes=29,
    components=8,
    dependencies=60,
    cross_team_dependencies=26,
    conflicting_dependencies=5,
    milestones=4,
    held_refinements=27,
    open_follow_ups=12,
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
STORY_KINDS = {StoryKind.USER_STORY: 156, StoryKind.ENABLER: 113, StoryKind.SPIKE: 29}
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
    RefinementSchedule,
    RefinementSession,
    SessionParticipant,
    AgendaItem,
    FollowUp,
    RefinementEvent,
)
TODAY = dt.date(2027, 3, 10)  # a Wednesday: the PI starts on Monday 15 February


class TeamRefinement(NamedTuple):
    weekday: int
    starts: dt.time  # Europe/Berlin
    timebox: int
    held: int
    cancelled: int
    last_held_days_ago: int
    next_session: dt.datetime  # Europe/Berlin


# Seeded as of TODAY (Wednesday 10 March 2027).
TEAM_REFINEMENT = {
    "CHK": TeamRefinement(1, dt.time(10), 75, 4, 0, 1, dt.datetime(2027, 3, 16, 10)),
    "PAY": TeamRefinement(3, dt.time(14), 90, 3, 0, 6, dt.datetime(2027, 3, 11, 14)),
    "SRCH": TeamRefinement(0, dt.time(10, 30), 60, 3, 1, 2, dt.datetime(2027, 3, 15, 10, 30)),
    "CAT": TeamRefinement(4, dt.time(13), 60, 3, 0, 5, dt.datetime(2027, 3, 12, 13)),
    "FUL": TeamRefinement(0, dt.time(14), 60, 2, 2, 16, dt.datetime(2027, 3, 15, 14)),
    "LOY": TeamRefinement(4, dt.time(14), 60, 3, 0, 5, dt.datetime(2027, 3, 12, 14)),
    "PLAT": TeamRefinement(1, dt.time(10), 90, 3, 0, 1, dt.datetime(2027, 3, 16, 10)),
    "DATA": TeamRefinement(0, dt.time(10), 60, 3, 0, 2, dt.datetime(2027, 3, 15, 10)),
}
# The next session's proposed agenda; * left over from the session before.
NEXT_AGENDAS = {
    "ART": ["SHOP-139*", "SHOP-132", "SHOP-131", "SHOP-120"],
    "CHK": ["CHK-118*", "CHK-104", "CHK-108", "CHK-111", "CHK-109", "CHK-121", "CHK-145"],
    "PAY": [
        "PAY-137*",
        "PAY-106",
        "PAY-123",
        "PAY-133",
        "PAY-135",
        "PAY-138",
        "PAY-129",
        "PAY-140",
    ],
    "SRCH": ["SRCH-113*", "SRCH-128", "SRCH-114", "SRCH-137", "SRCH-138", "SRCH-117"],
    "CAT": ["CAT-114", "CAT-117", "CAT-118", "CAT-130", "CAT-133", "CAT-135"],
    "FUL": ["FUL-120", "FUL-122", "FUL-124", "FUL-137", "FUL-139", "FUL-101"],
    "LOY": ["LOY-116*", "LOY-117*", "LOY-109*", "LOY-118", "LOY-107", "LOY-111"],
    "PLAT": [
        "PLAT-113*",
        "PLAT-116*",
        "PLAT-138",
        "PLAT-139",
        "PLAT-130",
        "PLAT-131",
        "PLAT-133",
        "PLAT-109",
    ],
    "DATA": ["DATA-117*", "DATA-113", "DATA-120", "DATA-102", "DATA-108", "DATA-114"],
}
# Item flagged: kind, owner, due date, resolved?
FOLLOW_UPS = {
    "CHK-104": (FollowUpKind.BLOCKED, "Omar Haddad", dt.date(2027, 3, 15), False),
    "CHK-125": (FollowUpKind.QUESTION, "Lucas Moreau", dt.date(2027, 3, 5), True),
    "PAY-106": (FollowUpKind.BLOCKED, "Martin Novák", dt.date(2027, 3, 8), False),
    "PAY-133": (FollowUpKind.BLOCKED, "Samuel Adeyemi", dt.date(2027, 3, 6), False),
    "PAY-141": (FollowUpKind.BLOCKED, "Grace Kim", dt.date(2027, 3, 6), True),
    "SRCH-133": (FollowUpKind.BLOCKED, "Maya Goldberg", dt.date(2027, 3, 13), False),
    "CAT-130": (FollowUpKind.BLOCKED, "Lena Hartmann", dt.date(2027, 3, 14), False),
    "CAT-114": (FollowUpKind.INCOMPLETE, "David Cohen", dt.date(2027, 3, 9), False),
    "FUL-106": (FollowUpKind.BLOCKED, "Fatima Zahra", dt.date(2027, 3, 4), False),
    "FUL-101": (FollowUpKind.QUESTION, "Lukas Bauer", dt.date(2027, 3, 7), False),
    "LOY-111": (FollowUpKind.QUESTION, "Benjamin Roth", dt.date(2027, 3, 12), False),
    "PLAT-120": (FollowUpKind.INCOMPLETE, "Jakub Wiśniewski", dt.date(2027, 3, 7), True),
    "DATA-113": (FollowUpKind.INCOMPLETE, "Tariq Aziz", dt.date(2027, 3, 8), False),
    "SHOP-125": (FollowUpKind.QUESTION, "Rahul Mehta", dt.date(2027, 2, 18), True),
    "SHOP-120": (FollowUpKind.INCOMPLETE, "Sophie Laurent", dt.date(2027, 3, 17), False),
    "SHOP-131": (FollowUpKind.QUESTION, "Daniel Okafor", dt.date(2027, 3, 9), False),
}
OVERDUE = {"PAY-106", "PAY-133", "CAT-114", "FUL-106", "FUL-101", "DATA-113", "SHOP-131"}
# Spike: the story whose unknown it resolves, timebox days, points.
SPIKES = {
    "PAY-149": ("PAY-135", 3, 2),
    "PAY-150": ("PAY-123", 2, 1),
    "FUL-141": ("FUL-137", 2, 2),
    "PLAT-140": ("PLAT-133", 3, 2),
}
FEATURES_REFINED = {  # week (Monday): features out of analysis into the backlog that week
    dt.date(2027, 2, 15): ["SHOP-137", "SHOP-140"],
    dt.date(2027, 2, 22): ["SHOP-134"],
    dt.date(2027, 3, 1): ["SHOP-102"],
}
REWORKED = ["CHK-124", "CHK-126", "DATA-115", "PAY-111", "PLAT-121"]
# Clarified in refinement, not estimated yet: criteria drafted where the plan has none.
CLARIFIED = {
    "CAT-114",
    "DATA-102",
    "DATA-113",
    "DATA-120",
    "LOY-111",
    "LOY-114",
    "LOY-115",
    "LOY-118",
    "PLAT-109",
}


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
        "stories": 298,
        "dependencies": 60,
        "api_tokens": 1,
        "refinement_schedules": 8,
        "refinement_sessions": 39,
        "refinement_participants": 203,
        "refinement_agenda_items": 209,
        "follow_ups": 16,
        "refinement_events": 641,
    }
    # The features' component codes in services/demo/data.py (38 features name 67), and one
    # component for each of the 298 - 29 stories that are no spike: of its feature's components
    # the one its team owns (no team owns two of one feature's), else the feature's first.
    assert links == (67, 269)
    assert await grouped(db, Membership.role) == ROLES
    assert await grouped(db, Team.is_shared_services) == {False: 6, True: 2}
    assert await grouped(db, Feature.kind) == {FeatureKind.BUSINESS: 30, FeatureKind.ENABLER: 10}
    assert await grouped(db, Feature.enabler_type) == ENABLER_TYPES
    assert await grouped(db, Feature.state) == FEATURE_STATES
    assert await grouped(db, Story.kind) == STORY_KINDS
    assert await grouped(db, Story.is_blocked) == {False: 292, True: 6}
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
    team_sizes = Counter(
        teams[m.team_id].key for m in await db.scalars(select(Membership)) if m.team_id
    )
    # data.TEAM_PEOPLE, one member a name
    assert team_sizes == {
        "CHK": 7,
        "PAY": 8,
        "SRCH": 6,
        "CAT": 6,
        "FUL": 7,
        "LOY": 5,
        "PLAT": 7,
        "DATA": 6,
    }
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


BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def local(at: dt.datetime) -> dt.datetime:
    return at.astimezone(BERLIN).replace(tzinfo=None)


async def test_the_demo_has_refinement_history(db: AsyncSession) -> None:
    """Every team's weekly refinement over the last four weeks, one team that stopped two
    weeks ago, an overloaded agenda, a session without developers, follow-ups, spikes, the
    ART's program backlog refinement and rework, dated consistently before today."""
    await seed_demo_into(db, today=TODAY)
    teams = {t.id: t.key for t in await db.scalars(select(Team))}
    names = {p.id: p.name for p in await db.scalars(select(Person))}
    stories = {s.id: s for s in await db.scalars(select(Story))}
    by_key = {s.key: s for s in stories.values()}
    features = {f.id: f for f in await db.scalars(select(Feature))}

    def key(story_id: int | None, feature_id: int | None) -> str:
        return stories[story_id].key if story_id else features[feature_id or 0].key

    roles: dict[int, dict[int, Role]] = {}
    for m in await db.scalars(select(Membership).where(Membership.team_id.is_not(None))):
        roles.setdefault(m.team_id or 0, {})[m.person_id] = m.role
    refinements = list(await db.scalars(select(RefinementSession).order_by(RefinementSession.id)))
    participants: dict[int, set[int]] = {}
    for p in await db.scalars(select(SessionParticipant)):
        participants.setdefault(p.session_id, set()).add(p.person_id)
    agendas: dict[int, list[AgendaItem]] = {}
    for a in await db.scalars(select(AgendaItem).order_by(AgendaItem.position)):
        agendas.setdefault(a.session_id, []).append(a)
    log: dict[int, list[RefinementEvent]] = {}
    for e in await db.scalars(select(RefinementEvent).order_by(RefinementEvent.id)):
        log.setdefault(e.session_id, []).append(e)
    start_of_today = dt.datetime.combine(TODAY, dt.time(), tzinfo=BERLIN)

    # Every team: a weekly slot with the team's scrum master, product owner, tech lead and
    # developers invited; sessions held over the last four weeks, and the next one scheduled.
    schedules = {teams[s.team_id]: s for s in await db.scalars(select(RefinementSchedule))}
    assert {
        team: (s.weekday, s.start_time, s.timezone, s.timebox_minutes)
        for team, s in schedules.items()
    } == {
        team: (r.weekday, r.starts, "Europe/Berlin", r.timebox)
        for team, r in TEAM_REFINEMENT.items()
    }
    team_ids = {key: i for i, key in teams.items()}
    technical = {Role.SCRUM_MASTER, Role.PRODUCT_OWNER, Role.TECH_LEAD, Role.DEVELOPER}
    for team, s in schedules.items():
        members = roles[team_ids[team]]
        assert set(s.invitee_ids) == {p for p, role in members.items() if role in technical}
    by_team: dict[str, list[RefinementSession]] = {}
    for r in refinements:
        by_team.setdefault(teams.get(r.team_id or 0, "ART"), []).append(r)
    status_counts = {team: Counter(r.status for r in rows) for team, rows in by_team.items()}
    assert status_counts == {
        "ART": {SessionStatus.CLOSED: 3, SessionStatus.SCHEDULED: 1},
        **{
            team: {
                SessionStatus.CLOSED: r.held,
                SessionStatus.SCHEDULED: 1,
                **({SessionStatus.CANCELLED: r.cancelled} if r.cancelled else {}),
            }
            for team, r in TEAM_REFINEMENT.items()
        },
    }
    held = {
        team: max(r.starts_at for r in rows if r.status is SessionStatus.CLOSED)
        for team, rows in by_team.items()
    }
    assert {
        team: (TODAY - local(at).date()).days for team, at in held.items() if team != "ART"
    } == {team: r.last_held_days_ago for team, r in TEAM_REFINEMENT.items()}
    upcoming = {
        team: next(r for r in rows if r.status is SessionStatus.SCHEDULED)
        for team, rows in by_team.items()
    }
    assert {team: local(r.starts_at) for team, r in upcoming.items()} == {
        "ART": dt.datetime(2027, 3, 11, 15),
        **{team: r.next_session for team, r in TEAM_REFINEMENT.items()},
    }
    assert {
        team: [key(a.story_id, a.feature_id) + "*" * bool(a.carried_from_id) for a in agendas[r.id]]
        for team, r in upcoming.items()
    } == NEXT_AGENDAS

    # The team that stopped refining: nothing held for 16 days, two sessions called off.
    week_ago = start_of_today - dt.timedelta(days=7)
    skipping = {team for team, at in held.items() if team != "ART" and at < week_ago}
    assert skipping == {"FUL"}
    assert [
        (local(r.starts_at).date(), r.notes)
        for r in by_team["FUL"]
        if r.status is SessionStatus.CANCELLED
    ] == [
        (dt.date(2027, 3, 1), "The team is firefighting the carrier label outage."),
        (dt.date(2027, 3, 8), "The scrum master is on leave and nobody stood in."),
    ]

    # One overloaded agenda, held with its reason, over its timebox; its leftovers went first
    # on the team's next session.
    closed = [r for r in refinements if r.status is SessionStatus.CLOSED]
    overloaded = [r for r in closed if len(agendas[r.id]) > 8]
    assert [(teams[r.team_id or 0], local(r.starts_at)) for r in overloaded] == [
        ("PLAT", dt.datetime(2027, 3, 9, 10))
    ]
    plat = overloaded[0]
    assert plat.summary is not None
    assert (len(agendas[plat.id]), plat.agenda_override_reason) == (
        11,
        "Release hardening backlog: PO asked to clear the queue",
    )
    assert (plat.summary["minutes"], plat.summary["over_timebox_minutes"]) == (95.0, 5.0)
    assert [stories[i].key for i in plat.summary["left_over"]] == ["PLAT-113", "PLAT-116"]
    assert plat.summary["rolled_to_session"] == upcoming["PLAT"].id
    assert {a.carried_from_id for a in agendas[upcoming["PLAT"].id][:2]} == {plat.id}
    assert all(len(agendas[r.id]) in range(4, 9) for r in closed if r is not plat)

    # One session without a developer or tech lead: only the scrum master and the product
    # owner; they clarified, nobody estimated.
    untechnical = [
        r
        for r in closed
        if r.team_id is not None
        and not {roles[r.team_id].get(p) for p in participants[r.id]}
        & {Role.DEVELOPER, Role.TECH_LEAD}
    ]
    assert [(teams[r.team_id or 0], local(r.starts_at)) for r in untechnical] == [
        ("LOY", dt.datetime(2027, 3, 5, 14))
    ]
    loy = untechnical[0]
    assert sorted(names[p] for p in participants[loy.id]) == ["Benjamin Roth", "Sofia Petrova"]
    assert loy.summary is not None
    assert (
        loy.summary["estimated"],
        len(loy.summary["covered"]),
        len(loy.summary["left_over"]),
    ) == ([], 2, 3)

    # Follow-ups: owners and due dates, some overdue, some resolved.
    follow_ups = list(await db.scalars(select(FollowUp)))
    assert {
        key(f.story_id, f.feature_id): (f.kind, names[f.owner_id], f.due_on, f.done_at is not None)
        for f in follow_ups
    } == FOLLOW_UPS
    open_ones = [f for f in follow_ups if f.done_at is None]
    overdue = {key(f.story_id, f.feature_id) for f in open_ones if f.due_on < TODAY}
    assert (len(open_ones), overdue) == (12, OVERDUE)
    assert {teams.get(f.team_id or 0) for f in follow_ups if f.feature_id} == {"FUL", "CAT", "LOY"}
    for f in follow_ups:
        flagged = [e for e in log[f.session_id or 0] if e.detail.get("follow_up_id") == f.id]
        assert [(e.kind, e.at) for e in flagged] == [(RefinementEventKind.FLAGGED, f.created_at)]
        assert f.done_at is None or f.created_at < f.done_at < start_of_today
    assert {s.key for s in stories.values() if s.is_blocked} == {
        "CHK-104",
        "PAY-106",
        "PAY-133",
        "SRCH-133",
        "CAT-130",
        "FUL-106",
    }

    # Spikes refinement found, open, each linked to the story whose unknown it resolves.
    found = {s.key: s for s in stories.values() if s.spike_for_story_id is not None}
    assert {
        key: (stories[s.spike_for_story_id or 0].key, s.spike_timebox_days, s.points)
        for key, s in found.items()
    } == SPIKES
    assert {(s.kind, s.status, s.iteration_id) for s in found.values()} == {
        (StoryKind.SPIKE, StoryStatus.BACKLOG, None)
    }
    waiting = await readiness.story_readiness(db, [by_key[t].id for t, _, _ in SPIKES.values()])
    assert all(
        ReadyRule.NO_OPEN_STORY_SPIKE in {f.rule for f in r.failures} for r in waiting.values()
    )

    # Program backlog refinement: the RTE facilitates, features come out of analysis in three
    # different weeks.
    art = by_team["ART"]
    rte, managers = "Marta Kowalski", {"Daniel Okafor", "Sophie Laurent", "Rahul Mehta"}
    assert {
        (names[r.facilitator_id or 0], frozenset(names[p] for p in participants[r.id])) for r in art
    } == {(rte, frozenset({rte, *managers}))}
    assert [local(r.starts_at) for r in art if r.status is SessionStatus.CLOSED] == [
        dt.datetime(2027, 2, 18, 15),
        dt.datetime(2027, 2, 25, 15),
        dt.datetime(2027, 3, 4, 15),
    ]
    last_art = [r for r in art if r.status is SessionStatus.CLOSED][-1]
    assert last_art.summary is not None
    assert [features[i].key for i in last_art.summary["left_over"]] == ["SHOP-139"]
    assert last_art.summary["rolled_to_session"] == upcoming["ART"].id
    refined: dict[dt.date, list[str]] = {}
    for feature in sorted(features.values(), key=lambda f: f.key):
        if feature.refined_at is not None:
            day = local(feature.refined_at).date()
            refined.setdefault(day - dt.timedelta(days=day.weekday()), []).append(feature.key)
            assert feature.state is FeatureState.BACKLOG
            assert feature.refined_at == feature.dependencies_identified_at
    assert refined == FEATURES_REFINED
    assert {
        e.feature_id: e.at
        for e in (e for events in log.values() for e in events)
        if e.kind is RefinementEventKind.BECAME_READY and e.feature_id
    } == {f.id: f.refined_at for f in features.values() if f.refined_at}

    # Rework: criteria or estimate changed after the story became ready.
    ready_at = {s.id: s.first_ready_at for s in stories.values() if s.first_ready_at}
    reworked = set()
    for h in await db.scalars(
        select(HistoryEntry).where(
            HistoryEntry.entity_type == "Story", HistoryEntry.action == HistoryAction.UPDATE
        )
    ):
        first = ready_at.get(h.entity_id)
        if (
            first
            and h.at > first
            and {"acceptance_criteria", "points", "tshirt_size"} & set(h.changes)
        ):
            reworked.add(stories[h.entity_id].key)
    assert sorted(reworked) == REWORKED

    # One timeline: sessions start on time and last what their summary says; the log, the
    # agenda and the history follow it; everything happened before today.
    became_ready = {
        e.story_id: e.at
        for e in (e for events in log.values() for e in events)
        if e.kind is RefinementEventKind.BECAME_READY and e.story_id
    }
    closings = {r.closed_at for r in closed}
    assert set(became_ready) <= set(ready_at)
    for story_id, first in ready_at.items():  # ready as refined, or found ready at a close
        assert first == became_ready.get(story_id) or first in closings
    for r in closed:
        assert r.started_at == r.starts_at
        assert r.closed_at is not None
        assert r.summary is not None
        assert r.summary["minutes"] == (r.closed_at - r.starts_at).total_seconds() / 60
        events = log[r.id]
        assert events[0].kind is RefinementEventKind.SCHEDULED
        assert events[0].at == r.created_at < r.starts_at
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert [
            (e.kind, e.at)
            for e in events
            if e.kind in {RefinementEventKind.STARTED, RefinementEventKind.CLOSED}
        ] == [
            (RefinementEventKind.STARTED, r.started_at),
            (RefinementEventKind.CLOSED, r.closed_at),
        ]
        assert events[-1].detail == {"summary": r.summary}
        for a in agendas[r.id]:
            if a.covered_at is not None:
                assert r.started_at < a.covered_at < r.closed_at
    last_logged = await db.scalar(select(func.max(RefinementEvent.at)))
    last_changed = await db.scalar(select(func.max(HistoryEntry.at)))
    assert last_logged is not None
    assert last_changed is not None
    assert max(last_logged, last_changed) < start_of_today

    # After its history the plan holds what it was designed to: the estimates, and the
    # criteria apart from those drafted for the stories clarified but not yet estimated.
    for plan in make_plan().stories:
        story = by_key[plan.key]
        assert (story.points, story.tshirt_size) == (plan.points, plan.tshirt), plan.key
        if plan.key not in CLARIFIED:
            assert story.acceptance_criteria == plan.criteria, plan.key
        else:
            assert (plan.criteria, len(story.acceptance_criteria)) == ([], 2), plan.key


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
        assert counts == [1, 40, 298, 60, 1]

    assert outputs[0].startswith("Seeded the demo ART SHOP: 8 teams, 59 people, 40 features")
    assert outputs[1].startswith("The demo ART SHOP is already there; nothing was added.")
    for out in outputs:
        assert "298 stories (29 spikes)" in out
        assert "4 milestones, 27 refinement sessions held, 12 open follow-ups." in out
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

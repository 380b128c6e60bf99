"""Every GraphQL example of the README runs, unchanged, against the demo ART, and answers
what the demo plan says."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections import Counter
from pathlib import Path
from typing import Any

from graphql import parse, validate
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.build import build_schema
from services.core.db import create_sessionmaker
from services.demo import seed_demo_into
from tests.conftest import Api

README = Path(__file__).resolve().parents[2] / "README.md"
TODAY = dt.date(2027, 3, 10)


NAMES = (  # what each example shows, told apart by the first of these it selects
    "definitionOfReady",
    "refinementSchedule",
    "refinementHealth",
    "criticalPath",
    "whatIf",
    "proposedPlan",
    "applyPlanMoves",
    "board",
    "coupling",
    "hotspots",
    "cycles",
    "dependencyHealth",
    "updateFeature",
    "teams",
)


def examples() -> dict[str, str]:
    """The README's GraphQL examples by what they show."""
    out: dict[str, str] = {}
    for block in re.findall(r"```graphql\n(.*?)```", README.read_text(), flags=re.S):
        name = next(n for n in NAMES if re.search(rf"\b{n}\b", block))
        assert name not in out, f"two README examples show {name}"
        out[name] = block
    return out


REFINEMENT = ("definitionOfReady", "refinementSchedule", "refinementHealth")


def test_every_readme_operation_is_valid_against_the_schema() -> None:
    """The mutation and subscription examples (shown as text: their ids are the reader's)
    are valid operations of the schema."""
    schema = build_schema()._schema
    blocks = re.findall(r"```(?:graphql|text)\n(.*?)```", README.read_text(), flags=re.S)
    operations = [b for b in blocks if re.match(r"\s*(\{|query|mutation|subscription)", b)]
    assert len(operations) >= len(NAMES) + 2
    for block in operations:
        assert validate(schema, parse(block)) == [], block


async def run(api: Api, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return await api.query(query, variables or {})


async def test_every_readme_example_runs_on_the_demo(api: Api, engine: AsyncEngine) -> None:
    async with create_sessionmaker(engine).begin() as session:
        await seed_demo_into(session, today=TODAY)
    ex = examples()
    assert sorted(ex) == sorted(NAMES)
    for name in REFINEMENT:
        ex.pop(name)

    first = (await run(api, ex["teams"]))["art"]
    assert len(first["teams"]["nodes"]) == 8
    assert first["features"]["totalCount"] == 40
    updated = (await run(api, ex["updateFeature"]))["updateFeature"]
    assert updated["errors"] == []
    assert updated["feature"]["version"] == 2

    health = (await run(api, ex["dependencyHealth"]))["art"]
    assert Counter(h["health"] for h in health["dependencyHealth"]) == {
        "DONE": 27,
        "AMBER": 17,
        "GREEN": 11,
        "RED": 5,
    }
    assert [h["reason"] for h in health["dependencyHealth"] if h["health"] == "RED"][:2] == [
        "SHOP-138 (Team Data & Insights, Iteration 3) needs SHOP-122 (Team Product Catalog, "
        "Iteration 4): SHOP-122 comes later than it is needed by Iteration 3.",
        "SHOP-101 (Team Checkout, Iteration 3) needs SHOP-134 (Team Commerce Platform, "
        "Iteration 4): SHOP-134 comes later than it is needed by Iteration 3.",
    ]
    assert Counter(h["health"] for h in health["featureHealth"]) == {
        "DONE": 10,
        "AMBER": 8,
        "RED": 5,
        "GREEN": 5,
    }

    assert await run(api, ex["cycles"]) == {"art": {"cycles": []}, "portfolio": {"cycles": []}}

    pis = (await run(api, ex["criticalPath"]))["art"]["planningIntervals"]["nodes"]
    path = pis[0]["criticalPath"]
    assert path["text"] == (
        "SHOP-134 -> SHOP-101 -> SHOP-128 -> SHOP-129: 8 iteration(s), 110 points, across "
        "Team Commerce Platform, Team Checkout, Team Loyalty."
    )
    assert [i["key"] for i in path["items"]] == ["SHOP-134", "SHOP-101", "SHOP-128", "SHOP-129"]
    assert [s["slack"] for s in path["slack"][:4]] == [0, 0, 0, 0]

    ids = await api.query(
        '{ art(key: "SHOP") { planningIntervals(first: 1) { nodes { id } }'
        " features(first: 100) { nodes { id key version } } teams { nodes { id name } } } }"
    )
    pi = ids["art"]["planningIntervals"]["nodes"][0]["id"]
    features = {f["key"]: f for f in ids["art"]["features"]["nodes"]}
    what_if = (
        await run(api, ex["whatIf"], {"pi": pi, "item": features["SHOP-134"]["id"], "to": None})
    )["node"]["whatIf"]
    assert [s["item"]["key"] for s in what_if["slipped"]] == [
        "SHOP-101",
        "SHOP-107",
        "SHOP-128",
        "SHOP-129",
    ]
    assert [f["feature"]["key"] for f in what_if["lateFeatures"]] == [
        "SHOP-101",
        "SHOP-107",
        "SHOP-128",
    ]
    assert [m["milestone"]["name"] for m in what_if["lateMilestones"]] == [
        "Payment provider API v1 sunset",
        "Release: faster checkout",
    ]
    assert [t["name"] for t in what_if["teamsHit"]] == ["Checkout", "Loyalty", "Payments"]
    assert what_if["valueAtRisk"] == 39

    both = await run(api, ex["coupling"])
    coupling = both["art"]["coupling"]
    assert coupling["featureCount"] == 40
    assert coupling["multiTeamShare"] == 0.1
    # 4 of the 40 features (0.1) have stories in more than one team.
    multi_team = {
        "SHOP-103": ["Checkout", "Loyalty", "Payments"],
        "SHOP-111": ["Data & Insights", "Loyalty", "Payments"],
        "SHOP-115": ["Catalog Search", "Data & Insights", "Product Catalog"],
        "SHOP-133": ["Checkout", "Commerce Platform", "Loyalty"],
    }
    assert coupling["multiTeamFeatures"] == [
        {"feature": {"key": key}, "teams": [{"name": name} for name in teams]}
        for key, teams in multi_team.items()
    ]
    # The 26 cross-team dependencies of the demo plan (services.demo.plan), by the teams of
    # their two ends; the demo has one ART, so the portfolio's matrix is the ART's.
    cells = [
        ("Catalog Search", "Data & Insights", 1),
        ("Checkout", "Commerce Platform", 1),
        ("Checkout", "Fulfilment", 1),
        ("Checkout", "Loyalty", 5),
        ("Checkout", "Payments", 1),
        ("Data & Insights", "Product Catalog", 3),
        ("Loyalty", "Checkout", 3),
        ("Payments", "Checkout", 1),
        ("Payments", "Commerce Platform", 2),
        ("Payments", "Data & Insights", 1),
        ("Payments", "Fulfilment", 1),
        ("Payments", "Loyalty", 4),
        ("Product Catalog", "Catalog Search", 1),
        ("Product Catalog", "Checkout", 1),
    ]
    matrix = [
        {"dependentTeam": {"name": a}, "prerequisiteTeam": {"name": b}, "dependencies": n}
        for a, b, n in cells
    ]
    assert coupling["cells"] == [{**cell, "crossArt": False} for cell in matrix]
    assert both["portfolio"]["coupling"]["cells"] == matrix
    assert sum(n for *_, n in cells) == 26

    hotspots = (await run(api, ex["hotspots"]))["art"]["hotspots"]
    top = hotspots["hotspots"][0]
    assert (top["component"]["name"], top["iteration"]["name"], len(top["teams"])) == (
        "Checkout Service",
        "Iteration 4",
        5,
    )

    proposal = (await run(api, ex["proposedPlan"]))["art"]["planningIntervals"]["nodes"][0]
    move = proposal["proposedPlan"]["moves"][0]
    assert move["reason"].startswith(f"{move['item']['key']} to {move['toIteration']['name']}")
    version = await api.query(
        f'{{ node(id: "{move["item"]["id"]}") {{ ... on Versioned {{ version }} }} }}'
    )
    teams = {t["name"]: t["id"] for t in ids["art"]["teams"]["nodes"]}
    applied = await run(
        api,
        ex["applyPlanMoves"],
        {
            "moves": [
                {
                    "itemId": move["item"]["id"],
                    "iterationId": move["toIteration"]["id"],
                    "version": version["node"]["version"],
                }
            ],
            "team": teams["Checkout"],
            "iteration": move["toIteration"]["id"],
        },
    )
    assert applied["applyPlanMoves"] == {"items": [{"key": move["item"]["key"]}], "errors": []}
    assert applied["setTeamCapacity"]["errors"] == []
    assert applied["setTeamCapacity"]["capacity"] == {
        "points": 30,
        "team": {"name": "Checkout"},
        "iteration": {"name": move["toIteration"]["name"]},
    }

    board = (await run(api, ex["board"]))["art"]["planningIntervals"]["nodes"][0]["board"]
    assert [c["name"] for c in board["columns"]] == [
        "Iteration 1",
        "Iteration 2",
        "Iteration 3",
        "Iteration 4",
        "Innovation & Planning",
    ]
    assert len(board["lanes"]) == 8
    assert len(board["edges"]) == 58


async def test_the_readme_refinement_examples_run_on_the_demo(
    api: Api, engine: AsyncEngine
) -> None:
    """Refinement history is placed relative to today, and the views are as of now: the demo
    is seeded for today here."""
    async with create_sessionmaker(engine).begin() as session:
        await seed_demo_into(session, today=dt.date.today())
    ex = examples()

    art = (await run(api, ex["definitionOfReady"]))["art"]
    assert art["definitionOfReady"]["storyRules"] == [
        "STORY_ACCEPTANCE_CRITERIA",
        "ESTIMATED",
        "NO_BLOCKING_DEPENDENCY",
        "NO_OPEN_STORY_SPIKE",
        "NOT_FLAGGED_BLOCKED",
    ]
    queue = art["refinementQueue"]
    assert queue["totalCount"] == 4
    assert queue["entries"][0] == {
        "feature": {"key": "SHOP-131", "title": "Birthday vouchers for members"},
        "wsjf": 2.0,
        "reason": "FUNNEL, WSJF 2; needs acceptance criteria, dependencies identified.",
    }

    [checkout] = (await run(api, ex["refinementSchedule"]))["art"]["teams"]["nodes"]
    schedule = checkout["refinementSchedule"]
    # The demo's weekly slots follow the day it is seeded on.
    assert (schedule["startTime"], schedule["timezone"], schedule["timeboxMinutes"]) == (
        "10:00:00",
        "Europe/Berlin",
        75,
    )
    entries = checkout["refinementQueue"]["entries"]
    assert entries[0]["story"] == {"key": "CHK-109"}
    assert (
        entries[0]["reason"] == "LOY-107 (Team Loyalty) wait(s) on it; feature SHOP-102 has WSJF 2."
    )
    [upcoming] = checkout["refinementSessions"]["nodes"]
    assert upcoming["warnings"] == []
    local = dt.datetime.fromisoformat(upcoming["startsAt"]).astimezone(
        zoneinfo.ZoneInfo("Europe/Berlin")
    )
    assert (local.strftime("%A"), local.strftime("%H:%M")) == (schedule["weekdayName"], "10:00")
    # 75 minutes hold 7 stories: the first seven of the queue.
    assert [s["key"] for s in upcoming["proposedAgenda"]] == [
        e["story"]["key"] for e in entries[:7]
    ]

    health = (await run(api, ex["refinementHealth"]))["art"]["refinementHealth"]
    assert (health["totals"]["skippingTeams"], health["totals"]["overloadedSessions"]) == (1, 1)
    assert [a["team"]["key"] for a in health["attention"]][:1] == ["FUL"]
    assert health["attention"][0]["reasons"][0].startswith("No refinement held in ")
    teams = {t["team"]["key"]: t for t in health["teams"]}
    assert len(teams["FUL"]["skippedWeeks"]) == 2
    assert sum(w["count"] for w in health["featuresRefinedPerWeek"]) == 4
    assert {r["story"]["key"] for r in health["rework"]} == {
        "PLAT-121",
        "CHK-124",
        "DATA-115",
        "PAY-111",
        "CHK-126",
    }

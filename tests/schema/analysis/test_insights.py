"""The dependency-graph analyses through the API, on a small plan with known answers.

Plan (ART PAY, teams Atlas and Nova, PI 2027.1 with iterations 1-4 and IP):
    PAY-1 (Atlas, it. 3)  stories ATL-1 (it. 1, 5 pts), ATL-2 (it. 3, 3 pts)
    PAY-2 (Nova, it. 2)   stories NOV-1 (it. 2, 8 pts), NOV-2 (unplanned, 2 pts)
    ATL-2 depends on NOV-1 (GREEN), NOV-1 depends on ATL-1 (GREEN), PAY-1 depends on NOV-2 (RED)
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from services import models as m
from tests.conftest import Api
from tests.schema.factories import (
    basic_plan,
    create_art,
    create_feature,
    create_pi,
    create_story,
    create_team,
    ok,
)


async def small_plan(api: Api) -> dict[str, Any]:
    plan = await basic_plan(api)  # PAY-1 owned by Atlas in iteration 2
    it = plan.iterations
    f1 = await ok(
        api,
        "updateFeature",
        "feature { id version }",
        {"id": plan.feature["id"], "version": 1, "iterationId": it[2], "userBusinessValue": 8},
    )
    f2 = await ok(
        api,
        "createFeature",
        "feature { id version }",
        {
            "artId": plan.art,
            "key": "PAY-2",
            "title": "Wallet",
            "kind": "BUSINESS",
            "owningTeamId": plan.nova,
            "planningIntervalId": plan.pi,
            "iterationId": it[1],
            "userBusinessValue": 3,
        },
    )
    atl1 = await create_story(api, f1["id"], plan.atlas, "ATL-1", iterationId=it[0], points=5)
    atl2 = await create_story(api, f1["id"], plan.atlas, "ATL-2", iterationId=it[2], points=3)
    nov1 = await create_story(api, f2["id"], plan.nova, "NOV-1", iterationId=it[1], points=8)
    nov2 = await create_story(api, f2["id"], plan.nova, "NOV-2", points=2)
    dep = "dependency { id }"
    await ok(
        api, "createDependency", dep, {"dependentId": atl2["id"], "prerequisiteId": nov1["id"]}
    )
    await ok(
        api, "createDependency", dep, {"dependentId": nov1["id"], "prerequisiteId": atl1["id"]}
    )
    await ok(api, "createDependency", dep, {"dependentId": f1["id"], "prerequisiteId": nov2["id"]})
    await ok(
        api,
        "createMilestone",
        "milestone { id }",
        {"planningIntervalId": plan.pi, "name": "Release", "date": "2027-02-10"},
    )  # iteration 3
    return {
        "plan": plan,
        "f1": f1,
        "f2": f2,
        "atl1": atl1,
        "atl2": atl2,
        "nov1": nov1,
        "nov2": nov2,
    }


async def test_dependency_and_feature_health_with_reasons(api: Api) -> None:
    await small_plan(api)
    data = await api.query(
        '{ art(key: "PAY") { dependencyHealth { health reason dependency { dependent { key } } } '
        "featureHealth { feature { key } health reason } } }"
    )
    health = sorted(
        (h["dependency"]["dependent"]["key"], h["health"], h["reason"])
        for h in data["art"]["dependencyHealth"]
    )
    assert health == [
        (
            "ATL-2",
            "GREEN",
            "ATL-2 (Team Atlas, Iteration 3) needs NOV-1 (Team Nova, Iteration 2): NOV-1 comes first.",
        ),
        (
            "NOV-1",
            "GREEN",
            "NOV-1 (Team Nova, Iteration 2) needs ATL-1 (Team Atlas, Iteration 1): ATL-1 comes first.",
        ),
        (
            "PAY-1",
            "RED",
            "PAY-1 (Team Atlas, Iteration 3) needs NOV-2 (Team Nova, not planned): NOV-2 is not planned.",
        ),
    ]
    assert data["art"]["featureHealth"] == [
        {"feature": {"key": "PAY-1"}, "health": "RED", "reason": health[2][2]},
        {"feature": {"key": "PAY-2"}, "health": "GREEN", "reason": health[1][2]},
    ]


async def test_critical_path_and_slack(api: Api) -> None:
    p = await small_plan(api)
    data = await api.query(
        f'{{ node(id: "{p["plan"].pi}") {{ ... on PlanningInterval {{ criticalPath {{ '
        "items { key } teams { name } length points text slack { item { key } slack } cycles { text } } } } }"
    )
    path = data["node"]["criticalPath"]
    # PAY-1 spans its stories' iterations 1..3 (3); ATL-1 -> NOV-1 -> ATL-2 is 3 as well, and
    # with 16 points against PAY-1's 8 it wins the tie.
    assert [i["key"] for i in path["items"]] == ["ATL-1", "NOV-1", "ATL-2"]
    assert [t["name"] for t in path["teams"]] == ["Atlas", "Nova"]
    assert (path["length"], path["points"]) == (3, 16)
    assert (
        path["text"]
        == "ATL-1 -> NOV-1 -> ATL-2: 3 iteration(s), 16 points, across Team Atlas, Team Nova."
    )
    assert {s["item"]["key"]: s["slack"] for s in path["slack"]} == {
        "ATL-1": 0,
        "NOV-1": 0,
        "ATL-2": 0,
        "PAY-1": 0,
        "PAY-2": 2,
    }
    assert path["cycles"] == []


async def test_what_if_names_what_breaks(api: Api) -> None:
    p = await small_plan(api)
    # Plan NOV-2 first, so that both features are on time before the what-if.
    await ok(
        api,
        "updateStory",
        "story { id }",
        {"id": p["nov2"]["id"], "version": 1, "iterationId": p["plan"].iterations[0]},
    )
    query = (
        "query($pi: ID!, $moves: [WhatIfMove!]!) { node(id: $pi) { ... on PlanningInterval { whatIf(moves: $moves) { "
        "turnedRed { dependency { dependent { key } } reason } "
        "slipped { item { key } was { index } now { index } cause { key } reason } "
        "lateFeatures { feature { key } planned { index } finishes { index } reason } "
        "lateMilestones { milestone { name } features { key } reason } teamsHit { name } valueAtRisk } } } }"
    )
    data = await api.query(
        query,
        {
            "pi": p["plan"].pi,
            "moves": [{"itemId": p["atl1"]["id"], "iterationId": p["plan"].iterations[3]}],
        },
    )
    result = data["node"]["whatIf"]
    assert result["turnedRed"] == [
        {
            "dependency": {"dependent": {"key": "NOV-1"}},
            "reason": "NOV-1 (Team Nova, Iteration 2) needs ATL-1 (Team Atlas, Iteration 4): ATL-1 comes later than it is needed.",
        }
    ]
    assert sorted(
        (s["item"]["key"], s["was"]["index"], s["now"]["index"], s["cause"]["key"])
        for s in result["slipped"]
    ) == [
        ("ATL-2", 3, 4, "ATL-1"),
        ("NOV-1", 2, 4, "ATL-1"),
    ]
    slip = {s["item"]["key"]: s["reason"] for s in result["slipped"]}
    assert slip["NOV-1"] == (
        "NOV-1 (Team Nova) can now finish in Iteration 4 at the earliest: it waits for ATL-1 (Team Atlas), moved to Iteration 4."
    )
    assert [
        (f["feature"]["key"], f["planned"]["index"], f["finishes"]["index"], f["reason"])
        for f in result["lateFeatures"]
    ] == [
        ("PAY-1", 3, 4, "PAY-1 is planned for Iteration 3 but would finish in Iteration 4."),
        ("PAY-2", 2, 4, "PAY-2 is planned for Iteration 2 but would finish in Iteration 4."),
    ]
    assert result["lateMilestones"] == [
        {
            "milestone": {"name": "Release"},
            "features": [{"key": "PAY-1"}, {"key": "PAY-2"}],
            "reason": "Release needs PAY-1, PAY-2, which would be late.",
        }
    ]
    assert [t["name"] for t in result["teamsHit"]] == ["Atlas", "Nova"]
    assert result["valueAtRisk"] == 8 + 3
    out = await api.query(
        query, {"pi": p["plan"].pi, "moves": [{"itemId": p["nov1"]["id"], "iterationId": None}]}
    )
    assert [f["finishes"] for f in out["node"]["whatIf"]["lateFeatures"]] == [
        None,
        None,
    ]  # after the interval
    bad = await api.raw(
        query,
        {"pi": p["plan"].pi, "moves": [{"itemId": p["atl1"]["id"], "iterationId": p["plan"].pi}]},
    )
    assert (
        bad["errors"][0]["message"]
        == "moves[0].iterationId: expected an id of type Iteration, got an id of type PlanningInterval."
    )


async def test_coupling_hotspots_and_missing_enablers(api: Api) -> None:
    p = await small_plan(api)
    ledger = await ok(
        api,
        "createComponent",
        "component { id }",
        {
            "artId": p["plan"].art,
            "name": "Ledger",
            "kind": "SERVICE",
            "owningTeamId": p["plan"].nova,
        },
    )
    for story in ("atl2", "nov1"):
        await ok(
            api,
            "updateStory",
            "story { id }",
            {"id": p[story]["id"], "version": 1, "componentIds": [ledger["id"]]},
        )
    await ok(
        api,
        "updateStory",
        "story { id }",
        {"id": p["nov1"]["id"], "version": 2, "iterationId": p["plan"].iterations[2]},
    )
    data = await api.query(
        '{ art(key: "PAY") { coupling { cells { dependentTeam { name } prerequisiteTeam { name } dependencies crossArt } '
        "featureCount multiTeamShare multiTeamFeatures { feature { key } } } "
        "hotspots { hotspots { component { name } iteration { index } teams { name } reason } "
        "centrality { component { name } degree items } missingEnablers { feature { key } reason } } } }"
    )
    coupling = data["art"]["coupling"]
    assert coupling["cells"] == [
        {
            "dependentTeam": {"name": "Atlas"},
            "prerequisiteTeam": {"name": "Nova"},
            "dependencies": 2,
            "crossArt": False,
        },
        {
            "dependentTeam": {"name": "Nova"},
            "prerequisiteTeam": {"name": "Atlas"},
            "dependencies": 1,
            "crossArt": False,
        },
    ]
    assert (
        coupling["featureCount"],
        coupling["multiTeamShare"],
        coupling["multiTeamFeatures"],
    ) == (2, 0.0, [])
    hot = data["art"]["hotspots"]
    assert hot["hotspots"] == [
        {
            "component": {"name": "Ledger"},
            "iteration": {"index": 3},
            "teams": [{"name": "Atlas"}, {"name": "Nova"}],
            "reason": "2 teams (Team Atlas, Team Nova) change Ledger in Iteration 3: ATL-2, NOV-1.",
        }
    ]
    assert hot["centrality"] == [{"component": {"name": "Ledger"}, "degree": 1.0, "items": 2}]
    assert hot["missingEnablers"] == [
        {
            "feature": {"key": "PAY-1"},
            "reason": "PAY-1 changes Ledger, owned by Team Nova, but Team Nova has no story in PAY-1.",
        }
    ]


async def test_proposed_plan_then_apply_its_moves(api: Api, engine: AsyncEngine) -> None:
    p = await small_plan(api)
    for team in (p["plan"].atlas, p["plan"].nova):
        for iteration in p["plan"].iterations[:4]:
            await ok(
                api,
                "setTeamCapacity",
                "capacity { points }",
                {"teamId": team, "iterationId": iteration, "points": 10},
            )
    query = (
        f'{{ node(id: "{p["plan"].pi}") {{ ... on PlanningInterval {{ proposedPlan {{ '
        "moves { item { id key version team { name } } fromIteration { index } toIteration { id index } reason } "
        "unplaced { item { key } reason } load { team { name } iteration { index } points capacity } } } } }"
    )
    proposal = (await api.query(query))["node"]["proposedPlan"]
    moves = [
        (
            m["item"]["key"],
            m["fromIteration"] and m["fromIteration"]["index"],
            m["toIteration"]["index"],
        )
        for m in proposal["moves"]
    ]
    # PAY-1 (WSJF unscored here, rank 1) first: ATL-1 stays in 1, ATL-2 must follow NOV-1, which
    # must follow ATL-1: NOV-1 -> 2, ATL-2 -> 3. Then NOV-2 (2 pts) fits Nova's iteration 1.
    assert moves == [("NOV-2", None, 1)]
    # What applyPlanMoves needs comes with the item, whatever its type.
    assert (proposal["moves"][0]["item"]["version"], proposal["moves"][0]["item"]["team"]) == (
        1,
        {"name": "Nova"},
    )
    assert (
        proposal["moves"][0]["reason"]
        == "NOV-2 to Iteration 1 for PAY-2 (WSJF unscored): Team Nova has 10 of 10 points left."
    )
    assert proposal["unplaced"] == []
    load = {
        (row["team"]["name"], row["iteration"]["index"]): (row["points"], row["capacity"])
        for row in proposal["load"]
    }
    assert load[("Nova", 1)] == (2, 10)
    assert load[("Atlas", 1)] == (5, 10)

    move = proposal["moves"][0]
    applied = await api.mutate(
        "applyPlanMoves",
        "items { key }",
        {
            "moves": [
                {
                    "itemId": move["item"]["id"],
                    "iterationId": move["toIteration"]["id"],
                    "version": move["item"]["version"],
                }
            ]
        },
    )
    assert applied == {"items": [{"key": "NOV-2"}], "errors": []}
    again = (await api.query(query))["node"]["proposedPlan"]
    assert again["moves"] == []
    health = await api.query('{ art(key: "PAY") { featureHealth { feature { key } health } } }')
    assert {"feature": {"key": "PAY-1"}, "health": "GREEN"} in health["art"]["featureHealth"]

    stale = await api.mutate(
        "applyPlanMoves",
        "items { key }",
        {
            "moves": [
                {
                    "itemId": move["item"]["id"],
                    "iterationId": None,
                    "version": move["item"]["version"],
                }
            ]
        },
    )
    assert stale["errors"][0]["code"] == "CONFLICT"
    assert stale["errors"][0]["message"].startswith("moves[0]: Story was changed by someone else")
    ip = await api.mutate(
        "applyPlanMoves",
        "items { key }",
        {
            "moves": [
                {
                    "itemId": move["item"]["id"],
                    "iterationId": p["plan"].ip,
                    "version": move["item"]["version"] + 1,
                }
            ]
        },
    )
    assert ip["errors"][0]["code"] == "IP_ITERATION"


async def test_board_export_and_transitive_reduction(api: Api) -> None:
    p = await small_plan(api)
    # A shortcut ATL-2 -> ATL-1 is implied by ATL-2 -> NOV-1 -> ATL-1: redundant for drawing.
    await ok(
        api,
        "createDependency",
        "dependency { id }",
        {"dependentId": p["atl2"]["id"], "prerequisiteId": p["atl1"]["id"]},
    )
    data = await api.query(
        f'{{ node(id: "{p["plan"].pi}") {{ ... on PlanningInterval {{ board {{ lanes {{ name }} columns {{ index kind }} '
        "nodes { item { key } team { name } iteration { index } health } "
        "edges { dependency { dependent { key } prerequisite { key } } health redundant } } } } }"
    )
    board = data["node"]["board"]
    assert [lane["name"] for lane in board["lanes"]] == ["Atlas", "Nova"]
    assert [(c["index"], c["kind"]) for c in board["columns"]] == [
        (1, "REGULAR"),
        (2, "REGULAR"),
        (3, "REGULAR"),
        (4, "REGULAR"),
        (5, "IP"),
    ]
    nodes = {
        n["item"]["key"]: (
            n["team"]["name"],
            n["iteration"] and n["iteration"]["index"],
            n["health"],
        )
        for n in board["nodes"]
    }
    assert nodes == {
        "ATL-1": ("Atlas", 1, None),
        "ATL-2": ("Atlas", 3, "GREEN"),
        "PAY-1": ("Atlas", 3, "RED"),
        "NOV-1": ("Nova", 2, "GREEN"),
        "NOV-2": ("Nova", None, None),
        "PAY-2": ("Nova", 2, None),
    }
    edges = {
        (e["dependency"]["dependent"]["key"], e["dependency"]["prerequisite"]["key"]): (
            e["health"],
            e["redundant"],
        )
        for e in board["edges"]
    }
    assert edges == {
        ("ATL-2", "NOV-1"): ("GREEN", False),
        ("NOV-1", "ATL-1"): ("GREEN", False),
        ("PAY-1", "NOV-2"): ("RED", False),
        ("ATL-2", "ATL-1"): ("GREEN", True),
    }


async def test_a_dependency_that_closes_a_cycle_is_refused_naming_it(api: Api) -> None:
    p = await small_plan(api)
    refused = await api.mutate(
        "createDependency",
        "dependency { id }",
        {"dependentId": p["atl1"]["id"], "prerequisiteId": p["atl2"]["id"]},
    )
    assert refused["errors"] == [
        {
            "code": "CYCLE",
            "message": "ATL-1 cannot depend on ATL-2: that would close the cycle ATL-1 -> ATL-2 -> NOV-1 -> ATL-1.",
            "field": "prerequisiteId",
            "currentVersion": None,
        }
    ]
    # RELATES is informational and may point back; turning it into BLOCKS is refused.
    relates = await ok(
        api,
        "createDependency",
        "dependency { id version }",
        {"dependentId": p["atl1"]["id"], "prerequisiteId": p["atl2"]["id"], "type": "RELATES"},
    )
    blocked = await api.mutate(
        "updateDependency",
        "dependency { id }",
        {"id": relates["id"], "version": 1, "type": "BLOCKS"},
    )
    assert blocked["errors"][0]["code"] == "CYCLE"
    data = await api.query('{ art(key: "PAY") { cycles { text } } portfolio { cycles { text } } }')
    assert data == {"art": {"cycles": []}, "portfolio": {"cycles": []}}


async def test_existing_cycles_are_listed(api: Api, engine: AsyncEngine) -> None:
    p = await small_plan(api)
    atl1, atl2 = (
        int(base64.b64decode(p[k]["id"]).decode().split(":")[1]) for k in ("atl1", "atl2")
    )
    now = dt.datetime.now(dt.UTC)
    # An import can bring a cycle the mutations refuse: write one directly, as an import would.
    async with engine.begin() as conn:
        art_id = (await conn.execute(select(m.Art.id))).scalar_one()
        await conn.execute(
            insert(m.Dependency).values(
                dependent_story_id=atl1,
                prerequisite_story_id=atl2,
                dependent_art_id=art_id,
                prerequisite_art_id=art_id,
                dependent_node=m.node_of(None, atl1),
                prerequisite_node=m.node_of(None, atl2),
                type="BLOCKS",
                note="",
                version=1,
                created_at=now,
                updated_at=now,
            )
        )
        await conn.execute(update(m.Art).values(plan_version=m.Art.plan_version + 1))
    data = await api.query(
        f'{{ art(key: "PAY") {{ cycles {{ text items {{ key }} members {{ key }} }} }} '
        f'node(id: "{p["plan"].pi}") {{ ... on PlanningInterval {{ criticalPath {{ length cycles {{ text }} }} }} }} }}'
    )
    assert data["art"]["cycles"] == [
        {
            "text": "ATL-1 -> ATL-2 -> NOV-1 -> ATL-1",
            "items": [{"key": "ATL-1"}, {"key": "ATL-2"}, {"key": "NOV-1"}],
            "members": [{"key": "ATL-1"}, {"key": "ATL-2"}, {"key": "NOV-1"}],
        }
    ]
    assert data["node"]["criticalPath"] == {
        "length": 0,
        "cycles": [{"text": "ATL-1 -> ATL-2 -> NOV-1 -> ATL-1"}],
    }


async def test_an_unchanged_plan_is_not_loaded_twice(api: Api) -> None:
    p = await small_plan(api)
    cache = api.app.state.analysis_cache
    query = '{ art(key: "PAY") { coupling { featureCount } dependencyHealth { health } } }'
    await api.query(query)
    with api.count_statements() as first:
        await api.query(query)
    # Authentication (2), the ART (1), and per analysis its access check and the plan
    # versions (2 x 2): nothing of the plan itself is read again.
    assert first.count == 7
    misses = cache.misses
    await ok(api, "updateStory", "story { id }", {"id": p["nov2"]["id"], "version": 1, "points": 3})
    with api.count_statements() as second:
        await api.query(query)
    # The plan changed: it is loaded again (services/analysis/rows.py, 14 statements), once
    # for both analyses, which are computed again; nothing else is read.
    assert second.count == first.count + 14
    assert cache.misses == misses + 3  # the plan and the two analyses


async def test_the_proposed_plan_puts_nothing_in_iterations_that_have_ended(api: Api) -> None:
    art = await create_art(api, "OLD", "Old train")
    team = await create_team(api, art, "ATL", "Atlas")
    pi = await create_pi(api, art, "PI 2020.1", dt.date(2020, 1, 6))
    first = pi["iterations"][0]["id"]
    feature = await create_feature(
        api, art, "OLD-1", owningTeamId=team, planningIntervalId=pi["id"], iterationId=first
    )
    await create_story(api, feature["id"], team, "ATL-1", points=3)
    query = (
        f'{{ node(id: "{pi["id"]}") {{ ... on PlanningInterval {{ proposedPlan {{ '
        "moves { item { key } } unplaced { item { key } reason } } } } }"
    )
    assert (await api.query(query))["node"]["proposedPlan"] == {
        "moves": [],
        "unplaced": [
            {
                "item": {"key": "ATL-1"},
                "reason": "ATL-1 cannot be placed: every regular iteration of the planning "
                "interval has ended",
            }
        ],
    }

"""Analyses across ARTs whose planning intervals start on the same day with other calendars.

PAY (teams Atlas, Nova) plans in two-week iterations, OPS (team Ops) in four-week ones; both
PIs start on 2027-01-04. By date, the iterations come in this order:

    PAY It1 (Jan 4-15), OPS It1 (Jan 4-29), PAY It2 (Jan 18-29), PAY It3 (Feb 1-12),
    OPS It2 (Feb 1-26), PAY It4 (Feb 15-26), PAY IP (Mar 1-12), OPS IP (Mar 1-12)

PAY-1 (Atlas, PAY It3, value 8): ATL-1 (It1), ATL-2 (It3), NOV-1 (It3); ATL-2 and NOV-1 change
the component Ledger. OPS-1 (Ops, OPS It2, value 13): OPR-1 (OPS It2) waits for ATL-1 and for
NOV-1 (cross-ART). Milestones: PAY's Release on Feb 10 (PAY It3), OPS's Go-live on Feb 20
(OPS It2).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import Api
from tests.schema.factories import (
    PI_START,
    create_art,
    create_feature,
    create_pi,
    create_story,
    create_team,
    ok,
)


def four_week_iterations(start: dt.date = PI_START) -> list[dict[str, Any]]:
    specs: list[dict[str, Any]] = []
    for k in range(2):
        first = start + dt.timedelta(days=28 * k)
        specs.append(
            {"startDate": first.isoformat(), "endDate": (first + dt.timedelta(days=25)).isoformat()}
        )
    ip = start + dt.timedelta(days=56)
    specs.append(
        {
            "startDate": ip.isoformat(),
            "endDate": (ip + dt.timedelta(days=11)).isoformat(),
            "kind": "IP",
        }
    )
    return specs


async def two_calendars(api: Api) -> dict[str, Any]:
    pay = await create_art(api, "PAY", "Payments")
    atlas = await create_team(api, pay, "ATL", "Atlas")
    nova = await create_team(api, pay, "NOV", "Nova")
    pay_pi = await create_pi(api, pay)
    pay_it = [it["id"] for it in pay_pi["iterations"]]

    ops = await create_art(api, "OPS", "Operations")
    ops_team = await create_team(api, ops, "OPR", "Ops")
    ops_pi = await ok(
        api,
        "createPlanningInterval",
        "planningInterval { id iterations { id index kind } }",
        {
            "artId": ops,
            "name": "PI 2027.1",
            "startDate": PI_START.isoformat(),
            "endDate": "2027-03-12",
            "iterations": four_week_iterations(),
        },
    )
    ops_it = [it["id"] for it in ops_pi["iterations"]]

    pay1 = await create_feature(
        api,
        pay,
        "PAY-1",
        owningTeamId=atlas,
        planningIntervalId=pay_pi["id"],
        iterationId=pay_it[2],
        userBusinessValue=8,
    )
    ledger = await ok(
        api,
        "createComponent",
        "component { id }",
        {"artId": pay, "name": "Ledger", "kind": "SERVICE", "owningTeamId": nova},
    )
    atl1 = await create_story(api, pay1["id"], atlas, "ATL-1", iterationId=pay_it[0], points=3)
    await create_story(
        api,
        pay1["id"],
        atlas,
        "ATL-2",
        iterationId=pay_it[2],
        points=2,
        componentIds=[ledger["id"]],
    )
    nov1 = await create_story(
        api, pay1["id"], nova, "NOV-1", iterationId=pay_it[2], points=2, componentIds=[ledger["id"]]
    )
    ops1 = await create_feature(
        api,
        ops,
        "OPS-1",
        owningTeamId=ops_team,
        planningIntervalId=ops_pi["id"],
        iterationId=ops_it[1],
        userBusinessValue=13,
    )
    opr1 = await create_story(api, ops1["id"], ops_team, "OPR-1", iterationId=ops_it[1], points=5)
    for prerequisite in (atl1, nov1):
        await ok(
            api,
            "createDependency",
            "dependency { id }",
            {"dependentId": opr1["id"], "prerequisiteId": prerequisite["id"]},
        )
    for pi, name, day in ((pay_pi, "Release", "2027-02-10"), (ops_pi, "Go-live", "2027-02-20")):
        await ok(
            api,
            "createMilestone",
            "milestone { id }",
            {"planningIntervalId": pi["id"], "name": name, "date": day},
        )
    return {"pay_pi": pay_pi["id"], "pay_it": pay_it, "ops_it": ops_it, "atl1": atl1}


async def test_dependency_health_compares_iterations_by_date(api: Api) -> None:
    await two_calendars(api)
    data = await api.query('{ art(key: "PAY") { dependencyHealth { health reason } } }')
    assert sorted((h["health"], h["reason"]) for h in data["art"]["dependencyHealth"]) == [
        (
            "GREEN",
            "OPR-1 (Team Ops, Iteration 2) needs ATL-1 (Team Atlas, Iteration 1): "
            "ATL-1 comes first.",
        ),
        # PAY's Iteration 3 (from Feb 1 to 12) comes before OPS's Iteration 2 (Feb 1 to 26),
        # though it is the third of its PI and the other the second.
        (
            "GREEN",
            "OPR-1 (Team Ops, Iteration 2) needs NOV-1 (Team Nova, Iteration 3): "
            "NOV-1 comes first.",
        ),
    ]


async def test_what_if_names_the_right_iterations_and_counts_only_the_arts_value(
    api: Api,
) -> None:
    p = await two_calendars(api)
    pay_it, ops_it = p["pay_it"], p["ops_it"]
    data = await api.query(
        "query($pi: ID!, $moves: [WhatIfMove!]!) { node(id: $pi) { ... on PlanningInterval { "
        "whatIf(moves: $moves) { turnedRed { reason } "
        "slipped { item { key } was { id } now { id } cause { key } reason } "
        "lateFeatures { feature { key } planned { id } finishes { id } reason } "
        "lateMilestones { milestone { name } features { key } reason } "
        "teamsHit { name } valueAtRisk } } } }",
        {"pi": p["pay_pi"], "moves": [{"itemId": p["atl1"]["id"], "iterationId": pay_it[3]}]},
    )
    result = data["node"]["whatIf"]
    assert result["turnedRed"] == [
        {
            "reason": "OPR-1 (Team Ops, Iteration 2) needs ATL-1 (Team Atlas, Iteration 4): "
            "ATL-1 comes later than it is needed."
        }
    ]
    assert result["slipped"] == [
        {
            "item": {"key": "OPR-1"},
            "was": {"id": ops_it[1]},
            "now": {"id": pay_it[3]},
            "cause": {"key": "ATL-1"},
            "reason": "OPR-1 (Team Ops) can now finish in Iteration 4 at the earliest: it waits "
            "for ATL-1 (Team Atlas), moved to Iteration 4.",
        }
    ]
    assert result["lateFeatures"] == [
        {
            "feature": {"key": "OPS-1"},
            "planned": {"id": ops_it[1]},
            "finishes": {"id": pay_it[3]},
            "reason": "OPS-1 is planned for Iteration 2 but would finish in Iteration 4.",
        },
        {
            "feature": {"key": "PAY-1"},
            "planned": {"id": pay_it[2]},
            "finishes": {"id": pay_it[3]},
            "reason": "PAY-1 is planned for Iteration 3 but would finish in Iteration 4.",
        },
    ]
    # Each ART's milestone needs only that ART's features.
    assert result["lateMilestones"] == [
        {
            "milestone": {"name": "Release"},
            "features": [{"key": "PAY-1"}],
            "reason": "Release needs PAY-1, which would be late.",
        },
        {
            "milestone": {"name": "Go-live"},
            "features": [{"key": "OPS-1"}],
            "reason": "Go-live needs OPS-1, which would be late.",
        },
    ]
    assert [t["name"] for t in result["teamsHit"]] == ["Atlas", "Ops"]
    # PAY's value only: OPS-1's 13 is on OPS's scale.
    assert result["valueAtRisk"] == 8


async def test_hotspots_board_critical_path_and_load_stay_in_their_iterations(api: Api) -> None:
    p = await two_calendars(api)
    pay_it = p["pay_it"]
    hot = await api.query(
        '{ art(key: "PAY") { hotspots { hotspots { iteration { id } reason } } } }'
    )
    assert hot["art"]["hotspots"]["hotspots"] == [
        {
            "iteration": {"id": pay_it[2]},
            "reason": "2 teams (Team Atlas, Team Nova) change Ledger in Iteration 3: ATL-2, NOV-1.",
        }
    ]
    data = await api.query(
        f'{{ node(id: "{p["pay_pi"]}") {{ ... on PlanningInterval {{ '
        "board { columns { id } nodes { item { key } iteration { id } } } "
        "criticalPath { items { key } length slack { item { key } slack } } "
        "proposedPlan { load { team { name } iteration { id } } } } } }"
    )
    pi = data["node"]
    assert [c["id"] for c in pi["board"]["columns"]] == pay_it
    assert sorted((n["item"]["key"], n["iteration"]["id"]) for n in pi["board"]["nodes"]) == [
        ("ATL-1", pay_it[0]),
        ("ATL-2", pay_it[2]),
        ("NOV-1", pay_it[2]),
        ("PAY-1", pay_it[2]),
    ]
    # PAY-1 spans PAY's iterations 1 to 3: three of them, whatever OPS's calendar holds between.
    assert (pi["criticalPath"]["items"], pi["criticalPath"]["length"]) == ([{"key": "PAY-1"}], 3)
    assert {s["item"]["key"]: s["slack"] for s in pi["criticalPath"]["slack"]} == {
        "PAY-1": 0,
        "ATL-1": 2,
        "ATL-2": 2,
        "NOV-1": 2,
    }
    assert sorted(
        (row["team"]["name"], pay_it.index(row["iteration"]["id"]))
        for row in pi["proposedPlan"]["load"]
    ) == [(team, k) for team in ("Atlas", "Nova") for k in range(4)]

"""Art.dependencyHealth(filter:) by health, team, planning interval and cross-team only; the
team and version of any work item.

Plan: test_insights.small_plan (PI 2027.1), plus ATL-2 -> ATL-1 within Atlas, PAY-3 (Atlas, in
PI 2027.2 without an iteration) -> PAY-2 (Nova), and PAY-4 (no owning team, iteration 1) ->
ATL-1. Healths:

    ATL-2 -> NOV-1 GREEN   NOV-1 -> ATL-1 GREEN   PAY-1 -> NOV-2 RED
    ATL-2 -> ATL-1 GREEN   PAY-3 -> PAY-2 AMBER   PAY-4 -> ATL-1 AMBER
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services import models as m
from tests.conftest import Api
from tests.schema.analysis.test_insights import small_plan
from tests.schema.factories import PI_START, create_feature, create_pi, ok

HEALTH = (
    'query($filter: DependencyHealthFilter) { art(key: "PAY") { dependencyHealth(filter: $filter) '
    "{ health dependency { dependent { key } prerequisite { key } } } } }"
)


async def filtered_plan(api: Api) -> dict[str, Any]:
    p = await small_plan(api)
    plan = p["plan"]
    pi2 = await create_pi(api, plan.art, "PI 2027.2", PI_START + dt.timedelta(days=70))
    pay3 = await create_feature(
        api, plan.art, "PAY-3", owningTeamId=plan.atlas, planningIntervalId=pi2["id"]
    )
    pay4 = await create_feature(
        api, plan.art, "PAY-4", planningIntervalId=plan.pi, iterationId=plan.iterations[0]
    )
    dep = "dependency { id }"
    for dependent, prerequisite in (
        (p["atl2"], p["atl1"]),
        (pay3, p["f2"]),
        (pay4, p["atl1"]),
    ):
        await ok(
            api,
            "createDependency",
            dep,
            {"dependentId": dependent["id"], "prerequisiteId": prerequisite["id"]},
        )
    return {**p, "pi2": pi2["id"]}


async def pairs(api: Api, filter_: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    data = await api.query(HEALTH, {"filter": filter_})
    return sorted(
        (
            h["dependency"]["dependent"]["key"],
            h["dependency"]["prerequisite"]["key"],
            h["health"],
        )
        for h in data["art"]["dependencyHealth"]
    )


EVERYTHING = [
    ("ATL-2", "ATL-1", "GREEN"),
    ("ATL-2", "NOV-1", "GREEN"),
    ("NOV-1", "ATL-1", "GREEN"),
    ("PAY-1", "NOV-2", "RED"),
    ("PAY-3", "PAY-2", "AMBER"),
    ("PAY-4", "ATL-1", "AMBER"),
]


def only(*wanted: tuple[str, str]) -> list[tuple[str, str, str]]:
    return [row for row in EVERYTHING if row[:2] in wanted]


async def test_dependency_health_filters(api: Api) -> None:
    p = await filtered_plan(api)
    atlas, nova = p["plan"].atlas, p["plan"].nova
    assert await pairs(api, None) == EVERYTHING
    assert await pairs(api, {}) == EVERYTHING
    assert await pairs(api, {"health": {"in": ["RED", "AMBER"]}}) == only(
        ("PAY-1", "NOV-2"), ("PAY-3", "PAY-2"), ("PAY-4", "ATL-1")
    )
    assert await pairs(api, {"health": {"eq": "DONE"}}) == []
    # Either end's team: a story's team, a feature's owning team.
    assert await pairs(api, {"team": {"eq": nova}}) == only(
        ("ATL-2", "NOV-1"), ("NOV-1", "ATL-1"), ("PAY-1", "NOV-2"), ("PAY-3", "PAY-2")
    )
    assert await pairs(api, {"team": {"in": [atlas, nova]}}) == EVERYTHING
    # Either end planned in the interval: PAY-3 is in PI 2027.2 without an iteration.
    assert await pairs(api, {"planningInterval": {"eq": p["pi2"]}}) == only(("PAY-3", "PAY-2"))
    assert await pairs(api, {"planningInterval": {"eq": p["plan"].pi}}) == EVERYTHING
    # Between two teams: ATL-2 -> ATL-1 is within Atlas, PAY-4 has no team.
    assert await pairs(api, {"crossTeamOnly": True}) == only(
        ("ATL-2", "NOV-1"), ("NOV-1", "ATL-1"), ("PAY-1", "NOV-2"), ("PAY-3", "PAY-2")
    )
    assert await pairs(api, {"crossTeamOnly": False}) == EVERYTHING
    assert await pairs(
        api, {"crossTeamOnly": True, "health": {"eq": "GREEN"}, "team": {"eq": atlas}}
    ) == only(("ATL-2", "NOV-1"), ("NOV-1", "ATL-1"))


async def test_a_refused_dependency_health_filter_says_why(api: Api, engine: AsyncEngine) -> None:
    p = await filtered_plan(api)

    async def history_rows() -> int:
        async with engine.connect() as conn:
            return int(
                (await conn.execute(select(func.count()).select_from(m.HistoryEntry))).scalar_one()
            )

    before = await history_rows()
    refusals = [
        (
            {"team": {"eq": p["plan"].pi}},
            "filter.team: expected an id of type Team, got an id of type PlanningInterval.",
        ),
        (
            {"planningInterval": {"in": ["nonsense"]}},
            "filter.planningInterval: 'nonsense' is not a valid id.",
        ),
        ({"health": {"in": ["RED"] * 101}}, "health.in lists 101 values; at most 100 are allowed."),
    ]
    for filter_, message in refusals:
        body = await api.raw(HEALTH, {"filter": filter_})
        assert body["data"] == {"art": None}
        assert [e["message"] for e in body["errors"]] == [message]
    unknown = await api.raw(HEALTH, {"filter": {"health": {"eq": "PURPLE"}}})
    assert "Value 'PURPLE' does not exist in 'Health' enum." in unknown["errors"][0]["message"]
    assert await history_rows() == before


async def test_every_work_item_names_its_team_and_version(api: Api) -> None:
    await filtered_plan(api)
    data = await api.query(
        '{ art(key: "PAY") { dependencyHealth { dependency { dependent { key version team { name } } } } } }'
    )
    seen = {
        d["dependency"]["dependent"]["key"]: d["dependency"]["dependent"]
        for d in data["art"]["dependencyHealth"]
    }
    assert seen == {
        "ATL-2": {"key": "ATL-2", "version": 1, "team": {"name": "Atlas"}},
        "NOV-1": {"key": "NOV-1", "version": 1, "team": {"name": "Nova"}},
        "PAY-1": {"key": "PAY-1", "version": 2, "team": {"name": "Atlas"}},
        "PAY-3": {"key": "PAY-3", "version": 1, "team": {"name": "Atlas"}},
        "PAY-4": {"key": "PAY-4", "version": 1, "team": None},
    }

"""Planning intervals, iterations and milestones through the API."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.schema.factories import basic_plan, create_art, ok


async def pi_count(api: Api) -> int:
    data = await api.query(
        '{ art(key: "PAY") { planningIntervals(filter: {archived: null}) { totalCount } } }'
    )
    return int(data["art"]["planningIntervals"]["totalCount"])


async def test_planning_interval_with_four_iterations_and_ip(api: Api) -> None:
    plan = await basic_plan(api)
    data = await api.query(
        '{ art(key: "PAY") { planningIntervals { nodes { name startDate endDate '
        "iterations { index name kind startDate endDate } } } } }"
    )
    pi = data["art"]["planningIntervals"]["nodes"][0]
    assert (pi["name"], pi["startDate"], pi["endDate"]) == ("PI 2027.1", "2027-01-04", "2027-03-12")
    assert [(i["index"], i["name"], i["kind"]) for i in pi["iterations"]] == [
        (1, "Iteration 1", "REGULAR"),
        (2, "Iteration 2", "REGULAR"),
        (3, "Iteration 3", "REGULAR"),
        (4, "Iteration 4", "REGULAR"),
        (5, "Innovation & Planning", "IP"),
    ]
    assert plan.pi


async def refused_pi(
    api: Api, art: str, iterations: list[dict[str, Any]], **fields: Any
) -> list[str]:
    before = await pi_count(api)
    input = {
        "artId": art,
        "name": "PI X",
        "startDate": "2027-01-04",
        "endDate": "2027-03-12",
        "iterations": iterations,
    }
    input.update(fields)
    payload = await api.mutate("createPlanningInterval", "planningInterval { id }", input)
    assert payload["planningInterval"] is None
    assert await pi_count(api) == before
    return [e["message"] for e in payload["errors"]]


async def test_bad_iteration_layouts_are_refused(api: Api) -> None:
    art = await create_art(api)
    assert await refused_pi(
        api,
        art,
        [
            {"startDate": "2027-01-04", "endDate": "2027-01-15", "kind": "IP"},
            {"startDate": "2027-01-18", "endDate": "2027-01-29"},
        ],
    ) == [
        "Iteration 1 is an IP iteration but is not the last one; the IP iteration closes the "
        "planning interval."
    ]
    assert await refused_pi(
        api,
        art,
        [
            {"startDate": "2027-01-04", "endDate": "2027-01-15"},
            {"startDate": "2027-01-15", "endDate": "2027-01-29"},
        ],
    ) == [
        "Iteration 2 starts on 2027-01-15, before the previous iteration ends (2027-01-15); "
        "iterations follow each other without overlap."
    ]
    assert await refused_pi(api, art, [{"startDate": "2026-12-28", "endDate": "2027-01-08"}]) == [
        "Iteration 1 (2026-12-28 to 2027-01-08) lies outside the planning interval (2027-01-04 to "
        "2027-03-12)."
    ]
    assert await refused_pi(api, art, [], endDate="2027-01-01") == [
        "The planning interval ends (2027-01-01) before it starts (2027-01-04)."
    ]


async def test_an_iteration_with_feature_work_cannot_become_ip(api: Api) -> None:
    plan = await basic_plan(api)  # the feature is planned in iteration 2
    payload = await api.mutate(
        "updateIteration",
        "iteration { id }",
        {"id": plan.iterations[1], "version": 1, "kind": "IP"},
    )
    assert [(e["code"], e["message"]) for e in payload["errors"]] == [
        (
            "INVALID_VALUE",
            "Iteration 2 is an IP iteration but is not the last one; the IP iteration "
            "closes the planning interval.",
        ),
        (
            "IP_ITERATION",
            "1 feature(s) or user stories are planned in this iteration; the IP "
            "iteration holds no feature work, so move them before making it the IP iteration.",
        ),
    ]
    assert await api.query(
        f'{{ node(id: "{plan.iterations[1]}") {{ ... on Iteration {{ kind version }} }} }}'
    ) == {"node": {"kind": "REGULAR", "version": 1}}
    in_use = await api.mutate(
        "archiveIteration", "iteration { id }", {"id": plan.iterations[1], "version": 1}
    )
    assert in_use["errors"][0]["message"] == (
        "Iteration 2 is still used by 1 features; move or archive them first."
    )


async def test_milestones_live_inside_their_planning_interval(api: Api) -> None:
    plan = await basic_plan(api)
    demo = await ok(
        api,
        "createMilestone",
        "milestone { id name date kind }",
        {
            "planningIntervalId": plan.pi,
            "name": "System demo",
            "date": "2027-01-29",
            "kind": "SYSTEM_DEMO",
        },
    )
    assert (demo["name"], demo["date"], demo["kind"]) == (
        "System demo",
        "2027-01-29",
        "SYSTEM_DEMO",
    )
    outside = await api.mutate(
        "createMilestone",
        "milestone { id }",
        {"planningIntervalId": plan.pi, "name": "Launch", "date": "2027-04-01"},
    )
    assert outside["errors"][0]["message"] == (
        "The milestone date 2027-04-01 lies outside its planning interval (2027-01-04 to 2027-03-12)."
    )
    shrink = await api.mutate(
        "updatePlanningInterval",
        "planningInterval { id }",
        {"id": plan.pi, "version": 1, "endDate": "2027-01-20"},
    )
    assert [e["message"] for e in shrink["errors"]][-1] == (
        "1 milestone(s) would fall outside the new dates; move them first."
    )
    assert shrink["planningInterval"] is None
    data = await api.query(
        f'{{ node(id: "{plan.pi}") {{ ... on PlanningInterval {{ endDate milestones {{ nodes {{ name }} }} }} }} }}'
    )
    assert data["node"] == {
        "endDate": "2027-03-12",
        "milestones": {"nodes": [{"name": "System demo"}]},
    }

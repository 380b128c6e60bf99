"""Estimating in a session: points replace a t-shirt size and a size replaces points, as in
any story change (services/DOMAIN.md, Estimates); both at once is refused, naming both."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.schema.factories import basic_plan, create_story, ok

BOTH = "Estimate a story in points or in a t-shirt size, not both: give points or tshirtSize."
ESTIMATE = "story { version points tshirtSize estimatedPoints }"


async def running_session(api: Api, team: str, items: list[str]) -> str:
    session = await ok(
        api,
        "createRefinementSession",
        "session { id version }",
        {"teamId": team, "startsAt": "2026-12-01T09:00:00+00:00", "timeboxMinutes": 60},
    )
    agenda = await ok(
        api,
        "setRefinementAgenda",
        "session { version }",
        {"id": session["id"], "version": session["version"], "itemIds": items},
    )
    await ok(
        api,
        "startRefinementSession",
        "session { id }",
        {"id": session["id"], "version": agenda["version"]},
    )
    return str(session["id"])


async def story_state(api: Api, story_id: str) -> dict[str, Any]:
    data = await api.query(
        "query($id: ID!) { node(id: $id) { ... on Story { version points tshirtSize "
        "history { totalCount } } } }",
        {"id": story_id},
    )
    found: dict[str, Any] = data["node"]
    return found


async def test_refining_with_points_replaces_a_tshirt_size_and_back(api: Api) -> None:
    plan = await basic_plan(api)
    sized = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1", tshirtSize="M")
    session = await running_session(api, plan.atlas, [sized["id"]])
    pointed = await ok(
        api,
        "refineStory",
        ESTIMATE,
        {"sessionId": session, "storyId": sized["id"], "version": 1, "points": 5},
    )
    assert pointed == {"version": 2, "points": 5, "tshirtSize": None, "estimatedPoints": 5}
    resized = await ok(
        api,
        "refineStory",
        ESTIMATE,
        {"sessionId": session, "storyId": sized["id"], "version": 2, "tshirtSize": "XL"},
    )
    assert resized == {"version": 3, "points": None, "tshirtSize": "XL", "estimatedPoints": 8}
    log = await api.query(
        "query($id: ID!) { node(id: $id) { ... on RefinementSession { events "
        "{ nodes { kind message } } } } }",
        {"id": session},
    )
    estimated = [e for e in log["node"]["events"]["nodes"] if e["kind"] == "ESTIMATED"]
    assert estimated == [
        {"kind": "ESTIMATED", "message": "ATL-1 estimated: 5."},
        {"kind": "ESTIMATED", "message": "ATL-1 estimated: XL."},
    ]

    before = await story_state(api, sized["id"])
    both = await api.mutate(
        "refineStory",
        "story { id }",
        {
            "sessionId": session,
            "storyId": sized["id"],
            "version": 3,
            "points": 3,
            "tshirtSize": "S",
        },
    )
    assert both == {
        "story": None,
        "errors": [
            {"code": "INVALID_VALUE", "message": BOTH, "field": "points", "currentVersion": None}
        ],
    }
    assert await story_state(api, sized["id"]) == before


async def test_a_spike_is_sized_one_way(api: Api) -> None:
    plan = await basic_plan(api)
    story = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1")
    spike = {
        "itemId": story["id"],
        "key": "ATL-2",
        "title": "Which refund API does the bank offer?",
        "spikeTimeboxDays": 2,
    }
    both = await api.mutate(
        "createSpike", "spike { id }", {**spike, "points": 2, "tshirtSize": "S"}
    )
    assert both["errors"] == [
        {"code": "INVALID_VALUE", "message": BOTH, "field": "points", "currentVersion": None}
    ]
    count = await api.query('{ art(key: "PAY") { stories { totalCount } } }')
    assert count == {"art": {"stories": {"totalCount": 1}}}
    made = await ok(api, "createSpike", "spike { points tshirtSize }", {**spike, "tshirtSize": "S"})
    assert made == {"points": None, "tshirtSize": "S"}

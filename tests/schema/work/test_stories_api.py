"""Stories through the API: estimation scales, spikes, blocked flag, planning rules, filters."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.schema.factories import Plan, basic_plan, create_art, create_story, create_team, ok

STORY_FIELDS = (
    "id key points tshirtSize estimatedPoints kind status isBlocked blockedReason "
    "spikeTimeboxDays refinementTag version iteration { index } team { key } feature { key }"
)
STORY = f"story {{ {STORY_FIELDS} }}"


async def story_count(api: Api) -> int:
    data = await api.query(
        '{ art(key: "PAY") { stories(filter: {archived: null}) { totalCount } } }'
    )
    return int(data["art"]["stories"]["totalCount"])


async def refused(api: Api, plan: Plan, **fields: object) -> list[tuple[str, str]]:
    """Create a story that must be refused; returns (code, field) pairs; asserts nothing written."""
    before = await story_count(api)
    input = {
        "featureId": plan.feature["id"],
        "teamId": plan.atlas,
        "key": "ATL-9",
        "title": "T",
        "kind": "USER_STORY",
    }
    input.update(fields)
    payload = await api.mutate("createStory", "story { id }", input)
    assert payload["story"] is None
    assert await story_count(api) == before
    return [(e["code"], e["field"]) for e in payload["errors"]]


async def test_points_and_tshirt_sizes(api: Api) -> None:
    plan = await basic_plan(api)
    pointed = await ok(
        api,
        "createStory",
        STORY,
        {
            "featureId": plan.feature["id"],
            "teamId": plan.atlas,
            "key": "ATL-1",
            "title": "Refund API",
            "kind": "USER_STORY",
            "points": 8,
            "acceptanceCriteria": ["Refund lands within 5 s"],
        },
    )
    assert (pointed["points"], pointed["tshirtSize"], pointed["estimatedPoints"]) == (8, None, 8)
    sized = await ok(
        api,
        "createStory",
        STORY,
        {
            "featureId": plan.feature["id"],
            "teamId": plan.atlas,
            "key": "ATL-2",
            "title": "Refund UI",
            "kind": "USER_STORY",
            "tshirtSize": "L",
        },
    )
    assert (sized["points"], sized["tshirtSize"], sized["estimatedPoints"]) == (None, "L", 5)
    await ok(
        api,
        "updateTeam",
        "team { id }",
        {
            "id": plan.atlas,
            "version": 1,
            "tshirtScale": {"XS": 1, "S": 3, "M": 5, "L": 8, "XL": 13},
        },
    )
    data = await api.query(
        "query($id: ID!) { node(id: $id) { ... on Story { estimatedPoints } } }",
        {"id": sized["id"]},
    )
    assert data["node"] == {"estimatedPoints": 8}


async def test_estimates_outside_the_scales_are_refused(api: Api) -> None:
    plan = await basic_plan(api)
    assert await refused(api, plan, points=4) == [("OUT_OF_SCALE", "points")]
    assert await refused(api, plan, points=5, tshirtSize="M") == [("INVALID_VALUE", "points")]
    body = await api.raw(
        'mutation($f: ID!, $t: ID!) { createStory(input: {featureId: $f, teamId: $t, key: "ATL-9", '
        'title: "T", kind: USER_STORY, tshirtSize: XXL}) { errors { code } } }',
        {"f": plan.feature["id"], "t": plan.atlas},
    )
    assert "XXL" in body["errors"][0]["message"]
    assert await story_count(api) == 0
    payload = await api.mutate(
        "createStory",
        "story { id }",
        {
            "featureId": plan.feature["id"],
            "teamId": plan.atlas,
            "key": "ATL-9",
            "title": "T",
            "kind": "USER_STORY",
            "points": 40,
        },
    )
    assert payload["errors"] == []
    scale = await api.mutate(
        "updateTeam",
        "team { id }",
        {
            "id": plan.atlas,
            "version": 1,
            "tshirtScale": {"XS": 1, "S": 2, "M": 2, "L": 5, "XL": 7},
        },
    )
    assert scale["errors"][0]["code"] == "OUT_OF_SCALE"
    assert scale["errors"][0]["message"] == (
        "tshirtPoints must use story points from 0, 1, 2, 3, 5, 8, 13, 20, 40, 100, strictly "
        "growing from XS to XL."
    )


async def test_spikes_are_time_boxed_and_sized(api: Api) -> None:
    plan = await basic_plan(api)
    assert await refused(api, plan, kind="SPIKE", points=3) == [("REQUIRED", "spikeTimeboxDays")]
    assert await refused(api, plan, kind="SPIKE", spikeTimeboxDays=11) == [
        ("INVALID_VALUE", "spikeTimeboxDays")
    ]
    assert await refused(api, plan, spikeTimeboxDays=3) == [("INVALID_VALUE", "spikeTimeboxDays")]
    spike = await ok(
        api,
        "createStory",
        STORY,
        {
            "featureId": plan.feature["id"],
            "teamId": plan.atlas,
            "key": "ATL-3",
            "title": "Evaluate the card-vault SDK",
            "kind": "SPIKE",
            "spikeTimeboxDays": 3,
            "points": 2,
            "iterationId": plan.ip,
        },
    )
    assert (spike["kind"], spike["spikeTimeboxDays"], spike["points"]) == ("SPIKE", 3, 2)
    assert spike["iteration"] == {"index": 5}


async def test_blocked_needs_a_reason_and_unblocking_clears_it(api: Api) -> None:
    plan = await basic_plan(api)
    assert await refused(api, plan, isBlocked=True) == [("REQUIRED", "blockedReason")]
    story = await create_story(
        api,
        plan.feature["id"],
        plan.atlas,
        "ATL-1",
        isBlocked=True,
        blockedReason="Waiting for the PSP sandbox",
    )
    unblocked = await ok(
        api, "updateStory", STORY, {"id": story["id"], "version": 1, "isBlocked": False}
    )
    assert (unblocked["isBlocked"], unblocked["blockedReason"], unblocked["version"]) == (
        False,
        "",
        2,
    )


async def test_team_and_iteration_must_fit_the_feature(api: Api) -> None:
    plan = await basic_plan(api)
    other_art = await create_art(api, "OPS", "Operations")
    outsider = await create_team(api, other_art, "OPT")
    assert await refused(api, plan, teamId=outsider) == [("WRONG_ART", "teamId")]
    assert await refused(api, plan, iterationId=plan.ip) == [("IP_ITERATION", "iterationId")]
    other_pi = await ok(
        api,
        "createPlanningInterval",
        "planningInterval { iterations { id } }",
        {
            "artId": plan.art,
            "name": "PI 2027.2",
            "startDate": "2027-03-15",
            "endDate": "2027-05-21",
            "iterations": [{"startDate": "2027-03-15", "endDate": "2027-03-26"}],
        },
    )
    assert await refused(api, plan, iterationId=other_pi["iterations"][0]["id"]) == [
        ("WRONG_PLANNING_INTERVAL", "iterationId")
    ]
    unplanned = await ok(
        api,
        "createFeature",
        "feature { id }",
        {"artId": plan.art, "key": "PAY-2", "title": "Unplanned", "kind": "BUSINESS"},
    )
    payload = await api.mutate(
        "createStory",
        "story { id }",
        {
            "featureId": unplanned["id"],
            "teamId": plan.atlas,
            "key": "ATL-8",
            "title": "T",
            "kind": "USER_STORY",
            "iterationId": plan.iterations[0],
        },
    )
    assert payload["errors"][0]["message"] == (
        "iterationId: its feature PAY-2 has no planning interval yet, so a user story cannot be "
        "planned into an iteration; set the planning interval first."
    )


async def test_duplicate_key_in_a_team_and_same_key_in_another_team(api: Api) -> None:
    plan = await basic_plan(api)
    await create_story(api, plan.feature["id"], plan.atlas, "ATL-1")
    assert await refused(api, plan, key="ATL-1") == [("DUPLICATE_KEY", "key")]
    assert await refused(api, plan, key="atl 1") == [("INVALID_VALUE", "key")]
    await create_story(api, plan.feature["id"], plan.nova, "ATL-1")  # keys are unique per team


async def test_story_filters_by_team_status_feature_and_tag(api: Api) -> None:
    plan = await basic_plan(api)
    f2 = await ok(
        api,
        "createFeature",
        "feature { id }",
        {"artId": plan.art, "key": "PAY-2", "title": "Second", "kind": "BUSINESS"},
    )
    await create_story(api, plan.feature["id"], plan.atlas, "ATL-1", refinementTag="refine-next")
    await create_story(api, plan.feature["id"], plan.nova, "NOV-1", status="IN_PROGRESS")
    await create_story(
        api, f2["id"], plan.atlas, "ATL-2", refinementTag="refine-next", status="DONE"
    )

    async def keys(filter_: str) -> list[str]:
        data = await api.query(
            f'{{ art(key: "PAY") {{ stories(filter: {filter_}, orderBy: {{field: KEY}}) '
            "{ nodes { key } } } }"
        )
        return [n["key"] for n in data["art"]["stories"]["nodes"]]

    assert await keys(f'{{team: {{eq: "{plan.atlas}"}}}}') == ["ATL-1", "ATL-2"]
    assert await keys("{status: {in: [IN_PROGRESS, DONE]}}") == ["ATL-2", "NOV-1"]
    assert await keys(f'{{feature: {{eq: "{f2["id"]}"}}}}') == ["ATL-2"]
    assert await keys('{tag: {eq: "refine-next"}}') == ["ATL-1", "ATL-2"]
    assert await keys('{tag: {eq: "refine-next"}, status: {eq: DONE}}') == ["ATL-2"]
    team = await api.query(
        f'query {{ node(id: "{plan.nova}") {{ ... on Team {{ stories {{ nodes {{ key }} }} }} }} }}'
    )
    assert team["node"] == {"stories": {"nodes": [{"key": "NOV-1"}]}}
    bad_tag = await refused(api, plan, refinementTag="Refine Next")
    assert bad_tag == [("INVALID_VALUE", "refinementTag")]


HISTORY = "history { totalCount nodes { version fieldChanges { field oldValue newValue } } }"


async def story_state(api: Api, story_id: str) -> dict[str, Any]:
    """What a write that changes nothing (or is refused) must leave as it was."""
    data = await api.query(
        f"query($id: ID!) {{ node(id: $id) {{ ... on Story {{ {STORY_FIELDS} updatedAt "
        f"acceptanceCriteria components {{ name }} {HISTORY} }} }} }}",
        {"id": story_id},
    )
    node: dict[str, Any] = data["node"]
    return node


async def test_a_write_that_changes_nothing_keeps_the_version_and_the_history(api: Api) -> None:
    plan = await basic_plan(api)
    component = await ok(
        api,
        "createComponent",
        "component { id }",
        {"artId": plan.art, "name": "Ledger", "kind": "SERVICE"},
    )
    story = await create_story(
        api,
        plan.feature["id"],
        plan.atlas,
        "ATL-1",
        title="Refund API",
        points=5,
        acceptanceCriteria=["Refund lands within 5 s"],
        componentIds=[component["id"]],
        refinementTag="refine-next",
    )
    before = await story_state(api, story["id"])
    same = {
        "id": story["id"],
        "version": 1,
        "title": " Refund API ",  # trimmed, it is the title it has
        "points": 5,
        "acceptanceCriteria": ["Refund lands within 5 s"],
        "componentIds": [component["id"]],
        "refinementTag": "refine-next",
        "isBlocked": False,
        "blockedReason": "",
        "status": "BACKLOG",
        "kind": "USER_STORY",
    }
    unchanged = await ok(api, "updateStory", STORY, same)
    assert unchanged == {k: v for k, v in before.items() if k in unchanged}
    assert unchanged["version"] == 1
    assert await story_state(api, story["id"]) == before

    # A change of its components alone is a change: one version up, recorded.
    other = await ok(
        api,
        "createComponent",
        "component { id }",
        {"artId": plan.art, "name": "Vault", "kind": "SERVICE"},
    )
    moved = await ok(
        api,
        "updateStory",
        "story { version components { name } }",
        {"id": story["id"], "version": 1, "componentIds": [other["id"]]},
    )
    assert moved == {"version": 2, "components": [{"name": "Vault"}]}
    after = await story_state(api, story["id"])
    assert after["history"]["totalCount"] == 2
    assert after["history"]["nodes"][0]["fieldChanges"][0]["field"] == "componentIds"


async def test_a_blocked_reason_needs_the_story_blocked(api: Api) -> None:
    plan = await basic_plan(api)
    assert await refused(api, plan, blockedReason="Waiting for the PSP") == [
        ("INVALID_VALUE", "blockedReason")
    ]
    story = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1")
    before = await story_state(api, story["id"])
    for change in (
        {"blockedReason": "Waiting for the PSP"},
        {"isBlocked": False, "blockedReason": "PSP"},
    ):
        payload = await api.mutate(
            "updateStory", "story { id }", {"id": story["id"], "version": 1, **change}
        )
        assert payload == {
            "story": None,
            "errors": [
                {
                    "code": "INVALID_VALUE",
                    "message": "blockedReason is kept for a blocked story only, and this one is "
                    "not blocked: send isBlocked: true with it to block the story, or leave the "
                    "reason out.",
                    "field": "blockedReason",
                    "currentVersion": None,
                }
            ],
        }
    assert await story_state(api, story["id"]) == before
    blocked = await ok(
        api,
        "updateStory",
        STORY,
        {
            "id": story["id"],
            "version": 1,
            "isBlocked": True,
            "blockedReason": "Waiting for the PSP",
        },
    )
    assert (blocked["isBlocked"], blocked["blockedReason"], blocked["version"]) == (
        True,
        "Waiting for the PSP",
        2,
    )
    reason = await ok(
        api, "updateStory", STORY, {"id": story["id"], "version": 2, "blockedReason": "PSP down"}
    )
    assert (reason["isBlocked"], reason["blockedReason"], reason["version"]) == (
        True,
        "PSP down",
        3,
    )


async def test_one_kind_of_estimate_replaces_the_other(api: Api) -> None:
    plan = await basic_plan(api)
    story = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1", tshirtSize="M")
    pointed = await ok(api, "updateStory", STORY, {"id": story["id"], "version": 1, "points": 8})
    assert (pointed["points"], pointed["tshirtSize"], pointed["version"]) == (8, None, 2)
    sized = await ok(
        api, "updateStory", STORY, {"id": story["id"], "version": 2, "tshirtSize": "S"}
    )
    assert (sized["points"], sized["tshirtSize"], sized["estimatedPoints"]) == (None, "S", 2)
    history = await story_state(api, story["id"])
    changes = history["history"]["nodes"][0]["fieldChanges"]
    assert sorted((c["field"], c["oldValue"], c["newValue"]) for c in changes) == [
        ("points", 8, None),
        ("tshirtSize", None, "S"),
    ]
    # Clearing one leaves the other; sending both is refused and names both.
    cleared = await ok(api, "updateStory", STORY, {"id": story["id"], "version": 3, "points": None})
    assert (cleared["points"], cleared["tshirtSize"], cleared["version"]) == (None, "S", 3)
    before = await story_state(api, story["id"])
    both = await api.mutate(
        "updateStory",
        "story { id }",
        {"id": story["id"], "version": 3, "points": 3, "tshirtSize": "L"},
    )
    message = (
        "Estimate a story in points or in a t-shirt size, not both: give points or tshirtSize."
    )
    assert both["errors"] == [
        {"code": "INVALID_VALUE", "message": message, "field": "points", "currentVersion": None}
    ]
    assert await story_state(api, story["id"]) == before
    assert await refused(api, plan, points=3, tshirtSize="L") == [("INVALID_VALUE", "points")]

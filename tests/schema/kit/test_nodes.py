"""Relay: every entity is reachable by its global id; lists with enum/date sorts page too."""

from __future__ import annotations

import base64

from tests.conftest import Api
from tests.schema.factories import basic_plan, create_story, ok


async def test_node_and_nodes_resolve_every_type(api: Api) -> None:
    plan = await basic_plan(api)
    story = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1")
    person = await ok(
        api, "createPerson", "person { id }", {"name": "Lin Park", "email": "lin@example.com"}
    )
    ids = [
        plan.art,
        plan.atlas,
        plan.pi,
        plan.iterations[0],
        plan.feature["id"],
        story["id"],
        person["id"],
    ]
    data = await api.query(
        "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", {"ids": ids}
    )
    assert [(n["__typename"], n["id"]) for n in data["nodes"]] == list(
        zip(
            ["Art", "Team", "PlanningInterval", "Iteration", "Feature", "Story", "Person"],
            ids,
            strict=True,
        )
    )
    missing = await api.query('{ node(id: "RmVhdHVyZTo5OTk5OTk=") { id } }')  # Feature:999999
    assert missing == {"node": None}
    bad = await api.raw('{ node(id: "Zm9vOjE=") { id } }')  # foo:1
    assert bad["errors"][0]["message"] == (
        "id: expected an id of type Art or Team or Person or Membership or PlanningInterval or "
        "Iteration or Milestone or Feature or Story or Component or Dependency or HistoryEntry or "
        "RefinementSession or RefinementSchedule or RefinementEvent or FollowUp, got an id of type "
        "foo."
    )
    too_many = await api.raw(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [plan.art] * 101}
    )
    assert too_many["errors"][0]["message"] == "nodes takes at most 100 ids; 101 were given."


async def test_cursors_over_date_and_enum_sorts(api: Api) -> None:
    plan = await basic_plan(api)
    for n, start in enumerate(["2027-03-15", "2027-05-24"], start=2):
        await ok(
            api,
            "createPlanningInterval",
            "planningInterval { id }",
            {"artId": plan.art, "name": f"PI 2027.{n}", "startDate": start, "endDate": start},
        )
    names, after = [], None
    while True:
        data = await api.query(
            'query($a: String) { art(key: "PAY") { planningIntervals(first: 1, after: $a) '
            "{ nodes { name } pageInfo { hasNextPage endCursor } } } }",
            {"a": after},
        )
        conn = data["art"]["planningIntervals"]
        names += [n["name"] for n in conn["nodes"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert names == ["PI 2027.1", "PI 2027.2", "PI 2027.3"]

    person = await ok(
        api, "createPerson", "person { id }", {"name": "Lin Park", "email": "lin@example.com"}
    )
    for role in ["TESTER", "DEVELOPER", "SCRUM_MASTER"]:
        await ok(
            api,
            "createMembership",
            "membership { id }",
            {"personId": person["id"], "teamId": plan.atlas, "role": role},
        )
    roles, after = [], None
    while True:
        data = await api.query(
            f'query($a: String) {{ node(id: "{plan.atlas}") {{ ... on Team {{ memberships(first: 2, after: $a) '
            "{ nodes { role } pageInfo { hasNextPage endCursor } } } } }",
            {"a": after},
        )
        conn = data["node"]["memberships"]
        roles += [n["role"] for n in conn["nodes"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert roles == ["DEVELOPER", "SCRUM_MASTER", "TESTER"]


def story_id(raw_number: str) -> str:
    return base64.b64encode(f"Story:{raw_number}".encode()).decode()


# Each names story 1 in a way this server never writes, or names no row it could hold.
MALFORMED_IDS = [
    story_id("99999999999999999999"),  # beyond a 64-bit integer
    story_id("2147483648"),  # beyond the INTEGER id column
    story_id("01"),
    story_id("\u0661"),  # ARABIC-INDIC DIGIT ONE, which int() reads as 1
    story_id("-1"),
    story_id("+1"),
    story_id(" 1"),
    story_id("1 "),
    story_id("0"),
    story_id(""),
    "U3Rvcnk6MR==",  # Story:1 with non-zero padding bits
    "U3Rvcnk6MQ",  # Story:1 without its padding
    "U3Rvcnk6MQ==\n",
]


async def test_only_canonical_ids_in_range_decode(api: Api) -> None:
    plan = await basic_plan(api)
    story = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1")
    assert story["id"] == story_id("1") == "U3Rvcnk6MQ=="
    state = '{ node(id: "U3Rvcnk6MQ==") { ... on Story { title version history { totalCount } } } }'
    before = await api.query(state)
    for value in MALFORMED_IDS:
        payload = await api.mutate(
            "updateStory", "story { id }", {"id": value, "version": 1, "title": "Renamed"}
        )
        assert payload == {
            "story": None,
            "errors": [
                {
                    "code": "INVALID_ID",
                    "message": f"id: {value!r} is not a valid id.",
                    "field": "id",
                    "currentVersion": None,
                }
            ],
        }
        found = await api.raw(
            "query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }", {"id": value}
        )
        assert found["data"] is None
        assert [e["message"] for e in found["errors"]] == [f"id: {value!r} is not a valid id."] * 2
    wrong_type = await api.mutate(
        "updateStory", "story { id }", {"id": plan.feature["id"], "version": 1, "title": "X"}
    )
    assert wrong_type["errors"] == [
        {
            "code": "INVALID_ID",
            "message": "id: expected an id of type Story, got an id of type Feature.",
            "field": "id",
            "currentVersion": None,
        }
    ]
    assert (
        await api.query(state)
        == before
        == {"node": {"title": "Story ATL-1", "version": 1, "history": {"totalCount": 1}}}
    )

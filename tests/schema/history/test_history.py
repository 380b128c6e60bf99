"""Every change to a plan item is recorded: who, when, which fields, old and new values."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import Api, make_person
from tests.schema.factories import basic_plan, create_story, ok

HISTORY = (
    "history { totalCount nodes { action version entityType itemId actorLabel viaApiToken "
    "actor { email } fieldChanges { field oldValue newValue } } }"
)


def changes(entry: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {c["field"]: (c["oldValue"], c["newValue"]) for c in entry["fieldChanges"]}


async def history_of(api: Api, item_id: str) -> list[dict[str, Any]]:
    data = await api.query(f'{{ node(id: "{item_id}") {{ ... on Versioned {{ {HISTORY} }} }} }}')
    nodes: list[dict[str, Any]] = data["node"]["history"]["nodes"]
    assert data["node"]["history"]["totalCount"] == len(nodes)
    return nodes


async def test_create_update_archive_are_recorded_with_old_and_new_values(api: Api) -> None:
    plan = await basic_plan(api)
    feature = plan.feature["id"]
    component = await ok(
        api,
        "createComponent",
        "component { id }",
        {"artId": plan.art, "name": "Ledger", "kind": "SERVICE"},
    )
    await ok(
        api,
        "updateFeature",
        "feature { id }",
        {
            "id": feature,
            "version": 1,
            "title": "Instant refunds",
            "userBusinessValue": 8,
            "componentIds": [component["id"]],
        },
    )
    await ok(api, "archiveFeature", "feature { id }", {"id": feature, "version": 2})
    archived, updated, created = await history_of(api, feature)  # newest first

    assert (created["action"], created["version"], created["entityType"], created["itemId"]) == (
        "CREATE",
        1,
        "Feature",
        feature,
    )
    assert created["actor"] == {"email": "admin@tests.trainyard"}
    assert created["actorLabel"] == "admin@tests.trainyard"
    assert created["viaApiToken"] is True
    assert changes(created)["key"] == (None, "PAY-1")
    assert changes(created)["kind"] == (None, "BUSINESS")

    assert (updated["action"], updated["version"]) == ("UPDATE", 2)
    assert changes(updated) == {
        "title": ("Feature PAY-1", "Instant refunds"),
        "userBusinessValue": (None, 8),
        "componentIds": ([], [component["id"]]),  # the global id, never the database id
    }

    assert (archived["action"], archived["version"]) == ("ARCHIVE", 3)
    assert changes(archived) == {}


async def test_history_is_exact_about_who_acted(api: Api, engine: AsyncEngine) -> None:
    plan = await basic_plan(api)
    _, secret = await make_person(engine, "sam@example.com")
    gid = (
        await api.query('{ people(filter: {email: {eq: "sam@example.com"}}) { nodes { id } } }')
    )["people"]["nodes"][0]["id"]
    await ok(
        api,
        "createMembership",
        "membership { id }",
        {"personId": gid, "teamId": plan.atlas, "role": "SCRUM_MASTER"},
    )
    story = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1")
    sam = api.as_token(secret)
    await ok(
        sam,
        "updateStory",
        "story { id }",
        {"id": story["id"], "version": 1, "points": 5, "refinementTag": "refine-next"},
    )
    update, create = await history_of(api, story["id"])
    assert create["actor"] == {"email": "admin@tests.trainyard"}
    assert update["actor"] == {"email": "sam@example.com"}
    assert changes(update) == {"points": (None, 5), "refinementTag": (None, "refine-next")}


async def test_the_activity_feed_filters_by_person_team_type_and_time(
    api: Api, engine: AsyncEngine
) -> None:
    plan = await basic_plan(api)
    await create_story(api, plan.feature["id"], plan.atlas, "ATL-1")
    await create_story(api, plan.feature["id"], plan.nova, "NOV-1")
    _, secret = await make_person(engine, "sam@example.com")
    gid = (
        await api.query('{ people(filter: {email: {eq: "sam@example.com"}}) { nodes { id } } }')
    )["people"]["nodes"][0]["id"]
    await ok(
        api,
        "createMembership",
        "membership { id }",
        {"personId": gid, "artId": plan.art, "role": "PRODUCT_MANAGER"},
    )
    await ok(
        api.as_token(secret),
        "updateFeature",
        "feature { id }",
        {"id": plan.feature["id"], "version": 1, "jobSize": 3},
    )

    async def feed(filter_: str = "") -> list[tuple[str, str]]:
        data = await api.query(
            f'{{ art(key: "PAY") {{ activity{filter_} {{ nodes {{ entityType action actorLabel }} }} }} }}'
        )
        return [(n["entityType"], n["action"]) for n in data["art"]["activity"]["nodes"]]

    everything = await feed()
    assert everything[0] == ("Feature", "UPDATE")  # newest first
    assert sorted(everything) == sorted(
        [
            ("Art", "CREATE"),
            ("Team", "CREATE"),
            ("Team", "CREATE"),
            ("PlanningInterval", "CREATE"),
            ("Iteration", "CREATE"),
            ("Iteration", "CREATE"),
            ("Iteration", "CREATE"),
            ("Iteration", "CREATE"),
            ("Iteration", "CREATE"),
            ("Feature", "CREATE"),
            ("Story", "CREATE"),
            ("Story", "CREATE"),
            ("Membership", "CREATE"),
            ("Feature", "UPDATE"),
        ]
    )
    assert await feed(f'(filter: {{person: {{eq: "{gid}"}}}})') == [("Feature", "UPDATE")]
    assert await feed(f'(filter: {{team: {{eq: "{plan.nova}"}}, itemType: {{eq: "Story"}}}})') == [
        ("Story", "CREATE")
    ]
    async with engine.connect() as conn:
        last = (await conn.execute(text("SELECT max(at) FROM history"))).scalar_one()
    later = str(last).replace(" ", "T")
    assert await feed(f'(filter: {{since: "{later}"}})') == [("Feature", "UPDATE")]
    assert ("Feature", "UPDATE") not in await feed(f'(filter: {{until: "{later}"}})')


async def test_refused_writes_leave_no_history(api: Api, engine: AsyncEngine) -> None:
    plan = await basic_plan(api)
    async with engine.connect() as conn:
        before = (await conn.execute(text("SELECT count(*) FROM history"))).scalar_one()
    payload = await api.mutate(
        "updateFeature", "feature { id }", {"id": plan.feature["id"], "version": 1, "jobSize": 4}
    )
    assert payload["errors"][0]["code"] == "OUT_OF_SCALE"
    stale = await api.mutate(
        "updateFeature", "feature { id }", {"id": plan.feature["id"], "version": 7, "jobSize": 5}
    )
    assert stale["errors"][0]["code"] == "CONFLICT"
    async with engine.connect() as conn:
        after = (await conn.execute(text("SELECT count(*) FROM history"))).scalar_one()
    assert after == before


async def test_a_refused_activity_filter_names_the_field_clients_sent(api: Api) -> None:
    await basic_plan(api)
    result = await api.raw(
        'query($types: [String!]!) { art(key: "PAY") {'
        " activity(filter: {itemType: {in: $types}}) { totalCount } } }",
        {"types": ["Story"] * 101},
    )
    assert [e["message"] for e in result["errors"]] == [
        "itemType.in lists 101 values; at most 100 are allowed."
    ]

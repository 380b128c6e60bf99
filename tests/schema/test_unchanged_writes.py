"""A write that changes nothing writes nothing, whatever it writes to: the item keeps its
version, its history has no new entry, and the payload shows it as it was (services.core.records).
A change outside the row's own columns (a session's agenda, its participants) is a change:
one version up and one history entry saying what changed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.kit.relay import to_global_id
from tests.conftest import Api, make_person
from tests.schema.factories import basic_plan, create_story, ok

STATE = "version updatedAt history { totalCount }"


async def state(api: Api, node_id: str) -> dict[str, Any]:
    data = await api.query(
        f"query($id: ID!) {{ node(id: $id) {{ ... on Versioned {{ {STATE} }} }} }}",
        {"id": node_id},
    )
    found: dict[str, Any] = data["node"]
    return found


async def history_rows(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT count(*) FROM history"))).scalar_one())


async def same_again(
    api: Api, mutation: str, entity: str, node_id: str, input: dict[str, Any]
) -> None:
    """`input` gives the item what it has: the payload shows its version as it was, and
    nothing about it changed."""
    before = await state(api, node_id)
    saved = await ok(api, mutation, f"{entity} {{ id version }}", input)
    assert saved == {"id": node_id, "version": before["version"]}, mutation
    assert await state(api, node_id) == before, mutation


async def test_updates_that_change_nothing_write_nothing(api: Api, engine: AsyncEngine) -> None:
    plan = await basic_plan(api)
    component = await ok(
        api,
        "createComponent",
        "component { id }",
        {"artId": plan.art, "name": "Ledger", "kind": "SERVICE", "owningTeamId": plan.atlas},
    )
    milestone = await ok(
        api,
        "createMilestone",
        "milestone { id }",
        {"planningIntervalId": plan.pi, "name": "Release 1", "date": "2027-02-01"},
    )
    person = await ok(
        api, "createPerson", "person { id }", {"name": "Pia", "email": "pia@tests.trainyard"}
    )
    story = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1", tshirtSize="M")
    iteration = plan.iterations[0]
    rows = await history_rows(engine)

    await same_again(
        api,
        "updateArt",
        "art",
        plan.art,
        {"id": plan.art, "version": 1, "key": "PAY", "name": "Pay train", "description": ""},
    )
    await same_again(
        api,
        "updateTeam",
        "team",
        plan.atlas,
        {"id": plan.atlas, "version": 1, "key": "ATL", "name": "Atlas", "isSharedServices": False},
    )
    await same_again(
        api,
        "updatePerson",
        "person",
        person["id"],
        {"id": person["id"], "version": 1, "name": "Pia", "email": "pia@tests.trainyard"},
    )
    await same_again(
        api,
        "updatePlanningInterval",
        "planningInterval",
        plan.pi,
        {"id": plan.pi, "version": 1, "name": "PI 2027.1"},
    )
    await same_again(
        api,
        "updateIteration",
        "iteration",
        iteration,
        {"id": iteration, "version": 1, "startDate": "2027-01-04", "endDate": "2027-01-15"},
    )
    await same_again(
        api,
        "updateMilestone",
        "milestone",
        milestone["id"],
        {"id": milestone["id"], "version": 1, "name": "Release 1", "date": "2027-02-01"},
    )
    await same_again(
        api,
        "updateComponent",
        "component",
        component["id"],
        {
            "id": component["id"],
            "version": 1,
            "name": "Ledger",
            "kind": "SERVICE",
            "owningTeamId": plan.atlas,
        },
    )
    await same_again(
        api,
        "updateFeature",
        "feature",
        plan.feature["id"],
        {
            "id": plan.feature["id"],
            "version": 1,
            "title": "Feature PAY-1",
            "kind": "BUSINESS",
            "state": "FUNNEL",
            "owningTeamId": plan.atlas,
            "componentIds": [],
            "acceptanceCriteria": [],
        },
    )
    await same_again(
        api,
        "updateStory",
        "story",
        story["id"],
        {"id": story["id"], "version": 1, "tshirtSize": "M", "blockedReason": None},
    )
    assert await history_rows(engine) == rows


async def test_session_writes_that_change_nothing_write_nothing(
    api: Api, engine: AsyncEngine
) -> None:
    plan = await basic_plan(api)
    dev, _ = await make_person(engine, "dev@tests.trainyard", scope=None)
    dev_id = to_global_id("Person", dev)
    stories = [await create_story(api, plan.feature["id"], plan.atlas, f"ATL-{n}") for n in (1, 2)]
    ids = [s["id"] for s in stories]
    session = await ok(
        api,
        "createRefinementSession",
        "session { id version }",
        {
            "teamId": plan.atlas,
            "startsAt": "2026-12-01T09:00:00+00:00",
            "timeboxMinutes": 60,
            "participantIds": [dev_id],
        },
    )
    agenda = await ok(
        api,
        "setRefinementAgenda",
        "session { id version }",
        {"id": session["id"], "version": 1, "itemIds": ids},
    )
    assert agenda["version"] == 2
    events = "events { totalCount }"
    before = await api.query(
        f"query($id: ID!) {{ node(id: $id) {{ ... on RefinementSession {{ {STATE} {events} }} }} }}",
        {"id": session["id"]},
    )
    rows = await history_rows(engine)
    await same_again(
        api,
        "setRefinementAgenda",
        "session",
        session["id"],
        {"id": session["id"], "version": 2, "itemIds": ids},
    )
    await same_again(
        api,
        "updateRefinementSession",
        "session",
        session["id"],
        {
            "id": session["id"],
            "version": 2,
            "title": "Atlas refinement",
            "startsAt": "2026-12-01T10:00:00+01:00",  # the same instant
            "timeboxMinutes": 60,
            "participantIds": [dev_id],
            "notes": None,
        },
    )
    after = await api.query(
        f"query($id: ID!) {{ node(id: $id) {{ ... on RefinementSession {{ {STATE} {events} }} }} }}",
        {"id": session["id"]},
    )
    assert after == before  # no event logged either
    assert await history_rows(engine) == rows

    # Who takes part is part of the session: a change of it is a change.
    changed = await ok(
        api,
        "updateRefinementSession",
        "session { version participants { name } "
        "history { nodes { fieldChanges { field oldValue newValue } } } }",
        {"id": session["id"], "version": 2, "participantIds": []},
    )
    assert changed["version"] == 3
    assert changed["participants"] == []
    assert changed["history"]["nodes"][0]["fieldChanges"] == [
        {"field": "participantIds", "oldValue": [dev_id], "newValue": []}
    ]

    started = await ok(
        api,
        "startRefinementSession",
        "session { version }",
        {"id": session["id"], "version": 3},
    )
    covered = await ok(
        api,
        "coverAgendaItem",
        "session { version history { nodes { fieldChanges { field oldValue newValue } } } }",
        {"sessionId": session["id"], "version": started["version"], "itemId": ids[0]},
    )
    assert covered["version"] == started["version"] + 1
    assert covered["history"]["nodes"][0]["fieldChanges"] == [
        {"field": "coveredStoryIds", "oldValue": [], "newValue": [ids[0]]}
    ]
    await same_again(
        api,
        "coverAgendaItem",
        "session",
        session["id"],
        {"sessionId": session["id"], "version": covered["version"], "itemId": ids[0]},
    )

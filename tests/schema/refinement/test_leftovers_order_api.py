"""A closed session's leftovers roll to the team's next session and come first on its agenda,
in their own order, ahead of the items it already had (README, closeRefinementSession)."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.schema.factories import basic_plan, create_story, ok

AGENDA = "agenda { position story { key } carriedFrom { id } }"
NEXT = (
    "query($id: ID!) { node(id: $id) { ... on RefinementSession { version "
    + AGENDA
    + " history { totalCount nodes { fieldChanges { field oldValue newValue } } } "
    "events { nodes { kind message } } } } }"
)


async def session_with(api: Api, team: str, starts: str, items: list[str]) -> dict[str, Any]:
    made = await ok(
        api,
        "createRefinementSession",
        "session { id version }",
        {"teamId": team, "startsAt": starts, "timeboxMinutes": 60},
    )
    return await ok(
        api,
        "setRefinementAgenda",
        "session { id version }",
        {"id": made["id"], "version": made["version"], "itemIds": items},
    )


async def test_leftovers_come_first_on_a_next_session_that_has_an_agenda(api: Api) -> None:
    plan = await basic_plan(api)
    stories = [
        await create_story(api, plan.feature["id"], plan.atlas, f"ATL-{n}") for n in range(1, 9)
    ]
    ids = {s["key"]: s["id"] for s in stories}
    first = await session_with(
        api, plan.atlas, "2026-12-01T09:00:00+00:00", [ids[f"ATL-{n}"] for n in (1, 2, 3, 4)]
    )
    # The next one already holds ATL-7, ATL-8 and one of the leftovers-to-be, ATL-3, last.
    second = await session_with(
        api, plan.atlas, "2026-12-08T09:00:00+00:00", [ids[k] for k in ("ATL-7", "ATL-8", "ATL-3")]
    )
    before = await api.query(NEXT, {"id": second["id"]})
    started = await ok(
        api,
        "startRefinementSession",
        "session { version }",
        {"id": first["id"], "version": first["version"]},
    )
    covered = await ok(
        api,
        "coverAgendaItem",
        "session { version }",
        {"sessionId": first["id"], "version": started["version"], "itemId": ids["ATL-2"]},
    )
    closed = await ok(
        api,
        "closeRefinementSession",
        "session { summary { leftOver { key } rolledTo { id } } }",
        {"id": first["id"], "version": covered["version"]},
    )
    assert closed["summary"] == {
        "leftOver": [{"key": "ATL-1"}, {"key": "ATL-3"}, {"key": "ATL-4"}],
        "rolledTo": {"id": second["id"]},
    }
    after = (await api.query(NEXT, {"id": second["id"]}))["node"]
    carried = {"id": first["id"]}
    assert after["agenda"] == [
        {"position": 1, "story": {"key": "ATL-1"}, "carriedFrom": carried},
        {"position": 2, "story": {"key": "ATL-3"}, "carriedFrom": carried},
        {"position": 3, "story": {"key": "ATL-4"}, "carriedFrom": carried},
        {"position": 4, "story": {"key": "ATL-7"}, "carriedFrom": None},
        {"position": 5, "story": {"key": "ATL-8"}, "carriedFrom": None},
    ]
    # A new agenda is a change of the session: one version up, and its history says so.
    assert after["version"] == before["node"]["version"] + 1
    assert after["history"]["totalCount"] == before["node"]["history"]["totalCount"] + 1
    assert after["history"]["nodes"][0]["fieldChanges"] == [
        {
            "field": "agendaStoryIds",
            "oldValue": [ids[k] for k in ("ATL-7", "ATL-8", "ATL-3")],
            "newValue": [ids[k] for k in ("ATL-1", "ATL-3", "ATL-4", "ATL-7", "ATL-8")],
        }
    ]
    assert after["events"]["nodes"][-1] == {
        "kind": "AGENDA_CHANGED",
        "message": "3 item(s) left over from Atlas refinement (2026-12-01) put first on the "
        "agenda.",
    }

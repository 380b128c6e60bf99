"""updateRefinementSession through the API: an open session's title, start, timebox, people and
notes change as given (what is left out stays), each change is logged; refused input says
why and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from schema.kit.relay import to_global_id
from tests.conftest import Api, make_person
from tests.schema.factories import basic_plan, ok

READ = (
    "version title startsAt timeboxMinutes notes status facilitator { name } "
    "participants { name } events { totalCount nodes { kind message } }"
)
ERRORS = "errors { code message field currentVersion }"


@dataclass
class Train:
    atlas: str
    people: dict[str, str]  # name -> global id
    tokens: dict[str, str]  # name -> API token


async def build_train(api: Api, engine: AsyncEngine) -> Train:
    """Teams Atlas and Nova of PAY; Atlas's scrum master, product owner and developer, and
    Nova's scrum master, each with an API token."""
    plan = await basic_plan(api)
    roles = {
        "sam": ("SCRUM_MASTER", plan.atlas),
        "pia": ("PRODUCT_OWNER", plan.atlas),
        "dev": ("DEVELOPER", plan.atlas),
        "nora": ("SCRUM_MASTER", plan.nova),
    }
    t = Train(plan.atlas, {}, {})
    for name, (role, team) in roles.items():
        pk, secret = await make_person(engine, f"{name}@tests.trainyard")
        assert secret is not None
        t.people[name], t.tokens[name] = to_global_id("Person", pk), secret
        await ok(
            api,
            "createMembership",
            "membership { id }",
            {"personId": t.people[name], "role": role, "teamId": team},
        )
    return t


async def scheduled(api: Api, t: Train) -> dict[str, Any]:
    return await ok(
        api.as_token(t.tokens["sam"]),
        "createRefinementSession",
        "session { id version }",
        {
            "teamId": t.atlas,
            "startsAt": "2027-02-02T09:00:00+00:00",
            "timeboxMinutes": 60,
            "participantIds": [t.people["sam"], t.people["pia"]],
        },
    )


async def state(api: Api, session_id: str) -> dict[str, Any]:
    data = await api.query(
        f"query($id: ID!) {{ node(id: $id) {{ ... on RefinementSession {{ {READ} }} }} }}",
        {"id": session_id},
    )
    found: dict[str, Any] = data["node"]
    return found


async def update(api: Api, token: str, input_: dict[str, Any]) -> dict[str, Any]:
    return await api.as_token(token).mutate(
        "updateRefinementSession", f"session {{ {READ} }}", input_
    )


async def test_an_update_writes_the_values_given_and_keeps_the_rest(
    api: Api, engine: AsyncEngine
) -> None:
    t = await build_train(api, engine)
    session = await scheduled(api, t)
    changed = await update(
        api,
        t.tokens["sam"],
        {
            "id": session["id"],
            "version": 1,
            "title": "Atlas refinement, payments edge cases",
            "startsAt": "2027-02-03T14:30:00+01:00",
            "timeboxMinutes": 90,
            "participantIds": [t.people["sam"], t.people["dev"]],
            "facilitatorId": t.people["pia"],
            "notes": "Bring the gateway logs.",
        },
    )
    logged = [
        {
            "kind": "SCHEDULED",
            "message": "Atlas refinement scheduled for 2027-02-02 09:00 UTC (60 minutes).",
        },
        {
            "kind": "CHANGED",
            "message": "Changed: title, start, timebox, notes, facilitator, participants.",
        },
    ]
    written: dict[str, Any] = {
        "version": 2,
        "title": "Atlas refinement, payments edge cases",
        "startsAt": "2027-02-03T13:30:00+00:00",
        "timeboxMinutes": 90,
        "notes": "Bring the gateway logs.",
        "status": "SCHEDULED",
        "facilitator": {"name": "Pia"},
        "participants": [{"name": "Sam"}, {"name": "Dev"}],
        "events": {"totalCount": 2, "nodes": logged},
    }
    assert changed == {"session": written, "errors": []}
    assert await state(api, session["id"]) == written

    cleared = await update(
        api, t.tokens["pia"], {"id": session["id"], "version": 2, "facilitatorId": None}
    )
    assert cleared["errors"] == []
    assert cleared["session"] == {
        **written,
        "version": 3,
        "facilitator": None,
        "events": {
            "totalCount": 3,
            "nodes": [
                *logged,
                {"kind": "CHANGED", "message": "Changed: facilitator."},
            ],
        },
    }


async def test_refused_updates_say_why_and_write_nothing(api: Api, engine: AsyncEngine) -> None:
    t = await build_train(api, engine)
    session = await scheduled(api, t)
    before = await state(api, session["id"])
    sam = t.tokens["sam"]
    given = {"id": session["id"], "version": 1}

    def errors(payload: dict[str, Any]) -> list[tuple[str, str, str]]:
        assert payload["session"] is None
        return [(e["code"], e["field"], e["message"]) for e in payload["errors"]]

    invalid = await update(
        api,
        sam,
        {
            **given,
            "title": "  ",
            "timeboxMinutes": 45,
            "notes": "x" * 20_001,
            "participantIds": [t.people["sam"], to_global_id("Person", 9_999)],
        },
    )
    assert errors(invalid) == [
        ("REQUIRED", "title", "title must not be blank."),
        (
            "TIMEBOX",
            "timeboxMinutes",
            "timeboxMinutes: A team's technical refinement is time-boxed to 60-90 minutes; got 45.",
        ),
        ("TOO_LONG", "notes", "notes is 20001 characters long; at most 20000 are allowed."),
        (
            "NOT_FOUND",
            "participantIds",
            "participantIds: 1 of the people named do not exist or are archived.",
        ),
    ]
    naive = await update(api, sam, {**given, "startsAt": "2027-02-03T14:30:00"})
    assert errors(naive) == [
        ("REQUIRED", "startsAt", "startsAt: a date and time with its UTC offset.")
    ]
    stale = await update(api, sam, {**given, "version": 7, "notes": "Late."})
    assert [(e["code"], e["field"], e["currentVersion"]) for e in stale["errors"]] == [
        ("CONFLICT", "version", 1)
    ]
    wrong_type = await update(api, sam, {**given, "id": t.atlas, "notes": "Which?"})
    assert [(e["code"], e["field"]) for e in wrong_type["errors"]] == [("INVALID_ID", "id")]

    for who, message in (
        (
            "nora",
            "You may not schedule and run the team's refinement sessions (team ATL): that "
            "needs portfolio admin or RTE of the ART or PRODUCT_OWNER, SCRUM_MASTER of the team.",
        ),
        (
            "dev",
            "You may not schedule and run the team's refinement sessions (team ATL): that "
            "needs portfolio admin or RTE of the ART or PRODUCT_OWNER, SCRUM_MASTER of the team.",
        ),
    ):
        body = await api.as_token(t.tokens[who]).raw(
            "mutation($i: UpdateRefinementSessionInput!) { updateRefinementSession(input: $i) "
            "{ session { id } errors { code } } }",
            {"i": {**given, "notes": f"By {who}."}},
        )
        assert body["data"] is None
        assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
            (message, {"code": "FORBIDDEN"})
        ], who
    assert await state(api, session["id"]) == before


async def test_a_started_session_keeps_its_start_and_a_cancelled_one_changes_no_more(
    api: Api, engine: AsyncEngine
) -> None:
    t = await build_train(api, engine)
    session = await scheduled(api, t)
    sam = api.as_token(t.tokens["sam"])
    started = await ok(
        sam, "startRefinementSession", "session { version }", {"id": session["id"], "version": 1}
    )
    before = await state(api, session["id"])
    moved = await update(
        api,
        t.tokens["sam"],
        {"id": session["id"], "version": started["version"], "startsAt": "2027-02-09T09:00Z"},
    )
    assert [(e["code"], e["field"], e["message"]) for e in moved["errors"]] == [
        ("SESSION_STATE", "startsAt", "startsAt: the session has already started.")
    ]
    assert await state(api, session["id"]) == before

    other = await scheduled(api, t)
    await ok(
        sam,
        "cancelRefinementSession",
        "session { id }",
        {"id": other["id"], "version": 1, "reason": "Team offsite."},
    )
    cancelled = await state(api, other["id"])
    late = await update(
        api, t.tokens["sam"], {"id": other["id"], "version": cancelled["version"], "notes": "?"}
    )
    assert [(e["code"], e["field"], e["message"]) for e in late["errors"]] == [
        (
            "SESSION_STATE",
            "id",
            "The session is CANCELLED; only a scheduled or running session can change.",
        )
    ]
    assert await state(api, other["id"]) == cancelled

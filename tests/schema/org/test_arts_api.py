"""Changing and archiving an ART through the API: what is written, what is recorded, and
every refusal leaving the ART as it was."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from schema.kit.relay import to_global_id
from services.core.enums import Role, TokenScope
from tests.conftest import Api, make_person
from tests.schema.checks import (
    error,
    forbidden,
    history_of,
    member,
    now,
    stamped,
    written,
)
from tests.schema.factories import basic_plan, create_art, ok

ART = "art { id key name description version createdAt updatedAt archivedAt }"


async def read_art(api: Api, art_id: str) -> dict[str, Any]:
    data = await api.query(
        f'{{ node(id: "{art_id}") {{ ... on Art {{ id key name description version createdAt '
        "updatedAt archivedAt } } }"
    )
    node: dict[str, Any] = data["node"]
    return node


async def test_update_art_writes_the_new_values_and_records_them(api: Api) -> None:
    art_id = await create_art(api, "PAY", "Payments")
    created = await read_art(api, art_id)
    before = now()
    art = await ok(
        api,
        "updateArt",
        ART,
        {
            "id": art_id,
            "version": 1,
            "key": "PAYX",
            "name": "  Payments and Refunds ",
            "description": "Everything money moves through.",
        },
    )
    after = now()
    stamped(art["updatedAt"], before, after)
    assert art == {
        "id": art_id,
        "key": "PAYX",
        "name": "Payments and Refunds",
        "description": "Everything money moves through.",
        "version": 2,
        "createdAt": created["createdAt"],
        "updatedAt": art["updatedAt"],
        "archivedAt": None,
    }
    assert await read_art(api, art_id) == art
    keys = await api.query("{ arts { nodes { key } } }")
    assert keys == {"arts": {"nodes": [{"key": "PAYX"}]}}
    update, create = await history_of(api, art_id)
    assert (create["action"], create["version"]) == ("CREATE", 1)
    assert update == {
        "action": "UPDATE",
        "version": 2,
        "entityType": "Art",
        "actorLabel": "admin@tests.trainyard",
        "changes": {
            "key": ("PAY", "PAYX"),
            "name": ("Payments", "Payments and Refunds"),
            "description": ("", "Everything money moves through."),
        },
    }

    # Omitted fields stay as they are; a description can be cleared.
    again = await ok(api, "updateArt", ART, {"id": art_id, "version": 2, "description": None})
    assert (again["key"], again["name"], again["description"], again["version"]) == (
        "PAYX",
        "Payments and Refunds",
        "",
        3,
    )
    assert (await history_of(api, art_id))[0]["changes"] == {
        "description": ("Everything money moves through.", "")
    }


async def test_the_rte_may_update_their_art(api: Api, engine: AsyncEngine) -> None:
    art_id = await create_art(api)
    rte = await member(api, engine, "rte@example.com", Role.RTE, art=art_id)
    art = await ok(
        rte, "updateArt", "art { name version }", {"id": art_id, "version": 1, "name": "Pay"}
    )
    assert art == {"name": "Pay", "version": 2}
    assert (await history_of(api, art_id))[0]["actorLabel"] == "rte@example.com"


async def test_refused_art_updates_write_nothing(api: Api, engine: AsyncEngine) -> None:
    art_id = await create_art(api, "PAY", "Payments")
    await create_art(api, "OPS", "Operations")
    unchanged = await read_art(api, art_id)
    entries = await written(engine)
    refusals: list[tuple[dict[str, Any], list[Any]]] = [
        (
            {"key": "pay"},
            [
                error(
                    "INVALID_VALUE",
                    "key 'pay' is not valid: 2-10 capital letters or digits, starting with a "
                    "letter (e.g. PAY).",
                    "key",
                )
            ],
        ),
        (
            {"key": "PAYMENTSXYZ"},
            [error("TOO_LONG", "key is 11 characters long; at most 10 are allowed.", "key")],
        ),
        ({"key": " "}, [error("REQUIRED", "key must not be blank.", "key")]),
        ({"key": None}, [error("REQUIRED", "key is required.", "key")]),
        ({"key": "OPS"}, [error("DUPLICATE_KEY", "An ART with key OPS already exists.", "key")]),
        ({"name": " "}, [error("REQUIRED", "name must not be blank.", "name")]),
        (
            {"name": "N" * 121},
            [error("TOO_LONG", "name is 121 characters long; at most 120 are allowed.", "name")],
        ),
        (
            {"description": "d" * 20001},
            [
                error(
                    "TOO_LONG",
                    "description is 20001 characters long; at most 20000 are allowed.",
                    "description",
                )
            ],
        ),
        (  # every problem at once
            {"key": "x", "name": ""},
            [
                error(
                    "INVALID_VALUE",
                    "key 'x' is not valid: 2-10 capital letters or digits, starting with a "
                    "letter (e.g. PAY).",
                    "key",
                ),
                error("REQUIRED", "name must not be blank.", "name"),
            ],
        ),
        (
            {"version": 7, "name": "Late"},
            [
                error(
                    "CONFLICT",
                    "ART was changed by someone else: you sent version 7, the current version "
                    "is 1. Reload it and apply your change again.",
                    "version",
                    1,
                )
            ],
        ),
        (
            {"id": "not-an-id"},
            [error("INVALID_ID", "id: 'not-an-id' is not a valid id.", "id")],
        ),
        (
            {"id": to_global_id("Team", 1)},
            [error("INVALID_ID", "id: expected an id of type Art, got an id of type Team.", "id")],
        ),
        (
            {"id": to_global_id("Art", 999)},
            [error("NOT_FOUND", "id: no ART with that id exists.", "id")],
        ),
    ]
    for changes, errors in refusals:
        payload = await api.mutate("updateArt", ART, {"id": art_id, "version": 1, **changes})
        assert payload == {"art": None, "errors": errors}, changes
    assert await read_art(api, art_id) == unchanged
    assert await written(engine) == entries


async def test_only_the_admin_and_the_arts_rte_may_update_it(api: Api, engine: AsyncEngine) -> None:
    plan = await basic_plan(api)
    ops = await create_art(api, "OPS", "Operations")
    pm = await member(api, engine, "pm@example.com", Role.PRODUCT_MANAGER, art=plan.art)
    other_rte = await member(api, engine, "ops-rte@example.com", Role.RTE, art=ops)
    sm = await member(api, engine, "sm@example.com", Role.SCRUM_MASTER, team=plan.atlas)
    _, read_only = await make_person(
        engine, "reader@example.com", admin=True, scope=TokenScope.READ
    )
    unchanged = await read_art(api, plan.art)
    entries = await written(engine)
    update = {"id": plan.art, "version": 1, "name": "Taken over"}
    needs = "You may not change an ART in ART PAY: that needs portfolio admin or RTE of the ART."
    for caller in (pm, other_rte, sm):
        assert await forbidden(caller, "updateArt", ART, update) == needs
    assert await forbidden(api.as_token(read_only), "updateArt", ART, update) == (
        "This API token is read-only; use a read-write token to change data."
    )
    assert await read_art(api, plan.art) == unchanged
    assert await written(engine) == entries


async def test_archive_art_stamps_it_and_takes_it_off_the_lists(api: Api) -> None:
    art_id = await create_art(api, "OLD", "Old train")
    await create_art(api, "PAY", "Payments")
    before = now()
    archived = await ok(api, "archiveArt", ART, {"id": art_id, "version": 1})
    after = now()
    at = stamped(archived["archivedAt"], before, after)
    assert archived["version"] == 2
    assert stamped(archived["updatedAt"], before, after) >= at
    assert (archived["key"], archived["name"]) == ("OLD", "Old train")
    assert await read_art(api, art_id) == archived
    lists = await api.query(
        "{ live: arts { nodes { key } } gone: arts(filter: {archived: true}) { nodes { key } } }"
    )
    assert lists == {"live": {"nodes": [{"key": "PAY"}]}, "gone": {"nodes": [{"key": "OLD"}]}}
    entry = (await history_of(api, art_id))[0]
    assert (entry["action"], entry["version"], entry["changes"]) == ("ARCHIVE", 2, {})

    for name, input in (
        ("archiveArt", {"id": art_id, "version": 2}),
        ("updateArt", {"id": art_id, "version": 2, "name": "Revived"}),
    ):
        again = await api.mutate(name, "art { id }", input)
        assert again == {
            "art": None,
            "errors": [
                error(
                    "ARCHIVED",
                    "id: that ART is archived; archived items cannot be changed.",
                    "id",
                )
            ],
        }, name
    assert await read_art(api, art_id) == archived


async def test_refused_archives_of_an_art_write_nothing(api: Api, engine: AsyncEngine) -> None:
    plan = await basic_plan(api)  # two teams, one feature, one planning interval
    unchanged = await read_art(api, plan.art)
    rte = await member(api, engine, "rte@example.com", Role.RTE, art=plan.art)
    _, read_only = await make_person(
        engine, "reader@example.com", admin=True, scope=TokenScope.READ
    )
    entries = await written(engine)
    refusals: list[tuple[dict[str, Any], list[Any]]] = [
        (
            {"version": 1},
            [
                error(
                    "IN_USE",
                    "ART PAY is still used by 2 teams, 1 features, 1 planning intervals; move "
                    "or archive them first.",
                    None,
                )
            ],
        ),
        (
            {"version": 3},
            [
                error(
                    "CONFLICT",
                    "ART was changed by someone else: you sent version 3, the current version "
                    "is 1. Reload it and apply your change again.",
                    "version",
                    1,
                )
            ],
        ),
        (
            {"id": to_global_id("Art", 999), "version": 1},
            [error("NOT_FOUND", "id: no ART with that id exists.", "id")],
        ),
        ({"id": "", "version": 1}, [error("INVALID_ID", "id: '' is not a valid id.", "id")]),
    ]
    for input, errors in refusals:
        payload = await api.mutate("archiveArt", ART, {"id": plan.art, **input})
        assert payload == {"art": None, "errors": errors}, input
    assert await forbidden(rte, "archiveArt", ART, {"id": plan.art, "version": 1}) == (
        "You may not archive an ART: that needs portfolio admin."
    )
    assert await forbidden(
        api.as_token(read_only), "archiveArt", ART, {"id": plan.art, "version": 1}
    ) == ("This API token is read-only; use a read-write token to change data.")
    assert await read_art(api, plan.art) == unchanged
    assert await written(engine) == entries

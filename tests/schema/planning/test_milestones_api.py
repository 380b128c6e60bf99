"""Changing and archiving milestones through the API: what is written, what is recorded, and
every refusal leaving the milestone as it was."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from schema.kit.relay import to_global_id
from services.core.enums import Role, TokenScope
from tests.conftest import Api, make_person
from tests.schema.checks import (
    READ_ONLY,
    error,
    forbidden,
    history_of,
    member,
    now,
    stamped,
    written,
)
from tests.schema.factories import Plan, basic_plan, create_art, ok

MILESTONE = (
    "milestone { id name date kind description version createdAt updatedAt archivedAt "
    "planningInterval { name } }"
)
FIELDS = MILESTONE.removeprefix("milestone ")
NEEDS_RTE = (
    "You may not change planning intervals, iterations and milestones in this ART: that needs "
    "portfolio admin or RTE of the ART."
)


async def system_demo(api: Api, plan: Plan) -> dict[str, Any]:
    return await ok(
        api,
        "createMilestone",
        MILESTONE,
        {
            "planningIntervalId": plan.pi,
            "name": "System demo",
            "date": "2027-01-29",
            "kind": "SYSTEM_DEMO",
            "description": "Iterations 1 and 2.",
        },
    )


async def read(api: Api, milestone_id: str) -> dict[str, Any]:
    data = await api.query(f'{{ node(id: "{milestone_id}") {{ ... on Milestone {FIELDS} }} }}')
    node: dict[str, Any] = data["node"]
    return node


async def board(api: Api, plan: Plan) -> list[dict[str, Any]]:
    data = await api.query(
        f'{{ node(id: "{plan.pi}") {{ ... on PlanningInterval {{ milestones {{ '
        "nodes { name date kind } } } } }"
    )
    nodes: list[dict[str, Any]] = data["node"]["milestones"]["nodes"]
    return nodes


async def test_update_milestone_writes_the_new_values_and_records_them(
    api: Api, engine: AsyncEngine
) -> None:
    plan = await basic_plan(api)
    demo = await system_demo(api, plan)
    rte = await member(api, engine, "rte@example.com", Role.RTE, art=plan.art)
    before = now()
    moved = await ok(
        rte,
        "updateMilestone",
        MILESTONE,
        {
            "id": demo["id"],
            "version": 1,
            "name": " Release: instant refunds ",
            "date": "2027-03-12",
            "kind": "RELEASE",
            "description": "Goes live in every market.",
        },
    )
    after = now()
    stamped(moved["updatedAt"], before, after)
    assert moved == {
        **demo,
        "name": "Release: instant refunds",
        "date": "2027-03-12",
        "kind": "RELEASE",
        "description": "Goes live in every market.",
        "version": 2,
        "updatedAt": moved["updatedAt"],
    }
    assert await read(api, demo["id"]) == moved
    assert await board(api, plan) == [
        {"name": "Release: instant refunds", "date": "2027-03-12", "kind": "RELEASE"}
    ]
    assert (await history_of(api, demo["id"]))[0] == {
        "action": "UPDATE",
        "version": 2,
        "entityType": "Milestone",
        "actorLabel": "rte@example.com",
        "changes": {
            "name": ("System demo", "Release: instant refunds"),
            "date": ("2027-01-29", "2027-03-12"),
            "kind": ("SYSTEM_DEMO", "RELEASE"),
            "description": ("Iterations 1 and 2.", "Goes live in every market."),
        },
    }

    # Omitted fields stay; a cleared kind is OTHER and a cleared description empty.
    cleared = await ok(
        api,
        "updateMilestone",
        "milestone { name date kind description version }",
        {"id": demo["id"], "version": 2, "kind": None, "description": None},
    )
    assert cleared == {
        "name": "Release: instant refunds",
        "date": "2027-03-12",
        "kind": "OTHER",
        "description": "",
        "version": 3,
    }


async def test_refused_milestone_updates_write_nothing(api: Api, engine: AsyncEngine) -> None:
    plan = await basic_plan(api)
    demo = await system_demo(api, plan)
    ops = await create_art(api, "OPS", "Operations")
    callers = [
        await member(api, engine, "pm@example.com", Role.PRODUCT_MANAGER, art=plan.art),
        await member(api, engine, "ops-rte@example.com", Role.RTE, art=ops),
        await member(api, engine, "sm@example.com", Role.SCRUM_MASTER, team=plan.atlas),
    ]
    _, read_only = await make_person(
        engine, "reader@example.com", admin=True, scope=TokenScope.READ
    )
    entries = await written(engine)
    outside = error(
        "INVALID_VALUE",
        "The milestone date 2027-03-15 lies outside its planning interval (2027-01-04 to "
        "2027-03-12).",
        "date",
    )
    refusals: list[tuple[dict[str, Any], list[Any]]] = [
        ({"name": " "}, [error("REQUIRED", "name must not be blank.", "name")]),
        ({"name": None}, [error("REQUIRED", "name is required.", "name")]),
        (
            {"name": "N" * 121},
            [error("TOO_LONG", "name is 121 characters long; at most 120 are allowed.", "name")],
        ),
        ({"date": None}, [error("REQUIRED", "A milestone needs a date.", "date")]),
        ({"date": "2027-03-15"}, [outside]),
        (
            {"date": "2027-01-03"},
            [
                error(
                    "INVALID_VALUE",
                    "The milestone date 2027-01-03 lies outside its planning interval "
                    "(2027-01-04 to 2027-03-12).",
                    "date",
                )
            ],
        ),
        (
            {"description": "d" * 2001},
            [
                error(
                    "TOO_LONG",
                    "description is 2001 characters long; at most 2000 are allowed.",
                    "description",
                )
            ],
        ),
        (  # every problem at once
            {"name": "", "date": "2027-03-15"},
            [error("REQUIRED", "name must not be blank.", "name"), outside],
        ),
        (
            {"version": 4, "name": "Late"},
            [
                error(
                    "CONFLICT",
                    "Milestone was changed by someone else: you sent version 4, the current "
                    "version is 1. Reload it and apply your change again.",
                    "version",
                    1,
                )
            ],
        ),
        (
            {"id": to_global_id("Milestone", 999)},
            [error("NOT_FOUND", "id: no milestone with that id exists.", "id")],
        ),
        (
            {"id": plan.pi},
            [
                error(
                    "INVALID_ID",
                    "id: expected an id of type Milestone, got an id of type PlanningInterval.",
                    "id",
                )
            ],
        ),
    ]
    for changes, errors in refusals:
        payload = await api.mutate(
            "updateMilestone", MILESTONE, {"id": demo["id"], "version": 1, **changes}
        )
        assert payload == {"milestone": None, "errors": errors}, changes
    rename = {"id": demo["id"], "version": 1, "name": "Taken over"}
    for caller in callers:
        assert await forbidden(caller, "updateMilestone", MILESTONE, rename) == NEEDS_RTE
    assert await forbidden(api.as_token(read_only), "updateMilestone", MILESTONE, rename) == (
        READ_ONLY
    )
    assert await read(api, demo["id"]) == demo
    assert await written(engine) == entries


async def test_archive_milestone_takes_it_off_the_board(api: Api, engine: AsyncEngine) -> None:
    plan = await basic_plan(api)
    demo = await system_demo(api, plan)
    rte = await member(api, engine, "rte@example.com", Role.RTE, art=plan.art)
    before = now()
    archived = await ok(rte, "archiveMilestone", MILESTONE, {"id": demo["id"], "version": 1})
    after = now()
    at = stamped(archived["archivedAt"], before, after)
    assert stamped(archived["updatedAt"], before, after) >= at
    assert archived == {
        **demo,
        "version": 2,
        "updatedAt": archived["updatedAt"],
        "archivedAt": archived["archivedAt"],
    }
    assert await read(api, demo["id"]) == archived
    assert await board(api, plan) == []
    assert (await history_of(api, demo["id"]))[0] == {
        "action": "ARCHIVE",
        "version": 2,
        "entityType": "Milestone",
        "actorLabel": "rte@example.com",
        "changes": {},
    }
    entries = await written(engine)
    is_archived = [
        error("ARCHIVED", "id: that milestone is archived; archived items cannot be changed.", "id")
    ]
    for name, input in (
        ("archiveMilestone", {"id": demo["id"], "version": 2}),
        ("updateMilestone", {"id": demo["id"], "version": 2, "name": "Back"}),
    ):
        again = await api.mutate(name, MILESTONE, input)
        assert again == {"milestone": None, "errors": is_archived}, name
    assert await read(api, demo["id"]) == archived
    assert await written(engine) == entries


async def test_refused_milestone_archives_write_nothing(api: Api, engine: AsyncEngine) -> None:
    plan = await basic_plan(api)
    demo = await system_demo(api, plan)
    ops = await create_art(api, "OPS", "Operations")
    callers = [
        await member(api, engine, "pm@example.com", Role.PRODUCT_MANAGER, art=plan.art),
        await member(api, engine, "ops-rte@example.com", Role.RTE, art=ops),
    ]
    _, read_only = await make_person(
        engine, "reader@example.com", admin=True, scope=TokenScope.READ
    )
    entries = await written(engine)
    refusals: list[tuple[dict[str, Any], list[Any]]] = [
        (
            {"version": 2},
            [
                error(
                    "CONFLICT",
                    "Milestone was changed by someone else: you sent version 2, the current "
                    "version is 1. Reload it and apply your change again.",
                    "version",
                    1,
                )
            ],
        ),
        (
            {"id": to_global_id("Milestone", 999)},
            [error("NOT_FOUND", "id: no milestone with that id exists.", "id")],
        ),
        (
            {"id": "TWlsZXN0b25lOng="},
            [error("INVALID_ID", "id: 'TWlsZXN0b25lOng=' is not a valid id.", "id")],
        ),
    ]
    for input, errors in refusals:
        payload = await api.mutate(
            "archiveMilestone", MILESTONE, {"id": demo["id"], "version": 1, **input}
        )
        assert payload == {"milestone": None, "errors": errors}, input
    archive = {"id": demo["id"], "version": 1}
    for caller in callers:
        assert await forbidden(caller, "archiveMilestone", MILESTONE, archive) == NEEDS_RTE
    assert await forbidden(api.as_token(read_only), "archiveMilestone", MILESTONE, archive) == (
        READ_ONLY
    )
    assert await read(api, demo["id"]) == demo
    assert await board(api, plan) == [
        {"name": "System demo", "date": "2027-01-29", "kind": "SYSTEM_DEMO"}
    ]
    assert await written(engine) == entries

"""Appending an iteration to a planning interval through the API (createIteration): what is
written, what is recorded, and every refusal leaving the interval's layout as it was."""

from __future__ import annotations

import datetime as dt
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
from tests.schema.factories import PI_START, create_art, iteration_specs, ok
from tests.schema.planning.setup import LAYOUT, NEEDS_RTE, new_pi, read

ITERATION = (
    "iteration { id index name kind startDate endDate version createdAt updatedAt archivedAt "
    "planningInterval { name } }"
)


async def test_create_iteration_appends_the_next_one(api: Api, engine: AsyncEngine) -> None:
    art = await create_art(api)
    pi = await new_pi(api, art, "PI 2027.1", iteration_specs(regular=3, ip=False))
    rte = await member(api, engine, "rte@example.com", Role.RTE, art=art)
    before = now()
    fourth = await ok(
        rte,
        "createIteration",
        ITERATION,
        {"planningIntervalId": pi, "startDate": "2027-02-15", "endDate": "2027-02-26"},
    )
    after = now()
    created = stamped(fourth["createdAt"], before, after)
    assert stamped(fourth["updatedAt"], before, after) >= created
    assert fourth == {
        "id": fourth["id"],
        "index": 4,
        "name": "Iteration 4",
        "kind": "REGULAR",
        "startDate": "2027-02-15",
        "endDate": "2027-02-26",
        "version": 1,
        "createdAt": fourth["createdAt"],
        "updatedAt": fourth["updatedAt"],
        "archivedAt": None,
        "planningInterval": {"name": "PI 2027.1"},
    }
    assert await history_of(api, fourth["id"]) == [
        {
            "action": "CREATE",
            "version": 1,
            "entityType": "Iteration",
            "actorLabel": "rte@example.com",
            "changes": {
                "planningIntervalId": (None, pi),
                "index": (None, 4),
                "name": (None, "Iteration 4"),
                "kind": (None, "REGULAR"),
                "startDate": (None, "2027-02-15"),
                "endDate": (None, "2027-02-26"),
            },
        }
    ]
    ip = await ok(
        api,
        "createIteration",
        "iteration { index name kind }",
        {
            "planningIntervalId": pi,
            "startDate": "2027-03-01",
            "endDate": "2027-03-12",
            "kind": "IP",
        },
    )
    assert ip == {"index": 5, "name": "Innovation & Planning", "kind": "IP"}
    layout = await read(api, pi, LAYOUT)
    assert layout == {
        "version": 1,  # the interval's own row is unchanged
        "iterations": [
            {
                "index": 1,
                "name": "Iteration 1",
                "kind": "REGULAR",
                "startDate": "2027-01-04",
                "endDate": "2027-01-15",
            },
            {
                "index": 2,
                "name": "Iteration 2",
                "kind": "REGULAR",
                "startDate": "2027-01-18",
                "endDate": "2027-01-29",
            },
            {
                "index": 3,
                "name": "Iteration 3",
                "kind": "REGULAR",
                "startDate": "2027-02-01",
                "endDate": "2027-02-12",
            },
            {
                "index": 4,
                "name": "Iteration 4",
                "kind": "REGULAR",
                "startDate": "2027-02-15",
                "endDate": "2027-02-26",
            },
            {
                "index": 5,
                "name": "Innovation & Planning",
                "kind": "IP",
                "startDate": "2027-03-01",
                "endDate": "2027-03-12",
            },
        ],
    }

    # Numbers are never reused: after archiving iteration 5, the next one is number 6.
    await ok(
        api,
        "archiveIteration",
        "iteration { id }",
        {"id": (await iteration_id(api, pi, 5)), "version": 1},
    )
    named = await ok(
        api,
        "createIteration",
        "iteration { index name kind }",
        {
            "planningIntervalId": pi,
            "startDate": "2027-03-01",
            "endDate": "2027-03-12",
            "name": "  Hardening ",
        },
    )
    assert named == {"index": 6, "name": "Hardening", "kind": "REGULAR"}


async def iteration_id(api: Api, pi: str, index: int) -> str:
    data = await api.query(
        f'{{ node(id: "{pi}") {{ ... on PlanningInterval {{ iterations {{ id index }} }} }} }}'
    )
    return next(str(i["id"]) for i in data["node"]["iterations"] if i["index"] == index)


async def test_refused_iterations_write_nothing(api: Api, engine: AsyncEngine) -> None:
    art = await create_art(api)
    ops = await create_art(api, "OPS", "Operations")
    pi = await new_pi(api, art, "PI 2027.1", iteration_specs(regular=3, ip=False))
    early_ip = await new_pi(
        api,
        art,
        "PI 2027.2",
        [
            {"startDate": "2027-01-04", "endDate": "2027-01-15"},
            {"startDate": "2027-01-18", "endDate": "2027-01-29", "kind": "IP"},
        ],
    )
    weekly = [
        {
            "startDate": (PI_START + dt.timedelta(days=7 * n)).isoformat(),
            "endDate": (PI_START + dt.timedelta(days=7 * n + 4)).isoformat(),
        }
        for n in range(12)
    ]
    full = await new_pi(api, art, "PI 2027.3", weekly, end=dt.date(2027, 4, 30))
    callers = [
        await member(api, engine, "pm@example.com", Role.PRODUCT_MANAGER, art=art),
        await member(api, engine, "ops-rte@example.com", Role.RTE, art=ops),
    ]
    _, read_only = await make_person(
        engine, "reader@example.com", admin=True, scope=TokenScope.READ
    )
    layouts = {p: await read(api, p, LAYOUT) for p in (pi, early_ip, full)}
    entries = await written(engine)
    next_one = {"planningIntervalId": pi, "startDate": "2027-02-15", "endDate": "2027-02-26"}
    refusals: list[tuple[dict[str, Any], list[Any]]] = [
        (
            {"startDate": "2027-02-26", "endDate": "2027-02-15"},
            [error("INVALID_VALUE", "Iteration 4 ends before it starts.", "startDate")],
        ),
        (
            {"startDate": "2027-03-08", "endDate": "2027-03-19"},
            [
                error(
                    "INVALID_VALUE",
                    "Iteration 4 (2027-03-08 to 2027-03-19) lies outside the planning interval "
                    "(2027-01-04 to 2027-03-12).",
                    "startDate",
                )
            ],
        ),
        (
            {"startDate": "2027-02-10", "endDate": "2027-02-20"},
            [
                error(
                    "INVALID_VALUE",
                    "Iteration 4 starts on 2027-02-10, before the previous iteration ends "
                    "(2027-02-12); iterations follow each other without overlap.",
                    "startDate",
                )
            ],
        ),
        (
            {"name": "N" * 121},
            [error("TOO_LONG", "name is 121 characters long; at most 120 are allowed.", "name")],
        ),
        (
            {"planningIntervalId": early_ip, "startDate": "2027-02-01", "endDate": "2027-02-12"},
            [
                error(
                    "INVALID_VALUE",
                    "Iteration 2 is an IP iteration but is not the last one; the IP iteration "
                    "closes the planning interval.",
                    "startDate",
                )
            ],
        ),
        (
            {"planningIntervalId": full, "startDate": "2027-04-05", "endDate": "2027-04-09"},
            [
                error(
                    "TOO_LONG",
                    "The planning interval already has 12 iterations; at most 12.",
                    "planningIntervalId",
                )
            ],
        ),
        (
            {"planningIntervalId": to_global_id("PlanningInterval", 999)},
            [
                error(
                    "NOT_FOUND",
                    "planningIntervalId: no planning interval with that id exists.",
                    "planningIntervalId",
                )
            ],
        ),
        (
            {"planningIntervalId": art},
            [
                error(
                    "INVALID_ID",
                    "planningIntervalId: expected an id of type PlanningInterval, got an id of type "
                    "Art.",
                    "planningIntervalId",
                )
            ],
        ),
    ]
    for changes, errors in refusals:
        payload = await api.mutate("createIteration", ITERATION, {**next_one, **changes})
        assert payload == {"iteration": None, "errors": errors}, changes
    for caller in callers:
        assert await forbidden(caller, "createIteration", ITERATION, next_one) == NEEDS_RTE
    assert (
        await forbidden(api.as_token(read_only), "createIteration", ITERATION, next_one)
        == READ_ONLY
    )
    assert {p: await read(api, p, LAYOUT) for p in layouts} == layouts
    assert await written(engine) == entries

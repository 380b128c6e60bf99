"""Archiving a planning interval through the API: what is written, what is recorded, and
every refusal leaving the interval as it was."""

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
from tests.schema.factories import basic_plan, create_art, iteration_specs, ok
from tests.schema.planning.setup import NEEDS_RTE, PI, PI_FIELDS, new_pi, read

ITERATION = "iteration { id }"


async def test_archive_planning_interval_stamps_it_and_takes_it_off_the_art(
    api: Api, engine: AsyncEngine
) -> None:
    art = await create_art(api)
    pi = await new_pi(api, art, "PI 2027.1", iteration_specs())
    rte = await member(api, engine, "rte@example.com", Role.RTE, art=art)
    before = now()
    archived = await ok(rte, "archivePlanningInterval", PI, {"id": pi, "version": 1})
    after = now()
    at = stamped(archived["archivedAt"], before, after)
    assert stamped(archived["updatedAt"], before, after) >= at
    assert (archived["name"], archived["startDate"], archived["endDate"], archived["version"]) == (
        "PI 2027.1",
        "2027-01-04",
        "2027-03-12",
        2,
    )
    assert await read(api, pi, PI_FIELDS) == archived
    lists = await api.query(
        '{ art(key: "PAY") { live: planningIntervals { totalCount } '
        "gone: planningIntervals(filter: {archived: true}) { nodes { name } } } }"
    )
    assert lists["art"] == {"live": {"totalCount": 0}, "gone": {"nodes": [{"name": "PI 2027.1"}]}}
    entry = (await history_of(api, pi))[0]
    assert entry == {
        "action": "ARCHIVE",
        "version": 2,
        "entityType": "PlanningInterval",
        "actorLabel": "rte@example.com",
        "changes": {},
    }

    entries = await written(engine)
    is_archived = [
        error(
            "ARCHIVED",
            "id: that planning interval is archived; archived items cannot be changed.",
            "id",
        )
    ]
    assert await api.mutate("archivePlanningInterval", PI, {"id": pi, "version": 2}) == {
        "planningInterval": None,
        "errors": is_archived,
    }
    assert await api.mutate(
        "updatePlanningInterval", PI, {"id": pi, "version": 2, "name": "PI 2027.9"}
    ) == {"planningInterval": None, "errors": is_archived}
    referenced = error(
        "ARCHIVED",
        "planningIntervalId: that planning interval is archived; archived items cannot be "
        "referenced.",
        "planningIntervalId",
    )
    appended = await api.mutate(
        "createIteration",
        ITERATION,
        {"planningIntervalId": pi, "startDate": "2027-03-01", "endDate": "2027-03-05"},
    )
    assert appended == {"iteration": None, "errors": [referenced]}
    milestone = await api.mutate(
        "createMilestone",
        "milestone { id }",
        {"planningIntervalId": pi, "name": "Demo", "date": "2027-01-29"},
    )
    assert milestone == {"milestone": None, "errors": [referenced]}
    assert await read(api, pi, PI_FIELDS) == archived
    assert await written(engine) == entries


async def test_refused_archives_of_a_planning_interval_write_nothing(
    api: Api, engine: AsyncEngine
) -> None:
    plan = await basic_plan(api)  # PAY-1 is planned in the interval
    ops = await create_art(api, "OPS", "Operations")
    callers = [
        await member(api, engine, "pm@example.com", Role.PRODUCT_MANAGER, art=plan.art),
        await member(api, engine, "ops-rte@example.com", Role.RTE, art=ops),
        await member(api, engine, "sm@example.com", Role.SCRUM_MASTER, team=plan.atlas),
    ]
    _, read_only = await make_person(
        engine, "reader@example.com", admin=True, scope=TokenScope.READ
    )
    unchanged = await read(api, plan.pi, PI_FIELDS)
    entries = await written(engine)
    refusals: list[tuple[dict[str, Any], list[Any]]] = [
        (
            {},
            [
                error(
                    "IN_USE",
                    "Planning interval PI 2027.1 is still used by 1 features; move or archive "
                    "them first.",
                    None,
                )
            ],
        ),
        (
            {"version": 2},
            [
                error(
                    "CONFLICT",
                    "Planning interval was changed by someone else: you sent version 2, the "
                    "current version is 1. Reload it and apply your change again.",
                    "version",
                    1,
                )
            ],
        ),
        (
            {"id": to_global_id("PlanningInterval", 999)},
            [error("NOT_FOUND", "id: no planning interval with that id exists.", "id")],
        ),
        (
            {"id": plan.iterations[0]},
            [
                error(
                    "INVALID_ID",
                    "id: expected an id of type PlanningInterval, got an id of type Iteration.",
                    "id",
                )
            ],
        ),
    ]
    for input, errors in refusals:
        payload = await api.mutate(
            "archivePlanningInterval", PI, {"id": plan.pi, "version": 1, **input}
        )
        assert payload == {"planningInterval": None, "errors": errors}, input
    for caller in callers:
        assert (
            await forbidden(caller, "archivePlanningInterval", PI, {"id": plan.pi, "version": 1})
            == NEEDS_RTE
        )
    assert (
        await forbidden(
            api.as_token(read_only), "archivePlanningInterval", PI, {"id": plan.pi, "version": 1}
        )
        == READ_ONLY
    )
    assert await read(api, plan.pi, PI_FIELDS) == unchanged
    assert await written(engine) == entries

    # Once its feature is archived, nothing holds the interval any more.
    await ok(api, "archiveFeature", "feature { id }", {"id": plan.feature["id"], "version": 1})
    done = await ok(
        api,
        "archivePlanningInterval",
        "planningInterval { version }",
        {"id": plan.pi, "version": 1},
    )
    assert done == {"version": 2}

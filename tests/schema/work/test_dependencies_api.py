"""Dependencies through the API: across teams and ARTs, and the ones that are refused."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.schema.checks import now, stamped
from tests.schema.factories import basic_plan, create_story, ok

DEP = (
    "dependency { id type note isCrossArt neededBy { index } "
    "dependent { __typename key } prerequisite { __typename key } }"
)


async def dependency_count(api: Api, art: str = "PAY") -> int:
    data = await api.query(f'{{ art(key: "{art}") {{ dependencies {{ totalCount }} }} }}')
    return int(data["art"]["dependencies"]["totalCount"])


async def test_cross_team_and_cross_art_dependencies(api: Api) -> None:
    plan = await basic_plan(api)
    other = await basic_plan(api, "OPS")
    a = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1")
    b = await create_story(api, plan.feature["id"], plan.nova, "NOV-1")
    dep = await ok(
        api,
        "createDependency",
        DEP,
        {
            "dependentId": a["id"],
            "prerequisiteId": b["id"],
            "neededByIterationId": plan.iterations[1],
            "note": "Ledger API v2",
        },
    )
    assert dep == {
        "id": dep["id"],
        "type": "BLOCKS",
        "note": "Ledger API v2",
        "isCrossArt": False,
        "neededBy": {"index": 2},
        "dependent": {"__typename": "Story", "key": "ATL-1"},
        "prerequisite": {"__typename": "Story", "key": "NOV-1"},
    }
    cross = await ok(
        api,
        "createDependency",
        DEP,
        {
            "dependentId": plan.feature["id"],
            "prerequisiteId": other.feature["id"],
            "type": "RELATES",
        },
    )
    assert (cross["isCrossArt"], cross["type"]) == (True, "RELATES")
    assert await dependency_count(api, "PAY") == 2
    assert await dependency_count(api, "OPS") == 1
    data = await api.query(
        "query($id: ID!) { node(id: $id) { ... on Story { dependents { nodes { dependent { key } } } "
        "dependsOn { totalCount } } } }",
        {"id": b["id"]},
    )
    assert data["node"] == {
        "dependents": {"nodes": [{"dependent": {"key": "ATL-1"}}]},
        "dependsOn": {"totalCount": 0},
    }


async def refused(api: Api, input: dict[str, Any]) -> list[dict[str, Any]]:
    before = await dependency_count(api)
    payload = await api.mutate("createDependency", "dependency { id }", input)
    assert payload["dependency"] is None
    assert await dependency_count(api) == before
    return [{"code": e["code"], "message": e["message"]} for e in payload["errors"]]


async def test_self_parent_child_and_duplicate_dependencies_are_refused(api: Api) -> None:
    plan = await basic_plan(api)
    story = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1")
    other = await create_story(api, plan.feature["id"], plan.nova, "NOV-1")
    assert await refused(api, {"dependentId": story["id"], "prerequisiteId": story["id"]}) == [
        {"code": "SELF_DEPENDENCY", "message": "ATL-1 cannot depend on itself."}
    ]
    parent_child = {
        "code": "PARENT_CHILD_DEPENDENCY",
        "message": "PAY-1 and ATL-1 are a feature and one of its own stories; a feature is "
        "delivered by its stories, so one cannot depend on the other.",
    }
    assert await refused(
        api, {"dependentId": plan.feature["id"], "prerequisiteId": story["id"]}
    ) == [parent_child]
    assert (await refused(api, {"dependentId": story["id"], "prerequisiteId": plan.feature["id"]}))[
        0
    ]["code"] == "PARENT_CHILD_DEPENDENCY"
    await ok(
        api,
        "createDependency",
        "dependency { id }",
        {"dependentId": story["id"], "prerequisiteId": other["id"]},
    )
    assert await refused(api, {"dependentId": story["id"], "prerequisiteId": other["id"]}) == [
        {"code": "DUPLICATE_DEPENDENCY", "message": "ATL-1 already depends on NOV-1."}
    ]
    wrong = await refused(api, {"dependentId": story["id"], "prerequisiteId": plan.atlas})
    assert wrong == [
        {
            "code": "INVALID_ID",
            "message": "prerequisiteId: expected an id of type Feature or Story, got an id of type Team.",
        }
    ]


async def test_needed_by_iteration_must_be_in_the_dependents_planning_interval(api: Api) -> None:
    plan = await basic_plan(api)
    other = await basic_plan(api, "OPS")
    story = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1")
    errors = await refused(
        api,
        {
            "dependentId": story["id"],
            "prerequisiteId": other.feature["id"],
            "neededByIterationId": other.iterations[0],
        },
    )
    assert errors == [
        {
            "code": "WRONG_PLANNING_INTERVAL",
            "message": "neededByIterationId: that iteration is not in the planning interval ATL-1 "
            "is planned in.",
        }
    ]


async def test_update_and_archive_a_dependency(api: Api) -> None:
    plan = await basic_plan(api)
    a = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1")
    b = await create_story(api, plan.feature["id"], plan.nova, "NOV-1")
    dep = await ok(
        api,
        "createDependency",
        "dependency { id version }",
        {"dependentId": a["id"], "prerequisiteId": b["id"]},
    )
    updated = await ok(
        api,
        "updateDependency",
        "dependency { type note version neededBy { index } }",
        {
            "id": dep["id"],
            "version": 1,
            "type": "RELATES",
            "note": "FYI",
            "neededByIterationId": plan.iterations[2],
        },
    )
    assert updated == {"type": "RELATES", "note": "FYI", "version": 2, "neededBy": {"index": 3}}
    stale = await api.mutate(
        "archiveDependency", "dependency { id }", {"id": dep["id"], "version": 1}
    )
    assert stale["errors"][0]["code"] == "CONFLICT"
    await ok(api, "archiveDependency", "dependency { id }", {"id": dep["id"], "version": 2})
    assert await dependency_count(api) == 0
    # Archiving a story archives the dependencies that name it.
    dep2 = await ok(
        api,
        "createDependency",
        "dependency { id }",
        {"dependentId": a["id"], "prerequisiteId": b["id"]},
    )
    before = now()
    story = await ok(api, "archiveStory", "story { archivedAt }", {"id": b["id"], "version": 1})
    after = now()
    data = await api.query(
        "query($id: ID!) { node(id: $id) { ... on Dependency { archivedAt } } }", {"id": dep2["id"]}
    )
    archived_at = stamped(data["node"]["archivedAt"], before, after)
    assert archived_at >= stamped(story["archivedAt"], before, after)
    assert await dependency_count(api) == 0

"""A small train for the fuzz test to aim at: two ARTs, teams, people with roles and tokens,
features, stories, dependencies, components, a milestone, a capacity, a refinement schedule
and sessions (one in progress), all made through the API; and the pool of their real ids."""

from __future__ import annotations

import json
from pathlib import Path

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema import build  # noqa: F401  # registers every node type in NODE_TYPES_BY_NAME
from schema.kit.relay import NODE_TYPES_BY_NAME, to_global_id
from tests.conftest import Api, make_person, truncate_all
from tests.schema.factories import basic_plan, create_feature, create_story, ok
from tests.schema.fuzz_answers import Figures, FuzzWorld
from tests.schema.fuzz_requests import Pool

STRINGS = (
    "PAY",
    "NAV",
    "ATL",
    "NOV",
    "PAY-1",
    "ATL-1",
    "sam@tests.trainyard",
    "admin@tests.trainyard",
    "Europe/Berlin",
    "UTC",
    "refine-next",
    "trainyard-fuzz-2026",
)


ROLES = {
    "sam": ("SCRUM_MASTER", "atlas"),
    "pia": ("PRODUCT_OWNER", "atlas"),
    "dev": ("DEVELOPER", "atlas"),
    "rte": ("RTE", None),
    "nora": ("SCRUM_MASTER", "nova"),
}


async def seed_train(api: Api, engine: AsyncEngine) -> None:
    plan = await basic_plan(api)
    teams = {"atlas": plan.atlas, "nova": plan.nova}
    people: dict[str, str] = {}
    for name, (role, team) in ROLES.items():
        pk, _ = await make_person(engine, f"{name}@tests.trainyard")
        people[name] = to_global_id("Person", pk)
        where = {"teamId": teams[team]} if team else {"artId": plan.art}
        await ok(
            api,
            "createMembership",
            "membership { id }",
            {"personId": people[name], "role": role, **where},
        )
    feature_id = plan.feature["id"]
    await ok(
        api,
        "updateFeature",
        "feature { id }",
        {
            "id": feature_id,
            "version": plan.feature["version"],
            "benefitHypothesis": "Refunds in seconds cut support calls by a third.",
            "acceptanceCriteria": ["A refund reaches the card within 10 seconds."],
            "userBusinessValue": 8,
            "timeCriticality": 5,
            "riskReductionOpportunityEnablement": 3,
            "jobSize": 8,
        },
    )
    stories = {
        f"ATL-{n}": (await create_story(api, feature_id, plan.atlas, f"ATL-{n}"))["id"]
        for n in range(1, 7)
    }
    await basic_plan(api, "NAV")
    enabler = await create_feature(
        api, plan.art, "PAY-2", kind="ENABLER", enablerType="ARCHITECTURAL"
    )
    nova_story = await create_story(api, enabler["id"], plan.nova, "NOV-1", points=5)
    for dependent, prerequisite in (
        (stories["ATL-2"], stories["ATL-1"]),
        (nova_story["id"], stories["ATL-3"]),
        (enabler["id"], feature_id),
    ):
        await ok(
            api,
            "createDependency",
            "dependency { id }",
            {"dependentId": dependent, "prerequisiteId": prerequisite, "type": "BLOCKS"},
        )
    for name, where in (("Ledger", {"artId": plan.art, "owningTeamId": plan.atlas}), ("IdP", {})):
        await ok(
            api, "createComponent", "component { id }", {"name": name, "kind": "SERVICE", **where}
        )
    await ok(
        api,
        "createMilestone",
        "milestone { id }",
        {"planningIntervalId": plan.pi, "name": "Release", "date": "2027-02-12", "kind": "RELEASE"},
    )
    await ok(
        api,
        "setTeamCapacity",
        "capacity { points }",
        {"teamId": plan.atlas, "iterationId": plan.iterations[0], "points": 30},
    )
    await ok(
        api,
        "scheduleTeamRefinement",
        "schedule { id }",
        {"teamId": plan.atlas, "weekday": 2, "startTime": "10:00:00", "timeboxMinutes": 60},
    )
    session = await ok(
        api,
        "createRefinementSession",
        "session { id version }",
        {
            "teamId": plan.atlas,
            "startsAt": "2026-12-01T09:00:00+00:00",
            "timeboxMinutes": 60,
            "participantIds": [people["sam"], people["dev"]],
        },
    )
    agenda = await ok(
        api,
        "setRefinementAgenda",
        "session { version }",
        {"id": session["id"], "version": 1, "itemIds": [stories[f"ATL-{n}"] for n in (1, 2, 3)]},
    )
    await ok(
        api,
        "startRefinementSession",
        "session { version }",
        {"id": session["id"], "version": agenda["version"]},
    )
    await ok(
        api,
        "createRefinementSession",
        "session { id }",
        {"teamId": plan.nova, "startsAt": "2026-12-08T09:00:00+00:00", "timeboxMinutes": 90},
    )


EDGES = "edges { cursor }"
# Aliases are <connection field>_<ordering>: cursors are kept by connection field.
CURSORS = f"""{{
  arts {{ {EDGES} }} people {{ {EDGES} }} components {{ {EDGES} }} features {{ {EDGES} }}
  art(key: "PAY") {{
    history {{ {EDGES} }} refinementSessions {{ {EDGES} }} followUps {{ {EDGES} }}
    teams {{ {EDGES} }} components {{ {EDGES} }} dependencies {{ {EDGES} }}
    activity {{ {EDGES} }} memberships {{ {EDGES} }} stories {{ {EDGES} }}
    stories_byKey: stories(orderBy: {{field: KEY, direction: DESC}}) {{ {EDGES} }}
    stories_byAge: stories(orderBy: {{field: CREATED_AT}}) {{ {EDGES} }}
    features {{ {EDGES} }}
    features_byRank: features(orderBy: {{field: RANK}}) {{ {EDGES} }}
    features_byKey: features(orderBy: {{field: KEY, direction: ASC}}) {{ {EDGES} }}
    features_byAge: features(orderBy: {{field: CREATED_AT}}) {{ {EDGES} }}
    planningIntervals {{ {EDGES} nodes {{ milestones {{ {EDGES} }} }} }}
  }}
}}"""


def _cursors(data: object, key: str, found: dict[str, list[str]]) -> None:
    if isinstance(data, list):
        for item in data:
            _cursors(item, key, found)
    elif isinstance(data, dict):
        for name, value in data.items():
            if name == "edges":
                found.setdefault(key.split("_")[0], []).extend(e["cursor"] for e in value)
            else:
                _cursors(value, name, found)


async def real_pool(api: Api, engine: AsyncEngine) -> Pool:
    """Every row's global id, by node type, and cursors of the train's connections."""
    ids: dict[str, tuple[str, ...]] = {}
    async with engine.connect() as connection:
        for name, node_type in sorted(NODE_TYPES_BY_NAME.items()):
            model = node_type.model
            rows = await connection.execute(select(model.id).order_by(model.id))  # type: ignore[attr-defined]  # every node model has an integer id
            ids[name] = tuple(to_global_id(name, pk) for (pk,) in rows)
    cursors: dict[str, list[str]] = {}
    _cursors(await api.query(CURSORS), "", cursors)
    return Pool(
        ids={name: found for name, found in ids.items() if found},
        strings=STRINGS,
        cursors={field: tuple(dict.fromkeys(found)) for field, found in cursors.items() if found},
    )


async def open_world(
    client: AsyncTestClient[Litestar], app: Litestar, engine: AsyncEngine
) -> FuzzWorld:
    """An emptied database with the train seeded, acted on by a new portfolio admin."""
    await truncate_all(engine)
    app.state.analysis_cache.clear()
    _, secret = await make_person(engine, "admin@tests.trainyard", admin=True)
    assert secret is not None
    api = Api(client, app, secret)
    await seed_train(api, engine)
    return FuzzWorld(client, app, engine, secret, await real_pool(api, engine), Figures())


async def close_world(world: FuzzWorld, results: Path, backend: str) -> None:
    """Print the run's figures, add them to the results file under the backend's name, and
    empty the database."""
    summary = world.figures.summary()
    print(f"\nFuzz figures ({backend}): {json.dumps(summary)}")
    record(results, backend, summary)
    await truncate_all(world.engine)
    world.app.state.analysis_cache.clear()


def record(results: Path, backend: str, summary: dict[str, object]) -> None:
    figures = json.loads(results.read_text()) if results.is_file() else {}
    figures[backend] = summary
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(figures, indent=2))

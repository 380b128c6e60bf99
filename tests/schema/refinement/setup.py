"""A small train for the refinement API tests: an ART with teams Atlas and Nova, a planning
interval, Atlas's scrum master, product owner and developer (each with an API token), and a
feature ready for program backlog refinement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from schema.kit.relay import to_global_id
from tests.conftest import Api, make_person
from tests.schema.factories import basic_plan, create_story, ok


@dataclass
class Train:
    art: str
    atlas: str
    nova: str
    iterations: list[str]
    feature: dict[str, Any]
    people: dict[str, str]  # name -> global id
    tokens: dict[str, str]  # name -> API token
    stories: list[dict[str, Any]]


ROLES = {
    "sam": ("SCRUM_MASTER", "atlas"),
    "pia": ("PRODUCT_OWNER", "atlas"),
    "dev": ("DEVELOPER", "atlas"),
    "rte": ("RTE", None),
    "nora": ("SCRUM_MASTER", "nova"),
}


async def build_train(api: Api, engine: AsyncEngine, stories: int = 6) -> Train:
    plan = await basic_plan(api)
    teams = {"atlas": plan.atlas, "nova": plan.nova}
    people: dict[str, str] = {}
    tokens: dict[str, str] = {}
    for name, (role, team) in ROLES.items():
        pk, secret = await make_person(engine, f"{name}@tests.trainyard")
        assert secret is not None
        people[name] = to_global_id("Person", pk)
        tokens[name] = secret
        where = {"teamId": teams[team]} if team else {"artId": plan.art}
        await ok(
            api,
            "createMembership",
            "membership { id }",
            {"personId": people[name], "role": role, **where},
        )
    feature_id = plan.feature["id"]
    # Through the ART Kanban one state at a time: FUNNEL, ANALYZING, then BACKLOG when ready.
    analyzing = await ok(
        api,
        "updateFeature",
        "feature { version }",
        {"id": feature_id, "version": plan.feature["version"], "state": "ANALYZING"},
    )
    await ok(
        api,
        "updateFeature",
        "feature { id }",
        {
            "id": feature_id,
            "version": analyzing["version"],
            "state": "BACKLOG",
            "benefitHypothesis": "Refunds in seconds cut support calls by a third.",
            "acceptanceCriteria": ["A refund reaches the card within 10 seconds."],
            "userBusinessValue": 8,
            "timeCriticality": 5,
            "riskReductionOpportunityEnablement": 3,
            "jobSize": 8,
            "dependenciesIdentified": True,
        },
    )
    made = [
        await create_story(api, feature_id, plan.atlas, f"ATL-{n}") for n in range(1, stories + 1)
    ]
    return Train(
        plan.art, plan.atlas, plan.nova, plan.iterations, plan.feature, people, tokens, made
    )

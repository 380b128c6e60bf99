"""The fast execution paths answer exactly what Strawberry's stock executor answers."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.build import build_schema
from schema.kit.context import Context
from schema.kit.loaders import Loaders
from services.access.permissions import system_actor
from services.core.db import create_sessionmaker
from services.core.settings import Settings
from tests.conftest import Api
from tests.schema.bulk import build_art
from tests.schema.factories import basic_plan, create_story, ok

QUERY = """
query Board($key: String!) {
  art(key: $key) {
    __typename key
    features(first: 100) {
      edges { cursor node { id key } }
      nodes {
        ...FeatureBits
        wsjf enablerType
        owner: owningTeam { __typename id key name tshirtScale { XS XL } }
        iteration { index kind }
        stories(first: 20) {
          totalCount
          nodes {
            id key title status points tshirtSize estimatedPoints isBlocked refinementTag
            team { key name art { key } }
            t2: team { id }
            iteration { index }
            ... on Story { spikeTimeboxDays }
          }
        }
        dependsOn { nodes { type prerequisite { __typename key ... on Feature { wsjf } } } }
      }
    }
  }
  broken: art(key: $key) { features(first: 500) { totalCount } }
}
fragment FeatureBits on Feature { key title state kind }
"""


async def run(schema_: Any, settings: Settings, engine: AsyncEngine, key: str) -> str:
    sessionmaker = create_sessionmaker(engine)
    context = Context(
        settings=settings,
        sessionmaker=sessionmaker,
        loaders=Loaders(sessionmaker),
        actor=system_actor("equivalence test"),
    )
    result = await schema_.execute(QUERY, variable_values={"key": key}, context_value=context)
    errors = [{"message": e.message, "path": e.path} for e in result.errors or []]
    return json.dumps({"data": result.data, "errors": errors}, sort_keys=False)


async def test_fast_paths_match_the_stock_executor(
    api: Api, engine: AsyncEngine, settings: Settings
) -> None:
    plan = await basic_plan(api)
    await create_story(
        api, plan.feature["id"], plan.atlas, "ATL-1", points=5, refinementTag="refine-next"
    )
    await create_story(
        api,
        plan.feature["id"],
        plan.nova,
        "NOV-1",
        tshirtSize="L",
        isBlocked=True,
        blockedReason="Vendor",
    )
    await create_story(
        api,
        plan.feature["id"],
        plan.atlas,
        "ATL-2",
        kind="SPIKE",
        spikeTimeboxDays=2,
        iterationId=plan.ip,
    )
    other = await ok(
        api,
        "createFeature",
        "feature { id }",
        {
            "artId": plan.art,
            "key": "PAY-2",
            "title": "Unscored enabler",
            "kind": "ENABLER",
            "enablerType": "COMPLIANCE",
        },
    )
    await ok(
        api,
        "createDependency",
        "dependency { id }",
        {"dependentId": plan.feature["id"], "prerequisiteId": other["id"]},
    )
    await build_art(engine, "BIG", features=30)

    fast_schema = build_schema(settings)
    stock_schema = build_schema(settings, StrawberryGraphQLCoreExecutionContext)
    for key in ("PAY", "BIG"):
        fast = await run(fast_schema, settings, engine, key)
        stock = await run(stock_schema, settings, engine, key)
        assert fast == stock
        body = json.loads(fast)
        assert body["errors"] == [
            {
                "message": "first must be between 0 and 100 (got 500); page through larger lists with `after`.",
                "path": ["broken", "features"],
            }
        ]
        assert body["data"]["broken"] is None
        assert len(body["data"]["art"]["features"]["nodes"]) == (2 if key == "PAY" else 30)

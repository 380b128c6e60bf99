"""No N+1: the statements a query sends do not grow with the rows it returns."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import Api
from tests.schema.bulk import build_art

BOARD = """
query Board($key: String!, $after: String) {
  art(key: $key) {
    features(first: 100, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        key wsjf
        owningTeam { key name }
        stories(first: 20) { totalCount nodes { key points team { key name } } }
        dependsOn { totalCount nodes { type prerequisite { key } } }
        dependents { totalCount }
      }
    }
  }
}
"""


async def run_counted(api: Api, variables: dict[str, Any]) -> tuple[dict[str, Any], int]:
    with api.count_statements() as counter:
        data = await api.query(BOARD, variables)
    return data, counter.count


async def test_board_statements_do_not_grow_with_features(api: Api, engine: AsyncEngine) -> None:
    await build_art(engine, "SMALL", features=10)
    await build_art(engine, "LARGE", features=500)
    # The first request of a token also records its last use (at most once a minute).
    await api.query("{ viewer { isAdmin } }")

    small, small_count = await run_counted(api, {"key": "SMALL"})
    conn = small["art"]["features"]
    assert conn["totalCount"] == 10
    assert sum(len(n["stories"]["nodes"]) for n in conn["nodes"]) == 30

    counts = []
    seen = 0
    after = None
    while True:
        large, count = await run_counted(api, {"key": "LARGE", "after": after})
        conn = large["art"]["features"]
        assert conn["totalCount"] == 500
        seen += len(conn["nodes"])
        assert all(n["stories"]["totalCount"] == 3 for n in conn["nodes"])
        counts.append(count)
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert seen == 500
    assert len(counts) == 5
    # The same statements for 10 features as for every page of 100 of the 500.
    assert counts == [small_count] * 5
    # The token and its person, their memberships (authentication), then: art, features page,
    # features count, owning teams (the stories' teams are the same rows, cached per request),
    # stories page, stories counts, dependsOn page, dependsOn counts, prerequisites,
    # dependents counts.
    assert small_count == 12


ROOT_FEATURES = """
query Features($after: String, $filter: FeatureFilter) {
  features(first: 100, after: $after, filter: $filter, orderBy: {field: KEY}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      key version
      art { key }
      team { key }
      stories(first: 20) { totalCount nodes { key team { key } } }
    }
  }
}
"""


async def test_root_features_statements_do_not_grow_with_features(
    api: Api, engine: AsyncEngine
) -> None:
    await build_art(engine, "SMALL", features=10)
    await build_art(engine, "LARGE", features=500)
    await api.query("{ viewer { isAdmin } }")

    async def page(variables: dict[str, Any]) -> tuple[dict[str, Any], int]:
        with api.count_statements() as counter:
            data = await api.query(ROOT_FEATURES, variables)
        return data["features"], counter.count

    small, small_count = await page({"filter": {"key": {"contains": "SMALL-"}}})
    assert small["totalCount"] == 10
    assert sum(len(n["stories"]["nodes"]) for n in small["nodes"]) == 30

    counts, seen, after = [], 0, None
    while True:
        found, count = await page({"after": after})
        assert found["totalCount"] == 510
        seen += len(found["nodes"])
        counts.append(count)
        if not found["pageInfo"]["hasNextPage"]:
            break
        after = found["pageInfo"]["endCursor"]
    assert seen == 510
    assert counts == [small_count] * 6
    # Authentication (2), then: features page, features count, ARTs, owning teams, stories
    # page, stories counts (the stories' teams are among the teams already read).
    assert small_count == 8

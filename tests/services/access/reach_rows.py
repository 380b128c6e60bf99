"""Matrix rows on how far an actor reaches: writes in another ART than PAY (team ORB of OPS),
and the root reads, where what a reader may not see is absent rather than refused."""

from __future__ import annotations

from typing import Any

from tests.services.access.matrix import Request, create, define, update
from tests.services.access.permission_scenario import Scenario


def _node(result: Any) -> bool:
    return result is not None


def _all(result: Any) -> bool:
    return result is not None and all(node is not None for node in result)


def _listed(result: Any) -> bool:
    return bool(result["totalCount"] == 1 and result["nodes"] == [{"key": "OPS"}])


@define("createTeam (another ART)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createTeam")({"artId": sc.gids["OPS"], "key": f"OT{i}", "name": f"Other {i}"})


@define("updateStory (another ART)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updateStory")(
        {"id": sc.gids["S_ORB"], "version": await v("stories", "S_ORB"), "points": [1, 2][i % 2]}
    )


NODE = "query($id: ID!) { node(id: $id) { ... on Story { key team { name } feature { key } } } }"


@define("query node(id) of the ART's story", seen=_node)
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return NODE, {"id": sc.gids["S_ATL"]}, "node"


@define("query node(id) of another ART's story", seen=_node)
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return NODE, {"id": sc.gids["S_ORB"]}, "node"


@define("query nodes(ids) of the ART's team and story", seen=_all)
async def _(sc: Scenario, i: int, v: Any) -> Request:
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    return query, {"ids": [sc.gids["ATL"], sc.gids["S_ATL"]]}, "nodes"


@define("query arts listing another ART", seen=_listed)
async def _(sc: Scenario, i: int, v: Any) -> Request:
    query = '{ arts(filter: {key: {eq: "OPS"}}) { totalCount nodes { key } } }'
    return query, {}, "arts"


def _listed_feature(key: str) -> Any:
    def seen(result: Any) -> bool:
        return bool(result["totalCount"] == 1 and result["nodes"] == [{"key": key}])

    return seen


FEATURES = (
    "query($key: String!) { features(filter: {key: {eq: $key}}) { totalCount nodes { key } } }"
)


@define("query features listing the ART's feature", seen=_listed_feature("PAY-1"))
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return FEATURES, {"key": "PAY-1"}, "features"


@define("query features listing another ART's feature", seen=_listed_feature("OPS-1"))
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return FEATURES, {"key": "OPS-1"}, "features"


@define("query people", query=True)
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return '{ people(filter: {email: {eq: "target@matrix.test"}}) { totalCount } }', {}, "people"


@define("query components (portfolio-wide)", query=True)
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return "{ components { nodes { name } } }", {}, "components"


@define("query portfolio analyses", query=True)
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return "{ portfolio { cycles { text } } }", {}, "portfolio"

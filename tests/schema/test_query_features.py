"""The root `features` connection: the features of every ART the caller can see, with the
filter and sort of Art.features."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import Api, make_person
from tests.schema.factories import basic_plan, create_feature, ok

FEATURES = (
    "query($first: Int, $after: String, $filter: FeatureFilter, $order: FeatureOrder) { "
    "features(first: $first, after: $after, filter: $filter, orderBy: $order) { totalCount "
    "pageInfo { hasNextPage endCursor } nodes { key art { key } owningTeam { key } } } }"
)


async def keys(api: Api, **variables: Any) -> tuple[list[str], int]:
    data = (await api.query(FEATURES, variables))["features"]
    return [n["key"] for n in data["nodes"]], data["totalCount"]


async def two_arts(api: Api) -> dict[str, Any]:
    pay = await basic_plan(api, "PAY")  # PAY-1: Atlas, PI 2027.1
    ops = await basic_plan(api, "OPS")  # OPS-1: OPS's Atlas
    await create_feature(
        api,
        pay.art,
        "PAY-2",
        owningTeamId=pay.nova,
        userBusinessValue=8,
        timeCriticality=5,
        riskReductionOpportunityEnablement=3,
        jobSize=2,
    )  # WSJF 8
    await create_feature(
        api,
        ops.art,
        "OPS-2",
        userBusinessValue=5,
        timeCriticality=3,
        riskReductionOpportunityEnablement=2,
        jobSize=5,
    )  # WSJF 2
    return {"pay": pay, "ops": ops}


async def test_root_features_span_the_arts_in_backlog_order(api: Api) -> None:
    p = await two_arts(api)
    # Highest WSJF first, unscored last (by rank, then id): the default of Art.features.
    assert await keys(api) == (["PAY-2", "OPS-2", "PAY-1", "OPS-1"], 4)
    assert await keys(api, order={"field": "KEY"}) == (["OPS-1", "OPS-2", "PAY-1", "PAY-2"], 4)
    assert await keys(api, filter={"team": {"eq": p["pay"].nova}}) == (["PAY-2"], 1)
    assert await keys(api, filter={"planningInterval": {"in": [p["ops"].pi]}}) == (["OPS-1"], 1)
    assert await keys(api, filter={"key": {"contains": "ops"}}, order={"field": "KEY"}) == (
        ["OPS-1", "OPS-2"],
        2,
    )
    page = (await api.query(FEATURES, {"first": 3, "order": {"field": "KEY"}}))["features"]
    assert [n["key"] for n in page["nodes"]] == ["OPS-1", "OPS-2", "PAY-1"]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await keys(api, after=page["pageInfo"]["endCursor"], order={"field": "KEY"})
    assert rest == (["PAY-2"], 4)
    await ok(api, "archiveFeature", "feature { id }", {"id": p["ops"].feature["id"], "version": 1})
    assert await keys(api, order={"field": "KEY"}) == (["OPS-2", "PAY-1", "PAY-2"], 3)
    assert await keys(api, filter={"archived": True}) == (["OPS-1"], 1)


async def test_root_features_hold_only_the_arts_one_can_see(api: Api, engine: AsyncEngine) -> None:
    p = await two_arts(api)
    _, secret = await make_person(engine, "sam@example.com")
    sam = (
        await api.query('{ people(filter: {email: {eq: "sam@example.com"}}) { nodes { id } } }')
    )["people"]["nodes"][0]["id"]
    await ok(
        api,
        "createMembership",
        "membership { id }",
        {"personId": sam, "teamId": p["pay"].atlas, "role": "DEVELOPER"},
    )
    member = api.as_token(secret)
    assert await keys(member, order={"field": "KEY"}) == (["PAY-1", "PAY-2"], 2)
    # Another ART's team matches nothing for them, as it would on that ART's own list.
    assert await keys(member, filter={"team": {"eq": p["ops"].atlas}}) == ([], 0)
    anonymous = await api.as_token(None).raw(FEATURES)
    assert anonymous["data"] is None
    assert [e["extensions"]["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]


async def test_refused_root_feature_arguments_say_why(api: Api) -> None:
    p = await two_arts(api)
    refused: list[tuple[dict[str, Any], str]] = [
        (
            {"first": 101},
            "first must be between 0 and 100 (got 101); page through larger lists with `after`.",
        ),
        (
            {"filter": {"team": {"eq": p["pay"].pi}}},
            "filter.team: expected an id of type Team, got an id of type PlanningInterval.",
        ),
        (
            {"filter": {"key": {"in": [f"PAY-{n}" for n in range(101)]}}},
            "key.in lists 101 values; at most 100 are allowed.",
        ),
        (
            {"after": "not-a-cursor"},
            "after='not-a-cursor' is not a cursor this API issued; use an edge's `cursor` or "
            "pageInfo.endCursor.",
        ),
    ]
    for variables, message in refused:
        body = await api.raw(FEATURES, variables)
        assert body["data"] is None, variables
        assert [e["message"] for e in body["errors"]] == [message]

"""A refused filter names the filter's field as clients know it, and reads nothing."""

from __future__ import annotations

from tests.conftest import Api
from tests.schema.factories import basic_plan


async def test_an_in_list_over_the_limit_names_the_field_in_camel_case(api: Api) -> None:
    plan = await basic_plan(api)
    ids = [plan.pi] * 101
    result = await api.raw(
        "query($art: ID!, $ids: [ID!]!) { node(id: $art) { ... on Art {"
        " features(filter: {planningInterval: {in: $ids}}) { totalCount } } } }",
        {"art": plan.art, "ids": ids},
    )
    assert [e["message"] for e in result["errors"]] == [
        "planningInterval.in lists 101 values; at most 100 are allowed."
    ]
    assert result["data"] == {"node": None}


async def test_an_in_list_at_the_limit_is_applied(api: Api) -> None:
    plan = await basic_plan(api)
    data = await api.query(
        "query($art: ID!, $ids: [ID!]!) { node(id: $art) { ... on Art {"
        " features(filter: {planningInterval: {in: $ids}}) { totalCount } } } }",
        {"art": plan.art, "ids": [plan.pi] * 100},
    )
    assert data == {"node": {"features": {"totalCount": 1}}}  # the plan's one feature

"""Hostile or sloppy queries are refused early with a clear answer (times: tests/perf)."""

from __future__ import annotations

import json
from typing import Any

from litestar.testing import AsyncTestClient

from schema.transport.app import create_app
from services.core.settings import Settings
from tests.conftest import Api
from tests.schema.factories import basic_plan

GQL = "application/graphql-response+json"
PLAN_TABLES = ("arts", "teams", "features", "stories", "dependencies", "history")


def deep_query(depth: int) -> str:
    """`{ art { teams { nodes { art { teams { nodes ... } } } } } }`, `depth` levels deep."""
    opening, closing = [], []
    for level in range(depth // 3):
        opening.append("teams { nodes { art {" if level else 'art(key: "PAY") {')
        closing.append("} } }" if level else "}")
    return "{ " + " ".join(opening) + " key " + " ".join(reversed(closing)) + " }"


async def attack(api: Api, body: bytes | str) -> tuple[int, dict[str, Any], list[str]]:
    """Send a request; returns status, body and the plan-table statements it ran."""
    content = body.encode() if isinstance(body, str) else body
    with api.count_statements() as counter:
        response = await api.client.post(
            "/graphql",
            content=content,
            headers={"content-type": "application/json", "accept": GQL, **api.headers},
        )
    # Authentication reads the token and the memberships; nothing else may run.
    auth = ("FROM api_tokens", "FROM memberships", "UPDATE api_tokens")
    touched = [
        s
        for s in counter.statements
        if not any(a in s for a in auth) and any(f" {t}" in s for t in PLAN_TABLES)
    ]
    return response.status_code, response.json(), touched


def query(text: str, variables: dict[str, Any] | None = None) -> str:
    return json.dumps({"query": text, "variables": variables or {}})


async def test_a_50_deep_query_is_refused(api: Api) -> None:
    await basic_plan(api)
    status, body, touched = await attack(api, query(deep_query(50)))
    assert status == 400
    assert body["errors"][0]["message"] == "'anonymous' exceeds maximum operation depth of 12"
    assert touched == []


async def test_1000_aliases_are_refused(api: Api) -> None:
    aliases = " ".join(f"a{n}: __typename" for n in range(1000))
    status, body, touched = await attack(api, query("{ " + aliases + " }"))
    assert status == 400
    assert body["errors"][0]["message"] == "1000 aliases found. Allowed: 30"
    assert touched == []


async def test_a_document_over_the_token_budget_is_refused_while_parsing(api: Api) -> None:
    fields = " ".join("totalCount" for _ in range(6000))
    status, body, touched = await attack(api, query("{ arts { " + fields + " } }"))
    assert status == 400
    assert body["errors"][0]["message"] == (
        "Syntax Error: Document contains more than 5000 tokens. Parsing aborted."
    )
    assert touched == []


async def test_a_1_mb_query_is_refused_before_it_is_read(api: Api) -> None:
    huge = query("{ arts { " + "totalCount " * 100_000 + "} }")
    assert len(huge) > 1_000_000
    status, _, touched = await attack(api, huge)
    assert status == 413
    assert touched == []


async def test_circular_fragments_are_refused(api: Api) -> None:
    text = (
        '{ art(key: "PAY") { ...A } } fragment A on Art { teams { nodes { art { ...B } } } } '
        "fragment B on Art { teams { nodes { art { ...A } } } }"
    )
    status, body, touched = await attack(api, query(text))
    assert status == 400
    assert body["errors"][0]["message"] == "Cannot spread fragment 'A' within itself via 'B'."
    assert touched == []


async def test_a_huge_page_is_refused_by_the_cost_budget(api: Api) -> None:
    await basic_plan(api)
    text = '{ art(key: "PAY") { features(first: 100000) { nodes { key stories(first: 100) { nodes { key } } } } } }'
    status, body, touched = await attack(api, query(text))
    assert status == 400
    assert body["errors"] == [
        {
            "message": "This query would cost 10,300,003 (a connection multiplies what it selects "
            "by its page size), over the budget of 250,000. Ask for fewer items per page, or fewer "
            "nested lists.",
            "extensions": {"code": "QUERY_TOO_COSTLY"},
        }
    ]
    # art 1 + features 1 + nodes (1 + 100,000 x (key 1 + stories (1 + nodes (1 + 100 x key 1))))
    assert body["extensions"] == {"cost": {"requested": 10_300_003, "limit": 250_000}}
    assert touched == []


async def test_page_sizes_from_variables_count_too(api: Api) -> None:
    text = "query($n: Int) { arts(first: $n) { nodes { teams(first: $n) { nodes { key } } } } }"
    status, body, _ = await attack(api, query(text, {"n": 100}))
    assert status == 200
    # arts 1 + nodes (1 + 100 x teams (1 + nodes (1 + 100 x key 1)))
    assert body["extensions"] == {"cost": {"requested": 10_202, "limit": 250_000}}
    status, body, _ = await attack(api, query(text, {"n": 100_000}))
    assert status == 400
    assert body["errors"][0]["extensions"] == {"code": "QUERY_TOO_COSTLY"}


async def test_first_over_100_is_still_a_clear_field_error(api: Api) -> None:
    status, body, _ = await attack(api, query("{ arts(first: 101) { totalCount } }"))
    assert status == 200  # within budget, so it runs and the field refuses
    assert body["errors"][0]["message"] == (
        "first must be between 0 and 100 (got 101); page through larger lists with `after`."
    )


async def test_limits_and_introspection_follow_the_settings(settings: Settings, api: Api) -> None:
    strict = create_app(
        Settings(
            database_url=settings.database_url,
            frontend_dist="/nonexistent",
            introspection=False,
            max_depth=3,
            max_cost=10,
        )
    )
    async with AsyncTestClient(strict) as client:
        headers = {"accept": GQL, **api.headers}
        introspect = await client.post(
            "/graphql", json={"query": "{ __schema { types { name } } }"}, headers=headers
        )
        assert introspect.status_code == 400
        assert introspect.json()["errors"][0]["message"] == (
            "GraphQL introspection has been disabled, but the requested query contained the field '__schema'."
        )
        deep = await client.post("/graphql", json={"query": deep_query(6)}, headers=headers)
        assert (
            deep.json()["errors"][0]["message"]
            == "'anonymous' exceeds maximum operation depth of 3"
        )
        costly = await client.post(
            "/graphql", json={"query": "{ arts { nodes { key } } }"}, headers=headers
        )
        assert costly.json()["extensions"] == {"cost": {"requested": 52, "limit": 10}}


async def test_internal_errors_are_masked_but_validation_errors_stay_readable(api: Api) -> None:
    status, body, _ = await attack(api, query("{ arts { nodez } }"))
    assert status == 400
    assert (
        body["errors"][0]["message"]
        == "Cannot query field 'nodez' on type 'ArtConnection'. Did you mean 'nodes'?"
    )

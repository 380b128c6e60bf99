"""GraphQL over HTTP: methods, media types, status codes, limits, masking."""

from __future__ import annotations

import json

import pytest

from services.org import arts
from tests.conftest import Api

GQL_RESPONSE = "application/graphql-response+json"
QUERY = "{ arts { totalCount } }"


async def test_get_runs_queries(api: Api) -> None:
    response = await api.client.get("/graphql", params={"query": QUERY}, headers=api.headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {
        "data": {"arts": {"totalCount": 0}},
        "extensions": {"cost": {"requested": 2, "limit": 250_000}},
    }


async def test_get_refuses_mutations_with_405(api: Api) -> None:
    response = await api.client.get(
        "/graphql",
        params={
            "query": 'mutation { createArt(input: {key: "PAY", name: "P"}) { errors { code } } }'
        },
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json() == {
        "errors": [{"message": "Mutations are sent with POST; GET runs queries only."}]
    }
    assert (await api.query(QUERY)) == {"arts": {"totalCount": 0}}


async def test_graphql_response_media_type_gives_4xx_for_request_errors(api: Api) -> None:
    headers = {"accept": GQL_RESPONSE, **api.headers}
    invalid = await api.client.post(
        "/graphql", json={"query": "{ arts { nope } }"}, headers=headers
    )
    assert invalid.status_code == 400
    assert invalid.headers["content-type"].startswith(GQL_RESPONSE)
    body = invalid.json()
    assert "data" not in body
    assert body["errors"][0]["message"] == (
        "Cannot query field 'nope' on type 'ArtConnection'. Did you mean 'nodes'?"
    )
    syntax = await api.client.post("/graphql", json={"query": "{ arts "}, headers=headers)
    assert syntax.status_code == 400
    ok = await api.client.post("/graphql", json={"query": QUERY}, headers=headers)
    assert (ok.status_code, ok.json()["data"]) == (200, {"arts": {"totalCount": 0}})
    field_error = await api.client.post(
        "/graphql", json={"query": "{ arts(first: 1000) { totalCount } }"}, headers=headers
    )
    assert field_error.status_code == 200  # execution started: data is present (null)
    assert field_error.json()["data"] is None


async def test_application_json_keeps_200_for_validation_errors(api: Api) -> None:
    response = await api.client.post("/graphql", json={"query": "{ arts { nope } }"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "data" not in response.json()


async def test_variables_and_operation_name(api: Api) -> None:
    query = "query A { a: arts { totalCount } } query B($k: String!) { art(key: $k) { key } }"
    response = await api.client.post(
        "/graphql",
        json={"query": query, "operationName": "B", "variables": {"k": "PAY"}},
        headers=api.headers,
    )
    assert response.json()["data"] == {"art": None}
    response = await api.client.get(
        "/graphql",
        params={"query": query, "operationName": "B", "variables": json.dumps({"k": "X"})},
    )
    assert response.json()["data"] == {"art": None}
    unknown = await api.client.post("/graphql", json={"query": query, "operationName": "C"})
    assert unknown.status_code == 400


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        (
            b"[]",
            "application/json",
            400,
            "Batched requests are not supported: send one operation per request.",
        ),
        (
            b'[{"query": "{ arts { totalCount } }"}]',
            "application/json",
            400,
            "Batched requests are not supported: send one operation per request.",
        ),
        (b"{not json", "application/json", 400, "The request body is not valid JSON."),
        (b'{"query": ""}', "application/json", 400, "The request has no GraphQL `query` string."),
        (
            b'{"query": "{ arts { totalCount } }", "variables": [1]}',
            "application/json",
            400,
            "`variables` must be a JSON object.",
        ),
        (
            b"{ arts { totalCount } }",
            "text/plain",
            415,
            "Send the request body as application/json.",
        ),
    ],
)
async def test_malformed_requests_are_refused_clearly(
    api: Api, body: bytes, content_type: str, status: int, message: str
) -> None:
    response = await api.client.post(
        "/graphql", content=body, headers={"content-type": content_type}
    )
    assert response.status_code == status
    assert response.json() == {"errors": [{"message": message}]}


async def test_unacceptable_accept_header_is_406(api: Api) -> None:
    response = await api.client.post(
        "/graphql", json={"query": QUERY}, headers={"accept": "text/csv"}
    )
    assert response.status_code == 406


async def test_body_over_the_limit_is_413_and_nothing_runs(api: Api) -> None:
    limit = api.app.state.settings.max_request_body_bytes
    padding = " " * (limit + 1)
    response = await api.client.post(
        "/graphql",
        content=json.dumps(
            {
                "query": 'mutation { createArt(input: {key: "PAY", name: "P"}) { errors { code } } }'
                + padding
            }
        ),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert (await api.query(QUERY)) == {"arts": {"totalCount": 0}}


async def test_graphiql_is_served_to_browsers(api: Api) -> None:
    response = await api.client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_unexpected_failures_are_masked(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*_: object) -> None:
        raise RuntimeError("connection string postgres://secret@db leaked")

    monkeypatch.setattr(arts, "create_art", broken)
    body = await api.raw(
        'mutation { createArt(input: {key: "PAY", name: "P"}) { errors { code } } }'
    )
    assert body["errors"][0]["message"] == "Internal error."
    assert "secret" not in json.dumps(body)


async def test_health(api: Api) -> None:
    response = await api.client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})

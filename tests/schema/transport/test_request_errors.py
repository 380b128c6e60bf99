"""Request errors over HTTP: a malformed `extensions`, variables that do not coerce, text that
is not Unicode. Each is refused before anything runs, with what was wrong."""

from __future__ import annotations

import json
from typing import Any

import pytest
from httpx import Response

from tests.conftest import Api
from tests.schema.factories import basic_plan

GQL_RESPONSE = "application/graphql-response+json"
QUERY = "{ arts { totalCount } }"
UPDATE_FEATURE = (
    "mutation($i: UpdateFeatureInput!) { updateFeature(input: $i) { errors { code } } }"
)
FEATURE_STATE = "query($id: ID!) { node(id: $id) { ... on Feature { version title jobSize "
FEATURE_STATE += "history { totalCount } } } }"


async def post(api: Api, body: dict[str, Any], accept: str | None = None) -> Response:
    # json.dumps writes a lone surrogate as the escape `\udfff`, as a client's JSON would.
    headers = {**api.headers, "content-type": "application/json"}
    if accept is not None:
        headers["accept"] = accept
    return await api.client.post("/graphql", content=json.dumps(body), headers=headers)


async def feature_state(api: Api, feature_id: str) -> dict[str, Any]:
    data = await api.query(FEATURE_STATE, {"id": feature_id})
    state: dict[str, Any] = data["node"]
    return state


@pytest.mark.parametrize("extensions", ["x", "{}", 1, 1.5, True, [1], [{}]])
@pytest.mark.parametrize("accept", [None, GQL_RESPONSE])
async def test_extensions_that_are_not_an_object_are_refused_with_400(
    api: Api, extensions: object, accept: str | None
) -> None:
    response = await post(api, {"query": QUERY, "extensions": extensions}, accept)
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "`extensions` must be a JSON object."}]}


async def test_extensions_as_an_object_or_absent_run_the_request(api: Api) -> None:
    for body in ({"query": QUERY, "extensions": {"persistedQuery": None}}, {"query": QUERY}):
        response = await post(api, body)
        assert (response.status_code, response.json()["data"]) == (200, {"arts": {"totalCount": 0}})
    # Over GET every parameter is text: `extensions` is the JSON of an object.
    got = await api.client.get(
        "/graphql", params={"query": QUERY, "extensions": "{}"}, headers=api.headers
    )
    assert (got.status_code, got.json()["data"]) == (200, {"arts": {"totalCount": 0}})
    for text, message in [
        ("[1]", "`extensions` must be a JSON object."),
        ("{nope", "`extensions` is not valid JSON."),
    ]:
        refused = await api.client.get(
            "/graphql", params={"query": QUERY, "extensions": text}, headers=api.headers
        )
        assert (refused.status_code, refused.json()) == (400, {"errors": [{"message": message}]})


ARTS_FIRST = "query($n: Int) { arts(first: $n) { totalCount } }"


@pytest.mark.parametrize(
    ("query", "variables", "message", "column"),
    [
        (
            ARTS_FIRST,
            {"n": "x"},
            "Variable '$n' of type 'Int' has an invalid value: Int cannot represent non-integer "
            "value: 'x'",
            7,
        ),
        (
            ARTS_FIRST,
            {"n": 2147483648},
            "Variable '$n' of type 'Int' has an invalid value: Int cannot represent non 32-bit "
            "signed integer value: 2147483648",
            7,
        ),
        (
            "query($k: String!) { art(key: $k) { key } }",
            {"k": None},
            "Variable '$k' of type 'String!' has an invalid value: Expected value of non-null "
            "type 'String!' not to be None.",
            7,
        ),
    ],
)
@pytest.mark.parametrize(("accept", "status"), [(None, 200), (GQL_RESPONSE, 400)])
async def test_a_variable_that_does_not_coerce_is_a_request_error(
    api: Api,
    query: str,
    variables: dict[str, Any],
    message: str,
    column: int,
    accept: str | None,
    status: int,
) -> None:
    response = await post(api, {"query": query, "variables": variables}, accept)
    assert response.status_code == status
    body = response.json()
    assert "data" not in body  # nothing ran
    assert body["errors"] == [{"message": message, "locations": [{"line": 1, "column": column}]}]


@pytest.mark.parametrize(
    ("job_size", "inline", "variable_message", "inline_message"),
    [
        (
            2147483648,
            "2147483648",
            "Int cannot represent non 32-bit signed integer value: 2147483648",
            "Int cannot represent non 32-bit signed integer value: 2147483648",
        ),
        (1.5, "1.5", "Int cannot represent non-integer value: 1.5", None),
        ("7", '"7"', "Int cannot represent non-integer value: '7'", None),
    ],
)
async def test_job_sizes_that_are_no_int_are_refused_and_nothing_is_written(
    api: Api, job_size: object, inline: str, variable_message: str, inline_message: str | None
) -> None:
    plan = await basic_plan(api)
    feature = plan.feature
    before = await feature_state(api, feature["id"])
    variables = {"i": {"id": feature["id"], "version": feature["version"], "jobSize": job_size}}
    for accept, status in [(None, 200), (GQL_RESPONSE, 400)]:
        response = await post(api, {"query": UPDATE_FEATURE, "variables": variables}, accept)
        assert response.status_code == status
        body = response.json()
        assert "data" not in body
        assert body["errors"] == [
            {
                "message": "Variable '$i' of type 'UpdateFeatureInput!' has an invalid value at "
                f".jobSize: {variable_message}",
                "locations": [{"line": 1, "column": 10}],
            }
        ]
    # Written inline, the same value fails validation (graphql-core's own messages).
    document = (
        f'mutation {{ updateFeature(input: {{id: "{feature["id"]}", version: '
        f"{feature['version']}, jobSize: {inline}}}) {{ errors {{ code }} }} }}"
    )
    body = await api.raw(document)
    assert "data" not in body
    expected = inline_message or f"Int cannot represent non-integer value: {inline}"
    assert [e["message"] for e in body["errors"]] == [expected]
    assert await feature_state(api, feature["id"]) == before


async def test_lone_surrogates_in_variables_are_refused_before_anything_runs(api: Api) -> None:
    plan = await basic_plan(api)
    feature = plan.feature
    before = await feature_state(api, feature["id"])
    for title, code in [("\udfff", "U+DFFF"), ("ok \ud800 then", "U+D800")]:
        variables = {"i": {"id": feature["id"], "version": feature["version"], "title": title}}
        for accept in (None, GQL_RESPONSE):
            response = await post(api, {"query": UPDATE_FEATURE, "variables": variables}, accept)
            assert response.status_code == 400
            assert response.json() == {
                "errors": [
                    {
                        "message": f"Variable '$i' at .title has a lone UTF-16 surrogate "
                        f"({code}): text must be valid Unicode."
                    }
                ]
            }
    # In a list, in a key, and over GET.
    nested = {"i": {"id": feature["id"], "version": 1, "acceptanceCriteria": ["a", "b\udc00"]}}
    response = await post(api, {"query": UPDATE_FEATURE, "variables": nested})
    assert response.json()["errors"][0]["message"] == (
        "Variable '$i' at .acceptanceCriteria[1] has a lone UTF-16 surrogate (U+DC00): "
        "text must be valid Unicode."
    )
    got = await api.client.get(
        "/graphql",
        params={
            "query": "query($k: String!) { art(key: $k) { key } }",
            "variables": json.dumps({"k": "\udfff"}),
        },
        headers=api.headers,
    )
    assert (got.status_code, got.json()) == (
        400,
        {
            "errors": [
                {
                    "message": "Variable '$k' has a lone UTF-16 surrogate (U+DFFF): text must be "
                    "valid Unicode."
                }
            ]
        },
    )
    assert await feature_state(api, feature["id"]) == before
    # A character outside the Basic Multilingual Plane, sent as a surrogate pair, is text.
    variables = {
        "i": {"id": feature["id"], "version": feature["version"], "title": "Ship \U0001f680"}
    }
    response = await post(api, {"query": UPDATE_FEATURE, "variables": variables})
    assert response.json() == {
        "data": {"updateFeature": {"errors": []}},
        "extensions": {"cost": {"requested": 3, "limit": 250_000}},
    }
    assert (await feature_state(api, feature["id"]))["title"] == "Ship \U0001f680"


async def test_lone_surrogates_in_the_query_are_refused(api: Api) -> None:
    plan = await basic_plan(api)
    feature = plan.feature
    before = await feature_state(api, feature["id"])
    template = (
        'mutation {{ updateFeature(input: {{id: "{id}", version: 1, title: "{title}"}}) '
        "{{ errors {{ code }} }} }}"
    )
    # The character itself, as JSON may carry it: refused by the transport.
    raw = template.format(id=feature["id"], title="\udfff")
    column = raw.index("\udfff") + 1
    for accept in (None, GQL_RESPONSE):
        response = await post(api, {"query": raw}, accept)
        assert (response.status_code, response.json()) == (
            400,
            {
                "errors": [
                    {
                        "message": "The query has a lone UTF-16 surrogate (U+DFFF) at line 1, "
                        f"column {column}: text must be valid Unicode."
                    }
                ]
            },
        )
    # A GraphQL escape of one: a syntax error at that position (400 under the GraphQL media type).
    escaped = template.format(id=feature["id"], title="\\udfff")
    position = {"line": 1, "column": escaped.index("\\udfff") + 1}
    for accept, status in [(None, 200), (GQL_RESPONSE, 400)]:
        response = await post(api, {"query": escaped}, accept)
        assert (response.status_code, response.json()) == (
            status,
            {
                "errors": [
                    {
                        "message": "Syntax Error: Invalid Unicode escape sequence: '\\udfff'.",
                        "locations": [position],
                    }
                ]
            },
        )
    # In operationName and extensions too.
    cases: list[tuple[dict[str, Any], str]] = [
        ({"query": QUERY, "operationName": "A\udfff"}, "`operationName`"),
        ({"query": QUERY, "extensions": {"trace": ["\udfff"]}}, "`extensions` at .trace[0]"),
    ]
    for body, label in cases:
        response = await post(api, body)
        assert (response.status_code, response.json()) == (
            400,
            {
                "errors": [
                    {
                        "message": f"{label} has a lone UTF-16 surrogate (U+DFFF): text must be "
                        "valid Unicode."
                    }
                ]
            },
        )
    assert await feature_state(api, feature["id"]) == before

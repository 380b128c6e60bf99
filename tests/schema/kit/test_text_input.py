"""Text no backend can store (a NUL character, U+0000): every mutation refuses it in any of its
text inputs with a payload error naming the field as the client sent it, and writes nothing;
a lookup or a filter by such a text matches nothing. The same on SQLite (which would store it)
as on PostgreSQL (which refuses it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
    build_schema,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.build import export_sdl
from services.core import validation
from services.core.errors import ErrorCode, Problems
from services.models import Base
from tests.conftest import Api
from tests.schema.factories import basic_plan, create_story

NUL = "\u0000"
ERRORS = "errors { code message field }"
# A value GraphQL accepts for each scalar, for the required inputs around the text under test.
SCALARS: dict[str, Any] = {
    "String": "x",
    "ID": "x",
    "Int": 1,
    "Float": 1.0,
    "Boolean": True,
    "Date": "2027-01-04",
    "DateTime": "2027-01-04T09:00:00+00:00",
    "Time": "10:00",
    "JSON": {},
}


def refusal(path: str) -> dict[str, str]:
    return {
        "code": "INVALID_VALUE",
        "message": f"{path} contains a NUL character (U+0000), which cannot be stored; remove it.",
        "field": path,
    }


def _filled(t: GraphQLInputType) -> Any:
    """A valid value of the type with only its required fields."""
    if isinstance(t, GraphQLNonNull):
        return _filled(t.of_type)
    if isinstance(t, GraphQLList):
        return [_filled(t.of_type)]
    if isinstance(t, GraphQLEnumType):
        return next(iter(t.values))
    if isinstance(t, GraphQLScalarType):
        return SCALARS[t.name]
    assert isinstance(t, GraphQLInputObjectType)
    return {
        name: _filled(field.type)
        for name, field in t.fields.items()
        if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
    }


def _texts(t: GraphQLInputType, path: str, seen: frozenset[str]) -> Iterator[tuple[str, Any]]:
    """(path of a text leaf, a value of `t` whose only NUL is at that leaf), for every text
    leaf reachable in `t`: fields of nested inputs and entries of lists included."""
    if isinstance(t, GraphQLNonNull):
        yield from _texts(t.of_type, path, seen)
    elif isinstance(t, GraphQLList):
        for inner, value in _texts(t.of_type, f"{path}[1]", seen):
            yield inner, [_filled(t.of_type), value]
    elif isinstance(t, GraphQLScalarType) and t.name == "String":
        yield path, f"a{NUL}b"
    elif isinstance(t, GraphQLInputObjectType) and t.name not in seen:
        for name, field in t.fields.items():
            inner_path = f"{path}.{name}" if path else name
            for leaf, value in _texts(field.type, inner_path, seen | {t.name}):
                yield leaf, {**_filled(t), name: value}


def text_inputs() -> list[tuple[str, str, str, Any]]:
    """(mutation, input type, path, input) for every text an input of a mutation holds."""
    schema = build_schema(export_sdl())
    assert schema.mutation_type is not None
    out: list[tuple[str, str, str, Any]] = []
    for name, field in schema.mutation_type.fields.items():
        arg = field.args["input"]
        type_name = str(arg.type).rstrip("!")
        out.extend(
            (name, type_name, path, value) for path, value in _texts(arg.type, "", frozenset())
        )
    return out


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            table.name: (
                await conn.execute(text(f"SELECT count(*) FROM {table.name}"))
            ).scalar_one()
            for table in Base.metadata.sorted_tables
        }


async def test_every_text_of_every_mutation_input_refuses_a_nul(
    api: Api, engine: AsyncEngine
) -> None:
    cases = text_inputs()
    names = {(m, p) for m, _, p, _ in cases}
    # The ones the issue names are among them, nested inputs and lists of texts too.
    assert {
        ("updateStory", "title"),
        ("updateStory", "description"),
        ("updateStory", "testApproach"),
        ("updateStory", "acceptanceCriteria[1]"),
        ("updateFeature", "title"),
        ("createArt", "name"),
        ("createStory", "acceptanceCriteria[1]"),
        ("createPlanningInterval", "iterations[1].name"),
        ("refineStory", "acceptanceCriteria[1]"),
    } <= names
    await basic_plan(api)
    before = await row_counts(engine)
    for mutation, type_name, path, value in cases:
        body = await api.raw(
            f"mutation($input: {type_name}!) {{ {mutation}(input: $input) {{ {ERRORS} }} }}",
            {"input": value},
        )
        assert "errors" not in body, (mutation, path, body)
        assert body["data"][mutation]["errors"] == [refusal(path)], (mutation, path)
    assert await row_counts(engine) == before


async def test_a_nul_in_a_literal_and_several_at_once_are_all_named(api: Api) -> None:
    plan = await basic_plan(api)
    story = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1")
    body = await api.raw(
        f'mutation {{ updateStory(input: {{id: "{story["id"]}", version: 1, '
        'title: "Refund\\u0000", acceptanceCriteria: ["ok", "\\u0000"], '
        'testApproach: "a\\u0000b"}) { story { id } ' + ERRORS + " } }"
    )
    assert body["data"]["updateStory"] == {
        "story": None,
        "errors": [refusal("title"), refusal("acceptanceCriteria[1]"), refusal("testApproach")],
    }


STORY_STATE = "story { version title description testApproach acceptanceCriteria }"


async def test_the_items_of_the_issue_write_nothing(api: Api, engine: AsyncEngine) -> None:
    plan = await basic_plan(api)
    story = await create_story(
        api, plan.feature["id"], plan.atlas, "ATL-1", acceptanceCriteria=["Refund shown"]
    )
    query = (
        "query($s: ID!, $f: ID!) { s: node(id: $s) { ... on Story { version title description "
        "testApproach acceptanceCriteria history { totalCount } } } f: node(id: $f) "
        "{ ... on Feature { version title history { totalCount } } } "
        "arts(filter: {archived: null}) { totalCount } }"
    )
    variables = {"s": story["id"], "f": plan.feature["id"]}
    before = await api.query(query, variables)
    counts = await row_counts(engine)
    for field, value in (
        ("title", f"Refund{NUL}"),
        ("description", f"{NUL}"),
        ("testApproach", f"Contract test{NUL}"),
        ("acceptanceCriteria", ["Refund shown", f"in 2 s{NUL}"]),
    ):
        payload = await api.mutate(
            "updateStory", "story { id }", {"id": story["id"], "version": 1, field: value}
        )
        path = "acceptanceCriteria[1]" if field == "acceptanceCriteria" else field
        assert payload == {"story": None, "errors": [{**refusal(path), "currentVersion": None}]}
    feature = await api.mutate(
        "updateFeature", "feature { id }", {"id": plan.feature["id"], "version": 1, "title": NUL}
    )
    assert feature["errors"] == [{**refusal("title"), "currentVersion": None}]
    art = await api.mutate("createArt", "art { id }", {"key": "OPS", "name": f"Ops{NUL}"})
    assert art == {"art": None, "errors": [{**refusal("name"), "currentVersion": None}]}
    created = await api.mutate(
        "createStory",
        "story { id }",
        {
            "featureId": plan.feature["id"],
            "teamId": plan.atlas,
            "key": "ATL-2",
            "title": "Refund UI",
            "kind": "USER_STORY",
            "acceptanceCriteria": [f"{NUL}"],
        },
    )
    assert created["errors"] == [{**refusal("acceptanceCriteria[0]"), "currentVersion": None}]
    assert await api.query(query, variables) == before
    assert await row_counts(engine) == counts


async def test_lookups_and_filters_by_such_a_text_match_nothing(api: Api) -> None:
    plan = await basic_plan(api)
    await create_story(api, plan.feature["id"], plan.atlas, "ATL-1", refinementTag="refine-next")
    found = await api.query('{ art(key: "PAY") { key } }')
    assert found == {"art": {"key": "PAY"}}
    assert await api.query('{ art(key: "PAY\\u0000") { key } }') == {"art": None}
    assert await api.query('{ art(key: "\\u0000") { key } }') == {"art": None}
    for filter_ in (
        '{key: {eq: "PAY\\u0000"}}',
        '{key: {in: ["\\u0000", "X\\u0000"]}}',
        '{name: {contains: "\\u0000"}}',
    ):
        data = await api.query(f"{{ arts(filter: {filter_}) {{ totalCount nodes {{ key }} }} }}")
        assert data == {"arts": {"totalCount": 0, "nodes": []}}, filter_
    # Other values of an `in` list still match.
    data = await api.query('{ arts(filter: {key: {in: ["\\u0000", "PAY"]}}) { nodes { key } } }')
    assert data == {"arts": {"nodes": [{"key": "PAY"}]}}
    nested = await api.query(
        '{ art(key: "PAY") { teams(filter: {key: {eq: "ATL\\u0000"}}) { totalCount } '
        'stories(filter: {title: {contains: "\\u0000"}}) { totalCount } '
        'tagged: stories(filter: {tag: {in: ["refine-next\\u0000"]}}) { totalCount } '
        'features(filter: {key: {eq: "\\u0000"}}) { totalCount } '
        'components(filter: {name: {contains: "\\u0000"}}) { totalCount } '
        'activity(filter: {itemType: {eq: "Story\\u0000"}}) { totalCount } } '
        'people(filter: {email: {contains: "\\u0000"}}) { totalCount } }'
    )
    assert nested == {
        "art": {
            "teams": {"totalCount": 0},
            "stories": {"totalCount": 0},
            "tagged": {"totalCount": 0},
            "features": {"totalCount": 0},
            "components": {"totalCount": 0},
            "activity": {"totalCount": 0},
        },
        "people": {"totalCount": 0},
    }


async def test_signing_in_with_such_an_email_is_refused_as_bad_input(
    api: Api, engine: AsyncEngine
) -> None:
    before = await row_counts(engine)
    response = await api.client.post(
        "/auth/sign-in", json={"email": f"admin@tests.trainyard{NUL}", "password": "x"}
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "error": "email contains a NUL character (U+0000), which no email address has; remove it."
        },
    )
    assert await row_counts(engine) == before  # not even a failed attempt to count


def test_the_services_refuse_it_too() -> None:
    """Callers other than the API (the CLI, imports) meet the same rule in the shared checks."""
    problems = Problems()
    assert validation.text(problems, "title", f"Refund{NUL}", max_len=200) is None
    assert validation.text_list(problems, "acceptance_criteria", ["ok", NUL]) is None
    assert [(p.code, p.field, p.message) for p in problems.items] == [
        (
            ErrorCode.INVALID_VALUE,
            "title",
            "title contains a NUL character (U+0000), which cannot be stored; remove it.",
        ),
        (
            ErrorCode.INVALID_VALUE,
            "acceptance_criteria[1]",
            "acceptance_criteria[1] contains a NUL character (U+0000), which cannot be stored; "
            "remove it.",
        ),
    ]
    assert validation.storable("Refund")
    assert not validation.storable(f"a{NUL}")

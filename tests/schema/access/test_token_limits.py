"""A token limited to ARTs acts only inside them, for reads and writes alike, whoever its person
is (a portfolio admin included); what lies in no ART needs a token without a limit. A write's
payload answers what the caller may read, and a write it could not read back is refused
before anything is written."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.kit.relay import decode_id
from services.access import tokens
from services.core.db import create_sessionmaker
from services.core.enums import Role, TokenScope
from services.history import audit
from services.models import Base
from services.org import people
from tests.conftest import TEST_ACTOR, Api, make_person
from tests.schema.factories import Plan, basic_plan, create_story

# The query of the issue: a write on another ART's story, selecting its team.
UPDATE_STORY = """
mutation($input: UpdateStoryInput!) {
  updateStory(input: $input) { story { key team { name } } errors { code message field } }
}
"""
LIMITED_TO_OTHER = "This API token is limited to other ARTs, so it may not "
USE_ANOTHER = ": use a token limited to that ART, or one without an ART limit."


async def snapshot(engine: AsyncEngine) -> dict[str, tuple[int, int]]:
    """Rows and the sum of versions of every table: any write changes it."""
    out = {}
    async with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            version = table.c.get("version")
            summed = func.coalesce(func.sum(version), 0) if version is not None else text("0")
            count, versions = (
                await conn.execute(select(func.count(), summed).select_from(table))
            ).one()
            out[table.name] = (int(count), int(versions))
    return out


def pk(gid: str) -> int:
    return decode_id(gid, ("Art", "Team", "Story"), "id")[1]


async def limited_token(engine: AsyncEngine, who: str, pay: Plan, ops: Plan) -> str:
    """A WRITE token limited to PAY for a portfolio admin, or for the RTE of PAY and OPS."""
    person_id, _ = await make_person(engine, f"{who}-bot@tests.trainyard", admin=who == "admin")
    async with create_sessionmaker(engine).begin() as s:
        audit.bind(s, TEST_ACTOR)
        if who == "rte":
            for art in (pay.art, ops.art):
                await people.create_membership(s, TEST_ACTOR, person_id, pk(art), None, Role.RTE)
        made = await tokens.create_token(
            s, TEST_ACTOR, person_id, "PAY sync", TokenScope.WRITE, [pk(pay.art)]
        )
    return made.secret


@pytest.fixture
async def plans(api: Api) -> tuple[Plan, Plan, dict[str, Any], dict[str, Any]]:
    pay, ops = await basic_plan(api), await basic_plan(api, "OPS")
    pay_story = await create_story(api, pay.feature["id"], pay.atlas, "ATL-1")
    ops_story = await create_story(api, ops.feature["id"], ops.atlas, "ATL-7")
    return pay, ops, pay_story, ops_story


@pytest.mark.parametrize("who", ["admin", "rte"])
async def test_the_issue_query_on_another_art_is_forbidden_and_writes_nothing(
    api: Api, engine: AsyncEngine, plans: Any, who: str
) -> None:
    pay, ops, _, ops_story = plans
    bot = api.as_token(await limited_token(engine, who, pay, ops))
    before = await snapshot(engine)
    body = await bot.raw(
        UPDATE_STORY, {"input": {"id": ops_story["id"], "version": 1, "points": 5}}
    )
    assert body["data"] is None  # the payload is non-null: a refusal answers no data
    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
        (
            LIMITED_TO_OTHER + "create, change or archive the team's stories "
            "(stories of team ATL)" + USE_ANOTHER,
            {"code": "FORBIDDEN"},
        )
    ]
    assert await snapshot(engine) == before
    seen = await api.query(
        "query($id: ID!) { node(id: $id) { ... on Story { version points } } }",
        {"id": ops_story["id"]},
    )
    assert seen == {"node": {"version": 1, "points": None}}


@pytest.mark.parametrize("who", ["admin", "rte"])
async def test_a_limited_token_writes_and_reads_back_inside_its_art(
    api: Api, engine: AsyncEngine, plans: Any, who: str
) -> None:
    pay, ops, pay_story, _ = plans
    bot = api.as_token(await limited_token(engine, who, pay, ops))
    body = await bot.raw(
        UPDATE_STORY, {"input": {"id": pay_story["id"], "version": 1, "points": 5}}
    )
    assert "errors" not in body, body["errors"]
    assert body["data"] == {
        "updateStory": {"story": {"key": "ATL-1", "team": {"name": "Atlas"}}, "errors": []}
    }


@pytest.mark.parametrize("who", ["admin", "rte"])
async def test_a_limited_token_does_nothing_in_another_art_or_across_the_portfolio(
    api: Api, engine: AsyncEngine, plans: Any, who: str
) -> None:
    pay, ops, _, _ = plans
    bot = api.as_token(await limited_token(engine, who, pay, ops))
    no_art = (
        "This API token is limited to some ARTs, so it may not {}: that lies in no ART and "
        "needs a token without an ART limit."
    )
    refusals = {
        "createTeam": (
            {"artId": ops.art, "key": "NEW", "name": "New"},
            LIMITED_TO_OTHER + "create, change or archive teams in ART OPS" + USE_ANOTHER,
        ),
        "createArt": ({"key": "NEW", "name": "New"}, no_art.format("create an ART")),
        "createPerson": (
            {"name": "New", "email": "new@tests.trainyard"},
            no_art.format("create people"),
        ),
        "createComponent": (
            {"name": "Identity", "kind": "PLATFORM"},
            no_art.format("create, change or archive portfolio-wide components"),
        ),
    }
    before = await snapshot(engine)
    for name, (input_, message) in refusals.items():
        query = f"mutation($input: {name[0].upper()}{name[1:]}Input!) {{ {name}(input: $input) "
        body = await bot.raw(query + "{ errors { code } } }", {"input": input_})
        assert body["data"] is None, name
        assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
            (message, {"code": "FORBIDDEN"})
        ], name
    assert await snapshot(engine) == before


@pytest.mark.parametrize("who", ["admin", "rte"])
async def test_another_art_is_invisible_to_a_limited_token(
    api: Api, engine: AsyncEngine, plans: Any, who: str
) -> None:
    pay, ops, _, ops_story = plans
    bot = api.as_token(await limited_token(engine, who, pay, ops))
    seen = await bot.query(
        "query($ids: [ID!]!) { arts { nodes { key } } viewer { arts { key } } "
        "nodes(ids: $ids) { id } }",
        {"ids": [ops_story["id"], ops.atlas, ops.art]},
    )
    assert seen == {
        "arts": {"nodes": [{"key": "PAY"}]},
        "viewer": {"arts": [{"key": "PAY"}]},
        "nodes": [None, None, None],
    }
    body = await bot.raw('{ art(key: "OPS") { key } }')
    assert body["data"] == {"art": None}
    assert [e["message"] for e in body["errors"]] == [
        "This API token is limited to other ARTs, so it cannot see ART OPS: use a token "
        "limited to that ART, or one without an ART limit."
    ]


async def rte_of(engine: AsyncEngine, email: str, *arts: str) -> str:
    """An RTE of these ARTs, with an unlimited WRITE token."""
    person_id, secret = await make_person(engine, email)
    assert secret is not None
    async with create_sessionmaker(engine).begin() as s:
        audit.bind(s, TEST_ACTOR)
        for art in arts:
            await people.create_membership(s, TEST_ACTOR, person_id, pk(art), None, Role.RTE)
    return secret


async def test_a_cross_art_write_answers_the_far_end_it_cannot_see_as_null(
    api: Api, engine: AsyncEngine, plans: Any
) -> None:
    pay, _, pay_story, ops_story = plans
    rte = api.as_token(await rte_of(engine, "rte-pay@tests.trainyard", pay.art))
    end = "{ __typename ... on Story { key team { name } feature { key } } }"
    made = await rte.mutate(
        "createDependency",
        f"dependency {{ isCrossArt dependent {end} prerequisite {end} }}",
        {"dependentId": pay_story["id"], "prerequisiteId": ops_story["id"]},
    )
    assert made == {
        "dependency": {
            "isCrossArt": True,
            "dependent": {
                "__typename": "Story",
                "key": "ATL-1",
                "team": {"name": "Atlas"},
                "feature": {"key": "PAY-1"},
            },
            "prerequisite": None,
        },
        "errors": [],
    }


async def test_moving_a_story_out_of_what_the_caller_sees_is_refused_before_writing(
    api: Api, engine: AsyncEngine, plans: Any
) -> None:
    pay, ops, pay_story, _ = plans
    rte = api.as_token(await rte_of(engine, "rte-pay@tests.trainyard", pay.art))
    limited = api.as_token(await limited_token(engine, "admin", pay, ops))
    both = api.as_token(await rte_of(engine, "rte-both@tests.trainyard", pay.art, ops.art))
    move = {"id": pay_story["id"], "version": 1, "teamId": ops.atlas}
    before = await snapshot(engine)

    body = await rte.raw(UPDATE_STORY, {"input": move})
    assert body["data"] is None
    assert [e["message"] for e in body["errors"]] == [
        "You may not create, change or archive the team's stories (stories of team ATL): that "
        "needs portfolio admin or RTE of the ART or DEVELOPER, PRODUCT_OWNER, SCRUM_MASTER, "
        "SME, TECH_LEAD, TESTER of the team."
    ]
    body = await limited.raw(UPDATE_STORY, {"input": move})
    assert body["data"] is None
    assert [e["message"] for e in body["errors"]] == [
        LIMITED_TO_OTHER
        + "create, change or archive the team's stories (stories of team ATL)"
        + USE_ANOTHER
    ]
    # Whoever sees both ARTs still keeps a story with its feature's ART.
    other_team = (
        "WRONG_ART",
        "teamId: that team belongs to another ART; a story is owned by a team of its feature's "
        "ART.",
    )
    other_feature = (
        "WRONG_ART",
        "featureId: a story can move to another feature of the same ART only.",
    )
    for change, expected in (
        ({"teamId": ops.atlas}, [other_team]),
        ({"featureId": ops.feature["id"], "teamId": ops.atlas}, [other_feature]),
    ):
        body = await both.raw(UPDATE_STORY, {"input": {**move, **change}})
        assert "errors" not in body, body["errors"]
        payload = body["data"]["updateStory"]
        assert payload["story"] is None
        assert [(e["code"], e["message"]) for e in payload["errors"]] == expected, change
    assert await snapshot(engine) == before

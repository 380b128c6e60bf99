"""ARTs, teams, people and memberships through the API."""

from __future__ import annotations

from tests.conftest import Api
from tests.schema.checks import now, stamped
from tests.schema.factories import basic_plan, create_art, create_team, ok


async def test_art_keys_are_validated_and_unique(api: Api) -> None:
    await create_art(api, "PAY")
    for key, code in [
        ("PAY", "DUPLICATE_KEY"),
        ("pay", "INVALID_VALUE"),
        ("P", "INVALID_VALUE"),
        ("PAYMENTSXYZ", "TOO_LONG"),
        ("", "REQUIRED"),
    ]:
        payload = await api.mutate("createArt", "art { id }", {"key": key, "name": "Payments"})
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, "key")], key
    assert (await api.query("{ arts { totalCount } }"))["arts"]["totalCount"] == 1
    payload = await api.mutate("createArt", "art { id }", {"key": "OPS", "name": " "})
    assert payload["errors"][0]["message"] == "name must not be blank."


async def test_art_with_a_description(api: Api) -> None:
    art = await ok(
        api,
        "createArt",
        "art { key description version }",
        {"key": "PAY", "name": "Payments", "description": "Everything money moves through."},
    )
    assert art == {"key": "PAY", "description": "Everything money moves through.", "version": 1}


async def test_team_keys_are_unique_per_art(api: Api) -> None:
    pay = await create_art(api, "PAY")
    ops = await create_art(api, "OPS")
    await create_team(api, pay, "ATL", "Atlas")
    await create_team(api, ops, "ATL", "Atlas Ops")
    payload = await api.mutate(
        "createTeam", "team { id }", {"artId": pay, "key": "ATL", "name": "Again"}
    )
    assert payload["errors"][0]["message"] == "This ART already has a team with key ATL."
    data = await api.query(
        '{ art(key: "PAY") { teams { nodes { key name isSharedServices art { key } } } } }'
    )
    assert data["art"]["teams"]["nodes"] == [
        {"key": "ATL", "name": "Atlas", "isSharedServices": False, "art": {"key": "PAY"}}
    ]


async def test_a_team_in_use_cannot_be_archived(api: Api) -> None:
    plan = await basic_plan(api)
    payload = await api.mutate("archiveTeam", "team { id }", {"id": plan.atlas, "version": 1})
    assert payload["errors"] == [
        {
            "code": "IN_USE",
            "message": "Team ATL is still used by 1 owned features; move or archive them first.",
            "field": None,
            "currentVersion": None,
        }
    ]
    before = now()
    archived = await ok(api, "archiveTeam", "team { archivedAt }", {"id": plan.nova, "version": 1})
    stamped(archived["archivedAt"], before, now())
    gone = await api.query(f'{{ node(id: "{plan.nova}") {{ ... on Team {{ archivedAt }} }} }}')
    assert gone == {"node": archived}
    data = await api.query('{ art(key: "PAY") { teams { nodes { key } } } }')
    assert data["art"]["teams"]["nodes"] == [{"key": "ATL"}]
    referenced = await api.mutate(
        "updateFeature",
        "feature { id }",
        {"id": plan.feature["id"], "version": 1, "owningTeamId": plan.nova},
    )
    assert referenced["errors"][0]["code"] == "ARCHIVED"


async def test_people_and_their_roles(api: Api) -> None:
    plan = await basic_plan(api)
    ada = await ok(
        api,
        "createPerson",
        "person { id email }",
        {"name": "Ada Okafor", "email": "Ada@Example.com"},
    )
    assert ada["email"] == "ada@example.com"
    dup = await api.mutate(
        "createPerson", "person { id }", {"name": "Ada O.", "email": "ada@example.com"}
    )
    assert dup["errors"][0]["code"] == "DUPLICATE_KEY"
    bad = await api.mutate("createPerson", "person { id }", {"name": "X", "email": "not-an-email"})
    assert bad["errors"][0]["code"] == "INVALID_VALUE"

    rte = await ok(
        api,
        "createMembership",
        "membership { id role art { key } team { key } }",
        {"personId": ada["id"], "artId": plan.art, "role": "RTE"},
    )
    assert (rte["role"], rte["art"], rte["team"]) == ("RTE", {"key": "PAY"}, None)
    await ok(
        api,
        "createMembership",
        "membership { id }",
        {"personId": ada["id"], "teamId": plan.atlas, "role": "SCRUM_MASTER"},
    )

    wrong_scope = await api.mutate(
        "createMembership",
        "membership { id }",
        {"personId": ada["id"], "teamId": plan.atlas, "role": "RTE"},
    )
    assert wrong_scope["errors"][0]["message"] == (
        "RTE is an ART role; team roles are DEVELOPER, PRODUCT_OWNER, SCRUM_MASTER, SME, "
        "TECH_LEAD, TESTER."
    )
    both = await api.mutate(
        "createMembership",
        "membership { id }",
        {"personId": ada["id"], "teamId": plan.atlas, "artId": plan.art, "role": "RTE"},
    )
    assert both["errors"][0]["code"] == "INVALID_VALUE"
    again = await api.mutate(
        "createMembership",
        "membership { id }",
        {"personId": ada["id"], "artId": plan.art, "role": "RTE"},
    )
    assert again["errors"][0]["code"] == "DUPLICATE_KEY"

    data = await api.query(
        f'{{ node(id: "{ada["id"]}") {{ ... on Person {{ memberships {{ nodes {{ role }} }} }} }} '
        '  art(key: "PAY") { memberships { nodes { role person { name } } } } }'
    )
    assert sorted(n["role"] for n in data["node"]["memberships"]["nodes"]) == [
        "RTE",
        "SCRUM_MASTER",
    ]
    assert data["art"]["memberships"]["nodes"] == [
        {"role": "RTE", "person": {"name": "Ada Okafor"}}
    ]

    await ok(api, "archivePerson", "person { id }", {"id": ada["id"], "version": 1})
    data = await api.query(
        '{ art(key: "PAY") { memberships { totalCount } } people { totalCount } }'
    )
    # Only the admin the tests act as is left.
    assert data == {"art": {"memberships": {"totalCount": 0}}, "people": {"totalCount": 1}}

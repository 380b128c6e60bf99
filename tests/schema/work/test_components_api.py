"""Architecture components: ART or portfolio-wide, and who may touch them."""

from __future__ import annotations

from tests.conftest import Api
from tests.schema.factories import basic_plan, create_story, ok

COMPONENT = "component { id name kind isPortfolioWide owningTeam { key } art { key } }"


async def test_components_touched_by_features_and_stories(api: Api) -> None:
    plan = await basic_plan(api)
    other = await basic_plan(api, "OPS")
    ledger = await ok(
        api,
        "createComponent",
        COMPONENT,
        {"artId": plan.art, "name": "Ledger service", "kind": "SERVICE", "owningTeamId": plan.nova},
    )
    assert ledger == {
        "id": ledger["id"],
        "name": "Ledger service",
        "kind": "SERVICE",
        "isPortfolioWide": False,
        "owningTeam": {"key": "NOV"},
        "art": {"key": "PAY"},
    }
    identity = await ok(
        api,
        "createComponent",
        COMPONENT,
        {"name": "Identity platform", "kind": "PLATFORM", "owningTeamId": other.atlas},
    )
    assert (identity["isPortfolioWide"], identity["art"]) == (True, None)
    foreign = await ok(
        api,
        "createComponent",
        COMPONENT,
        {"artId": other.art, "name": "Ops console", "kind": "SERVICE"},
    )

    touched = await ok(
        api,
        "updateFeature",
        "feature { components { name } }",
        {"id": plan.feature["id"], "version": 1, "componentIds": [ledger["id"], identity["id"]]},
    )
    assert touched["components"] == [{"name": "Ledger service"}, {"name": "Identity platform"}]
    refused = await api.mutate(
        "updateFeature",
        "feature { id }",
        {"id": plan.feature["id"], "version": 2, "componentIds": [foreign["id"]]},
    )
    assert refused["errors"][0]["message"] == (
        "componentIds: component Ops console belongs to another ART; an item touches components "
        "of its own ART or portfolio-wide ones."
    )
    story = await create_story(
        api, plan.feature["id"], plan.atlas, "ATL-1", componentIds=[ledger["id"]]
    )
    data = await api.query(
        f'{{ node(id: "{ledger["id"]}") {{ ... on Component {{ features {{ nodes {{ key }} }} '
        "stories { nodes { key } } } } "
        '  art(key: "PAY") { components { nodes { name } } } components { nodes { name } } }'
    )
    assert data == {
        "node": {
            "features": {"nodes": [{"key": "PAY-1"}]},
            "stories": {"nodes": [{"key": "ATL-1"}]},
        },
        "art": {
            "components": {"nodes": [{"name": "Identity platform"}, {"name": "Ledger service"}]}
        },
        "components": {"nodes": [{"name": "Identity platform"}]},
    }
    assert story["key"] == "ATL-1"
    in_use = await api.mutate(
        "archiveComponent", "component { id }", {"id": ledger["id"], "version": 1}
    )
    assert in_use["errors"][0]["code"] == "IN_USE"


async def test_an_art_component_is_owned_by_a_team_of_that_art(api: Api) -> None:
    plan = await basic_plan(api)
    other = await basic_plan(api, "OPS")
    payload = await api.mutate(
        "createComponent",
        "component { id }",
        {
            "artId": plan.art,
            "name": "Checkout gateway",
            "kind": "INTEGRATION_LAYER",
            "owningTeamId": other.atlas,
        },
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("WRONG_ART", "owningTeamId")]
    await ok(
        api,
        "createComponent",
        "component { id }",
        {"artId": plan.art, "name": "Orders DB", "kind": "DATA_STORE"},
    )
    dup = await api.mutate(
        "createComponent",
        "component { id }",
        {"artId": plan.art, "name": "orders db", "kind": "DATA_STORE"},
    )
    assert dup["errors"][0]["message"] == "A component named orders db already exists in this ART."
    data = await api.query('{ art(key: "PAY") { components { totalCount } } }')
    assert data["art"]["components"]["totalCount"] == 1

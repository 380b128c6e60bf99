"""The ART Kanban through the API (services/DOMAIN.md, The ART Kanban): forward one state at a
time, back only with a reason the history keeps, DONE final but for an admin's reopen, and
each ART's WIP limits. Every refusal names what is allowed and writes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from schema.kit.relay import to_global_id
from tests.conftest import Api, make_person
from tests.schema.factories import create_art, create_feature, create_team, ok

FEATURE = "feature { id key state version }"
ART = "art { id version wipLimits { state limit count } }"


def ready(team: str) -> dict[str, Any]:
    """What the default Definition of Ready asks of a feature."""
    return {
        "benefitHypothesis": "Refunds in seconds cut support calls by a third.",
        "acceptanceCriteria": ["A refund reaches the card within 10 seconds."],
        "userBusinessValue": 8,
        "timeCriticality": 5,
        "riskReductionOpportunityEnablement": 3,
        "jobSize": 8,
        "owningTeamId": team,
        "dependenciesIdentified": True,
    }


async def train(api: Api) -> tuple[str, str]:
    art = await create_art(api)
    return art, await create_team(api, art, "ATL", "Atlas")


async def feature_in(api: Api, art: str, team: str, key: str, state: str) -> dict[str, Any]:
    return await ok(
        api,
        "createFeature",
        FEATURE,
        {"artId": art, "key": key, "title": f"Feature {key}", "kind": "BUSINESS", "state": state}
        | ready(team),
    )


async def read(api: Api, feature_id: str) -> dict[str, Any]:
    data = await api.query(
        "query($id: ID!) { node(id: $id) { ... on Feature { state version "
        "history { totalCount nodes { action reason fieldChanges { field oldValue newValue } } }"
        " } } }",
        {"id": feature_id},
    )
    node: dict[str, Any] = data["node"]
    return node


async def move(api: Api, feature: dict[str, Any], state: str, **more: Any) -> dict[str, Any]:
    return await api.mutate(
        "updateFeature",
        FEATURE,
        {"id": feature["id"], "version": feature["version"], "state": state, **more},
    )


def error(code: str, message: str, field: str) -> list[dict[str, Any]]:
    return [{"code": code, "message": message, "field": field, "currentVersion": None}]


async def test_a_feature_moves_forward_one_state_at_a_time(api: Api) -> None:
    art, team = await train(api)
    feature = await create_feature(api, art, "PAY-1", **ready(team))
    feature = await ok(api, "updateFeature", FEATURE, {**_at(feature), "state": "ANALYZING"})
    states = ["BACKLOG", "IMPLEMENTING", "VALIDATING", "DEPLOYING", "RELEASING", "DONE"]
    for n, state in enumerate(states, 3):
        feature = await ok(api, "updateFeature", FEATURE, {**_at(feature), "state": state})
        assert (feature["state"], feature["version"]) == (state, n)
    assert (await read(api, feature["id"]))["history"]["totalCount"] == 8


def _at(feature: dict[str, Any]) -> dict[str, Any]:
    return {"id": feature["id"], "version": feature["version"]}


async def test_skipping_a_state_forward_is_refused_naming_the_next_one(api: Api) -> None:
    art, team = await train(api)
    funnel = await create_feature(api, art, "PAY-1", **ready(team))
    refused = await move(api, funnel, "BACKLOG")
    assert refused == {
        "feature": None,
        "errors": error(
            "FORBIDDEN_TRANSITION",
            "PAY-1 cannot skip from FUNNEL to BACKLOG: a feature in FUNNEL moves forward to "
            "ANALYZING.",
            "state",
        ),
    }
    backlog = await feature_in(api, art, team, "PAY-2", "BACKLOG")
    refused = await move(api, backlog, "DONE")
    assert refused["errors"] == error(
        "FORBIDDEN_TRANSITION",
        "PAY-2 cannot skip from BACKLOG to DONE: a feature in BACKLOG moves forward to "
        "IMPLEMENTING, or back to an earlier state (FUNNEL, ANALYZING) with a reason.",
        "state",
    )
    assert (await read(api, funnel["id"]))["version"] == 1
    after = await read(api, backlog["id"])
    assert (after["state"], after["version"], after["history"]["totalCount"]) == (
        "BACKLOG",
        1,
        1,
    )


async def test_going_back_needs_a_reason_and_the_history_keeps_it(api: Api) -> None:
    art, team = await train(api)
    feature = await feature_in(api, art, team, "PAY-1", "VALIDATING")
    refused = await move(api, feature, "FUNNEL")
    assert refused["errors"] == error(
        "FORBIDDEN_TRANSITION",
        "PAY-1 goes back from VALIDATING to FUNNEL only with a reason (give it in "
        "stateReason): a feature in VALIDATING moves forward to DEPLOYING, or back to an "
        "earlier state (FUNNEL, ANALYZING, BACKLOG, IMPLEMENTING) with a reason.",
        "stateReason",
    )
    blank = await move(api, feature, "IMPLEMENTING", stateReason="   ")
    assert blank["errors"][0]["code"] == "FORBIDDEN_TRANSITION"
    unchanged = await read(api, feature["id"])
    assert (unchanged["state"], unchanged["version"], unchanged["history"]["totalCount"]) == (
        "VALIDATING",
        1,
        1,
    )

    back = await move(
        api, feature, "IMPLEMENTING", stateReason="  The staging tests found a data loss.  "
    )
    assert back["errors"] == []
    assert (back["feature"]["state"], back["feature"]["version"]) == ("IMPLEMENTING", 2)
    moved = await read(api, feature["id"])
    latest, created = moved["history"]["nodes"]
    assert latest == {
        "action": "UPDATE",
        "reason": "The staging tests found a data loss.",
        "fieldChanges": [{"field": "state", "oldValue": "VALIDATING", "newValue": "IMPLEMENTING"}],
    }
    assert (created["action"], created["reason"]) == ("CREATE", None)


async def test_a_reason_goes_with_a_change_of_state_only(api: Api) -> None:
    art, team = await train(api)
    feature = await feature_in(api, art, team, "PAY-1", "BACKLOG")
    refused = await api.mutate(
        "updateFeature",
        FEATURE,
        {**_at(feature), "title": "Instant refunds", "stateReason": "Because."},
    )
    assert refused["errors"] == error(
        "INVALID_VALUE",
        "stateReason goes with a change of state, and PAY-1 stays in BACKLOG.",
        "stateReason",
    )
    assert (await read(api, feature["id"]))["version"] == 1


async def test_done_is_final_for_updates(api: Api) -> None:
    art, team = await train(api)
    done = await feature_in(api, art, team, "PAY-1", "DONE")
    for state, reason in (("RELEASING", "Rolled back."), ("FUNNEL", None)):
        refused = await move(api, done, state, **({"stateReason": reason} if reason else {}))
        assert refused["errors"] == error(
            "FORBIDDEN_TRANSITION",
            "PAY-1 is DONE, which is final: only a portfolio admin or the ART's RTE reopens a "
            "feature (reopenFeature, with a reason).",
            "state",
        )
    after = await read(api, done["id"])
    assert (after["state"], after["version"], after["history"]["totalCount"]) == ("DONE", 1, 1)


async def test_an_admin_reopens_a_done_feature_with_a_reason(api: Api) -> None:
    art, team = await train(api)
    done = await feature_in(api, art, team, "PAY-1", "DONE")
    reopened = await ok(
        api,
        "reopenFeature",
        FEATURE,
        {**_at(done), "state": "IMPLEMENTING", "reason": "Refunds fail for Amex cards."},
    )
    assert (reopened["state"], reopened["version"]) == ("IMPLEMENTING", 2)
    latest = (await read(api, done["id"]))["history"]["nodes"][0]
    assert latest == {
        "action": "UPDATE",
        "reason": "Refunds fail for Amex cards.",
        "fieldChanges": [{"field": "state", "oldValue": "DONE", "newValue": "IMPLEMENTING"}],
    }


async def test_refused_reopens_say_why_and_write_nothing(api: Api) -> None:
    art, team = await train(api)
    done = await feature_in(api, art, team, "PAY-1", "DONE")
    open_one = await feature_in(api, art, team, "PAY-2", "RELEASING")
    cases = [
        (
            {**_at(done), "state": "DONE", "reason": "Again."},
            error(
                "INVALID_VALUE",
                "Reopening moves PAY-1 back from DONE to an earlier state: one of FUNNEL, "
                "ANALYZING, BACKLOG, IMPLEMENTING, VALIDATING, DEPLOYING, RELEASING.",
                "state",
            ),
        ),
        (
            {**_at(done), "state": "BACKLOG", "reason": "  "},
            error("REQUIRED", "reason must not be blank.", "reason"),
        ),
        (
            {**_at(open_one), "state": "BACKLOG", "reason": "Rework."},
            error(
                "FORBIDDEN_TRANSITION",
                "PAY-2 is in RELEASING, not DONE: only a DONE feature is reopened; move it "
                "with updateFeature.",
                "id",
            ),
        ),
    ]
    for input_, errors in cases:
        refused = await api.mutate("reopenFeature", FEATURE, input_)
        assert refused == {"feature": None, "errors": errors}
    for feature, state in ((done, "DONE"), (open_one, "RELEASING")):
        after = await read(api, feature["id"])
        assert (after["state"], after["version"], after["history"]["totalCount"]) == (
            state,
            1,
            1,
        )


async def _with_role(api: Api, engine: AsyncEngine, art: str, email: str, role: str) -> Api:
    person, secret = await make_person(engine, email)
    assert secret is not None
    await ok(
        api,
        "createMembership",
        "membership { id }",
        {"personId": to_global_id("Person", person), "role": role, "artId": art},
    )
    return api.as_token(secret)


async def test_only_an_admin_or_the_rte_reopens(api: Api, engine: AsyncEngine) -> None:
    art, team = await train(api)
    done = await feature_in(api, art, team, "PAY-1", "DONE")
    pm = await _with_role(api, engine, art, "pm@tests.trainyard", "PRODUCT_MANAGER")
    rte = await _with_role(api, engine, art, "rte@tests.trainyard", "RTE")
    input_ = {**_at(done), "state": "RELEASING", "reason": "The release was rolled back."}
    body = await pm.raw(
        "mutation($i: ReopenFeatureInput!) { reopenFeature(input: $i) { feature { id } } }",
        {"i": input_},
    )
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert body["errors"][0]["message"] == (
        "You may not reopen a DONE feature (PAY-1 of ART PAY): that needs portfolio admin or "
        "RTE of the ART."
    )
    after = await read(api, done["id"])
    assert (after["state"], after["version"], after["history"]["totalCount"]) == ("DONE", 1, 1)
    reopened = await ok(rte, "reopenFeature", FEATURE, input_)
    assert (reopened["state"], reopened["version"]) == ("RELEASING", 2)


async def wip_limits(api: Api) -> dict[str, Any]:
    data = await api.query('{ art(key: "PAY") { version wipLimits { state limit count } } }')
    art: dict[str, Any] = data["art"]
    return art


async def test_wip_limits_are_set_changed_and_removed(api: Api) -> None:
    art, team = await train(api)
    await feature_in(api, art, team, "PAY-1", "IMPLEMENTING")
    await feature_in(api, art, team, "PAY-2", "ANALYZING")
    set_one = await ok(
        api, "setWipLimit", ART, {"artId": art, "version": 1, "state": "IMPLEMENTING", "limit": 3}
    )
    assert set_one == {
        "id": art,
        "version": 2,
        "wipLimits": [{"state": "IMPLEMENTING", "limit": 3, "count": 1}],
    }
    both = await ok(
        api, "setWipLimit", ART, {"artId": art, "version": 2, "state": "ANALYZING", "limit": 5}
    )
    assert both["wipLimits"] == [
        {"state": "ANALYZING", "limit": 5, "count": 1},
        {"state": "IMPLEMENTING", "limit": 3, "count": 1},
    ]
    changed = await ok(
        api, "setWipLimit", ART, {"artId": art, "version": 3, "state": "IMPLEMENTING", "limit": 2}
    )
    assert changed["wipLimits"][1] == {"state": "IMPLEMENTING", "limit": 2, "count": 1}
    removed = await ok(
        api, "setWipLimit", ART, {"artId": art, "version": 4, "state": "ANALYZING", "limit": None}
    )
    assert removed["wipLimits"] == [{"state": "IMPLEMENTING", "limit": 2, "count": 1}]
    assert await wip_limits(api) == {
        "version": 5,
        "wipLimits": [{"state": "IMPLEMENTING", "limit": 2, "count": 1}],
    }
    data = await api.query(
        '{ art(key: "PAY") { history(first: 1) { nodes { fieldChanges '
        "{ field oldValue newValue } } } } }"
    )
    assert data["art"]["history"]["nodes"][0]["fieldChanges"] == [
        {
            "field": "wipLimits",
            "oldValue": {"ANALYZING": 5, "IMPLEMENTING": 2},
            "newValue": {"IMPLEMENTING": 2},
        }
    ]


async def test_invalid_wip_limits_are_refused_and_nothing_is_written(api: Api) -> None:
    art, _ = await train(api)
    limited = "ANALYZING, BACKLOG, IMPLEMENTING, VALIDATING, DEPLOYING, RELEASING"

    def out_of_range(limit: int) -> str:
        return f"limit {limit} is out of range; allowed: 1 to 1000 features."

    funnel = f"FUNNEL has no WIP limit (it takes every new idea); limits go on {limited}."
    done = f"DONE has no WIP limit (it is finished work); limits go on {limited}."
    cases = [
        ("IMPLEMENTING", 0, "INVALID_VALUE", out_of_range(0), "limit"),
        ("IMPLEMENTING", -2, "INVALID_VALUE", out_of_range(-2), "limit"),
        ("BACKLOG", 1001, "INVALID_VALUE", out_of_range(1001), "limit"),
        ("FUNNEL", 10, "INVALID_VALUE", funnel, "state"),
        ("DONE", 10, "INVALID_VALUE", done, "state"),
    ]
    for state, limit, code, message, field in cases:
        refused = await api.mutate(
            "setWipLimit", ART, {"artId": art, "version": 1, "state": state, "limit": limit}
        )
        assert refused == {"art": None, "errors": error(code, message, field)}
    stale = await api.mutate(
        "setWipLimit", ART, {"artId": art, "version": 7, "state": "BACKLOG", "limit": 4}
    )
    assert [(e["code"], e["currentVersion"]) for e in stale["errors"]] == [("CONFLICT", 1)]
    assert await wip_limits(api) == {"version": 1, "wipLimits": []}


async def test_setting_a_wip_limit_needs_the_rte(api: Api, engine: AsyncEngine) -> None:
    art, _ = await train(api)
    pm = await _with_role(api, engine, art, "pm@tests.trainyard", "PRODUCT_MANAGER")
    body = await pm.raw(
        "mutation($i: SetWipLimitInput!) { setWipLimit(input: $i) { art { id } } }",
        {"i": {"artId": art, "version": 1, "state": "IMPLEMENTING", "limit": 3}},
    )
    assert body["errors"][0]["message"] == (
        "You may not set the ART's WIP limits (ART PAY): that needs portfolio admin or RTE of "
        "the ART."
    )
    assert await wip_limits(api) == {"version": 1, "wipLimits": []}


async def test_a_move_or_creation_into_a_full_state_is_refused_naming_the_limit(
    api: Api,
) -> None:
    art, team = await train(api)
    first = await feature_in(api, art, team, "PAY-1", "IMPLEMENTING")
    second = await feature_in(api, art, team, "PAY-2", "BACKLOG")
    await ok(
        api, "setWipLimit", ART, {"artId": art, "version": 1, "state": "IMPLEMENTING", "limit": 1}
    )
    full = (
        "IMPLEMENTING is at its WIP limit of 1 in ART PAY (it holds 1). Move a feature out of "
        "IMPLEMENTING first, or have the RTE raise the limit (setWipLimit)."
    )
    refused = await move(api, second, "IMPLEMENTING")
    assert refused == {
        "feature": None,
        "errors": error("WIP_LIMIT_REACHED", f"PAY-2 cannot move to IMPLEMENTING: {full}", "state"),
    }
    created = await api.mutate(
        "createFeature",
        FEATURE,
        {"artId": art, "key": "PAY-3", "title": "Wallet", "kind": "BUSINESS"}
        | {"state": "IMPLEMENTING"}
        | ready(team),
    )
    assert created == {
        "feature": None,
        "errors": error(
            "WIP_LIMIT_REACHED", f"PAY-3 cannot be created in IMPLEMENTING: {full}", "state"
        ),
    }
    assert (await read(api, second["id"]))["version"] == 1
    data = await api.query(
        '{ art(key: "PAY") { features(filter: {archived: null}) { totalCount } } }'
    )
    assert data["art"]["features"]["totalCount"] == 2
    # The feature already in the state may change; once it moves on, there is room again.
    first = await ok(api, "updateFeature", FEATURE, {**_at(first), "title": "Refunds v2"})
    await ok(api, "updateFeature", FEATURE, {**_at(first), "state": "VALIDATING"})
    entered = await ok(api, "updateFeature", FEATURE, {**_at(second), "state": "IMPLEMENTING"})
    assert entered["state"] == "IMPLEMENTING"
    assert (await wip_limits(api))["wipLimits"] == [
        {"state": "IMPLEMENTING", "limit": 1, "count": 1}
    ]


async def test_archived_features_do_not_count_against_a_wip_limit(api: Api) -> None:
    art, team = await train(api)
    gone = await feature_in(api, art, team, "PAY-1", "IMPLEMENTING")
    await ok(api, "archiveFeature", "feature { id }", _at(gone))
    await ok(
        api, "setWipLimit", ART, {"artId": art, "version": 1, "state": "IMPLEMENTING", "limit": 1}
    )
    made = await feature_in(api, art, team, "PAY-2", "IMPLEMENTING")
    assert made["state"] == "IMPLEMENTING"
    assert (await wip_limits(api))["wipLimits"] == [
        {"state": "IMPLEMENTING", "limit": 1, "count": 1}
    ]


async def test_a_reopen_into_a_full_state_is_refused(api: Api) -> None:
    art, team = await train(api)
    await feature_in(api, art, team, "PAY-1", "RELEASING")
    done = await feature_in(api, art, team, "PAY-2", "DONE")
    await ok(
        api, "setWipLimit", ART, {"artId": art, "version": 1, "state": "RELEASING", "limit": 1}
    )
    refused = await api.mutate(
        "reopenFeature", FEATURE, {**_at(done), "state": "RELEASING", "reason": "Rolled back."}
    )
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("WIP_LIMIT_REACHED", "state")]
    assert refused["errors"][0]["message"].startswith(
        "PAY-2 cannot move to RELEASING: RELEASING is at its WIP limit of 1 in ART PAY"
    )
    after = await read(api, done["id"])
    assert (after["state"], after["version"]) == ("DONE", 1)


async def test_wip_limits_of_many_arts_take_the_same_statements_as_of_one(api: Api) -> None:
    query = "{ arts { nodes { key wipLimits { state limit count } } } }"

    async def add_art(key: str) -> None:
        art = await create_art(api, key, f"Train {key}")
        team = await create_team(api, art, "ATL", "Atlas")
        await feature_in(api, art, team, f"{key}-1", "BACKLOG")
        await ok(
            api, "setWipLimit", ART, {"artId": art, "version": 1, "state": "BACKLOG", "limit": 4}
        )

    await add_art("PAY")
    await api.query("{ viewer { isAdmin } }")  # a token's first request records its use
    with api.count_statements() as one:
        await api.query(query)
    await add_art("OPS")
    await add_art("SHOP")
    with api.count_statements() as three:
        data = await api.query(query)
    assert data["arts"]["nodes"] == [
        {"key": key, "wipLimits": [{"state": "BACKLOG", "limit": 4, "count": 1}]}
        for key in ("OPS", "PAY", "SHOP")
    ]
    assert three.count == one.count

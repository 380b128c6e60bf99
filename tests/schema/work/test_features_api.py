"""Features through the API: WSJF, validation (nothing written on refusal), concurrency."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.schema.checks import now, stamped
from tests.schema.factories import (
    basic_plan,
    create_art,
    create_feature,
    create_story,
    create_team,
    ok,
)

FEATURE = "feature { id key title wsjf costOfDelay version state rank enablerType }"


async def count_features(api: Api, art_key: str = "PAY") -> int:
    data = await api.query(
        f'{{ art(key: "{art_key}") {{ features(filter: {{archived: null}}) {{ totalCount }} }} }}'
    )
    return int(data["art"]["features"]["totalCount"])


async def test_wsjf_is_cost_of_delay_over_job_size(api: Api) -> None:
    art = await create_art(api)
    feature = await ok(
        api,
        "createFeature",
        FEATURE,
        {
            "artId": art,
            "key": "PAY-7",
            "title": "Instant refunds",
            "kind": "BUSINESS",
            "userBusinessValue": 8,
            "timeCriticality": 5,
            "riskReductionOpportunityEnablement": 3,
            "jobSize": 5,
        },
    )
    assert feature["costOfDelay"] == 16
    assert feature["wsjf"] == 3.2
    assert feature["state"] == "FUNNEL"
    assert feature["version"] == 1
    assert feature["rank"] == 1

    updated = await ok(
        api, "updateFeature", FEATURE, {"id": feature["id"], "version": 1, "jobSize": 2}
    )
    assert (updated["costOfDelay"], updated["wsjf"], updated["version"]) == (16, 8.0, 2)


async def test_unscored_feature_has_no_wsjf(api: Api) -> None:
    art = await create_art(api)
    feature = await ok(
        api,
        "createFeature",
        FEATURE,
        {"artId": art, "key": "PAY-1", "title": "Wallet", "kind": "BUSINESS", "jobSize": 3},
    )
    assert (feature["costOfDelay"], feature["wsjf"]) == (None, None)


async def test_every_invalid_field_is_reported_and_nothing_is_written(api: Api) -> None:
    plan = await basic_plan(api)
    other_art = await create_art(api, "OPS", "Operations")
    other_team = await create_team(api, other_art, "OPT")
    payload = await api.mutate(
        "createFeature",
        "feature { id }",
        {
            "artId": plan.art,
            "key": "PAY-1",
            "title": "x" * 201,
            "kind": "ENABLER",
            "userBusinessValue": 4,
            "timeCriticality": 21,
            "jobSize": 0,
            "owningTeamId": other_team,
            "planningIntervalId": plan.pi,
            "iterationId": plan.ip,
        },
    )
    assert payload["feature"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("DUPLICATE_KEY", "key"),
        ("TOO_LONG", "title"),
        ("REQUIRED", "enablerType"),
        ("OUT_OF_SCALE", "userBusinessValue"),
        ("OUT_OF_SCALE", "timeCriticality"),
        ("OUT_OF_SCALE", "jobSize"),
        ("WRONG_ART", "owningTeamId"),
        ("IP_ITERATION", "iterationId"),
    ]
    messages = {e["field"]: e["message"] for e in payload["errors"]}
    assert messages["userBusinessValue"] == (
        "userBusinessValue 4 is not on the WSJF scale; allowed values: 1, 2, 3, 5, 8, 13, 20."
    )
    assert messages["title"] == "title is 201 characters long; at most 200 are allowed."
    assert await count_features(api) == 1


async def test_iteration_of_another_planning_interval_is_refused(api: Api) -> None:
    plan = await basic_plan(api)
    other = await ok(
        api,
        "createPlanningInterval",
        "planningInterval { id iterations { id } }",
        {
            "artId": plan.art,
            "name": "PI 2027.2",
            "startDate": "2027-03-15",
            "endDate": "2027-05-21",
            "iterations": [{"startDate": "2027-03-15", "endDate": "2027-03-26"}],
        },
    )
    payload = await api.mutate(
        "updateFeature",
        "feature { id }",
        {"id": plan.feature["id"], "version": 1, "iterationId": other["iterations"][0]["id"]},
    )
    assert payload["errors"] == [
        {
            "code": "WRONG_PLANNING_INTERVAL",
            "message": "iterationId: that iteration belongs to another planning interval than "
            "the feature's.",
            "field": "iterationId",
            "currentVersion": None,
        }
    ]
    data = await api.query(
        "query($id: ID!) { node(id: $id) { ... on Feature { version iteration { index } } } }",
        {"id": plan.feature["id"]},
    )
    assert data["node"] == {"version": 1, "iteration": {"index": 2}}


async def test_stale_version_is_a_conflict_carrying_the_current_version(api: Api) -> None:
    plan = await basic_plan(api)
    first = await ok(
        api, "updateFeature", FEATURE, {"id": plan.feature["id"], "version": 1, "title": "A"}
    )
    assert first["version"] == 2
    payload = await api.mutate(
        "updateFeature", FEATURE, {"id": plan.feature["id"], "version": 1, "title": "B"}
    )
    assert payload["feature"] is None
    assert payload["errors"][0]["code"] == "CONFLICT"
    assert payload["errors"][0]["currentVersion"] == 2
    assert payload["errors"][0]["field"] == "version"
    data = await api.query(
        "query($id: ID!) { node(id: $id) { ... on Feature { title version } } }",
        {"id": plan.feature["id"]},
    )
    assert data["node"] == {"title": "A", "version": 2}


async def test_unknown_and_wrongly_typed_ids(api: Api) -> None:
    plan = await basic_plan(api)
    missing = await api.mutate(
        "updateFeature", "feature { id }", {"id": "RmVhdHVyZTo5OTk5", "version": 1, "title": "x"}
    )  # Feature:9999
    assert missing["errors"] == [
        {
            "code": "NOT_FOUND",
            "message": "id: no feature with that id exists.",
            "field": "id",
            "currentVersion": None,
        }
    ]
    wrong_type = await api.mutate(
        "updateFeature", "feature { id }", {"id": plan.atlas, "version": 1, "title": "x"}
    )
    assert wrong_type["errors"][0]["code"] == "INVALID_ID"
    assert wrong_type["errors"][0]["message"] == (
        "id: expected an id of type Feature, got an id of type Team."
    )
    junk = await api.mutate("updateFeature", "feature { id }", {"id": "nope", "version": 1})
    assert junk["errors"][0]["code"] == "INVALID_ID"


async def test_archive_hides_the_feature_and_its_stories(api: Api) -> None:
    plan = await basic_plan(api)
    story = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1")
    before = now()
    archived = await ok(
        api,
        "archiveFeature",
        "feature { id archivedAt version }",
        {"id": plan.feature["id"], "version": 1},
    )
    after = now()
    archived_at = stamped(archived["archivedAt"], before, after)
    assert archived["version"] == 2
    data = await api.query(
        '{ art(key: "PAY") { features { totalCount } stories { totalCount } '
        "archived: features(filter: {archived: true}) { nodes { key } } } }"
    )
    assert data["art"] == {
        "features": {"totalCount": 0},
        "stories": {"totalCount": 0},
        "archived": {"nodes": [{"key": "PAY-1"}]},
    }
    again = await api.mutate(
        "updateFeature", "feature { id }", {"id": plan.feature["id"], "version": 2, "title": "x"}
    )
    assert again["errors"][0]["code"] == "ARCHIVED"
    story_after = await api.query(
        "query($id: ID!) { node(id: $id) { ... on Story { archivedAt } } }", {"id": story["id"]}
    )
    assert stamped(story_after["node"]["archivedAt"], before, after) >= archived_at


async def backlog(api: Api, args: str = "") -> list[str]:
    data = await api.query(f'{{ art(key: "PAY") {{ features{args} {{ nodes {{ key }} }} }} }}')
    return [n["key"] for n in data["art"]["features"]["nodes"]]


async def test_backlog_is_ranked_by_wsjf_with_ties_broken_by_rank(api: Api) -> None:
    art = await create_art(api)
    wsjf_inputs: list[tuple[str, dict[str, Any]]] = [
        (
            "PAY-1",
            {
                "userBusinessValue": 3,
                "timeCriticality": 3,
                "riskReductionOpportunityEnablement": 2,
                "jobSize": 8,
            },
        ),
        (
            "PAY-2",
            {
                "userBusinessValue": 13,
                "timeCriticality": 8,
                "riskReductionOpportunityEnablement": 5,
                "jobSize": 2,
            },
        ),
        ("PAY-3", {}),
        (
            "PAY-4",
            {
                "userBusinessValue": 8,
                "timeCriticality": 5,
                "riskReductionOpportunityEnablement": 3,
                "jobSize": 8,
                "rank": 50,
            },
        ),
        (
            "PAY-5",
            {
                "userBusinessValue": 8,
                "timeCriticality": 5,
                "riskReductionOpportunityEnablement": 3,
                "jobSize": 8,
                "rank": 10,
            },
        ),
    ]
    for key, inputs in wsjf_inputs:
        await create_feature(api, art, key, **inputs)
    # WSJF: PAY-2 13.0, PAY-4/PAY-5 2.0 (rank 10 before 50), PAY-1 1.0, PAY-3 unscored last.
    assert await backlog(api) == ["PAY-2", "PAY-5", "PAY-4", "PAY-1", "PAY-3"]
    assert await backlog(api, "(orderBy: {field: WSJF, direction: ASC})") == [
        "PAY-3",
        "PAY-1",
        "PAY-5",
        "PAY-4",
        "PAY-2",
    ]
    assert await backlog(api, "(orderBy: {field: RANK})") == [
        "PAY-1",
        "PAY-2",
        "PAY-3",
        "PAY-5",
        "PAY-4",
    ]
    assert await backlog(api, "(orderBy: {field: KEY, direction: DESC})") == [
        "PAY-5",
        "PAY-4",
        "PAY-3",
        "PAY-2",
        "PAY-1",
    ]


async def test_filters_on_state_team_planning_interval_and_kind(api: Api) -> None:
    plan = await basic_plan(api)
    await create_feature(api, plan.art, "PAY-2", owningTeamId=plan.nova, state="ANALYZING")
    await create_feature(
        api,
        plan.art,
        "PAY-3",
        kind="ENABLER",
        enablerType="ARCHITECTURAL",
        state="ANALYZING",
        planningIntervalId=plan.pi,
    )
    assert await backlog(api, "(filter: {state: {eq: ANALYZING}}, orderBy: {field: KEY})") == [
        "PAY-2",
        "PAY-3",
    ]
    assert await backlog(
        api, f'(filter: {{team: {{in: ["{plan.atlas}", "{plan.nova}"]}}}}, orderBy: {{field: KEY}})'
    ) == ["PAY-1", "PAY-2"]
    assert await backlog(
        api, f'(filter: {{planningInterval: {{eq: "{plan.pi}"}}}}, orderBy: {{field: KEY}})'
    ) == ["PAY-1", "PAY-3"]
    assert await backlog(api, "(filter: {kind: {eq: ENABLER}})") == ["PAY-3"]
    assert await backlog(api, '(filter: {title: {contains: "feature pay-2"}})') == ["PAY-2"]
    body = await api.raw(
        f'{{ art(key: "PAY") {{ features(filter: {{team: {{eq: "{plan.pi}"}}}}) {{ totalCount }} }} }}'
    )
    assert body["errors"][0]["message"] == (
        "filter.team: expected an id of type Team, got an id of type PlanningInterval."
    )


async def test_keyset_pages_walk_the_whole_backlog_once(api: Api) -> None:
    art = await create_art(api)
    for n in range(1, 8):
        await create_feature(
            api,
            art,
            f"PAY-{n}",
            userBusinessValue=[1, 2, 3, 5, 8, 13, 20][n - 1],
            timeCriticality=1,
            riskReductionOpportunityEnablement=1,
            jobSize=1,
        )
    seen: list[str] = []
    after: str | None = None
    pages = 0
    while True:
        data = await api.query(
            'query($after: String) { art(key: "PAY") { features(first: 3, after: $after) '
            "{ totalCount nodes { key } edges { cursor node { key } } "
            "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }",
            {"after": after},
        )
        conn = data["art"]["features"]
        assert conn["totalCount"] == 7
        assert [e["node"]["key"] for e in conn["edges"]] == [n["key"] for n in conn["nodes"]]
        assert conn["pageInfo"]["endCursor"] == conn["edges"][-1]["cursor"]
        assert conn["pageInfo"]["hasPreviousPage"] is (after is not None)
        seen += [n["key"] for n in conn["nodes"]]
        pages += 1
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert pages == 3
    assert seen == ["PAY-7", "PAY-6", "PAY-5", "PAY-4", "PAY-3", "PAY-2", "PAY-1"]


async def test_page_size_and_cursor_errors_are_clear(api: Api) -> None:
    await create_art(api)
    too_big = await api.raw('{ art(key: "PAY") { features(first: 101) { totalCount } } }')
    assert too_big["errors"][0]["message"] == (
        "first must be between 0 and 100 (got 101); page through larger lists with `after`."
    )
    bad_cursor = await api.raw('{ art(key: "PAY") { features(after: "zzz") { totalCount } } }')
    assert bad_cursor["errors"][0]["message"].startswith(
        "after='zzz' is not a cursor this API issued"
    )
    data = await api.query('{ art(key: "PAY") { features(first: 1) { pageInfo { endCursor } } } }')
    assert data["art"]["features"]["pageInfo"]["endCursor"] is None


async def test_a_feature_leaves_analysis_only_when_it_meets_the_definition_of_ready(
    api: Api,
) -> None:
    art = await create_art(api)
    team = await create_team(api, art, "ATL", "Atlas")
    feature = await create_feature(api, art, "PAY-9", state="ANALYZING")
    refused = await api.mutate(
        "updateFeature", FEATURE, {"id": feature["id"], "version": 1, "state": "BACKLOG"}
    )
    assert refused["feature"] is None
    assert refused["errors"] == [
        {
            "code": "NOT_READY",
            "field": "state",
            "currentVersion": None,
            "message": "PAY-9 cannot move to BACKLOG: it does not meet the Definition of Ready. "
            "No benefit hypothesis: say what the feature should achieve and how to tell. "
            "No acceptance criteria. WSJF is not scored: user-business value, time "
            "criticality, risk reduction / opportunity enablement, job size missing. "
            "No owning team named. Dependencies are not identified: record them, or that "
            "there are none (dependenciesIdentified: true).",
        }
    ]
    data = await api.query(
        "query($id: ID!) { node(id: $id) { ... on Feature { state version } } }",
        {"id": feature["id"]},
    )
    assert data["node"] == {"state": "ANALYZING", "version": 1}

    moved = await ok(
        api,
        "updateFeature",
        FEATURE,
        {
            "id": feature["id"],
            "version": 1,
            "state": "BACKLOG",
            "benefitHypothesis": "Refunds in seconds cut support calls by a third.",
            "acceptanceCriteria": ["A refund reaches the card within 10 seconds."],
            "userBusinessValue": 8,
            "timeCriticality": 5,
            "riskReductionOpportunityEnablement": 3,
            "jobSize": 8,
            "owningTeamId": team,
            "dependenciesIdentified": True,
        },
    )
    assert (moved["state"], moved["version"], moved["wsjf"]) == ("BACKLOG", 2, 2.0)


async def activity_count(api: Api) -> int:
    data = await api.query('{ art(key: "PAY") { activity { totalCount } } }')
    return int(data["art"]["activity"]["totalCount"])


async def test_a_feature_created_in_backlog_or_later_must_meet_the_definition_of_ready(
    api: Api,
) -> None:
    art = await create_art(api)
    team = await create_team(api, art, "ATL", "Atlas")
    written = await activity_count(api)
    for state in ("BACKLOG", "IMPLEMENTING", "DONE"):
        refused = await api.mutate(
            "createFeature",
            FEATURE,
            {
                "artId": art,
                "key": "PAY-9",
                "title": "Instant refunds",
                "kind": "BUSINESS",
                "state": state,
                "owningTeamId": team,
                "acceptanceCriteria": ["A refund reaches the card within 10 seconds."],
            },
        )
        assert refused == {
            "feature": None,
            "errors": [
                {
                    "code": "NOT_READY",
                    "field": "state",
                    "currentVersion": None,
                    "message": f"PAY-9 cannot be created in {state}: it does not meet the "
                    "Definition of Ready. No benefit hypothesis: say what the feature should "
                    "achieve and how to tell. WSJF is not scored: user-business value, time "
                    "criticality, risk reduction / opportunity enablement, job size missing. "
                    "Dependencies are not identified: record them, or that there are none "
                    "(dependenciesIdentified: true).",
                }
            ],
        }
    assert await count_features(api) == 0
    assert await activity_count(api) == written


async def test_a_feature_meeting_the_definition_of_ready_is_created_in_backlog(
    api: Api,
) -> None:
    art = await create_art(api)
    team = await create_team(api, art, "ATL", "Atlas")
    created = await ok(
        api,
        "createFeature",
        "feature { state version wsjf readiness { ready } refinedAt }",
        {
            "artId": art,
            "key": "PAY-9",
            "title": "Instant refunds",
            "kind": "BUSINESS",
            "state": "BACKLOG",
            "benefitHypothesis": "Refunds in seconds cut support calls by a third.",
            "acceptanceCriteria": ["A refund reaches the card within 10 seconds."],
            "userBusinessValue": 8,
            "timeCriticality": 5,
            "riskReductionOpportunityEnablement": 3,
            "jobSize": 8,
            "owningTeamId": team,
            "dependenciesIdentified": True,
        },
    )
    assert (created["state"], created["version"], created["wsjf"]) == ("BACKLOG", 1, 2.0)
    assert created["readiness"] == {"ready": True}
    # Created refined (an import): it was not refined here, so it does not count as refined.
    assert created["refinedAt"] is None
    assert await count_features(api) == 1

"""Refinement through the API: a team's session from its weekly schedule to its summary, the
ART's program backlog refinement, the Definition of Ready per ART, and refused input (each
refusal answers why and writes nothing)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import Api
from tests.schema.checks import stamped
from tests.schema.factories import create_story, ok
from tests.schema.refinement.setup import Train, build_train

SESSION = "session { id version status title timeboxMinutes agendaOverrideReason }"
AGENDA = (
    "agenda { position steps readyAtStart covered story { key } carriedFrom { id } "
    "readiness { ready failures { rule } } }"
)
SUMMARY = (
    "summary { agenda { key } covered { key } estimated { key } becameReady { key } "
    "flagged { key } leftOver { key } spikesCreated { key } followUps { note } rolledTo { id } "
    "overTimeboxMinutes }"
)
ERRORS = "errors { code message field }"


async def node(api: Api, node_id: str, selection: str) -> dict[str, Any]:
    data = await api.query(
        f"query($id: ID!) {{ node(id: $id) {{ ... on {selection} }} }}", {"id": node_id}
    )
    found: dict[str, Any] = data["node"]
    return found


def keys(items: list[dict[str, Any]]) -> list[str]:
    return [i["key"] for i in items]


async def depend(api: Api, dependent: str, prerequisite: str) -> None:
    await ok(
        api,
        "createDependency",
        "dependency { id }",
        {"dependentId": dependent, "prerequisiteId": prerequisite, "type": "BLOCKS"},
    )


async def queue_setup(api: Api, t: Train) -> dict[str, str]:
    """Nova waits on ATL-4; ATL-3 waits on ATL-5. Returns story ids by key."""
    ids = {s["key"]: s["id"] for s in t.stories}
    nova = await create_story(api, t.feature["id"], t.nova, "NOV-1")
    await depend(api, nova["id"], ids["ATL-4"])
    await depend(api, ids["ATL-3"], ids["ATL-5"])
    return ids


async def test_the_team_queue_puts_what_others_wait_on_first_then_dependency_order(
    api: Api, engine: AsyncEngine
) -> None:
    t = await build_train(api, engine)
    await queue_setup(api, t)
    data = await node(
        api,
        t.atlas,
        "Team { refinementQueue(first: 3) { totalCount entries { position reason story { key } "
        "feature { key } featureWsjf waitedOnBy after readiness { ready failures { rule } } } } }",
    )
    queue = data["refinementQueue"]
    assert queue["totalCount"] == 6
    assert [(e["position"], e["story"]["key"]) for e in queue["entries"]] == [
        (1, "ATL-4"),
        (2, "ATL-1"),
        (3, "ATL-2"),
    ]
    first = queue["entries"][0]
    assert first["reason"] == "NOV-1 (Team Nova) wait(s) on it; feature PAY-1 has WSJF 2."
    assert (first["feature"]["key"], first["featureWsjf"], first["waitedOnBy"]) == (
        "PAY-1",
        2.0,
        ["NOV-1 (Team Nova)"],
    )
    assert first["readiness"] == {
        "ready": False,
        "failures": [{"rule": "STORY_ACCEPTANCE_CRITERIA"}, {"rule": "ESTIMATED"}],
    }
    whole = await node(
        api,
        t.atlas,
        "Team { refinementQueue { entries { story { key } after readiness { failures { rule } } } } }",
    )
    entries = whole["refinementQueue"]["entries"]
    assert [e["story"]["key"] for e in entries] == [
        "ATL-4",
        "ATL-1",
        "ATL-2",
        "ATL-5",
        "ATL-3",
        "ATL-6",
    ]
    assert entries[4]["after"] == ["ATL-5"]
    assert entries[4]["readiness"]["failures"] == [
        {"rule": "STORY_ACCEPTANCE_CRITERIA"},
        {"rule": "ESTIMATED"},
        {"rule": "NO_BLOCKING_DEPENDENCY"},
    ]


async def test_a_team_session_from_weekly_schedule_to_summary(
    api: Api, engine: AsyncEngine
) -> None:
    t = await build_train(api, engine)
    ids = await queue_setup(api, t)
    sm = api.as_token(t.tokens["sam"])
    scheduled = await ok(
        sm,
        "scheduleTeamRefinement",
        "schedule { weekday weekdayName startTime timezone timeboxMinutes invitees { name } } "
        "session { id version startsAt status timeboxMinutes warnings { code } "
        "proposedAgenda { key } }",
        {
            "teamId": t.atlas,
            "weekday": 1,
            "startTime": "10:00",
            "timezone": "Europe/Berlin",
            "timeboxMinutes": 75,
            "inviteeIds": [t.people["sam"], t.people["pia"], t.people["dev"]],
        },
    )
    payload = await sm.mutate(
        "scheduleTeamRefinement",
        "schedule { weekdayName } session { id startsAt status timeboxMinutes warnings { code } "
        "proposedAgenda { key } }",
        {
            "teamId": t.atlas,
            "weekday": 1,
            "startTime": "10:00",
            "timezone": "Europe/Berlin",
            "timeboxMinutes": 75,
            "inviteeIds": [t.people["sam"], t.people["pia"], t.people["dev"]],
        },
    )
    # Scheduling again replaces the series (and schedules its next session again).
    assert payload["errors"] == []
    assert payload["schedule"]["weekdayName"] == "Tuesday"
    session = payload["session"]
    starts = dt.datetime.fromisoformat(session["startsAt"])
    local = starts.astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
    now = dt.datetime.now(dt.UTC)
    assert (local.weekday(), local.hour, local.minute) == (1, 10, 0)
    assert now < starts <= now + dt.timedelta(days=7)
    assert (session["status"], session["timeboxMinutes"]) == ("SCHEDULED", 75)
    # 6 stories fit 75 minutes (7 would), so the whole queue is proposed, in queue order.
    assert keys(session["proposedAgenda"]) == ["ATL-4", "ATL-1", "ATL-2", "ATL-5", "ATL-3", "ATL-6"]
    assert session["warnings"] == [{"code": "AGENDA_THIN"}]
    assert scheduled["invitees"] == [{"name": "Sam"}, {"name": "Pia"}, {"name": "Dev"}]
    schedule = await node(api, t.atlas, "Team { refinementSchedule { weekday startTime } }")
    assert schedule["refinementSchedule"] == {"weekday": 1, "startTime": "10:00:00"}

    order = ["ATL-4", "ATL-1", "ATL-2", "ATL-5", "ATL-3", "ATL-6"]
    agenda = await ok(
        sm,
        "setRefinementAgenda",
        "session { id version warnings { code } " + AGENDA + " }",
        {"id": session["id"], "version": 1, "itemIds": [ids[k] for k in order]},
    )
    assert [i["story"]["key"] for i in agenda["agenda"]] == order
    assert agenda["warnings"] == []

    # A developer attends but does not run the session.
    refused = await api.as_token(t.tokens["dev"]).raw(
        "mutation($i: StartRefinementSessionInput!) { startRefinementSession(input: $i) "
        "{ session { id } errors { code } } }",
        {"i": {"id": session["id"], "version": agenda["version"]}},
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    started = await ok(
        sm,
        "startRefinementSession",
        "session { version status startedAt elapsedMinutes remainingMinutes " + AGENDA + " }",
        {"id": session["id"], "version": agenda["version"]},
    )
    assert started["status"] == "IN_PROGRESS"
    assert [i["readyAtStart"] for i in started["agenda"]] == [False] * 6
    assert started["remainingMinutes"] <= 75

    before = dt.datetime.now(dt.UTC)
    refined = await ok(
        sm,
        "refineStory",
        "story { key points acceptanceCriteria architectureImpact testApproach "
        "firstReadyAt readiness { ready } }",
        {
            "sessionId": session["id"],
            "storyId": ids["ATL-4"],
            "version": 1,
            "points": 5,
            "acceptanceCriteria": ["Refund status is shown within 2 seconds."],
            "architectureImpact": "New refund-status endpoint on the payments gateway.",
            "testApproach": "Contract test against the gateway sandbox.",
            "covered": True,
        },
    )
    assert refined["points"] == 5
    assert refined["readiness"] == {"ready": True}
    stamped(refined["firstReadyAt"], before, dt.datetime.now(dt.UTC))
    await ok(
        sm,
        "refineStory",
        "story { key }",
        {
            "sessionId": session["id"],
            "storyId": ids["ATL-1"],
            "version": 1,
            "tshirtSize": "M",
            "acceptanceCriteria": ["The customer sees the refund."],
            "businessValueNotes": "Fewer support calls.",
        },
    )
    due = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    flagged = await ok(
        sm,
        "flagRefinementItem",
        "followUp { kind note dueOn open owner { name } story { key "
        "isBlocked blockedReason } session { id } }",
        {
            "itemId": ids["ATL-2"],
            "sessionId": session["id"],
            "kind": "BLOCKED",
            "note": "Needs the fraud team's API contract.",
            "ownerId": t.people["pia"],
            "dueOn": due,
        },
    )
    assert flagged == {
        "kind": "BLOCKED",
        "note": "Needs the fraud team's API contract.",
        "dueOn": due,
        "open": True,
        "owner": {"name": "Pia"},
        "story": {
            "key": "ATL-2",
            "isBlocked": True,
            "blockedReason": "Needs the fraud team's API contract.",
        },
        "session": {"id": session["id"]},
    }
    spike = await ok(
        sm,
        "createSpike",
        "spike { key kind points spikeTimeboxDays spikeFor { key } }",
        {
            "itemId": ids["ATL-1"],
            "sessionId": session["id"],
            "key": "ATL-7",
            "title": "Which refund API does the bank offer?",
            "spikeTimeboxDays": 3,
            "points": 2,
        },
    )
    assert spike == {
        "key": "ATL-7",
        "kind": "SPIKE",
        "points": 2,
        "spikeTimeboxDays": 3,
        "spikeFor": {"key": "ATL-1"},
    }
    waiting = await node(api, ids["ATL-1"], "Story { readiness { ready failures { rule } } }")
    assert waiting["readiness"] == {"ready": False, "failures": [{"rule": "NO_OPEN_STORY_SPIKE"}]}
    current = await node(api, session["id"], "RefinementSession { version }")
    covered = await ok(
        sm,
        "coverAgendaItem",
        "session { version " + AGENDA + " }",
        {"sessionId": session["id"], "version": current["version"], "itemId": ids["ATL-1"]},
    )
    assert [(i["story"]["key"], i["steps"], i["covered"]) for i in covered["agenda"]] == [
        ("ATL-4", ["ACCEPTANCE_CRITERIA", "ESTIMATE", "TECHNICAL_DETAILS"], True),
        ("ATL-1", ["ACCEPTANCE_CRITERIA", "CLARIFY", "ESTIMATE", "SPIKE"], True),
        ("ATL-2", ["FLAG"], False),
        ("ATL-5", [], False),
        ("ATL-3", [], False),
        ("ATL-6", [], False),
    ]

    closed = await ok(
        sm,
        "closeRefinementSession",
        "session { id version status closedAt " + SUMMARY + " }",
        {"id": session["id"], "version": covered["version"]},
    )
    summary = closed["summary"]
    assert closed["status"] == "CLOSED"
    assert keys(summary["agenda"]) == order
    assert keys(summary["covered"]) == ["ATL-4", "ATL-1"]
    assert keys(summary["estimated"]) == ["ATL-1", "ATL-4"]
    assert keys(summary["becameReady"]) == ["ATL-4"]
    assert keys(summary["flagged"]) == ["ATL-2"]
    assert keys(summary["leftOver"]) == ["ATL-2", "ATL-5", "ATL-3", "ATL-6"]
    assert keys(summary["spikesCreated"]) == ["ATL-7"]
    assert summary["followUps"] == [{"note": "Needs the fraud team's API contract."}]
    assert summary["overTimeboxMinutes"] == 0.0
    following = summary["rolledTo"]["id"]
    nxt = await node(
        api,
        following,
        "RefinementSession { status startsAt " + AGENDA + " participants { name } }",
    )
    assert nxt["status"] == "SCHEDULED"
    assert dt.datetime.fromisoformat(nxt["startsAt"]) - starts == dt.timedelta(days=7)
    assert [(i["story"]["key"], i["carriedFrom"]) for i in nxt["agenda"]] == [
        (k, {"id": session["id"]}) for k in ["ATL-2", "ATL-5", "ATL-3", "ATL-6"]
    ]
    assert nxt["participants"] == [{"name": "Sam"}, {"name": "Pia"}, {"name": "Dev"}]

    log = await node(
        api,
        session["id"],
        "RefinementSession { events { totalCount nodes { kind message actor { name } } } }",
    )
    assert [(e["kind"], e["message"]) for e in log["events"]["nodes"]] == [
        ("SCHEDULED", log["events"]["nodes"][0]["message"]),
        ("AGENDA_CHANGED", "Agenda set: 6 item(s)."),
        ("STARTED", "Started with 6 item(s) on the agenda; timebox 75 minutes."),
        ("ITEM_REFINED", "ATL-4: acceptance criteria, estimate, technical details."),
        ("ESTIMATED", "ATL-4 estimated: 5."),
        ("ITEM_COVERED", "ATL-4 covered."),
        ("BECAME_READY", "ATL-4 meets the Definition of Ready."),
        ("ITEM_REFINED", "ATL-1: acceptance criteria, clarify, estimate."),
        ("ESTIMATED", "ATL-1 estimated: M."),
        ("BECAME_READY", "ATL-1 meets the Definition of Ready."),
        (
            "FLAGGED",
            f"ATL-2 flagged blocked: Needs the fraud team's API contract. (follow-up: Pia, due "
            f"{due}).",
        ),
        ("SPIKE_CREATED", "Spike ATL-7 (3 days, Atlas) created for ATL-1."),
        ("ITEM_COVERED", "ATL-1 covered."),
        ("CLOSED", "Closed: 2 of 6 covered, 1 became ready, 4 left over."),
    ]
    assert {e["actor"]["name"] for e in log["events"]["nodes"]} == {"Sam"}

    # Closing it again is refused and writes nothing.
    again = await sm.mutate(
        "closeRefinementSession",
        "session { id }",
        {"id": session["id"], "version": closed["version"]},
    )
    assert again == {
        "session": None,
        "errors": [
            {
                "code": "SESSION_STATE",
                "message": "Only a running session can be closed: it is closed already.",
                "field": "id",
                "currentVersion": None,
            }
        ],
    }
    after = await node(api, session["id"], "RefinementSession { version events { totalCount } }")
    assert after == {"version": closed["version"], "events": {"totalCount": 14}}

    # The follow-up is tracked until its owner resolves it; then the story is unblocked.
    open_ups = await node(
        api, t.atlas, "Team { followUps { totalCount nodes { id version overdue ageDays } } }"
    )
    assert open_ups["followUps"]["totalCount"] == 1
    follow_up = open_ups["followUps"]["nodes"][0]
    assert (follow_up["overdue"], follow_up["ageDays"]) == (False, 0)
    resolved = await ok(
        api.as_token(t.tokens["pia"]),
        "resolveFollowUp",
        "followUp { open resolution story { isBlocked } }",
        {
            "id": follow_up["id"],
            "version": follow_up["version"],
            "resolution": "Contract agreed on 2026-11-25.",
        },
    )
    assert resolved == {
        "open": False,
        "resolution": "Contract agreed on 2026-11-25.",
        "story": {"isBlocked": False},
    }
    done = await node(api, t.atlas, "Team { followUps(filter: {open: false}) { totalCount } }")
    assert done["followUps"]["totalCount"] == 1
    sessions = await node(
        api,
        t.art,
        "Art { refinementSessions(filter: {status: {eq: CLOSED}}) { totalCount "
        "nodes { id level team { key } } } }",
    )
    assert sessions["refinementSessions"] == {
        "totalCount": 1,
        "nodes": [{"id": session["id"], "level": "TEAM", "team": {"key": "ATL"}}],
    }


async def test_program_backlog_refinement_makes_a_feature_ready_for_the_backlog(
    api: Api, engine: AsyncEngine
) -> None:
    t = await build_train(api, engine, stories=0)
    pm_feature = await ok(
        api,
        "createFeature",
        "feature { id version }",
        {
            "artId": t.art,
            "key": "PAY-2",
            "title": "Split payments",
            "kind": "BUSINESS",
            "state": "ANALYZING",
            "userBusinessValue": 13,
            "timeCriticality": 8,
            "riskReductionOpportunityEnablement": 5,
            "jobSize": 13,
        },
    )
    await ok(
        api,
        "createFeature",
        "feature { id }",
        {"artId": t.art, "key": "PAY-3", "title": "Wallets", "kind": "BUSINESS"},
    )
    queue = await node(
        api,
        t.art,
        "Art { refinementQueue { totalCount entries { position feature { key } wsjf reason "
        "readiness { ready failures { rule } } } } }",
    )
    assert queue["refinementQueue"] == {
        "totalCount": 2,
        "entries": [
            {
                "position": 1,
                "feature": {"key": "PAY-2"},
                "wsjf": 2.0,
                "reason": "ANALYZING, WSJF 2; needs a benefit hypothesis, acceptance criteria, "
                "an owning team, dependencies identified.",
                "readiness": {
                    "ready": False,
                    "failures": [
                        {"rule": "BENEFIT_HYPOTHESIS"},
                        {"rule": "FEATURE_ACCEPTANCE_CRITERIA"},
                        {"rule": "OWNING_TEAM"},
                        {"rule": "DEPENDENCIES_IDENTIFIED"},
                    ],
                },
            },
            {
                "position": 2,
                "feature": {"key": "PAY-3"},
                "wsjf": None,
                "reason": "FUNNEL, WSJF not scored yet; needs a benefit hypothesis, acceptance "
                "criteria, WSJF scored (all four inputs), an owning team, dependencies "
                "identified.",
                "readiness": {
                    "ready": False,
                    "failures": [
                        {"rule": "BENEFIT_HYPOTHESIS"},
                        {"rule": "FEATURE_ACCEPTANCE_CRITERIA"},
                        {"rule": "WSJF_SCORED"},
                        {"rule": "OWNING_TEAM"},
                        {"rule": "DEPENDENCIES_IDENTIFIED"},
                    ],
                },
            },
        ],
    }

    rte = api.as_token(t.tokens["rte"])
    # A team's scrum master does not run the ART's program backlog refinement.
    refused = await api.as_token(t.tokens["sam"]).raw(
        "mutation($i: CreateRefinementSessionInput!) { createRefinementSession(input: $i) "
        "{ session { id } } }",
        {"i": {"artId": t.art, "startsAt": "2026-12-01T09:00:00+00:00", "timeboxMinutes": 120}},
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    session = await ok(
        rte,
        "createRefinementSession",
        "session { id version level title facilitator { name } proposedAgenda { key } }",
        {
            "artId": t.art,
            "startsAt": "2026-12-01T09:00:00+00:00",
            "timeboxMinutes": 120,
            "facilitatorId": t.people["rte"],
            "participantIds": [t.people["rte"]],
        },
    )
    assert (session["level"], session["title"], session["facilitator"]) == (
        "ART",
        "Pay train program backlog refinement",
        {"name": "Rte"},
    )
    assert keys(session["proposedAgenda"]) == ["PAY-2", "PAY-3"]
    agenda = await ok(
        rte,
        "setRefinementAgenda",
        "session { version warnings { code } agenda { feature { key } } }",
        {"id": session["id"], "version": session["version"], "itemIds": [pm_feature["id"]]},
    )
    assert agenda["agenda"] == [{"feature": {"key": "PAY-2"}}]
    assert agenda["warnings"] == []  # the 5-8 rule and technical representation are for teams
    started = await ok(
        rte,
        "startRefinementSession",
        "session { version }",
        {"id": session["id"], "version": agenda["version"]},
    )
    before = dt.datetime.now(dt.UTC)
    refined = await ok(
        rte,
        "refineFeature",
        "feature { key state wsjf refinedAt businessValueNotes "
        "technicalAssumptions dependenciesIdentifiedAt readiness { ready } }",
        {
            "sessionId": session["id"],
            "featureId": pm_feature["id"],
            "version": pm_feature["version"],
            "covered": True,
            "businessValueNotes": "Group orders are a third of basket value.",
            "technicalAssumptions": "The ledger can hold split settlements.",
            "benefitHypothesis": "Split payments lift group-order conversion by 5%.",
            "acceptanceCriteria": ["Two cards can pay one order."],
            "owningTeamId": t.atlas,
            "dependenciesIdentified": True,
            "jobSize": 8,
            "state": "BACKLOG",
        },
    )
    assert refined["state"] == "BACKLOG"
    assert refined["wsjf"] == 3.25
    assert refined["readiness"] == {"ready": True}
    after = dt.datetime.now(dt.UTC)
    stamped(refined["refinedAt"], before, after)
    stamped(refined["dependenciesIdentifiedAt"], before, after)
    assert refined["businessValueNotes"] == "Group orders are a third of basket value."
    closed = await ok(
        rte,
        "closeRefinementSession",
        "session { " + SUMMARY + " }",
        {"id": session["id"], "version": started["version"]},
    )
    assert keys(closed["summary"]["covered"]) == ["PAY-2"]
    assert keys(closed["summary"]["estimated"]) == ["PAY-2"]
    assert keys(closed["summary"]["becameReady"]) == ["PAY-2"]
    assert closed["summary"]["leftOver"] == []
    assert closed["summary"]["rolledTo"] is None
    left = await node(api, t.art, "Art { refinementQueue { totalCount } }")
    assert left["refinementQueue"]["totalCount"] == 1


async def test_each_art_chooses_its_definition_of_ready(api: Api, engine: AsyncEngine) -> None:
    t = await build_train(api, engine, stories=1)
    story = t.stories[0]
    await ok(
        api,
        "updateStory",
        "story { id }",
        {
            "id": story["id"],
            "version": story["version"],
            "points": 3,
            "acceptanceCriteria": ["Shown in the app."],
        },
    )
    before = await node(api, t.art, "Art { version definitionOfReady { isDefault storyRules } }")
    assert before["definitionOfReady"] == {
        "isDefault": True,
        "storyRules": [
            "STORY_ACCEPTANCE_CRITERIA",
            "ESTIMATED",
            "NO_BLOCKING_DEPENDENCY",
            "NO_OPEN_STORY_SPIKE",
            "NOT_FLAGGED_BLOCKED",
        ],
    }
    ready = await node(api, story["id"], "Story { readiness { ready } }")
    assert ready["readiness"] == {"ready": True}

    # A feature rule among the story rules is refused, and nothing changes.
    wrong = await api.mutate(
        "setDefinitionOfReady",
        "art { id }",
        {"artId": t.art, "version": before["version"], "storyRules": ["ESTIMATED", "OWNING_TEAM"]},
    )
    assert wrong["errors"] == [
        {
            "code": "INVALID_VALUE",
            "message": "OWNING_TEAM cannot be part of this Definition of Ready; choose from "
            "STORY_ACCEPTANCE_CRITERIA, ESTIMATED, NO_BLOCKING_DEPENDENCY, NO_OPEN_STORY_SPIKE, "
            "NOT_FLAGGED_BLOCKED, TEST_APPROACH.",
            "field": "storyRules",
            "currentVersion": None,
        }
    ]
    unchanged = await node(api, t.art, "Art { version definitionOfReady { isDefault } }")
    assert unchanged == {"version": before["version"], "definitionOfReady": {"isDefault": True}}
    # A scrum master may not change it; an RTE may.
    forbidden = await api.as_token(t.tokens["sam"]).raw(
        "mutation($i: SetDefinitionOfReadyInput!) { setDefinitionOfReady(input: $i) { art { id } } }",
        {"i": {"artId": t.art, "version": before["version"], "storyRules": ["ESTIMATED"]}},
    )
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    changed = await ok(
        api.as_token(t.tokens["rte"]),
        "setDefinitionOfReady",
        "art { version definitionOfReady { isDefault storyRules storyChoices { rule selected } } }",
        {
            "artId": t.art,
            "version": before["version"],
            "storyRules": ["STORY_ACCEPTANCE_CRITERIA", "ESTIMATED", "TEST_APPROACH"],
        },
    )
    assert changed["definitionOfReady"]["isDefault"] is False
    assert changed["definitionOfReady"]["storyRules"] == [
        "STORY_ACCEPTANCE_CRITERIA",
        "ESTIMATED",
        "TEST_APPROACH",
    ]
    assert [c["rule"] for c in changed["definitionOfReady"]["storyChoices"] if c["selected"]] == [
        "STORY_ACCEPTANCE_CRITERIA",
        "ESTIMATED",
        "TEST_APPROACH",
    ]
    now = await node(api, story["id"], "Story { readiness { ready failures { rule message } } }")
    assert now["readiness"] == {
        "ready": False,
        "failures": [{"rule": "TEST_APPROACH", "message": "No test approach recorded."}],
    }


async def _running_session(api: Api, t: Train) -> tuple[Api, dict[str, Any], dict[str, str]]:
    sm = api.as_token(t.tokens["sam"])
    ids = {s["key"]: s["id"] for s in t.stories}
    session = await ok(
        sm,
        "createRefinementSession",
        "session { id version }",
        {
            "teamId": t.atlas,
            "startsAt": "2026-12-01T09:00:00+00:00",
            "timeboxMinutes": 60,
            "participantIds": [t.people["sam"], t.people["dev"]],
        },
    )
    agenda = await ok(
        sm,
        "setRefinementAgenda",
        "session { version }",
        {"id": session["id"], "version": 1, "itemIds": [ids[f"ATL-{n}"] for n in range(1, 6)]},
    )
    started = await ok(
        sm,
        "startRefinementSession",
        "session { id version }",
        {"id": session["id"], "version": agenda["version"]},
    )
    return sm, started, ids


async def _state(api: Api, t: Train, session_id: str) -> dict[str, Any]:
    """What a refused mutation must leave as it was."""
    return await api.query(
        "query($s: ID!, $t: ID!) { s: node(id: $s) { ... on RefinementSession { version "
        "status events { totalCount } agenda { story { key } steps } followUps "
        "{ totalCount } } } t: node(id: $t) { ... on Team { stories { totalCount "
        "nodes { key points tshirtSize isBlocked version } } } } }",
        {"s": session_id, "t": t.atlas},
    )


def error(payload: dict[str, Any]) -> tuple[str, str, str]:
    [only] = payload["errors"]
    return only["code"], only["field"], only["message"]


async def test_refused_session_input_says_why_and_writes_nothing(
    api: Api, engine: AsyncEngine
) -> None:
    t = await build_train(api, engine, stories=9)
    sm = api.as_token(t.tokens["sam"])
    ids = {s["key"]: s["id"] for s in t.stories}
    nova = await create_story(api, t.feature["id"], t.nova, "NOV-1")

    short = await sm.mutate(
        "createRefinementSession",
        "session { id }",
        {"teamId": t.atlas, "startsAt": "2026-12-01T09:00:00+00:00", "timeboxMinutes": 45},
    )
    assert error(short) == (
        "TIMEBOX",
        "timeboxMinutes",
        "timeboxMinutes: A team's technical refinement is time-boxed to 60-90 minutes; got 45.",
    )
    weekly = await sm.mutate(
        "scheduleTeamRefinement",
        "schedule { id }",
        {"teamId": t.atlas, "weekday": 2, "startTime": "09:30", "timeboxMinutes": 120},
    )
    assert error(weekly)[0] == "TIMEBOX"
    none = await node(api, t.art, "Art { refinementSessions { totalCount } }")
    assert none["refinementSessions"]["totalCount"] == 0
    assert (await node(api, t.atlas, "Team { refinementSchedule { weekday } }")) == {
        "refinementSchedule": None
    }

    session = await ok(
        sm,
        "createRefinementSession",
        "session { id version warnings { code message } }",
        {
            "teamId": t.atlas,
            "startsAt": "2026-12-01T09:00:00+00:00",
            "timeboxMinutes": 60,
            "participantIds": [t.people["sam"], t.people["pia"]],
        },
    )
    assert session["warnings"] == [
        {"code": "AGENDA_THIN", "message": "0 stories on the agenda; a session refines 5-8."},
        {
            "code": "NO_TECHNICAL_REPRESENTATION",
            "message": "No developer or tech lead of the team among the participants.",
        },
    ]
    before = await _state(api, t, session["id"])
    other = await sm.mutate(
        "setRefinementAgenda",
        "session { id }",
        {"id": session["id"], "version": 1, "itemIds": [ids["ATL-1"], nova["id"]]},
    )
    assert error(other) == (
        "WRONG_TEAM",
        "itemIds",
        "itemIds: NOV-1 belongs to another team; a team's refinement agenda holds only stories "
        "of team ATL.",
    )
    nine = [ids[f"ATL-{n}"] for n in range(1, 10)]
    overloaded = await sm.mutate(
        "setRefinementAgenda",
        "session { id }",
        {"id": session["id"], "version": 1, "itemIds": nine},
    )
    assert error(overloaded) == (
        "AGENDA_OVERLOADED",
        "itemIds",
        "itemIds: 9 items overload a session (5-8 keep it focused); give an overrideReason to "
        "hold more.",
    )
    closing = await sm.mutate(
        "closeRefinementSession", "session { id }", {"id": session["id"], "version": 1}
    )
    assert error(closing) == (
        "SESSION_STATE",
        "id",
        "Only a running session can be closed: start it first, or cancel it.",
    )
    refining = await sm.mutate(
        "refineStory",
        "story { id }",
        {"sessionId": session["id"], "storyId": ids["ATL-1"], "version": 1, "points": 3},
    )
    assert error(refining) == (
        "SESSION_STATE",
        "sessionId",
        "The session is SCHEDULED; start it before you refine its stories.",
    )
    cancel = await sm.mutate(
        "cancelRefinementSession",
        "session { id }",
        {"id": session["id"], "version": 1, "reason": "  "},
    )
    assert error(cancel) == ("REQUIRED", "reason", "reason: say why the session is cancelled.")
    assert await _state(api, t, session["id"]) == before

    held = await ok(
        sm,
        "setRefinementAgenda",
        "session { version agendaOverrideReason warnings { code message } }",
        {
            "id": session["id"],
            "version": 1,
            "itemIds": nine,
            "overrideReason": "Release hardening: the PO asked to clear the queue.",
        },
    )
    assert held["agendaOverrideReason"] == "Release hardening: the PO asked to clear the queue."
    assert held["warnings"][0] == {
        "code": "AGENDA_OVERLOADED",
        "message": "9 stories on the agenda: more than 8 overloads a session (override: Release "
        "hardening: the PO asked to clear the queue.).",
    }


async def test_refused_in_session_input_says_why_and_writes_nothing(
    api: Api, engine: AsyncEngine
) -> None:
    t = await build_train(api, engine, stories=6)
    sm, session, ids = await _running_session(api, t)
    before = await _state(api, t, session["id"])

    off_scale = await sm.mutate(
        "refineStory",
        "story { id }",
        {
            "sessionId": session["id"],
            "storyId": ids["ATL-1"],
            "version": 1,
            "points": 4,
            "acceptanceCriteria": ["Shown in the app."],
            "covered": True,
        },
    )
    assert off_scale["story"] is None
    assert [(e["code"], e["field"]) for e in off_scale["errors"]] == [("OUT_OF_SCALE", "points")]
    assert "0, 1, 2, 3, 5, 8, 13, 20, 40, 100" in off_scale["errors"][0]["message"]
    not_on_agenda = await sm.mutate(
        "refineStory",
        "story { id }",
        {"sessionId": session["id"], "storyId": ids["ATL-6"], "version": 1, "points": 3},
    )
    assert error(not_on_agenda) == (
        "INVALID_VALUE",
        "storyId",
        "That item is not on this session's agenda; add it to the agenda first.",
    )
    stale = await sm.mutate(
        "refineStory",
        "story { id }",
        {"sessionId": session["id"], "storyId": ids["ATL-1"], "version": 7, "points": 3},
    )
    assert error(stale)[0] == "CONFLICT"
    no_timebox = await sm.mutate(
        "createSpike",
        "spike { id }",
        {
            "itemId": ids["ATL-1"],
            "sessionId": session["id"],
            "key": "ATL-9",
            "title": "Find out",
            "points": 2,
        },
    )
    assert [(e["code"], e["field"]) for e in no_timebox["errors"]] == [
        ("REQUIRED", "spikeTimeboxDays")
    ]
    unsized = await sm.mutate(
        "createSpike",
        "spike { id }",
        {
            "itemId": ids["ATL-1"],
            "sessionId": session["id"],
            "key": "ATL-9",
            "title": "Find out",
            "spikeTimeboxDays": 3,
        },
    )
    assert error(unsized) == (
        "REQUIRED",
        "points",
        "A spike is sized and tracked like any story: give points or a t-shirt size.",
    )
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    late = await sm.mutate(
        "flagRefinementItem",
        "followUp { id }",
        {
            "itemId": ids["ATL-2"],
            "sessionId": session["id"],
            "kind": "BLOCKED",
            "note": "Waiting on legal.",
            "ownerId": t.people["pia"],
            "dueOn": yesterday,
        },
    )
    assert [(e["code"], e["field"]) for e in late["errors"]] == [("INVALID_VALUE", "dueOn")]
    assert await _state(api, t, session["id"]) == before


async def test_program_backlog_refinement_flags_features_and_creates_exploration_spikes(
    api: Api, engine: AsyncEngine
) -> None:
    t = await build_train(api, engine, stories=0)
    feature = await ok(
        api,
        "createFeature",
        "feature { id version }",
        {
            "artId": t.art,
            "key": "PAY-3",
            "title": "Wallets",
            "kind": "BUSINESS",
            "owningTeamId": t.nova,
        },
    )
    pm = api.as_token(t.tokens["rte"])
    session = await ok(
        pm,
        "createRefinementSession",
        "session { id version }",
        {"artId": t.art, "startsAt": "2026-12-01T09:00:00+00:00", "timeboxMinutes": 90},
    )
    agenda = await ok(
        pm,
        "setRefinementAgenda",
        "session { version }",
        {"id": session["id"], "version": 1, "itemIds": [feature["id"]]},
    )
    started = await ok(
        pm,
        "startRefinementSession",
        "session { version }",
        {"id": session["id"], "version": agenda["version"]},
    )
    due = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    flagged = await ok(
        pm,
        "flagRefinementItem",
        "followUp { kind feature { key } team { key } owner { name } }",
        {
            "itemId": feature["id"],
            "sessionId": session["id"],
            "kind": "INCOMPLETE",
            "note": "The wallet providers are not chosen yet.",
            "ownerId": t.people["rte"],
            "dueOn": due,
        },
    )
    assert flagged == {
        "kind": "INCOMPLETE",
        "feature": {"key": "PAY-3"},
        "team": {"key": "NOV"},
        "owner": {"name": "Rte"},
    }
    spike = await ok(
        pm,
        "createSpike",
        "spike { key kind team { key } feature { key } spikeFor { key } }",
        {
            "itemId": feature["id"],
            "sessionId": session["id"],
            "key": "NOV-9",
            "title": "Compare wallet providers",
            "spikeTimeboxDays": 5,
            "tshirtSize": "S",
        },
    )
    assert spike == {
        "key": "NOV-9",
        "kind": "SPIKE",
        "team": {"key": "NOV"},
        "feature": {"key": "PAY-3"},
        "spikeFor": None,
    }
    readiness = await node(api, feature["id"], "Feature { readiness { failures { rule } } }")
    assert {"rule": "NO_OPEN_FEATURE_SPIKE"} in readiness["readiness"]["failures"]
    following = await ok(
        pm,
        "createRefinementSession",
        "session { id }",
        {"artId": t.art, "startsAt": "2026-12-15T09:00:00+00:00", "timeboxMinutes": 90},
    )
    closed = await ok(
        pm,
        "closeRefinementSession",
        "session { " + SUMMARY + " }",
        {"id": session["id"], "version": started["version"]},
    )
    summary = closed["summary"]
    assert (keys(summary["flagged"]), keys(summary["spikesCreated"])) == (["PAY-3"], ["NOV-9"])
    assert keys(summary["leftOver"]) == ["PAY-3"]
    # Leftovers go first on the ART's next program backlog refinement.
    assert summary["rolledTo"] == {"id": following["id"]}
    nxt = await node(api, following["id"], "RefinementSession { agenda { feature { key } } }")
    assert nxt["agenda"] == [{"feature": {"key": "PAY-3"}}]
    assert summary["followUps"] == [{"note": "The wallet providers are not chosen yet."}]

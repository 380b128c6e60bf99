"""Refinement through the API: a team's session from its weekly schedule to its summary, the
ART's program backlog refinement, the Definition of Ready per ART, and refused input (each
refusal answers why and writes nothing)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import Api
from tests.schema.factories import create_story, ok
from tests.schema.refinement_setup import Train, build_train

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
        api, "createDependency", "dependency { id }",
        {"dependentId": dependent, "prerequisiteId": prerequisite, "type": "BLOCKS"},
    )  # fmt: skip


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
        api, t.atlas,
        "Team { refinementQueue(first: 3) { totalCount entries { position reason story { key } "
        "feature { key } featureWsjf waitedOnBy after readiness { ready failures { rule } } } } }",
    )  # fmt: skip
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
        api, t.atlas,
        "Team { refinementQueue { entries { story { key } after readiness { failures { rule } } } } }",
    )  # fmt: skip
    entries = whole["refinementQueue"]["entries"]
    assert [e["story"]["key"] for e in entries] == [
        "ATL-4", "ATL-1", "ATL-2", "ATL-5", "ATL-3", "ATL-6",
    ]  # fmt: skip
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
            "teamId": t.atlas, "weekday": 1, "startTime": "10:00", "timezone": "Europe/Berlin",
            "timeboxMinutes": 75, "inviteeIds": [t.people["sam"], t.people["pia"], t.people["dev"]],
        },
    )  # fmt: skip
    payload = await sm.mutate(
        "scheduleTeamRefinement",
        "schedule { weekdayName } session { id startsAt status timeboxMinutes warnings { code } "
        "proposedAgenda { key } }",
        {
            "teamId": t.atlas, "weekday": 1, "startTime": "10:00", "timezone": "Europe/Berlin",
            "timeboxMinutes": 75, "inviteeIds": [t.people["sam"], t.people["pia"], t.people["dev"]],
        },
    )  # fmt: skip
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
        sm, "setRefinementAgenda", "session { id version warnings { code } " + AGENDA + " }",
        {"id": session["id"], "version": 1, "itemIds": [ids[k] for k in order]},
    )  # fmt: skip
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
        sm, "startRefinementSession", "session { version status startedAt elapsedMinutes "
        "remainingMinutes " + AGENDA + " }",
        {"id": session["id"], "version": agenda["version"]},
    )  # fmt: skip
    assert started["status"] == "IN_PROGRESS"
    assert [i["readyAtStart"] for i in started["agenda"]] == [False] * 6
    assert started["remainingMinutes"] <= 75

    refined = await ok(
        sm, "refineStory", "story { key points acceptanceCriteria architectureImpact testApproach "
        "firstReadyAt readiness { ready } }",
        {
            "sessionId": session["id"], "storyId": ids["ATL-4"], "version": 1, "points": 5,
            "acceptanceCriteria": ["Refund status is shown within 2 seconds."],
            "architectureImpact": "New refund-status endpoint on the payments gateway.",
            "testApproach": "Contract test against the gateway sandbox.", "covered": True,
        },
    )  # fmt: skip
    assert refined["points"] == 5
    assert refined["readiness"] == {"ready": True}
    assert refined["firstReadyAt"] is not None
    await ok(
        sm, "refineStory", "story { key }",
        {
            "sessionId": session["id"], "storyId": ids["ATL-1"], "version": 1,
            "tshirtSize": "M", "acceptanceCriteria": ["The customer sees the refund."],
            "businessValueNotes": "Fewer support calls.",
        },
    )  # fmt: skip
    due = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    flagged = await ok(
        sm, "flagRefinementItem", "followUp { kind note dueOn open owner { name } story { key "
        "isBlocked blockedReason } session { id } }",
        {
            "itemId": ids["ATL-2"], "sessionId": session["id"], "kind": "BLOCKED",
            "note": "Needs the fraud team's API contract.", "ownerId": t.people["pia"],
            "dueOn": due,
        },
    )  # fmt: skip
    assert flagged == {
        "kind": "BLOCKED", "note": "Needs the fraud team's API contract.", "dueOn": due,
        "open": True, "owner": {"name": "Pia"},
        "story": {"key": "ATL-2", "isBlocked": True,
                  "blockedReason": "Needs the fraud team's API contract."},
        "session": {"id": session["id"]},
    }  # fmt: skip
    spike = await ok(
        sm, "createSpike", "spike { key kind points spikeTimeboxDays spikeFor { key } }",
        {
            "itemId": ids["ATL-1"], "sessionId": session["id"], "key": "ATL-7",
            "title": "Which refund API does the bank offer?", "spikeTimeboxDays": 3, "points": 2,
        },
    )  # fmt: skip
    assert spike == {
        "key": "ATL-7", "kind": "SPIKE", "points": 2, "spikeTimeboxDays": 3,
        "spikeFor": {"key": "ATL-1"},
    }  # fmt: skip
    waiting = await node(api, ids["ATL-1"], "Story { readiness { ready failures { rule } } }")
    assert waiting["readiness"] == {"ready": False, "failures": [{"rule": "NO_OPEN_STORY_SPIKE"}]}
    current = await node(api, session["id"], "RefinementSession { version }")
    covered = await ok(
        sm, "coverAgendaItem", "session { version " + AGENDA + " }",
        {"sessionId": session["id"], "version": current["version"], "itemId": ids["ATL-1"]},
    )  # fmt: skip
    assert [(i["story"]["key"], i["steps"], i["covered"]) for i in covered["agenda"]] == [
        ("ATL-4", ["ACCEPTANCE_CRITERIA", "ESTIMATE", "TECHNICAL_DETAILS"], True),
        ("ATL-1", ["ACCEPTANCE_CRITERIA", "CLARIFY", "ESTIMATE", "SPIKE"], True),
        ("ATL-2", ["FLAG"], False),
        ("ATL-5", [], False),
        ("ATL-3", [], False),
        ("ATL-6", [], False),
    ]

    closed = await ok(
        sm, "closeRefinementSession", "session { id version status closedAt " + SUMMARY + " }",
        {"id": session["id"], "version": covered["version"]},
    )  # fmt: skip
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
        api, following,
        "RefinementSession { status startsAt " + AGENDA + " participants { name } }",
    )  # fmt: skip
    assert nxt["status"] == "SCHEDULED"
    assert dt.datetime.fromisoformat(nxt["startsAt"]) - starts == dt.timedelta(days=7)
    assert [(i["story"]["key"], i["carriedFrom"]) for i in nxt["agenda"]] == [
        (k, {"id": session["id"]}) for k in ["ATL-2", "ATL-5", "ATL-3", "ATL-6"]
    ]
    assert nxt["participants"] == [{"name": "Sam"}, {"name": "Pia"}, {"name": "Dev"}]

    log = await node(
        api, session["id"],
        "RefinementSession { events { totalCount nodes { kind message actor { name } } } }",
    )  # fmt: skip
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
        "closeRefinementSession", "session { id }",
        {"id": session["id"], "version": closed["version"]},
    )  # fmt: skip
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
        api.as_token(t.tokens["pia"]), "resolveFollowUp", "followUp { open resolution "
        "story { isBlocked } }",
        {"id": follow_up["id"], "version": follow_up["version"],
         "resolution": "Contract agreed on 2026-11-25."},
    )  # fmt: skip
    assert resolved == {
        "open": False, "resolution": "Contract agreed on 2026-11-25.",
        "story": {"isBlocked": False},
    }  # fmt: skip
    done = await node(api, t.atlas, "Team { followUps(filter: {open: false}) { totalCount } }")
    assert done["followUps"]["totalCount"] == 1
    sessions = await node(
        api, t.art, "Art { refinementSessions(filter: {status: {eq: CLOSED}}) { totalCount "
        "nodes { id level team { key } } } }",
    )  # fmt: skip
    assert sessions["refinementSessions"] == {
        "totalCount": 1, "nodes": [{"id": session["id"], "level": "TEAM", "team": {"key": "ATL"}}],
    }  # fmt: skip

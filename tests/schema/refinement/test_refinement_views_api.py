"""The refinement views through the API: a team's health, the ART's rollup and a session's
prep pack, after a session was held."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import Api
from tests.schema.factories import create_story, ok
from tests.schema.refinement.setup import build_train
from tests.schema.refinement.test_refinement_api import depend, node


async def _held_session(api: Api, t: Any, ids: dict[str, str]) -> str:
    sm = api.as_token(t.tokens["sam"])
    session = await ok(
        sm,
        "createRefinementSession",
        "session { id version }",
        {
            "teamId": t.atlas,
            "startsAt": "2026-12-01T09:00:00+00:00",
            "timeboxMinutes": 60,
            "participantIds": [t.people["sam"], t.people["pia"]],
        },
    )
    agenda = await ok(
        sm,
        "setRefinementAgenda",
        "session { version }",
        {"id": session["id"], "version": 1, "itemIds": [ids[f"ATL-{n}"] for n in (1, 2, 3)]},
    )
    started = await ok(
        sm,
        "startRefinementSession",
        "session { version }",
        {"id": session["id"], "version": agenda["version"]},
    )
    await ok(
        sm,
        "refineStory",
        "story { id }",
        {
            "sessionId": session["id"],
            "storyId": ids["ATL-1"],
            "version": 1,
            "points": 8,
            "acceptanceCriteria": ["Paid back within a day."],
            "covered": True,
        },
    )
    await ok(
        sm,
        "flagRefinementItem",
        "followUp { id }",
        {
            "itemId": ids["ATL-2"],
            "sessionId": session["id"],
            "kind": "QUESTION",
            "note": "Which currencies?",
            "ownerId": t.people["pia"],
            "dueOn": (dt.date.today() + dt.timedelta(days=2)).isoformat(),
        },
    )
    await ok(
        sm,
        "closeRefinementSession",
        "session { id }",
        {"id": session["id"], "version": started["version"]},
    )
    # Rework: the estimate changes after the story became ready.
    await ok(sm, "updateStory", "story { id }", {"id": ids["ATL-1"], "version": 3, "points": 13})
    return str(session["id"])


async def test_views_show_how_refinement_is_going(api: Api, engine: AsyncEngine) -> None:
    t = await build_train(api, engine, stories=3)
    ids = {s["key"]: s["id"] for s in t.stories}
    nova = await create_story(api, t.feature["id"], t.nova, "NOV-1")
    await depend(api, nova["id"], ids["ATL-3"])
    session = await _held_session(api, t, ids)

    team = await node(
        api,
        t.atlas,
        "Team { refinementHealth { readyStories readyPoints velocity capacity depthIterations "
        "depthBasis skipping skippedWeeks overdueFollowUps heldSessions { id } "
        "sessionsWithoutTechnicalRepresentation { id } overloadedSessions { items } "
        "openFollowUps { ageDays overdue followUp { note } } openSpikes { spike { key } } } }",
    )
    health = team["refinementHealth"]
    now = dt.datetime.now(dt.UTC)
    assert health.pop("skippedWeeks") == [
        (now - dt.timedelta(days=7 * weeks)).date().isoformat() for weeks in (4, 3, 2)
    ]
    # The estimate changed to 13 after the story became ready; capacity: one developer's 8.
    assert health == {
        "readyStories": 1,
        "readyPoints": 13,
        "velocity": None,
        "capacity": 8,
        "depthIterations": 1.62,
        "depthBasis": "CAPACITY",
        "skipping": False,
        "overdueFollowUps": 0,
        "heldSessions": [{"id": session}],
        "sessionsWithoutTechnicalRepresentation": [{"id": session}],
        "overloadedSessions": [],
        "openFollowUps": [
            {"ageDays": 0, "overdue": False, "followUp": {"note": "Which currencies?"}}
        ],
        "openSpikes": [],
    }
    art = await node(
        api,
        t.art,
        "Art { refinementHealth(weeks: 2) { totals { readyStories heldSessions skippingTeams "
        "openFollowUps sessionsWithoutTechnicalRepresentation } featuresRefinedPerWeek { count } "
        "featuresWaiting { feature { key } } attention { team { key } score reasons } "
        "rework { story { key } changes { fields } } teams { team { key } } } }",
    )
    assert art["refinementHealth"] == {
        "totals": {
            "readyStories": 1,
            "heldSessions": 1,
            "skippingTeams": 1,
            "openFollowUps": 1,
            "sessionsWithoutTechnicalRepresentation": 1,
        },
        # PAY-1 was refined (moved to BACKLOG ready) this week.
        "featuresRefinedPerWeek": [{"count": 0}, {"count": 1}],
        "featuresWaiting": [],
        "attention": [
            {"team": {"key": "NOV"}, "score": 10000, "reasons": ["No refinement held yet"]},
            {
                "team": {"key": "ATL"},
                "score": 10,
                "reasons": ["1 session without a developer or tech lead"],
            },
        ],
        "rework": [{"story": {"key": "ATL-1"}, "changes": [{"fields": ["points"]}]}],
        "teams": [{"team": {"key": "ATL"}}, {"team": {"key": "NOV"}}],
    }
    pack = await node(
        api,
        session,
        "RefinementSession { prepPack { position story { key } feature { key } "
        "acceptanceCriteria upstream { other { key } otherTeam { key } health reason } "
        "downstream { other { key } otherTeam { key } health reason } components { component { name } } "
        "questions { note } followUps { note } failures { rule } } }",
    )
    no_deps: dict[str, list[Any]] = {"upstream": [], "downstream": [], "components": []}
    assert pack["prepPack"] == [
        {
            "position": 1,
            "story": {"key": "ATL-1"},
            "feature": {"key": "PAY-1"},
            "acceptanceCriteria": ["Paid back within a day."],
            **no_deps,
            "questions": [],
            "followUps": [],
            "failures": [],
        },
        {
            "position": 2,
            "story": {"key": "ATL-2"},
            "feature": {"key": "PAY-1"},
            "acceptanceCriteria": [],
            **no_deps,
            "questions": [{"note": "Which currencies?"}],
            "followUps": [],
            "failures": [{"rule": "STORY_ACCEPTANCE_CRITERIA"}, {"rule": "ESTIMATED"}],
        },
        {
            "position": 3,
            "story": {"key": "ATL-3"},
            "feature": {"key": "PAY-1"},
            "acceptanceCriteria": [],
            "upstream": [],
            "components": [],
            "downstream": [
                {
                    "other": {"key": "NOV-1"},
                    "otherTeam": {"key": "NOV"},
                    "health": "AMBER",
                    "reason": "NOV-1 (Team Nova, not planned) needs ATL-3 (Team Atlas, not "
                    "planned): neither is planned yet.",
                }
            ],
            "questions": [],
            "followUps": [],
            "failures": [{"rule": "STORY_ACCEPTANCE_CRITERIA"}, {"rule": "ESTIMATED"}],
        },
    ]

    bad = await api.raw(
        "query($id: ID!) { node(id: $id) { ... on Art { refinementHealth(weeks: 0) "
        "{ totals { readyStories } } } } }",
        {"id": t.art},
    )
    assert bad["errors"][0]["message"] == "weeks: 1 to 52; got 0."


SESSIONS = """
query($id: ID!) { node(id: $id) { ... on Team {
  refinementHealth { readyStories }
  refinementSessions { totalCount nodes {
    title status warnings { code } participants { name } team { key }
    agenda { position story { key feature { key } } readiness { ready failures { rule } } }
  } }
} } }
"""


async def test_session_lists_send_the_same_statements_for_more_sessions(
    api: Api, engine: AsyncEngine
) -> None:
    t = await build_train(api, engine, stories=6)
    ids = [s["id"] for s in t.stories]
    counts = []
    for total in (2, 6):
        while True:
            found = await node(api, t.atlas, "Team { refinementSessions { totalCount } }")
            if found["refinementSessions"]["totalCount"] >= total:
                break
            made = await ok(
                api,
                "createRefinementSession",
                "session { id version }",
                {
                    "teamId": t.atlas,
                    "startsAt": "2026-12-01T09:00:00+00:00",
                    "timeboxMinutes": 60,
                    "participantIds": [t.people["sam"], t.people["dev"]],
                },
            )
            await ok(
                api,
                "setRefinementAgenda",
                "session { id }",
                {"id": made["id"], "version": made["version"], "itemIds": ids[:5]},
            )
        with api.count_statements() as counter:
            data = await api.query(SESSIONS, {"id": t.atlas})
        sessions = data["node"]["refinementSessions"]["nodes"]
        assert len(sessions) == total
        assert all(len(s["agenda"]) == 5 for s in sessions)
        assert {w["code"] for s in sessions for w in s["warnings"]} == set()
        counts.append(counter.count)
    assert counts[0] == counts[1]

"""The permission matrix of services/PERMISSIONS.md, run cell by cell through the real API.

The expectations are read from the document itself, so the table people read is the table
the service obeys. An allowed cell must succeed and its payload must read back what it wrote;
a refused one must answer FORBIDDEN (or UNAUTHENTICATED for an anonymous caller) and leave
every table exactly as it was, or, for a read that hides what the reader may not see, answer
without it. The rows on another ART and the root reads are in reach_rows.py;
test_matrix_coverage.py checks that every operation of the schema has a row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import Api, truncate_all
from tests.services.access import reach_rows  # noqa: F401  # registers its rows in ROWS
from tests.services.access.matrix import (
    ROWS,
    Request,
    archive,
    create,
    define,
    mutation,
    read_matrix,
    snapshot,
    update,
)
from tests.services.access.permission_scenario import ACTORS, PASSWORD, Scenario, build

MATRIX = read_matrix()


# --- the rows: what each operation does in the scenario, for the actor in column i ---------


@define("createArt")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createArt")({"key": f"NA{i}", "name": f"New {i}"})


@define("updateArt")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updateArt")(
        {"id": sc.gids["PAY"], "version": await v("arts", "PAY"), "name": f"Payments {i}"}
    )


@define("archiveArt", "art")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archiveArt")({"id": sc.gids[f"ART_{i}"], "version": 1})


@define("createTeam")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createTeam")({"artId": sc.gids["PAY"], "key": f"NT{i}", "name": f"New {i}"})


@define("updateTeam")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updateTeam")(
        {"id": sc.gids["NOV"], "version": await v("teams", "NOV"), "name": f"Nova {i}"}
    )


@define("archiveTeam", "team")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archiveTeam")({"id": sc.gids[f"TEAM_{i}"], "version": 1})


@define("createPerson")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createPerson")({"name": f"New {i}", "email": f"new{i}@matrix.test"})


@define("updatePerson (someone else)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updatePerson")(
        {"id": sc.gids["T"], "version": await v("people", "T"), "name": f"Tess {i}"}
    )


@define("updatePerson (oneself)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    me = sc.person_of.get(ACTORS[i], sc.person_of["admin"])
    sc.add("ME", "Person", me)
    return update("updatePerson")(
        {"id": sc.gids["ME"], "version": await v("people", "ME"), "name": f"Me {i}"}
    )


@define("archivePerson", "person")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archivePerson")({"id": sc.gids[f"PERSON_{i}"], "version": 1})


@define("setPassword (someone else)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return mutation("setPassword", "SetPasswordInput")(
        {
            "personId": sc.gids["T"],
            "version": await v("people", "T"),
            "password": f"a new password {i}",
        }
    )


@define("changeMyPassword", "passwords")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return mutation("changeMyPassword", "ChangeMyPasswordInput")(
        {"currentPassword": PASSWORD, "newPassword": f"another password {i}"}
    )


@define("createMembership (ART role)", "person")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createMembership")(
        {"personId": sc.gids[f"PERSON_{i}"], "artId": sc.gids["PAY"], "role": "BUSINESS_OWNER"}
    )


@define("updateMembership (ART role)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    version = await v("memberships", "M_ART")
    # It starts as VIEWER at version 1; each allowed change flips it.
    role = "BUSINESS_OWNER" if version % 2 == 1 else "VIEWER"
    return update("updateMembership")({"id": sc.gids["M_ART"], "version": version, "role": role})


@define("archiveMembership (ART role)", "person membership")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archiveMembership")({"id": sc.gids[f"M_ART_{i}"], "version": 1})


@define("createMembership (team role)", "person")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createMembership")(
        {"personId": sc.gids[f"PERSON_{i}"], "teamId": sc.gids["ATL"], "role": "TESTER"}
    )


@define("updateMembership (team role)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    version = await v("memberships", "M_TEAM")
    role = "SME" if version % 2 == 1 else "TESTER"  # it starts as TESTER at version 1
    return update("updateMembership")({"id": sc.gids["M_TEAM"], "version": version, "role": role})


@define("archiveMembership (team role)", "person membership")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archiveMembership")({"id": sc.gids[f"M_TEAM_{i}"], "version": 1})


@define("createPlanningInterval")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createPlanningInterval")(
        {
            "artId": sc.gids["PAY"],
            "name": f"PI new {i}",
            "startDate": "2029-01-01",
            "endDate": "2029-03-01",
        }
    )


@define("updatePlanningInterval")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updatePlanningInterval")(
        {"id": sc.gids["PI"], "version": await v("planning_intervals", "PI"), "name": f"PI one {i}"}
    )


@define("archivePlanningInterval", "pi")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archivePlanningInterval")({"id": sc.gids[f"PI_{i}"], "version": 1})


@define("createIteration")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    first = dt.date(2027, 4, 5) + dt.timedelta(days=14 * i)
    last = first + dt.timedelta(days=11)
    return create("createIteration")(
        {
            "planningIntervalId": sc.gids["LONG_PI"],
            "startDate": first.isoformat(),
            "endDate": last.isoformat(),
        }
    )


@define("updateIteration", "iteration")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updateIteration")(
        {
            "id": sc.gids["ITERATION_0"],
            "version": await v("iterations", "ITERATION_0"),
            "name": f"Sprint {i}",
        }
    )


@define("archiveIteration", "iteration")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archiveIteration")({"id": sc.gids[f"ITERATION_{i}"], "version": 1})


@define("createMilestone")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createMilestone")(
        {"planningIntervalId": sc.gids["PI"], "name": f"Demo {i}", "date": "2027-01-20"}
    )


@define("updateMilestone")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updateMilestone")(
        {
            "id": sc.gids["MILESTONE"],
            "version": await v("milestones", "MILESTONE"),
            "name": f"Demo {i}",
        }
    )


@define("archiveMilestone", "milestone")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archiveMilestone")({"id": sc.gids[f"MILESTONE_{i}"], "version": 1})


@define("createFeature (business)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createFeature")(
        {"artId": sc.gids["PAY"], "key": f"PAY-{300 + i}", "title": "New", "kind": "BUSINESS"}
    )


@define("updateFeature (business)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updateFeature")(
        {"id": sc.gids["F"], "version": await v("features", "F"), "jobSize": [1, 2, 3, 5][i % 4]}
    )


@define("archiveFeature (business)", "feature")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archiveFeature")({"id": sc.gids[f"FEATURE_{i}"], "version": 1})


@define("createFeature (enabler)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createFeature")(
        {
            "artId": sc.gids["PAY"],
            "key": f"PAY-{400 + i}",
            "title": "New",
            "kind": "ENABLER",
            "enablerType": "INFRASTRUCTURE",
        }
    )


@define("updateFeature (enabler)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updateFeature")(
        {"id": sc.gids["E"], "version": await v("features", "E"), "title": f"Ledger v{i}"}
    )


@define("archiveFeature (enabler)", "feature")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archiveFeature")({"id": sc.gids[f"ENABLER_{i}"], "version": 1})


def _new_story(sc: Scenario, team: str, key: str) -> Request:
    return create("createStory")(
        {
            "featureId": sc.gids["F"],
            "teamId": sc.gids[team],
            "key": key,
            "title": "New",
            "kind": "USER_STORY",
        }
    )


@define("createStory (own team)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return _new_story(sc, "ATL", f"ATL-{300 + i}")


@define("updateStory (own team)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updateStory")(
        {
            "id": sc.gids["S_ATL"],
            "version": await v("stories", "S_ATL"),
            "points": [1, 2, 3, 5][i % 4],
        }
    )


@define("archiveStory (own team)", "story")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archiveStory")({"id": sc.gids[f"STORY_ATL_{i}"], "version": 1})


@define("createStory (other team)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return _new_story(sc, "NOV", f"NOV-{300 + i}")


@define("updateStory (other team)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updateStory")(
        {
            "id": sc.gids["S_NOV"],
            "version": await v("stories", "S_NOV"),
            "points": [1, 2, 3, 5][i % 4],
        }
    )


@define("archiveStory (other team)", "story")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archiveStory")({"id": sc.gids[f"STORY_NOV_{i}"], "version": 1})


@define("createComponent (ART)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createComponent")(
        {"artId": sc.gids["PAY"], "name": f"New {i}", "kind": "SERVICE"}
    )


@define("updateComponent (ART)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updateComponent")(
        {"id": sc.gids["C"], "version": await v("components", "C"), "description": f"v{i}"}
    )


@define("archiveComponent (ART)", "component")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archiveComponent")({"id": sc.gids[f"COMP_{i}"], "version": 1})


@define("createComponent (portfolio-wide)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createComponent")({"name": f"Shared new {i}", "kind": "PLATFORM"})


@define("updateComponent (portfolio-wide)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updateComponent")(
        {"id": sc.gids["P"], "version": await v("components", "P"), "description": f"v{i}"}
    )


@define("archiveComponent (portfolio-wide)", "component")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archiveComponent")({"id": sc.gids[f"PCOMP_{i}"], "version": 1})


@define("createDependency (own team's story waits)", "story")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createDependency")(
        {"dependentId": sc.gids["S_ATL"], "prerequisiteId": sc.gids[f"STORY_NOV_{i}"]}
    )


@define("updateDependency (own team's story waits)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updateDependency")(
        {
            "id": sc.gids["DEP_STORY"],
            "version": await v("dependencies", "DEP_STORY"),
            "note": f"v{i}",
        }
    )


@define("archiveDependency (own team's story waits)", "feature story dependency")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archiveDependency")({"id": sc.gids[f"DEP_STORY_{i}"], "version": 1})


@define("createDependency (business feature waits)", "feature")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createDependency")(
        {"dependentId": sc.gids["F"], "prerequisiteId": sc.gids[f"ENABLER_{i}"]}
    )


@define("updateDependency (business feature waits)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updateDependency")(
        {
            "id": sc.gids["DEP_FEATURE"],
            "version": await v("dependencies", "DEP_FEATURE"),
            "note": f"v{i}",
        }
    )


@define("archiveDependency (business feature waits)", "feature story dependency")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return archive("archiveDependency")({"id": sc.gids[f"DEP_FEATURE_{i}"], "version": 1})


@define("createApiToken (own)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return mutation("createApiToken", "CreateApiTokenInput", "secret")(
        {"name": f"mine {i}", "scope": "READ"}
    )


@define("createApiToken (someone else's)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return mutation("createApiToken", "CreateApiTokenInput", "secret")(
        {"name": f"theirs {i}", "scope": "READ", "personId": sc.gids["T"]}
    )


@define("revokeApiToken (own)", "own_token")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    own = sc.gids.get(f"TOKEN_{i}", sc.gids.get("TOKEN_0", ""))
    return mutation("revokeApiToken", "RevokeApiTokenInput")({"id": own})


@define("revokeApiToken (someone else's)", "their_token")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return mutation("revokeApiToken", "RevokeApiTokenInput")({"id": sc.gids[f"THEIR_TOKEN_{i}"]})


@define("applyPlanMoves (own team's story)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    iteration = sc.gids["ITERATION_PI_1"] if i % 2 == 0 else sc.gids["ITERATION_PI_2"]
    return mutation("applyPlanMoves", "ApplyPlanMovesInput")(
        {
            "moves": [
                {
                    "itemId": sc.gids["S_ATL"],
                    "iterationId": iteration,
                    "version": await v("stories", "S_ATL"),
                }
            ]
        }
    )


@define("applyPlanMoves (business feature)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    iteration = sc.gids["ITERATION_PI_1"] if i % 2 == 0 else sc.gids["ITERATION_PI_2"]
    return mutation("applyPlanMoves", "ApplyPlanMovesInput")(
        {
            "moves": [
                {
                    "itemId": sc.gids["F"],
                    "iterationId": iteration,
                    "version": await v("features", "F"),
                }
            ]
        }
    )


@define("setTeamCapacity (own team)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return mutation("setTeamCapacity", "SetTeamCapacityInput")(
        {"teamId": sc.gids["ATL"], "iterationId": sc.gids["ITERATION_PI_1"], "points": 10 + i}
    )


@define("setTeamCapacity (other team)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return mutation("setTeamCapacity", "SetTeamCapacityInput")(
        {"teamId": sc.gids["NOV"], "iterationId": sc.gids["ITERATION_PI_1"], "points": 10 + i}
    )


@define("setDefinitionOfReady")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    rules = ["ESTIMATED"] if i % 2 == 0 else ["ESTIMATED", "TEST_APPROACH"]
    return mutation("setDefinitionOfReady", "SetDefinitionOfReadyInput")(
        {"artId": sc.gids["PAY"], "version": await v("arts", "PAY"), "storyRules": rules}
    )


@define("setWipLimit")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return mutation("setWipLimit", "SetWipLimitInput")(
        {
            "artId": sc.gids["PAY"],
            "version": await v("arts", "PAY"),
            "state": "IMPLEMENTING",
            "limit": 3 + i,
        }
    )


@define("reopenFeature", "done")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return mutation("reopenFeature", "ReopenFeatureInput")(
        {
            "id": sc.gids[f"DONE_{i}"],
            "version": 1,
            "state": "RELEASING",
            "reason": "The release was rolled back.",
        }
    )


def _weekly(team: str, i: int) -> dict[str, Any]:
    return {"teamId": team, "weekday": i % 5, "startTime": "10:00", "timeboxMinutes": 60 + i}


@define("scheduleTeamRefinement (own team)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("scheduleTeamRefinement")(_weekly(sc.gids["ATL"], i))


@define("scheduleTeamRefinement (other team)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("scheduleTeamRefinement")(_weekly(sc.gids["NOV"], i))


def _one_session(where: dict[str, Any], minutes: int) -> Request:
    return create("createRefinementSession")(
        {**where, "startsAt": "2027-01-19T09:00:00+00:00", "timeboxMinutes": minutes}
    )


@define("createRefinementSession (own team)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return _one_session({"teamId": sc.gids["ATL"]}, 60)


@define("createRefinementSession (other team)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return _one_session({"teamId": sc.gids["NOV"]}, 60)


@define("createRefinementSession (ART)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return _one_session({"artId": sc.gids["PAY"]}, 120)


@define("updateRefinementSession (own team)", "refinement")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return update("updateRefinementSession")(
        {
            "id": sc.gids["SESSION_ATL"],
            "version": await v("refinement_sessions", "SESSION_ATL"),
            "notes": f"Bring the gateway logs ({i}).",
        }
    )


@define("setRefinementAgenda (own team)", "refinement")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    version = await v("refinement_sessions", "SESSION_ATL")
    # The scenario leaves S_ATL on it at an even version; each allowed change flips it.
    items = [] if version % 2 == 0 else [sc.gids["S_ATL"]]
    return create("setRefinementAgenda")(
        {"id": sc.gids["SESSION_ATL"], "version": version, "itemIds": items}
    )


@define("startRefinementSession (own team)", "refinement")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("startRefinementSession")(
        {
            "id": sc.gids[f"SESSION_ATL_{i}"],
            "version": await v("refinement_sessions", f"SESSION_ATL_{i}"),
        }
    )


@define("startRefinementSession (ART)", "refinement")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("startRefinementSession")(
        {
            "id": sc.gids[f"SESSION_ART_{i}"],
            "version": await v("refinement_sessions", f"SESSION_ART_{i}"),
        }
    )


@define("refineStory (own team)", "refinement")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("refineStory")(
        {
            "sessionId": sc.gids["RUN_ATL"],
            "storyId": sc.gids["S_ATL"],
            "version": await v("stories", "S_ATL"),
            "points": [1, 2, 3, 5][i % 4],
        }
    )


@define("refineFeature (ART)", "refinement")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("refineFeature")(
        {
            "sessionId": sc.gids["RUN_ART"],
            "featureId": sc.gids["F"],
            "version": await v("features", "F"),
            "jobSize": [1, 2, 3, 5][i % 4],
        }
    )


@define("coverAgendaItem (own team)", "refinement")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    # Each column its own running session: covering what is covered already writes nothing.
    return create("coverAgendaItem")(
        {
            "sessionId": sc.gids[f"RUN_ATL_{i}"],
            "version": await v("refinement_sessions", f"RUN_ATL_{i}"),
            "itemId": sc.gids["S_ATL"],
        }
    )


@define("flagRefinementItem (own team's story)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("flagRefinementItem")(
        {
            "itemId": sc.gids["S_ATL"],
            "kind": "QUESTION",
            "note": f"Question {i}",
            "ownerId": sc.gids["T"],
            "dueOn": "2099-01-01",
        }
    )


@define("flagRefinementItem (business feature)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("flagRefinementItem")(
        {
            "itemId": sc.gids["F"],
            "kind": "INCOMPLETE",
            "note": f"Gap {i}",
            "ownerId": sc.gids["T"],
            "dueOn": "2099-01-01",
        }
    )


@define("resolveFollowUp (own team's story)", "refinement")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("resolveFollowUp")(
        {"id": sc.gids[f"FOLLOW_UP_{i}"], "version": 1, "resolution": "Answered."}
    )


@define("createSpike (own team's story)")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("createSpike")(
        {
            "itemId": sc.gids["S_ATL"],
            "key": f"SPK-{i + 1}",
            "title": "Find out",
            "spikeTimeboxDays": 2,
            "points": 1,
        }
    )


@define("closeRefinementSession (own team)", "refinement")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("closeRefinementSession")(
        {"id": sc.gids[f"RUN_ATL_{i}"], "version": await v("refinement_sessions", f"RUN_ATL_{i}")}
    )


@define("cancelRefinementSession (own team)", "refinement")
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return create("cancelRefinementSession")(
        {
            "id": sc.gids[f"SESSION_ATL_{i}"],
            "version": await v("refinement_sessions", f"SESSION_ATL_{i}"),
            "reason": "Team offsite.",
        }
    )


@define("query art(key) of the ART: refinement", "refinement", query=True)
async def _(sc: Scenario, i: int, v: Any) -> Request:
    query = (
        '{ art(key: "PAY") { definitionOfReady { isDefault } refinementQueue { totalCount } '
        "refinementSessions { totalCount } followUps { totalCount } } }"
    )
    return query, {}, "art"


@define("query art(key) of the ART: dependency analyses", query=True)
async def _(sc: Scenario, i: int, v: Any) -> Request:
    query = '{ art(key: "PAY") { dependencyHealth { health } coupling { featureCount } cycles { text } hotspots { centrality { degree } } } }'
    return query, {}, "art"


@define("query art(key) of the ART", query=True)
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return '{ art(key: "PAY") { key features { totalCount } } }', {}, "art"


@define("query art(key) of another ART", query=True)
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return '{ art(key: "OPS") { key teams { totalCount } } }', {}, "art"


@define("query viewer", query=True)
async def _(sc: Scenario, i: int, v: Any) -> Request:
    return "{ viewer { isAdmin authenticatedBy } }", {}, "viewer"


# --- the harness ---------------------------------------------------------------------------


def test_every_row_of_the_document_is_exercised() -> None:
    undefined = sorted(set(MATRIX) - set(ROWS))
    undocumented = sorted(set(ROWS) - set(MATRIX))
    assert (undefined, undocumented) == ([], []), (
        f"rows of services/PERMISSIONS.md without a request here: {undefined}; "
        f"requests here without a row there: {undocumented}"
    )


@pytest.mark.parametrize("label", list(MATRIX))
async def test_permission_row(api: Api, engine: AsyncEngine, label: str) -> None:
    await truncate_all(engine)  # a scenario of its own, without the suite's admin
    row = ROWS[label]
    sc = await build(engine, row.needs)

    async def version(table: str, name: str) -> int:
        async with engine.connect() as conn:
            return int(
                (
                    await conn.execute(
                        text(f"SELECT version FROM {table} WHERE id = :i"), {"i": sc.ids[name]}
                    )
                ).scalar_one()
            )

    outcomes = []
    for index, actor in enumerate(ACTORS):
        query, variables, field = await row.request(sc, index, version)
        before = await snapshot(engine)
        body = await api.as_token(None).raw(query, variables, headers=sc.headers[actor])
        after = await snapshot(engine)
        allowed = MATRIX[label][actor]
        errors = body.get("errors", [])
        where = f"{label} / {actor}"
        if allowed:
            # A write's payload reads back every reference of what it wrote (matrix.py).
            assert errors == [], f"{where}: {errors}"
            result = body["data"][field]
            if not row.is_query:
                assert result["errors"] == [], f"{where}: {result['errors']}"
                assert after != before, f"{where}: allowed but wrote nothing"
            elif row.seen is not None:
                assert row.seen(result), f"{where}: {result}"
            else:
                assert result is not None, where
        elif row.seen is not None and actor != "anonymous":
            # What an ART limit or a missing role hides reads as absent, not as an error.
            assert errors == [], f"{where}: {errors}"
            assert not row.seen(body["data"][field]), f"{where}: {body['data']}"
        else:
            expected = "UNAUTHENTICATED" if actor == "anonymous" else "FORBIDDEN"
            codes = [e.get("extensions", {}).get("code") for e in errors]
            assert codes == [expected], f"{where}: {body}"
            assert after == before, f"{where}: refused but something was written"
        outcomes.append((actor, allowed))
    assert len(outcomes) == len(ACTORS)


async def test_a_refusal_says_what_is_needed(api: Api, engine: AsyncEngine) -> None:
    await truncate_all(engine)
    sc = await build(engine, frozenset())
    query, variables, _ = create("createTeam")(
        {"artId": sc.gids["PAY"], "key": "NEW", "name": "New"}
    )
    body = await api.as_token(None).raw(query, variables, headers=sc.headers["PM"])
    assert body["errors"][0]["message"] == (
        "You may not create, change or archive teams in ART PAY: that needs portfolio admin or "
        "RTE of the ART."
    )
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}

"""The refinement pages in a real browser against a real server, seeded through the real API.

One ART with two teams; Atlas has a scrum master (with a password, so that they can sign in
and make themselves an API token) and a developer. A refined feature in BACKLOG carries five
Atlas stories and a Borealis one that an Atlas story waits on; two features still wait for
program backlog refinement. Atlas's session of today is running with four stories on its
agenda and only the scrum master invited, and its next one is scheduled for next week with the
developer invited. The browser signs in as the portfolio admin, opens the Refinement view,
the team and the running session, and then watches the scrum master refine, flag and close
it through the API: the page follows over its WebSocket (estimate, covered mark, readiness,
the log, the summary) without loading again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import ConsoleMessage, Error, Locator, Page, Response, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, GraphQLClient, Server, sign_in

ART_KEY = "SHOP"
ART_NAME = "Online Shop"
SAM = ("Sam Scrum", "sam@e2e.test", "scrum master passphrase 7")
DANA = ("Dana Developer", "dana@e2e.test")

THIN = "4 stories on the agenda; a session refines 5-8."
EMPTY = "0 stories on the agenda; a session refines 5-8."
NO_TECH = "No developer or tech lead of the team among the participants."
QUESTION = "Which card networks need 3-D Secure?"


@dataclass(frozen=True, slots=True)
class Seeded:
    session_id: str  # the running session
    stories: dict[str, dict[str, Any]]  # key -> {id, version}
    people: dict[str, str]  # email -> global id
    sam_token: str
    due_on: dt.date


def _story(
    api: GraphQLClient, feature_id: str, team_id: str, key: str, title: str, **fields: Any
) -> dict[str, Any]:
    data = {"featureId": feature_id, "teamId": team_id, "key": key, "title": title}
    story: dict[str, Any] = api.mutate(
        "createStory", "story { id key version }", {**data, "kind": "USER_STORY", **fields}
    )["story"]
    return story


def _token_of(server: Server, email: str, password: str) -> str:
    """Sign in as the person (the API refuses to make tokens with another token) and create
    their own write token through the API in that browser-style session."""
    with httpx.Client(base_url=server.base_url, timeout=10.0) as http:
        signed_in = http.post("/auth/sign-in", json={"email": email, "password": password})
        assert signed_in.status_code == 200, signed_in.text
        # The cookie is Secure: httpx keeps it from http://, so it is sent by hand.
        cookie = signed_in.cookies["trainyard_session"]
        response = http.post(
            "/graphql",
            json={
                "query": "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) "
                "{ secret errors { code message } } }",
                "variables": {"input": {"name": "e2e refinement", "scope": "WRITE"}},
            },
            headers={
                "Cookie": f"trainyard_session={cookie}",
                "X-CSRF-Token": signed_in.json()["csrfToken"],
                "Accept": "application/json",
            },
        )
        assert response.status_code == 200, response.text
        payload = response.json()["data"]["createApiToken"]
        assert payload["errors"] == [], payload["errors"]
        secret: str = payload["secret"]
        return secret


def seed(server: Server, api: GraphQLClient, now: dt.datetime) -> Seeded:
    art = api.mutate("createArt", "art { id }", {"key": ART_KEY, "name": ART_NAME})["art"]
    teams: dict[str, str] = {}
    for key, name in [("ATL", "Atlas"), ("BOR", "Borealis")]:
        teams[key] = api.mutate(
            "createTeam", "team { id }", {"artId": art["id"], "key": key, "name": name}
        )["team"]["id"]

    people: dict[str, str] = {}
    for (name, email, *password), role in [(SAM, "SCRUM_MASTER"), (DANA, "DEVELOPER")]:
        person_input = {"name": name, "email": email}
        if password:
            person_input["password"] = password[0]
        people[email] = api.mutate("createPerson", "person { id }", person_input)["person"]["id"]
        api.mutate(
            "createMembership",
            "membership { id }",
            {"personId": people[email], "role": role, "teamId": teams["ATL"]},
        )
    sam_token = _token_of(server, SAM[1], SAM[2])

    component = api.mutate(
        "createComponent",
        "component { id }",
        {
            "name": "Payments API",
            "kind": "SERVICE",
            "artId": art["id"],
            "owningTeamId": teams["BOR"],
        },
    )["component"]
    feature = api.mutate(
        "createFeature",
        "feature { id state }",
        {
            "artId": art["id"],
            "key": "SHOP-1",
            "title": "Checkout redesign",
            "kind": "BUSINESS",
            "state": "BACKLOG",
            "benefitHypothesis": "A one-page checkout lifts conversion by 3%.",
            "acceptanceCriteria": ["A returning customer pays in one step."],
            "userBusinessValue": 8,
            "timeCriticality": 5,
            "riskReductionOpportunityEnablement": 3,
            "jobSize": 8,
            "dependenciesIdentified": True,
            "owningTeamId": teams["ATL"],
        },
    )["feature"]
    assert feature["state"] == "BACKLOG"
    # Waiting for program backlog refinement: scored but without a team, and not yet scored.
    api.mutate(
        "createFeature",
        "feature { id }",
        {
            "artId": art["id"],
            "key": "SHOP-2",
            "title": "Ledger API",
            "kind": "BUSINESS",
            "state": "ANALYZING",
            "userBusinessValue": 3,
            "timeCriticality": 2,
            "riskReductionOpportunityEnablement": 5,
            "jobSize": 3,
        },
    )
    api.mutate(
        "createFeature",
        "feature { id }",
        {"artId": art["id"], "key": "SHOP-3", "title": "Fraud scoring", "kind": "BUSINESS"},
    )

    fid, atl = feature["id"], teams["ATL"]
    stories = {
        "ATL-1": _story(
            api,
            fid,
            atl,
            "ATL-1",
            "Pay with a saved card",
            acceptanceCriteria=["The saved card is charged without re-entering it."],
        ),
        "ATL-2": _story(api, fid, atl, "ATL-2", "Ask for 3-D Secure when needed"),
        "ATL-3": _story(
            api, fid, atl, "ATL-3", "One-page order summary", componentIds=[component["id"]]
        ),
        "ATL-4": _story(api, fid, atl, "ATL-4", "Guest checkout"),
        "ATL-5": _story(api, fid, atl, "ATL-5", "Remember the delivery address"),
        "BOR-1": _story(api, fid, teams["BOR"], "BOR-1", "Card network rules service"),
    }
    api.mutate(
        "createDependency",
        "dependency { id }",
        {"dependentId": stories["ATL-2"]["id"], "prerequisiteId": stories["BOR-1"]["id"]},
    )

    session = api.mutate(
        "createRefinementSession",
        "session { id version }",
        {
            "teamId": atl,
            "title": "Atlas refinement",
            "startsAt": now.isoformat(),
            "timeboxMinutes": 60,
            "participantIds": [people[SAM[1]]],  # no developer: not technically represented
        },
    )["session"]
    agenda = ["ATL-3", "ATL-1", "ATL-2", "ATL-4"]
    session = api.mutate(
        "setRefinementAgenda",
        "session { id version }",
        {
            "id": session["id"],
            "version": session["version"],
            "itemIds": [stories[key]["id"] for key in agenda],
        },
    )["session"]
    session = api.mutate(
        "startRefinementSession",
        "session { id version status }",
        {"id": session["id"], "version": session["version"]},
    )["session"]
    assert session["status"] == "IN_PROGRESS"

    api.mutate(
        "createRefinementSession",
        "session { id }",
        {
            "teamId": atl,
            "title": "Atlas refinement, next week",
            "startsAt": (now + dt.timedelta(days=7)).isoformat(),
            "timeboxMinutes": 90,
            "participantIds": [people[SAM[1]], people[DANA[1]]],
        },
    )["session"]
    return Seeded(
        session_id=session["id"],
        stories=stories,
        people=people,
        sam_token=sam_token,
        due_on=(now + dt.timedelta(days=7)).date(),
    )


@contextmanager
def _api_as(server: Server, token: str) -> Iterator[GraphQLClient]:
    """The API as the person of an API token."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.base_url, timeout=10.0, headers=headers) as http:
        yield GraphQLClient(http)


def _agenda_row(page: Page, key: str) -> Locator:
    return page.locator(f'[data-testid="agenda-row"][data-key="{key}"]')


def test_refinement_views_and_a_session_followed_live(
    server: Server, live_api: GraphQLClient, page: Page, screenshot_dir: Path, tmp_path: Path
) -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    seeded = seed(server, live_api, now)
    problems: list[str] = []
    loads: list[str] = []  # pages loaded: a live update must not reload the page

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"page error: {error.message}")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)
    page.on("load", lambda loaded: loads.append(loaded.url))

    page.goto(f"{server.base_url}/")
    sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.get_by_test_id("art-picker")).to_have_value(ART_KEY)

    # The ART's refinement, from the overview's tab.
    tabs = page.get_by_role("navigation", name="Views")
    expect(tabs.get_by_role("link", name="Overview")).to_have_attribute("aria-current", "page")
    tabs.get_by_role("link", name="Refinement").click()
    expect(tabs.get_by_role("link", name="Refinement")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("refinement-title")).to_have_text(
        f"Refinement {ART_NAME} ({ART_KEY})"
    )
    attention = page.get_by_test_id("attention-team")
    expect(attention).to_have_count(2)
    expect(attention.nth(0)).to_have_attribute("data-team-key", "ATL")
    expect(attention.nth(0).get_by_test_id("attention-reason")).to_have_text(
        [
            "No refinement held yet",
            "Ready backlog covers 0.0 iterations",
            "1 session without a developer or tech lead",
        ]
    )
    expect(attention.nth(1)).to_have_attribute("data-team-key", "BOR")
    expect(attention.nth(1).get_by_test_id("attention-reason")).to_have_text(
        ["No refinement held yet"]
    )
    totals = {
        "readyStories": "0",
        "heldSessions": "0",
        "skippingTeams": "2",
        "sessionsWithoutTechnicalRepresentation": "1",
        "openFollowUps": "0",
        "openSpikes": "0",
    }
    for field, value in totals.items():
        expect(page.get_by_test_id(f"total-{field}").locator("dd")).to_have_text(value)

    rows = page.get_by_test_id("team-health-row")
    expect(rows).to_have_count(2)
    atlas, borealis = rows.nth(0), rows.nth(1)
    expect(atlas.get_by_test_id("team-health-team")).to_have_text("ATL Atlas")
    expect(atlas.get_by_test_id("team-health-ready")).to_have_text("0 stories, 0 points")
    expect(atlas.get_by_test_id("team-health-depth")).to_have_text("0.0 iterations (by capacity)")
    expect(atlas.get_by_test_id("team-health-held")).to_have_text("0")
    expect(atlas.get_by_test_id("team-health-skipped")).to_have_text("4")
    expect(atlas.get_by_test_id("team-health-follow-ups")).to_have_text("0 open, 0 overdue")
    expect(atlas.get_by_test_id("team-health-spikes")).to_have_text("—")
    expect(atlas.get_by_test_id("team-health-warnings").locator("li")).to_have_text(
        ["Skipping refinement", "1 session without a developer or tech lead"]
    )
    expect(borealis.get_by_test_id("team-health-team")).to_have_text("BOR Borealis")
    expect(borealis.get_by_test_id("team-health-depth")).to_have_text("— (no velocity or capacity)")
    expect(borealis.get_by_test_id("team-health-warnings").locator("li")).to_have_text(
        ["Skipping refinement"]
    )

    weeks = page.get_by_test_id("refined-week")
    expect(weeks).to_have_count(4)
    expect(weeks.get_by_test_id("refined-week-count")).to_have_text(["0 features"] * 4)

    waiting = page.get_by_test_id("waiting-row")
    expect(waiting.get_by_test_id("waiting-key")).to_have_text(["SHOP-2", "SHOP-3"])
    expect(waiting.get_by_test_id("waiting-wsjf")).to_have_text(["3.33", "—"])
    expect(waiting.get_by_test_id("waiting-reason")).to_have_text(
        [
            "ANALYZING, WSJF 3.3333; needs a benefit hypothesis, acceptance criteria, an owning "
            "team, dependencies identified.",
            "FUNNEL, WSJF not scored yet; needs a benefit hypothesis, acceptance criteria, WSJF "
            "scored (all four inputs), an owning team, dependencies identified.",
        ]
    )

    # A team's sessions (newest first) and queue.
    expect(page.get_by_test_id("team-prompt")).to_be_visible()
    page.get_by_label("Team", exact=True).select_option("ATL")
    team = page.get_by_test_id("team-refinement")
    expect(team).to_have_attribute("data-team-key", "ATL")
    expect(team.get_by_test_id("team-schedule")).to_have_text(
        "Atlas has no weekly refinement scheduled."
    )
    sessions = team.get_by_test_id("team-session")
    expect(sessions.get_by_test_id("team-session-link")).to_have_text(
        ["Atlas refinement, next week", "Atlas refinement"]
    )
    expect(sessions.get_by_test_id("session-status")).to_have_text(["Scheduled", "In progress"])
    expect(sessions.nth(0).get_by_test_id("team-session-agenda-item")).to_have_count(0)
    expect(sessions.nth(0).get_by_test_id("warning")).to_have_text([EMPTY])
    expect(sessions.nth(1).get_by_test_id("team-session-agenda-item")).to_have_text(
        ["ATL-3", "ATL-1", "ATL-2", "ATL-4"]
    )
    expect(sessions.nth(1).get_by_test_id("warning")).to_have_text([THIN, NO_TECH])
    expect(team.get_by_test_id("queue-key")).to_have_text(
        ["ATL-1", "ATL-2", "ATL-3", "ATL-4", "ATL-5"]
    )
    page.mouse.move(0, 0)
    for directory in (screenshot_dir, tmp_path):
        page.screenshot(path=str(directory / "refinement.png"), full_page=True)

    # The running session.
    sessions.nth(1).get_by_role("link", name="Atlas refinement", exact=True).click()
    view = page.get_by_test_id("session-view")
    expect(view.get_by_test_id("session-title")).to_have_text("Atlas refinement")
    expect(view.get_by_test_id("session-status")).to_have_text("In progress")
    expect(view.get_by_test_id("live-indicator")).to_have_text("Live")
    expect(view.get_by_test_id("session-facts")).to_contain_text("Team Atlas (ATL)")
    expect(view.get_by_test_id("session-facts")).to_contain_text(f"with {SAM[0]}")
    agenda = view.get_by_test_id("agenda-row")
    expect(agenda.get_by_test_id("agenda-key")).to_have_text(["ATL-3", "ATL-1", "ATL-2", "ATL-4"])
    expect(agenda.get_by_test_id("agenda-title")).to_have_text(
        [
            "One-page order summary",
            "Pay with a saved card",
            "Ask for 3-D Secure when needed",
            "Guest checkout",
        ]
    )
    expect(agenda.get_by_test_id("agenda-estimate")).to_have_text(["—"] * 4)
    expect(agenda.get_by_test_id("agenda-covered")).to_have_text(["Not yet"] * 4)
    expect(agenda.get_by_test_id("agenda-steps")).to_have_text(["—"] * 4)
    expect(_agenda_row(page, "ATL-1").get_by_test_id("readiness-failure")).to_have_text(
        ["No estimate: give story points or a t-shirt size."]
    )
    expect(view.get_by_test_id("session-warnings").get_by_test_id("warning")).to_have_text(
        [THIN, NO_TECH]
    )
    prep = view.get_by_test_id("prep-item")
    expect(prep).to_have_count(4)
    atl1 = page.locator('[data-testid="prep-item"][data-key="ATL-1"]')
    expect(atl1.get_by_test_id("prep-acceptance-criteria").locator("li")).to_have_text(
        ["The saved card is charged without re-entering it."]
    )
    atl2 = page.locator('[data-testid="prep-item"][data-key="ATL-2"]')
    expect(atl2.get_by_test_id("prep-dependency")).to_contain_text(
        ["BOR-1 Card network rules service (BOR)"]
    )
    expect(atl2.get_by_test_id("prep-question")).to_have_count(0)
    atl3 = page.locator('[data-testid="prep-item"][data-key="ATL-3"]')
    expect(atl3.get_by_test_id("prep-components").locator("li")).to_have_text(
        ["Payments API (owned by BOR)"]
    )
    scheduled = f"Atlas refinement scheduled for {now:%Y-%m-%d %H:%M} UTC (60 minutes)."
    history = [
        "Started with 4 item(s) on the agenda; timebox 60 minutes.",
        "Agenda set: 4 item(s).",
        scheduled,
    ]
    log = view.get_by_test_id("event-message")
    expect(log).to_have_text(history)
    page.mouse.move(0, 0)
    for directory in (screenshot_dir, tmp_path):
        page.screenshot(path=str(directory / "session.png"), full_page=True)

    # The scrum master refines and flags through the API; the open page follows.
    page.evaluate("() => { window.__stillTheSamePage = true; }")
    loads_before = len(loads)
    with _api_as(server, seeded.sam_token) as sam:
        refined = sam.mutate(
            "refineStory",
            "story { key points }",
            {
                "sessionId": seeded.session_id,
                "storyId": seeded.stories["ATL-1"]["id"],
                "version": seeded.stories["ATL-1"]["version"],
                "points": 5,
                "covered": True,
            },
        )
        assert refined["story"] == {"key": "ATL-1", "points": 5}
        history = [
            "ATL-1 meets the Definition of Ready.",
            "ATL-1 covered.",
            "ATL-1 estimated: 5.",
            "ATL-1: estimate.",
            *history,
        ]
        expect(log).to_have_text(history)
        row = _agenda_row(page, "ATL-1")
        expect(row.get_by_test_id("agenda-estimate")).to_have_text("5")
        expect(row.get_by_test_id("agenda-covered")).to_have_text("Covered")
        expect(row.get_by_test_id("agenda-steps")).to_have_text("Estimated")
        expect(row.get_by_test_id("readiness")).to_have_text("Ready")
        expect(view.get_by_test_id("event").first).to_contain_text(SAM[0])

        sam.mutate(
            "flagRefinementItem",
            "followUp { id }",
            {
                "itemId": seeded.stories["ATL-2"]["id"],
                "sessionId": seeded.session_id,
                "kind": "QUESTION",
                "note": QUESTION,
                "ownerId": seeded.people[DANA[1]],
                "dueOn": seeded.due_on.isoformat(),
            },
        )
    flagged = (
        f"ATL-2 flagged question: {QUESTION} (follow-up: {DANA[0]}, due "
        f"{seeded.due_on.isoformat()})."
    )
    expect(log).to_have_text([flagged, *history])
    expect(_agenda_row(page, "ATL-2").get_by_test_id("agenda-steps")).to_have_text("Flagged")
    expect(_agenda_row(page, "ATL-2").get_by_test_id("agenda-covered")).to_have_text("Not yet")
    expect(atl2.get_by_test_id("prep-question")).to_have_text([QUESTION])
    expect(view.get_by_test_id("live-indicator")).to_have_text("Live")

    page.mouse.move(0, 0)
    for directory in (screenshot_dir, tmp_path):
        page.screenshot(path=str(directory / "session-live.png"), full_page=True)

    # Closing it writes the summary, which the page shows as it arrives.
    with _api_as(server, seeded.sam_token) as sam:
        version = sam.query(
            "query($id: ID!) { node(id: $id) { ... on RefinementSession { version } } }",
            {"id": seeded.session_id},
        )["node"]["version"]
        sam.mutate(
            "closeRefinementSession",
            "session { status }",
            {"id": seeded.session_id, "version": version},
        )
    expect(log.first).to_have_text("Closed: 1 of 4 covered, 1 became ready, 3 left over.")
    expect(view.get_by_test_id("session-status")).to_have_text("Closed")
    summary = view.get_by_test_id("session-summary")
    expect(summary.get_by_test_id("summary-row").locator("dd")).to_have_text(
        ["ATL-1", "ATL-1", "ATL-1", "ATL-2", "ATL-3, ATL-2, ATL-4", "none"]
    )
    expect(summary.get_by_test_id("summary-follow-ups").locator("dd")).to_have_text(QUESTION)
    expect(summary.get_by_test_id("summary-rolled-to").get_by_role("link")).to_have_text(
        "Atlas refinement, next week"
    )
    expect(view.get_by_test_id("live-indicator")).to_have_text("Live")
    assert page.evaluate("() => window.__stillTheSamePage === true")
    assert len(loads) == loads_before
    page.mouse.move(0, 0)
    for directory in (screenshot_dir, tmp_path):
        page.screenshot(path=str(directory / "session-closed.png"), full_page=True)

    # The browser's back button returns to the team, still without loading the page again.
    page.go_back()
    expect(page.get_by_test_id("team-refinement")).to_have_attribute("data-team-key", "ATL")
    assert page.evaluate("() => window.__stillTheSamePage === true")
    assert len(loads) == loads_before
    assert problems == []

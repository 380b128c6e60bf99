"""The overview page in a real browser against a real server, seeded through the real API.

One ART with two teams, a planning interval of four iterations and an IP one, and three
features whose WSJF order (8.20 > 3.33 > 2.00) differs from their creation (rank) order.
The browser signs in as the portfolio admin through the page's sign-in form.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import ConsoleMessage, Error, Page, Response, Route, expect

from tests.e2e.conftest import (
    ADMIN_EMAIL,
    ADMIN_NAME,
    ADMIN_PASSWORD,
    GraphQLClient,
    Server,
    sign_in,
)

ART_KEY = "E2E"
ART_NAME = "End-to-End Train"
ITERATION_DATES = [
    ("2027-01-04", "2027-01-15", "REGULAR"),
    ("2027-01-18", "2027-01-29", "REGULAR"),
    ("2027-02-01", "2027-02-12", "REGULAR"),
    ("2027-02-15", "2027-02-26", "REGULAR"),
    ("2027-03-01", "2027-03-12", "IP"),
]


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    key: str
    title: str
    kind: str
    enabler_type: str | None
    state: str
    # User-business value, time criticality, RR|OE, job size.
    wsjf_inputs: tuple[int, int, int, int]
    team_key: str
    iteration_index: int


# Created in this order (so ranks 1, 2, 3); the backlog shows them by WSJF instead.
FEATURES = [
    FeatureSpec("E2E-1", "Checkout redesign", "BUSINESS", None, "BACKLOG", (8, 5, 3, 8), "ATL", 2),
    FeatureSpec(
        "E2E-2", "Fraud scoring", "BUSINESS", None, "IMPLEMENTING", (20, 13, 8, 5), "BOR", 1
    ),
    FeatureSpec(
        "E2E-3", "Ledger API", "ENABLER", "ARCHITECTURAL", "ANALYZING", (3, 2, 5, 3), "ATL", 4
    ),
]


def seed(api: GraphQLClient) -> None:
    """Create the ART, its teams, planning interval, features, a story and a dependency."""
    art = api.mutate("createArt", "art { id key }", {"key": ART_KEY, "name": ART_NAME})["art"]
    team_ids: dict[str, str] = {}
    for key, name, shared in [("ATL", "Atlas", False), ("BOR", "Borealis", True)]:
        team = api.mutate(
            "createTeam",
            "team { id key }",
            {"artId": art["id"], "key": key, "name": name, "isSharedServices": shared},
        )["team"]
        team_ids[key] = team["id"]

    pi = api.mutate(
        "createPlanningInterval",
        "planningInterval { id iterations { id index kind } }",
        {
            "artId": art["id"],
            "name": "PI 2027.1",
            "startDate": ITERATION_DATES[0][0],
            "endDate": ITERATION_DATES[-1][1],
            "iterations": [
                {"startDate": start, "endDate": end, "kind": kind}
                for start, end, kind in ITERATION_DATES
            ],
        },
    )["planningInterval"]
    iterations: list[dict[str, Any]] = pi["iterations"]
    assert [(it["index"], it["kind"]) for it in iterations] == [
        (1, "REGULAR"),
        (2, "REGULAR"),
        (3, "REGULAR"),
        (4, "REGULAR"),
        (5, "IP"),
    ]
    iteration_ids = {it["index"]: it["id"] for it in iterations}

    feature_ids: dict[str, str] = {}
    wsjf_by_key: dict[str, float] = {}
    for spec in FEATURES:
        business_value, time_criticality, risk_reduction, job_size = spec.wsjf_inputs
        feature_input: dict[str, Any] = {
            "artId": art["id"],
            "key": spec.key,
            "title": spec.title,
            "kind": spec.kind,
            "state": spec.state,
            "userBusinessValue": business_value,
            "timeCriticality": time_criticality,
            "riskReductionOpportunityEnablement": risk_reduction,
            "jobSize": job_size,
            "owningTeamId": team_ids[spec.team_key],
            "planningIntervalId": pi["id"],
            "iterationId": iteration_ids[spec.iteration_index],
            # Past ANALYZING a feature must meet the Definition of Ready, on create too.
            "benefitHypothesis": f"{spec.title} pays for itself within the PI.",
            "acceptanceCriteria": [f"{spec.title} is live for every customer."],
            "dependenciesIdentified": True,
        }
        if spec.enabler_type is not None:
            feature_input["enablerType"] = spec.enabler_type
        feature = api.mutate("createFeature", "feature { id key wsjf }", feature_input)["feature"]
        feature_ids[spec.key] = feature["id"]
        wsjf_by_key[spec.key] = feature["wsjf"]
    assert wsjf_by_key == {"E2E-1": 2.0, "E2E-2": 8.2, "E2E-3": 3.3333}

    # One story and one dependency, so the counts in the backlog are not all zero.
    api.mutate(
        "createStory",
        "story { id }",
        {
            "featureId": feature_ids["E2E-2"],
            "teamId": team_ids["BOR"],
            "key": "BOR-1",
            "title": "Score card payments",
            "kind": "USER_STORY",
        },
    )
    api.mutate(
        "createDependency",
        "dependency { id }",
        {"dependentId": feature_ids["E2E-1"], "prerequisiteId": feature_ids["E2E-2"]},
    )


BACKLOG_COLUMNS = (
    "position",
    "key",
    "title",
    "kind",
    "state",
    "wsjf",
    "team",
    "stories",
    "prerequisites",
)


def _backlog_rows(page: Page) -> list[tuple[str, ...]]:
    """The text of each backlog row's cells, in BACKLOG_COLUMNS order."""
    return [
        tuple(row.get_by_test_id(f"backlog-{column}").inner_text() for column in BACKLOG_COLUMNS)
        for row in page.get_by_test_id("backlog-row").all()
    ]


def _board_cells(page: Page) -> dict[tuple[str, int], list[str]]:
    """The feature keys of each board cell, by (team key, iteration index)."""
    cells: dict[tuple[str, int], list[str]] = {}
    for cell in page.get_by_test_id("board-cell").all():
        team_key = cell.get_attribute("data-team-key")
        index = cell.get_attribute("data-iteration-index")
        assert team_key is not None
        assert index is not None
        cells[(team_key, int(index))] = cell.get_by_test_id("board-feature").all_inner_texts()
    return cells


def test_overview_page_shows_the_seeded_art(
    server: Server, live_api: GraphQLClient, page: Page, screenshot_dir: Path, tmp_path: Path
) -> None:
    seed(live_api)
    problems: list[str] = []

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

    page.goto(f"{server.base_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trainyard")
    sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)

    expect(page.get_by_test_id("signed-in-person")).to_have_text(ADMIN_NAME)
    expect(page.get_by_test_id("sign-in-form")).to_have_count(0)
    picker = page.get_by_test_id("art-picker")
    expect(picker).to_have_value(ART_KEY)
    expect(picker.locator("option")).to_have_text([f"{ART_KEY} — {ART_NAME}"])
    expect(page.get_by_test_id("art-name")).to_have_text(f"{ART_NAME} ({ART_KEY})")

    expect(page.get_by_test_id("team-name")).to_have_text(["Atlas", "Borealis"])
    shared = page.get_by_test_id("team").filter(has_text="shared services")
    expect(shared.get_by_test_id("team-name")).to_have_text(["Borealis"])

    expect(page.get_by_test_id("backlog-row")).to_have_count(3)
    assert _backlog_rows(page) == [
        ("1", "E2E-2", "Fraud scoring", "Business", "Implementing", "8.20", "BOR", "1", "0"),
        ("2", "E2E-3", "Ledger API", "Enabler", "Analyzing", "3.33", "ATL", "0", "0"),
        ("3", "E2E-1", "Checkout redesign", "Business", "Backlog", "2.00", "ATL", "0", "1"),
    ]

    board = page.get_by_test_id("board")
    expect(board).to_be_visible()
    headers = board.get_by_test_id("board-iteration")
    expect(headers).to_have_count(5)
    for index in range(1, 5):
        header = headers.nth(index - 1)
        expect(header).to_have_attribute("data-iteration-index", str(index))
        expect(header).to_have_text(f"Iteration {index}")
        expect(header.get_by_test_id("ip-marker")).to_have_count(0)
    ip_header = headers.nth(4)
    expect(ip_header).to_have_attribute("data-iteration-kind", "IP")
    expect(ip_header.get_by_test_id("ip-marker")).to_have_text("IP")
    expect(ip_header.get_by_test_id("ip-marker")).to_be_visible()

    rows = board.get_by_test_id("board-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_attribute("data-team-key", "ATL")
    expect(rows.nth(1)).to_have_attribute("data-team-key", "BOR")
    expect(board.get_by_test_id("board-cell")).to_have_count(2 * 5)
    placed = {place: keys for place, keys in _board_cells(page).items() if keys}
    assert placed == {("BOR", 1): ["E2E-2"], ("ATL", 2): ["E2E-1"], ("ATL", 4): ["E2E-3"]}
    expect(page.get_by_test_id("board-unplanned")).to_have_count(0)
    expect(page.get_by_test_id("error")).to_have_count(0)

    page.mouse.move(0, 0)  # not hovering a backlog row (the sign-in click left it there)
    for directory in (screenshot_dir, tmp_path):
        page.screenshot(path=str(directory / "overview.png"), full_page=True)
    assert problems == []


def test_overview_page_shows_an_api_error_as_a_message(server: Server, page: Page) -> None:
    def fail(route: Route) -> None:
        route.fulfill(
            status=200,
            content_type="application/json",
            body='{"data": null, "errors": [{"message": "The database is on fire."}]}',
        )

    page.route("**/graphql", fail)
    page.goto(f"{server.base_url}/")
    sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Trainyard")
    expect(page.get_by_test_id("error")).to_contain_text("The database is on fire.")
    expect(page.get_by_test_id("art-picker")).to_have_count(0)
    # A data error is not a lost session: the person stays signed in.
    expect(page.get_by_test_id("signed-in-person")).to_have_text(ADMIN_NAME)
    expect(page.get_by_test_id("sign-in-form")).to_have_count(0)

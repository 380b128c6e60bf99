"""Signing in and out of the web app, and what a signed-in person may see, in a real browser.

The server starts with one portfolio admin (see conftest.py); a test that needs another
person creates them with the service layer in the server's database.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, Route, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.core.enums import Role
from services.models import Art
from services.org import people
from tests.e2e.conftest import (
    ADMIN_EMAIL,
    ADMIN_NAME,
    ADMIN_PASSWORD,
    SETUP_ACTOR,
    GraphQLClient,
    Server,
    run_in_database,
    sign_in,
)
from tests.e2e.test_overview_page import ART_KEY, ART_NAME, seed

WRONG_PASSWORD = "Wrong email or password."
SESSION_ENDED = "Your session has ended. Sign in again."

VIEWER_NAME = "Vera Viewer"
VIEWER_EMAIL = "viewer@e2e.test"
VIEWER_PASSWORD = "viewer passphrase 42"
OTHER_ART_KEY = "OPS"
OTHER_ART_NAME = "Operations Train"


def _session(page: Page, server: Server) -> dict[str, Any]:
    """What GET /auth/session answers for the page's cookies."""
    response = page.request.get(f"{server.base_url}/auth/session")
    assert response.status == 200, response.text()
    body: dict[str, Any] = response.json()
    return body


def test_a_wrong_password_shows_the_servers_message_and_stays_on_the_form(
    server: Server, page: Page, screenshot_dir: Path
) -> None:
    page.goto(f"{server.base_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trainyard")
    expect(page.get_by_test_id("sign-in-error")).to_have_text("")

    sign_in(page, ADMIN_EMAIL, "not the right password")

    form = page.get_by_test_id("sign-in-form")
    expect(form.get_by_test_id("sign-in-error")).to_have_text(WRONG_PASSWORD)
    expect(form).to_be_visible()
    expect(form.get_by_test_id("sign-in-email")).to_have_value(ADMIN_EMAIL)
    expect(form.get_by_test_id("sign-in-password")).to_have_value("")
    expect(form.get_by_test_id("sign-in-submit")).to_be_enabled()
    expect(page.get_by_test_id("signed-in-person")).to_have_count(0)
    expect(page.get_by_test_id("art-picker")).to_have_count(0)
    expect(page.get_by_test_id("sign-out")).to_have_count(0)
    assert _session(page, server)["signedIn"] is False

    page.screenshot(path=str(screenshot_dir / "sign-in-wrong-password.png"), full_page=True)


def test_too_many_failed_sign_ins_show_the_servers_rate_limit_message(
    server: Server, page: Page
) -> None:
    # Five failures for the admin's email (the limit per email), sent straight to the API.
    with httpx.Client(base_url=server.base_url, timeout=10.0) as http:
        for _ in range(5):
            refused = http.post(
                "/auth/sign-in", json={"email": ADMIN_EMAIL, "password": "guess guess guess"}
            )
            assert refused.status_code == 401, refused.text
            assert refused.json() == {"error": WRONG_PASSWORD}

    page.goto(f"{server.base_url}/")
    with page.expect_response("**/auth/sign-in") as answer:
        sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)  # the right password, but too late
    assert answer.value.status == 429
    assert answer.value.header_value("retry-after") is not None

    form = page.get_by_test_id("sign-in-form")
    expect(form.get_by_test_id("sign-in-error")).to_have_text(
        re.compile(r"^Too many failed sign-ins; try again in \d+ minute\(s\)\.$")
    )
    expect(form).to_be_visible()
    expect(page.get_by_test_id("signed-in-person")).to_have_count(0)
    assert _session(page, server)["signedIn"] is False


def test_sign_out_returns_to_the_form_and_a_reload_stays_signed_out(
    server: Server, live_api: GraphQLClient, page: Page, screenshot_dir: Path
) -> None:
    seed(live_api)
    page.goto(f"{server.base_url}/")
    expect(page.get_by_test_id("sign-in-form")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "sign-in.png"), full_page=True)
    sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)

    expect(page.get_by_test_id("signed-in-person")).to_have_text(ADMIN_NAME)
    expect(page.get_by_test_id("art-picker")).to_have_value(ART_KEY)
    # The default (Secure, HttpOnly) cookie: Chromium keeps Secure cookies on http://127.0.0.1.
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert cookies["trainyard_session"].get("httpOnly") is True
    assert cookies["trainyard_session"].get("secure") is True
    assert page.evaluate("document.cookie") == ""
    session = _session(page, server)
    assert session["signedIn"] is True
    assert session["person"] == {"name": ADMIN_NAME, "email": ADMIN_EMAIL, "isAdmin": True}

    # The session cookie outlives a reload: the page asks /auth/session and stays signed in.
    page.reload()
    expect(page.get_by_test_id("signed-in-person")).to_have_text(ADMIN_NAME)
    expect(page.get_by_test_id("art-name")).to_have_text(f"{ART_NAME} ({ART_KEY})")
    expect(page.get_by_test_id("sign-in-form")).to_have_count(0)

    page.get_by_test_id("sign-out").click()

    expect(page.get_by_test_id("sign-in-form")).to_be_visible()
    expect(page.get_by_test_id("sign-in-error")).to_have_text("")
    expect(page.get_by_test_id("signed-in-person")).to_have_count(0)
    expect(page.get_by_test_id("art-overview")).to_have_count(0)
    assert _session(page, server) == {"signedIn": False, "person": None, "csrfToken": None}
    assert "trainyard_session" not in {cookie["name"] for cookie in page.context.cookies()}

    page.reload()
    expect(page.get_by_test_id("sign-in-form")).to_be_visible()
    expect(page.get_by_test_id("signed-in-person")).to_have_count(0)
    expect(page.get_by_test_id("art-picker")).to_have_count(0)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        pytest.param(
            200,
            '{"data": null, "errors": [{"message": "Sign in.", '
            '"extensions": {"code": "UNAUTHENTICATED"}}]}',
            id="unauthenticated",
        ),
        pytest.param(
            403,
            '{"errors": [{"message": "Missing or wrong X-CSRF-Token header.", '
            '"extensions": {"code": "FORBIDDEN"}}]}',
            id="csrf-refused",
        ),
    ],
)
def test_a_refused_session_returns_to_the_form_with_a_message(
    server: Server, page: Page, status: int, body: str
) -> None:
    def refuse(route: Route) -> None:
        route.fulfill(status=status, content_type="application/json", body=body)

    page.route("**/graphql", refuse)
    page.goto(f"{server.base_url}/")
    sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)

    expect(page.get_by_test_id("sign-in-error")).to_have_text(SESSION_ENDED)
    expect(page.get_by_test_id("sign-in-form")).to_be_visible()
    expect(page.get_by_test_id("signed-in-person")).to_have_count(0)
    expect(page.get_by_test_id("error")).to_have_count(0)


def test_graphql_requests_carry_the_csrf_token_of_the_session(server: Server, page: Page) -> None:
    csrf_headers: list[str | None] = []
    page.on(
        "request",
        lambda request: (
            csrf_headers.append(request.headers.get("x-csrf-token"))
            if request.url.endswith("/graphql")
            else None
        ),
    )
    page.goto(f"{server.base_url}/")
    sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.get_by_test_id("no-arts")).to_be_visible()

    token = _session(page, server)["csrfToken"]
    assert isinstance(token, str)
    assert token
    assert csrf_headers
    assert set(csrf_headers) == {token}


async def _create_viewer_of(session: AsyncSession, art_key: str) -> None:
    art_id = await session.scalar(select(Art.id).where(Art.key == art_key))
    assert art_id is not None, art_key
    viewer = await people.create_person(
        session,
        SETUP_ACTOR,
        people.PersonDraft(name=VIEWER_NAME, email=VIEWER_EMAIL, password=VIEWER_PASSWORD),
    )
    await people.create_membership(session, SETUP_ACTOR, viewer.id, art_id, None, Role.VIEWER)


def test_a_viewer_sees_only_the_art_they_have_a_role_in(
    server: Server, live_api: GraphQLClient, page: Page, screenshot_dir: Path
) -> None:
    seed(live_api)
    live_api.mutate("createArt", "art { id }", {"key": OTHER_ART_KEY, "name": OTHER_ART_NAME})
    live_api.mutate(
        "createTeam",
        "team { id }",
        {
            "artId": live_api.query(f'{{ art(key: "{OTHER_ART_KEY}") {{ id }} }}')["art"]["id"],
            "key": "NOC",
            "name": "Night Ops",
        },
    )
    run_in_database(server.database_url, lambda s: _create_viewer_of(s, OTHER_ART_KEY))

    page.goto(f"{server.base_url}/")
    sign_in(page, VIEWER_EMAIL, VIEWER_PASSWORD)

    expect(page.get_by_test_id("signed-in-person")).to_have_text(VIEWER_NAME)
    picker = page.get_by_test_id("art-picker")
    expect(picker).to_have_value(OTHER_ART_KEY)
    expect(picker.locator("option")).to_have_text([f"{OTHER_ART_KEY} — {OTHER_ART_NAME}"])
    expect(page.get_by_test_id("art-name")).to_have_text(f"{OTHER_ART_NAME} ({OTHER_ART_KEY})")
    expect(page.get_by_test_id("team-name")).to_have_text(["Night Ops"])
    expect(page.get_by_test_id("error")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "viewer.png"), full_page=True)

    # The admin, signed in on the same server, sees both ARTs.
    page.get_by_test_id("sign-out").click()
    sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.get_by_test_id("art-picker").locator("option")).to_have_text(
        [f"{ART_KEY} — {ART_NAME}", f"{OTHER_ART_KEY} — {OTHER_ART_NAME}"]
    )

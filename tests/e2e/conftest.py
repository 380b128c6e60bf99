"""End-to-end fixtures: a real `trainyard serve` on loopback and the system Chromium.

These tests use neither the database fixtures of tests/conftest.py nor the demo seed: each
server gets its own freshly migrated SQLite database holding one portfolio admin (created
with the service layer before the server starts), and the tests seed it through the API
with that admin's API token. The browser signs in through the page's own form.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import tokens
from services.access.permissions import system_actor
from services.core.db import create_engine, create_sessionmaker, upgrade_to_head
from services.core.enums import TokenScope
from services.core.settings import load_settings
from services.history import audit
from services.org import people
from tests.server import running_server

REPO = Path(__file__).resolve().parents[2]
FRONTEND_DIST = REPO / "frontend" / "dist"
SCREENSHOT_DIR = REPO / "test-output" / "e2e"
CHROMIUM = Path(os.environ.get("TRAINYARD_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_SECONDS = 30.0

ADMIN_NAME = "Ada Admin"
ADMIN_EMAIL = "admin@e2e.test"
ADMIN_PASSWORD = "correct horse battery"
SETUP_ACTOR = system_actor("e2e setup")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Server:
    """A running `trainyard serve`: where it listens, where it logs, its database, and the
    API token of its admin (for seeding)."""

    base_url: str
    log: Path
    database_url: str
    admin_token: str


def run_in_database(database_url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one committed transaction of the service layer, attributed to the e2e
    setup actor. It runs on its own thread and event loop, apart from Playwright's."""

    async def run() -> T:
        engine = create_engine(load_settings({}, database_url=database_url))
        try:
            async with create_sessionmaker(engine).begin() as session:
                audit.bind(session, SETUP_ACTOR)
                return await work(session)
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


async def _create_admin(session: AsyncSession) -> str:
    """The portfolio admin the browser signs in as; returns its write API token."""
    admin = await people.create_person(
        session,
        SETUP_ACTOR,
        people.PersonDraft(
            name=ADMIN_NAME, email=ADMIN_EMAIL, password=ADMIN_PASSWORD, is_admin=True
        ),
    )
    made = await tokens.create_token(
        session, SETUP_ACTOR, admin.id, "e2e seeding", TokenScope.WRITE
    )
    return made.secret


def sign_in(page: Page, email: str, password: str) -> None:
    """Fill in and submit the page's sign-in form (the page must be showing it)."""
    form = page.get_by_test_id("sign-in-form")
    expect(form).to_be_visible()
    form.get_by_test_id("sign-in-email").fill(email)
    form.get_by_test_id("sign-in-password").fill(password)
    form.get_by_test_id("sign-in-submit").click()


class GraphQLClient:
    """Seeds data through the real HTTP API, failing the test on any error."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def query(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Accept": "application/json"},
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def mutate(self, name: str, selection: str, input: dict[str, Any]) -> dict[str, Any]:
        """Run mutation `name` with `input`; returns the saved entity selection."""
        type_name = name[0].upper() + name[1:] + "Input"
        query = (
            f"mutation($input: {type_name}!) {{ {name}(input: $input) "
            f"{{ {selection} errors {{ code message field }} }} }}"
        )
        payload: dict[str, Any] = self.query(query, {"input": input})[name]
        assert payload["errors"] == [], f"{name} failed: {payload['errors']}"
        return payload


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """`trainyard serve` on a free loopback port, with a fresh migrated SQLite database."""
    if not (FRONTEND_DIST / "index.html").is_file():
        pytest.fail(
            f"{FRONTEND_DIST / 'index.html'} is missing: run `make frontend` to build the web app."
        )
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}"
    upgrade_to_head(database_url)
    admin_token = run_in_database(database_url, _create_admin)
    extra_env = {
        "TRAINYARD_FRONTEND_DIST": str(FRONTEND_DIST),
        # The production default: Chromium treats http://127.0.0.1 as a secure context and
        # keeps Secure cookies from it (test_sign_in.py checks the cookie's flags).
        "TRAINYARD_COOKIE_SECURE": "1",
    }
    log = tmp_path / "server.log"
    with running_server(database_url, log, extra_env) as base_url:
        yield Server(base_url=base_url, log=log, database_url=database_url, admin_token=admin_token)


@pytest.fixture
def live_api(server: Server) -> Iterator[GraphQLClient]:
    """The API as the admin, authenticated by its API token (no cookie, so no CSRF header)."""
    with httpx.Client(
        base_url=server.base_url,
        timeout=10.0,
        headers={"Authorization": f"Bearer {server.admin_token}"},
    ) as http:
        yield GraphQLClient(http)


@pytest.fixture
def browser() -> Iterator[Browser]:
    """The system Chromium (never a Playwright-downloaded one)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR

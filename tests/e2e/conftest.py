"""End-to-end fixtures: a real `trainyard serve` on loopback and the system Chromium.

These tests use neither the database fixtures of tests/conftest.py nor the demo seed: each
server gets its own freshly migrated SQLite database and the tests seed it through the API.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from services.db import upgrade_to_head

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


@dataclass(frozen=True, slots=True)
class Server:
    """A running `trainyard serve`: where it listens and where it logs."""

    base_url: str
    log: Path


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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _trainyard_command() -> str:
    beside_python = Path(sys.executable).parent / "trainyard"
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("trainyard")
    if found is None:
        pytest.fail("The `trainyard` command is not installed: run `make install`.")
    return found


def _wait_until_healthy(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"trainyard serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(
        f"trainyard serve did not answer /healthz within {STARTUP_SECONDS}s:\n{log.read_text()}"
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """`trainyard serve` on a free loopback port, with a fresh migrated SQLite database."""
    if not (FRONTEND_DIST / "index.html").is_file():
        pytest.fail(
            f"{FRONTEND_DIST / 'index.html'} is missing: run `make frontend` to build the web app."
        )
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}"
    upgrade_to_head(database_url)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TRAINYARD_DATABASE_URL": database_url,
        "TRAINYARD_FRONTEND_DIST": str(FRONTEND_DIST),
    }
    log = tmp_path / "server.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [_trainyard_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_healthy(process, base_url, log)
            yield Server(base_url=base_url, log=log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture
def live_api(server: Server) -> Iterator[GraphQLClient]:
    with httpx.Client(base_url=server.base_url, timeout=10.0) as http:
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

"""A real `trainyard serve` process on loopback, for tests that need a real HTTP server."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from services.access import tokens
from services.access.permissions import system_actor
from services.core.db import create_engine, create_sessionmaker
from services.core.enums import TokenScope
from services.core.settings import load_settings
from services.history import audit
from services.org import people

REPO_ROOT = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _trainyard_command() -> Path:
    command = Path(sys.executable).parent / "trainyard"
    if not command.exists():
        raise RuntimeError(f"{command} is missing: install the project (`make install`).")
    return command


@contextmanager
def running_server(
    database_url: str, log_path: Path, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """`trainyard serve` on a free loopback port; yields its base URL once /healthz is 200."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRAINYARD_")}
    env["TRAINYARD_DATABASE_URL"] = database_url
    env.update(extra_env or {})
    command = [str(_trainyard_command()), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_healthy(process, base_url, log_path)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def _wait_healthy(process: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"trainyard serve exited with {process.returncode}:\n{log_path.read_text()}"
            )
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"trainyard serve not healthy after {SERVER_START_TIMEOUT_S:.0f}s:\n{log_path.read_text()}"
    )


def admin_token(database_url: str, scope: str = "READ") -> str:
    """A portfolio admin in the database and an API token of theirs (for benchmarks)."""
    actor = system_actor("benchmark setup")

    async def make() -> str:
        engine = create_engine(load_settings({}, database_url=database_url))
        try:
            async with create_sessionmaker(engine).begin() as session:
                audit.bind(session, actor)
                admin = await people.create_person(
                    session,
                    actor,
                    people.PersonDraft(name="Bench Admin", email="admin@bench.test", is_admin=True),
                )
                made = await tokens.create_token(
                    session, actor, admin.id, "bench", TokenScope[scope]
                )
                return made.secret
        finally:
            await engine.dispose()

    return asyncio.run(make())

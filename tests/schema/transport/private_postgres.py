"""A PostgreSQL server of a test's own, which the test may stop and start again.

The shared server (tests.conftest.POSTGRES_URL) serves every other test, so outages are
rehearsed on a private instance: `initdb` into a temporary directory, trust authentication,
listening on a free loopback port only (no Unix socket). PostgreSQL refuses to run as root;
as root (as CI is here) every command runs as the `postgres` OS user, in a directory it owns.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.server import free_port

SERVER_USER = "postgres"


def _bin_dir() -> Path | None:
    """The newest installed PostgreSQL's binaries (Debian's layout), or those on PATH."""
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3])
    )
    if installed:
        return installed[-1].parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


class PrivatePostgres:
    def __init__(self, bin_dir: Path, root: Path, port: int) -> None:
        self.bin_dir = bin_dir
        self.root = root
        self.port = port
        self.data = root / "data"
        self.log = root / "server.log"
        self.running = False

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin_dir / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(
                f"{' '.join(command)} exited with {done.returncode}:\n{done.stdout}{done.stderr}"
                f"\n{log}"
            )

    def init(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            *["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
        )

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        self.running = True

    def stop(self) -> None:
        """A fast shutdown, as a restart does it: sessions are ended mid-transaction."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        self.running = False


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A running private server; stopped and removed afterwards, whatever happened."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        raise RuntimeError(
            "PostgreSQL's server binaries (initdb, pg_ctl) are not installed: the outage tests "
            "start a server of their own (Debian: apt-get install postgresql)."
        )
    root = Path(tempfile.mkdtemp(prefix="trainyard-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam(SERVER_USER)
        os.chown(root, user.pw_uid, user.pw_gid)
    server = PrivatePostgres(bin_dir, root, free_port())
    try:
        server.init()
        server.start()
        yield server
    finally:
        try:
            if server.running or (server.data / "postmaster.pid").exists():
                server.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)

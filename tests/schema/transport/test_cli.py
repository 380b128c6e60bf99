"""The operator commands of `trainyard` (token create, token revoke, person create), run
against a real database of each backend: exactly what they print on standard output and
standard error, their exit codes, and what they wrote (nothing, when they refuse)."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from sqlalchemy import text

from schema.transport.cli import main
from services.access.accounts import digest
from services.core.db import create_engine, upgrade_to_head
from services.core.settings import load_settings
from tests.conftest import fresh_database_url, make_person, truncate_all
from tests.schema.bulk import build_art
from tests.server import REPO_ROOT, free_port

PASSWORD = "correct horse battery staple"
NOTICE = (
    "Shown once: send it as `Authorization: Bearer <token>`. Revoke it with "
    "`trainyard token revoke <id or prefix>` (or revokeApiToken in the API).\n"
)


@pytest.fixture(scope="module")
def cli_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, drop = fresh_database_url(backend, tmp_path_factory.mktemp(f"cli-{backend}"))
    upgrade_to_head(url)
    yield url
    drop()


def _run(url: str, work: Any) -> Any:
    async def go() -> Any:
        engine = create_engine(load_settings({}, database_url=url))
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    async def read(engine: Any) -> list[tuple[Any, ...]]:
        async with engine.connect() as conn:
            return [tuple(row) for row in (await conn.execute(text(sql))).all()]

    result: list[tuple[Any, ...]] = _run(url, read)
    return result


@pytest.fixture
def database(cli_database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The module's database, emptied, with an ART PAY (teams T0, T1) and an admin,
    bot@example.com (no token yet); the CLI is pointed at it."""

    async def seed(engine: Any) -> None:
        await truncate_all(engine)
        await build_art(engine, "PAY", features=1, stories_per_feature=1, teams=2)
        await make_person(engine, "bot@example.com", admin=True, scope=None)

    _run(cli_database, seed)
    for name in list(os.environ):
        if name.startswith("TRAINYARD_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("TRAINYARD_DATABASE_URL", cli_database)
    return cli_database


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def create_token(capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    code, out, err = run_cli(
        capsys, "token", "create", "--email", "bot@example.com", "--scope", "read", *extra
    )
    assert (code, err) == (0, NOTICE)
    return out.removesuffix("\n")


def test_token_create_prints_the_token_alone_for_the_shell(database: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRAINYARD_")}
    env["TRAINYARD_DATABASE_URL"] = database
    trainyard = Path(sys.executable).parent / "trainyard"
    script = f'TOKEN=$("{trainyard}" token create --email bot@example.com --scope write --art PAY)'
    script += ' && printf "[%s]" "$TOKEN"'
    done = subprocess.run(
        ["sh", "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (0, NOTICE)
    secret = done.stdout.removeprefix("[").removesuffix("]")
    assert secret.startswith("ty_")
    assert len(secret) == 46
    [(name, scope, art_ids, token_hash, prefix)] = rows(
        database, "SELECT name, scope, art_ids, token_hash, prefix FROM api_tokens"
    )
    art_ids = json.loads(art_ids) if isinstance(art_ids, str) else art_ids
    assert (name, scope, art_ids, token_hash, prefix) == (
        "CLI token (write)",
        "WRITE",
        [1],
        digest(secret),
        secret[:10],
    )


def test_token_revoke_by_id_prefix_or_token(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, third = (create_token(capsys) for _ in range(3))

    code, out, err = run_cli(capsys, "token", "revoke", "1")
    assert (code, err) == (0, "")
    assert out == f"Revoked API token 1 ({first[:10]}..., CLI token (read)) of bot@example.com.\n"
    code, out, _ = run_cli(capsys, "token", "revoke", second[:7])
    assert (code, out) == (
        0,
        f"Revoked API token 2 ({second[:10]}..., CLI token (read)) of bot@example.com.\n",
    )
    code, out, _ = run_cli(capsys, "token", "revoke", third)
    assert (code, out) == (
        0,
        f"Revoked API token 3 ({third[:10]}..., CLI token (read)) of bot@example.com.\n",
    )
    revoked = rows(database, "SELECT id, revoked_at IS NOT NULL FROM api_tokens ORDER BY id")
    assert revoked == [(1, True), (2, True), (3, True)]
    stamp = rows(database, "SELECT revoked_at FROM api_tokens WHERE id = 1")

    # Revoking again changes nothing and says so.
    code, out, err = run_cli(capsys, "token", "revoke", first[:10])
    assert (code, err) == (0, "")
    assert out.startswith(f"API token 1 ({first[:10]}..., CLI token (read)) of bot@example.com ")
    assert out.endswith(" UTC); nothing changed.\n")
    assert rows(database, "SELECT revoked_at FROM api_tokens WHERE id = 1") == stamp


def test_token_revoke_refuses_what_names_no_single_token(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tokens = [create_token(capsys) for _ in range(2)]
    # Prefixes that share their first characters (by chance, in real life).
    _run(database, _set_prefixes({1: "ty_abc1234", 2: "ty_abc5678"}))
    refusals = {
        "99": "trainyard: No API token with the id 99.\n",
        "ty_": (
            "trainyard: Name the token by its id (a number), its prefix (at least 6 characters, "
            "starting with ty_) or the whole token; got 'ty_'.\n"
        ),
        "secret": (
            "trainyard: Name the token by its id (a number), its prefix (at least 6 characters, "
            "starting with ty_) or the whole token; got 'secret'.\n"
        ),
        "ty_%%%%": "trainyard: No API token starts with ty_%%%%.\n",
        tokens[0][:-1] + ("A" if tokens[0][-1] != "A" else "B"): (
            f"trainyard: No API token is {tokens[0][:10]}... (longer than a prefix, so taken as "
            "the whole token): this database did not issue it.\n"
        ),
    }
    for reference, message in refusals.items():
        assert run_cli(capsys, "token", "revoke", reference) == (2, "", message), reference
    assert run_cli(capsys, "token", "revoke", "ty_abc") == (
        2,
        "",
        "trainyard: 2 API tokens start with ty_abc (ids 1, 2): give more of its characters or "
        "its id.\n",
    )
    assert rows(database, "SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL") == [(0,)]
    code, out, _ = run_cli(capsys, "token", "revoke", "ty_abc5")
    assert (code, out) == (
        0,
        "Revoked API token 2 (ty_abc5678..., CLI token (read)) of bot@example.com.\n",
    )
    assert rows(database, "SELECT id FROM api_tokens WHERE revoked_at IS NOT NULL") == [(2,)]


def _set_prefixes(prefixes: dict[int, str]) -> Any:
    async def update(engine: Any) -> None:
        async with engine.begin() as conn:
            for token_id, prefix in prefixes.items():
                await conn.execute(
                    text("UPDATE api_tokens SET prefix = :prefix WHERE id = :id"),
                    {"prefix": prefix, "id": token_id},
                )

    return update


def _people(url: str) -> list[tuple[Any, ...]]:
    return rows(url, "SELECT id, name, email, is_admin FROM people ORDER BY id")


def _memberships(url: str) -> list[tuple[Any, ...]]:
    return rows(url, "SELECT person_id, art_id, team_id, role FROM memberships ORDER BY id")


def test_person_create_with_roles_and_a_password(
    database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    code, out, err = run_cli(
        capsys,
        *["person", "create", "--email", "Ada@Example.com", "--name"],
        "Ada Lovelace",
        *["--role", "rte:PAY", "--role", "DEVELOPER:pay/t1", "--password-stdin"],
    )
    assert (code, err) == (0, "")
    assert out == (
        "Created person 2, Ada Lovelace <ada@example.com>: RTE in ART PAY; DEVELOPER in team "
        "PAY/T1; can sign in with the password.\n"
    )
    assert _people(database)[1] == (2, "Ada Lovelace", "ada@example.com", False)
    team_t1 = rows(database, "SELECT id FROM teams WHERE key = 'T1'")[0][0]
    assert _memberships(database) == [(2, 1, None, "RTE"), (2, None, team_t1, "DEVELOPER")]
    history = rows(
        database,
        "SELECT entity_type, entity_id, actor_label FROM history WHERE entity_type IN "
        "('Person', 'Membership') AND actor_label LIKE 'trainyard%' ORDER BY id",
    )
    assert history == [
        ("Person", 2, "trainyard person create"),
        ("Membership", 1, "trainyard person create"),
        ("Membership", 2, "trainyard person create"),
    ]

    # The password is stored as given, without the line break that ended it.
    stored = rows(database, "SELECT password_hash FROM people WHERE id = 2")[0][0]
    assert PasswordHasher().verify(stored, PASSWORD)
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(stored, PASSWORD + "\n")

    code, out, err = run_cli(
        capsys, "person", "create", "--email", "root@example.com", "--name", "Root", "--admin"
    )
    assert (code, err) == (0, "")
    assert out == (
        "Created person 3, Root <root@example.com>: portfolio admin; cannot sign in yet.\n"
    )
    assert _people(database)[2] == (3, "Root", "root@example.com", True)


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (
            ["--email", "bot@example.com", "--name", "Bot"],
            None,
            "A person with email bot@example.com already exists.",
        ),
        (
            ["--email", "not-an-address", "--name", "X"],
            None,
            "--email 'not-an-address' is not valid: expected an address like name@example.com.",
        ),
        (["--email", "x@example.com", "--name", "  "], None, "--name must not be blank."),
        (
            ["--email", "x@example.com", "--name", "X", "--password-stdin"],
            "short\n",
            "A password has 12 to 128 characters (this one has 5).",
        ),
        (
            ["--email", "x@example.com", "--name", "X", "--password-stdin"],
            "\n",
            "--password-stdin: standard input held no password.",
        ),
        (
            ["--email", "x@example.com", "--name", "X", "--role", "RTE"],
            None,
            "--role 'RTE' is not ROLE:ART (an ART role) or ROLE:ART/TEAM (a team role), "
            "e.g. RTE:SHOP or DEVELOPER:SHOP/CHK.",
        ),
        (
            ["--email", "x@example.com", "--name", "X", "--role", "BOSS:PAY"],
            None,
            "--role 'BOSS:PAY': 'BOSS' is not a role. ART roles: RTE, PRODUCT_MANAGER, "
            "SYSTEM_ARCHITECT, BUSINESS_OWNER, VIEWER; team roles: SCRUM_MASTER, "
            "PRODUCT_OWNER, DEVELOPER, TECH_LEAD, TESTER, SME.",
        ),
        (
            ["--email", "x@example.com", "--name", "X", "--role", "RTE:NOPE"],
            None,
            "--role RTE:NOPE: no ART has that key.",
        ),
        (
            ["--email", "x@example.com", "--name", "X", "--role", "DEVELOPER:PAY/ZZ"],
            None,
            "--role DEVELOPER:PAY/ZZ: ART PAY has no team with that key.",
        ),
        (
            ["--email", "x@example.com", "--name", "X", "--role", "DEVELOPER:PAY"],
            None,
            "DEVELOPER is a team role; ART roles are BUSINESS_OWNER, PRODUCT_MANAGER, RTE, "
            "SYSTEM_ARCHITECT, VIEWER.",
        ),
        (
            ["--email", "x@example.com", "--name", "X", "--role", "RTE:PAY", "--role", "rte:pay"],
            None,
            "This person already holds the role RTE there.",
        ),
    ],
)
def test_person_create_refuses_bad_input_and_writes_nothing(
    database: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    stdin: str | None,
    message: str,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
    before = (
        _people(database),
        _memberships(database),
        rows(database, "SELECT count(*) FROM history"),
    )
    assert run_cli(capsys, "person", "create", *argv) == (2, "", f"trainyard: {message}\n")
    after = (
        _people(database),
        _memberships(database),
        rows(database, "SELECT count(*) FROM history"),
    )
    assert after == before


def test_an_unreachable_database_is_said_so_with_exit_code_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()  # nothing listens there
    monkeypatch.setenv(
        "TRAINYARD_DATABASE_URL", f"postgresql+asyncpg://postgres@127.0.0.1:{port}/trainyard"
    )
    code, out, err = run_cli(capsys, "token", "revoke", "1")
    assert (code, out) == (1, "")
    assert err == (
        "trainyard: The database is unavailable; retry in a few seconds. (ConnectionRefusedError: "
        f"[Errno 111] Connect call failed ('127.0.0.1', {port}))\n"
    )

"""Signing in, sessions and CSRF, API tokens, and what each caller may see."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.transport.cli import main
from services.access import accounts
from services.core.db import create_engine, upgrade_to_head
from services.core.enums import TokenScope
from services.core.settings import load_settings
from services.models import ApiToken, SignInFailure
from tests.conftest import Api, make_person
from tests.schema.bulk import build_art
from tests.schema.checks import now, stamped
from tests.schema.factories import basic_plan, create_feature, ok

PASSWORD = "correct horse battery staple"
CREATE_ART = (
    'mutation { createArt(input: {key: "NEW", name: "New"}) { art { key } errors { code } } }'
)


async def sign_in(api: Api, email: str, password: str = PASSWORD) -> Any:
    return await api.client.post("/auth/sign-in", json={"email": email, "password": password})


async def count(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


class SessionApi(Api):
    """The test client acting through a signed-in browser session (cookie + CSRF header)."""

    def __init__(self, api: Api, cookie: str, csrf: str) -> None:
        super().__init__(api.client, api.app, None)
        self.session_headers = {"cookie": f"trainyard_session={cookie}", "x-csrf-token": csrf}

    @property
    def headers(self) -> dict[str, str]:
        return self.session_headers


async def session_api(api: Api, email: str) -> SessionApi:
    response = await sign_in(api, email)
    assert response.status_code == 200, response.text
    return SessionApi(api, cookie_of(response), response.json()["csrfToken"])


def cookie_of(response: Any) -> str:
    header = response.headers["set-cookie"]
    return str(header.split(";", 1)[0].split("=", 1)[1])


async def test_sign_in_sets_a_hardened_cookie_and_returns_the_csrf_token(
    api: Api, engine: AsyncEngine
) -> None:
    await make_person(engine, "ada@example.com", password=PASSWORD, scope=None)
    response = await sign_in(api, "Ada@Example.com")
    assert response.status_code == 200
    body = response.json()
    assert body["person"] == {"name": "Ada", "email": "ada@example.com", "isAdmin": False}
    assert len(body["csrfToken"]) >= 40
    cookie = response.headers["set-cookie"].lower()
    for flag in ("httponly", "secure", "samesite=lax", "path=/"):
        assert flag in cookie
    session = await api.client.get(
        "/auth/session", headers={"cookie": f"trainyard_session={cookie_of(response)}"}
    )
    assert session.json() == {
        "signedIn": True,
        "person": {"name": "Ada", "email": "ada@example.com", "isAdmin": False},
        "csrfToken": body["csrfToken"],
    }
    # The password is stored as an argon2id hash, the session secret only as a digest.
    async with engine.connect() as conn:
        stored = (
            await conn.execute(
                text("SELECT password_hash FROM people WHERE email = 'ada@example.com'")
            )
        ).scalar_one()
        digests = (await conn.execute(text("SELECT token_hash FROM web_sessions"))).scalars().all()
    assert stored.startswith("$argon2id$")
    assert digests == [hashlib.sha256(cookie_of(response).encode()).hexdigest()]


async def test_wrong_passwords_are_refused_then_rate_limited(api: Api, engine: AsyncEngine) -> None:
    await make_person(engine, "ada@example.com", password=PASSWORD, scope=None)
    for attempt in range(accounts.MAX_FAILURES_PER_EMAIL):
        response = await sign_in(api, "ada@example.com", "not the password")
        assert (response.status_code, response.json()) == (
            401,
            {"error": "Wrong email or password."},
        )
        assert await count(engine, "sign_in_failures") == attempt + 1
    unknown = await sign_in(api, "nobody@example.com", "whatever it is")
    assert unknown.json() == {"error": "Wrong email or password."}  # no hint which one was wrong
    limited = await sign_in(api, "ada@example.com")  # even the right password
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 15 * 60 + 1
    assert limited.json() == {"error": "Too many failed sign-ins; try again in 15 minute(s)."}
    assert await count(engine, "web_sessions") == 0


def test_the_wait_after_failed_sign_ins_is_rounded_up_to_whole_minutes() -> None:
    waits = {seconds: str(accounts.RateLimited(seconds)) for seconds in (1, 60, 61, 899, 900)}
    assert waits == {
        seconds: f"Too many failed sign-ins; try again in {minutes} minute(s)."
        for seconds, minutes in ((1, 1), (60, 1), (61, 2), (899, 15), (900, 15))
    }


async def test_a_success_clears_earlier_failures(api: Api, engine: AsyncEngine) -> None:
    await make_person(engine, "ada@example.com", password=PASSWORD, scope=None)
    await sign_in(api, "ada@example.com", "not the password")
    assert (await sign_in(api, "ada@example.com")).status_code == 200
    async with engine.connect() as conn:
        left = await conn.scalar(select(func.count()).select_from(SignInFailure))
    assert left == 0


async def test_malformed_sign_in_requests(api: Api) -> None:
    response = await api.client.post(
        "/auth/sign-in", content=b"email=x", headers={"content-type": "text/plain"}
    )
    assert (response.status_code, response.json()) == (
        415,
        {"error": "Send {email, password} as application/json."},
    )
    response = await api.client.post("/auth/sign-in", json={"email": "x"})
    assert (response.status_code, response.json()) == (
        400,
        {"error": "Send a JSON object with `email` and `password`."},
    )


async def test_cookie_mutations_need_the_csrf_header(api: Api, engine: AsyncEngine) -> None:
    await make_person(engine, "root@example.com", admin=True, password=PASSWORD, scope=None)
    signed_in = await sign_in(api, "root@example.com")
    cookie = {"cookie": f"trainyard_session={cookie_of(signed_in)}"}
    arts_before = await count(engine, "arts")
    refused = await api.client.post("/graphql", json={"query": CREATE_ART}, headers=cookie)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert refused.json()["errors"][0]["message"].startswith("Missing or wrong X-CSRF-Token header")
    wrong = await api.client.post(
        "/graphql", json={"query": CREATE_ART}, headers={**cookie, "x-csrf-token": "guess"}
    )
    assert wrong.status_code == 403
    assert await count(engine, "arts") == arts_before
    csrf = {**cookie, "x-csrf-token": signed_in.json()["csrfToken"]}
    accepted = await api.client.post("/graphql", json={"query": CREATE_ART}, headers=csrf)
    assert accepted.json()["data"]["createArt"] == {"art": {"key": "NEW"}, "errors": []}
    # GET runs queries only, so it needs no CSRF header.
    got = await api.client.get(
        "/graphql", params={"query": "{ viewer { authenticatedBy } }"}, headers=cookie
    )
    assert got.json()["data"] == {"viewer": {"authenticatedBy": "SESSION"}}


async def test_sign_out_ends_the_session(api: Api, engine: AsyncEngine) -> None:
    await make_person(engine, "ada@example.com", password=PASSWORD, scope=None)
    signed_in = await sign_in(api, "ada@example.com")
    headers = {
        "cookie": f"trainyard_session={cookie_of(signed_in)}",
        "x-csrf-token": signed_in.json()["csrfToken"],
    }
    out = await api.client.post("/auth/sign-out", headers=headers)
    assert (out.status_code, out.json()) == (200, {"signedIn": False})
    assert "max-age=0" in out.headers["set-cookie"].lower()
    after = await api.client.post(
        "/graphql", json={"query": "{ arts { totalCount } }"}, headers=headers
    )
    assert after.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_anonymous_callers_see_nothing(api: Api) -> None:
    await basic_plan(api)
    anonymous = api.as_token(None)
    for query in (
        '{ art(key: "PAY") { key } }',
        "{ arts { totalCount } }",
        "{ people { totalCount } }",
    ):
        body = await anonymous.raw(query)
        assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}, query
    viewer = await anonymous.query(
        "{ viewer { person { name } authenticatedBy isAdmin memberships { role } } }"
    )
    assert viewer == {
        "viewer": {"person": None, "authenticatedBy": "NONE", "isAdmin": False, "memberships": []}
    }
    schema = await anonymous.query("{ __schema { queryType { name } } }")  # the schema is public
    assert schema == {"__schema": {"queryType": {"name": "Query"}}}


async def test_bad_bearer_tokens_get_401(api: Api, engine: AsyncEngine) -> None:
    for header in ("Bearer ty_not_a_token", "Basic abc", "Bearer "):
        response = await api.client.post(
            "/graphql", json={"query": "{ arts { totalCount } }"}, headers={"authorization": header}
        )
        assert response.status_code == 401, header
        assert response.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_api_tokens_are_shown_once_scoped_and_revocable(
    api: Api, engine: AsyncEngine
) -> None:
    plan = await basic_plan(api)
    await basic_plan(api, "OPS")
    person_id, _ = await make_person(engine, "bot@example.com", scope=None)
    person_gid = (
        await api.query('{ people(filter: {email: {eq: "bot@example.com"}}) { nodes { id } } }')
    )["people"]["nodes"][0]["id"]
    await ok(
        api,
        "createMembership",
        "membership { id }",
        {"personId": person_gid, "artId": plan.art, "role": "PRODUCT_MANAGER"},
    )
    await make_person(engine, "root@example.com", admin=True, password=PASSWORD, scope=None)
    root = await session_api(api, "root@example.com")
    created = await root.mutate(
        "createApiToken",
        "apiToken { id name prefix scope arts { key } lastUsedAt } secret",
        {"name": "Jira sync", "scope": "WRITE", "artIds": [plan.art], "personId": person_gid},
    )
    assert created["errors"] == []
    secret = created["secret"]
    assert secret.startswith("ty_")
    assert created["apiToken"]["prefix"] == secret[:10]
    assert created["apiToken"]["arts"] == [{"key": "PAY"}]
    assert created["apiToken"]["lastUsedAt"] is None
    async with engine.connect() as conn:
        stored = (
            await conn.execute(select(ApiToken.token_hash).where(ApiToken.person_id == person_id))
        ).scalar_one()
    assert stored == hashlib.sha256(secret.encode()).hexdigest()

    bot = api.as_token(secret)
    seen = await bot.query("{ viewer { authenticatedBy tokenScope } arts { nodes { key } } }")
    assert seen == {
        "viewer": {"authenticatedBy": "API_TOKEN", "tokenScope": "WRITE"},
        "arts": {"nodes": [{"key": "PAY"}]},
    }
    forbidden = await bot.raw('{ art(key: "OPS") { key } }')
    assert forbidden["errors"][0]["message"] == "You have no role in ART OPS, so you cannot see it."
    made = await bot.mutate(
        "createFeature",
        "feature { key }",
        {"artId": plan.art, "key": "PAY-9", "title": "By the bot", "kind": "BUSINESS"},
    )
    assert made == {"feature": {"key": "PAY-9"}, "errors": []}
    nested = await bot.raw(
        'mutation { createApiToken(input: {name: "again", scope: READ}) { secret } }'
    )
    assert nested["errors"][0]["message"].startswith(
        "API tokens are created in a signed-in session"
    )

    token_id = created["apiToken"]["id"]
    before = now()
    revoked = await root.mutate("revokeApiToken", "apiToken { revokedAt }", {"id": token_id})
    revoked_at = stamped(revoked["apiToken"]["revokedAt"], before, now())
    async with engine.connect() as conn:
        stored_at = await conn.scalar(
            select(ApiToken.revoked_at).where(ApiToken.person_id == person_id)
        )
    assert stored_at == revoked_at
    after = await api.client.post(
        "/graphql", json={"query": "{ viewer { isAdmin } }"}, headers=bot.headers
    )
    assert after.status_code == 401


async def test_a_read_token_reads_but_never_writes(api: Api, engine: AsyncEngine) -> None:
    await basic_plan(api)
    _, secret = await make_person(engine, "reader@example.com", admin=True, scope=TokenScope.READ)
    reader = api.as_token(secret)
    assert (await reader.query('{ art(key: "PAY") { features { totalCount } } }')) == {
        "art": {"features": {"totalCount": 1}}
    }
    body = await reader.raw(CREATE_ART)
    assert (
        body["errors"][0]["message"]
        == "This API token is read-only; use a read-write token to change data."
    )
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert await count(engine, "arts") == 1


async def test_people_see_only_their_arts(api: Api, engine: AsyncEngine) -> None:
    pay = await basic_plan(api)
    ops = await basic_plan(api, "OPS")
    await ok(
        api,
        "createDependency",
        "dependency { id }",
        {"dependentId": pay.feature["id"], "prerequisiteId": ops.feature["id"]},
    )
    person_id, secret = await make_person(engine, "dev@example.com")
    gid = (
        await api.query('{ people(filter: {email: {eq: "dev@example.com"}}) { nodes { id } } }')
    )["people"]["nodes"][0]["id"]
    await ok(
        api,
        "createMembership",
        "membership { id }",
        {"personId": gid, "teamId": pay.atlas, "role": "DEVELOPER"},
    )
    dev = api.as_token(secret)
    data = await dev.query(
        "query($own: ID!, $other: ID!) { arts { nodes { key } } own: node(id: $own) { id } "
        "other: node(id: $other) { id } "
        'art(key: "PAY") { dependencies { nodes { isCrossArt dependent { key } prerequisite { key } } } } '
        "viewer { teams { key } memberships { role team { key } } } }",
        {"own": pay.feature["id"], "other": ops.feature["id"]},
    )
    assert data == {
        "arts": {"nodes": [{"key": "PAY"}]},
        "own": {"id": pay.feature["id"]},
        "other": None,
        "art": {
            "dependencies": {
                "nodes": [{"isCrossArt": True, "dependent": {"key": "PAY-1"}, "prerequisite": None}]
            }
        },
        "viewer": {
            "teams": [{"key": "ATL"}],
            "memberships": [{"role": "DEVELOPER", "team": {"key": "ATL"}}],
        },
    }
    assert person_id > 0


async def test_passwords_are_checked_and_changed(api: Api, engine: AsyncEngine) -> None:
    _, secret = await make_person(engine, "ada@example.com", password=PASSWORD)
    ada = api.as_token(secret)
    short = await ada.mutate(
        "changeMyPassword",
        "person { email }",
        {"currentPassword": PASSWORD, "newPassword": "short"},
    )
    assert short["errors"] == [
        {
            "code": "INVALID_VALUE",
            "message": "A password has 12 to 128 characters (this one has 5).",
            "field": "newPassword",
            "currentVersion": None,
        }
    ]
    wrong = await ada.mutate(
        "changeMyPassword",
        "person { email }",
        {"currentPassword": "nope nope nope", "newPassword": "a much better password"},
    )
    assert wrong["errors"][0]["message"] == "The current password is wrong."
    done = await ada.mutate(
        "changeMyPassword",
        "person { email canSignIn }",
        {"currentPassword": PASSWORD, "newPassword": "a much better password"},
    )
    assert done == {"person": {"email": "ada@example.com", "canSignIn": True}, "errors": []}
    assert (await sign_in(api, "ada@example.com")).status_code == 401
    assert (await sign_in(api, "ada@example.com", "a much better password")).status_code == 200


def test_cli_creates_a_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    upgrade_to_head(url)
    monkeypatch.setenv("TRAINYARD_DATABASE_URL", url)

    async def seed() -> None:
        engine = create_engine(load_settings({}, database_url=url))
        await build_art(engine, "PAY", features=1)
        await make_person(engine, "bot@example.com", admin=True, scope=None)
        await engine.dispose()

    asyncio.run(seed())
    assert (
        main(["token", "create", "--email", "bot@example.com", "--scope", "read", "--art", "PAY"])
        == 0
    )
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("ty_")
    assert main(["token", "create", "--email", "nobody@example.com", "--scope", "read"]) == 2
    assert (
        capsys.readouterr().err.strip() == "trainyard: No person with the email nobody@example.com."
    )
    assert (
        main(["token", "create", "--email", "bot@example.com", "--scope", "read", "--art", "NOPE"])
        == 2
    )
    assert capsys.readouterr().err.strip() == "trainyard: No ART with the key NOPE."
    with sqlite3.connect(tmp_path / "cli.db") as db:
        rows = db.execute("SELECT scope, art_ids, token_hash FROM api_tokens").fetchall()
    assert rows == [("READ", "[1]", hashlib.sha256(secret.encode()).hexdigest())]


async def test_create_feature_helper_still_works(api: Api) -> None:
    art = (await api.mutate("createArt", "art { id }", {"key": "ZED", "name": "Zed"}))["art"]["id"]
    assert (await create_feature(api, art, "ZED-1"))["key"] == "ZED-1"

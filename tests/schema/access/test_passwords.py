"""An admin sets someone's password (setPassword): the account it opens or resets, what is
recorded, and every refusal leaving the password as it was."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.kit.relay import to_global_id
from services.core.enums import Role, TokenScope
from tests.conftest import Api, make_person
from tests.schema.checks import (
    error,
    forbidden,
    history_of,
    member,
    now,
    person_gid,
    stamped,
    written,
)
from tests.schema.factories import create_art, create_team, ok

OLD = "correct horse battery staple"
NEW = "a much better passphrase"
PERSON = "person { id email canSignIn version createdAt updatedAt archivedAt }"
WRONG = (401, {"error": "Wrong email or password."})


async def sign_in(api: Api, email: str, password: str) -> tuple[int, Any]:
    response = await api.client.post("/auth/sign-in", json={"email": email, "password": password})
    return response.status_code, response.json()


async def password_hash(engine: AsyncEngine, email: str) -> str | None:
    async with engine.connect() as conn:
        stored = await conn.execute(
            text("SELECT password_hash FROM people WHERE email = :email"), {"email": email}
        )
        value: str | None = stored.scalar_one()
        return value


async def live_sessions(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        found = await conn.execute(
            text("SELECT count(*) FROM web_sessions WHERE revoked_at IS NULL")
        )
        return int(found.scalar_one())


async def read(api: Api, person_id: str) -> dict[str, Any]:
    fields = PERSON.removeprefix("person ")
    data = await api.query(f'{{ node(id: "{person_id}") {{ ... on Person {fields} }} }}')
    node: dict[str, Any] = data["node"]
    return node


async def test_set_password_opens_an_account(api: Api, engine: AsyncEngine) -> None:
    await make_person(engine, "ada@example.com", scope=None)
    ada = await person_gid(api, "ada@example.com")
    assert (await read(api, ada))["canSignIn"] is False
    assert await sign_in(api, "ada@example.com", OLD) == WRONG
    before = now()
    person = await ok(api, "setPassword", PERSON, {"personId": ada, "version": 1, "password": OLD})
    after = now()
    stamped(person["updatedAt"], before, after)
    assert (person["email"], person["canSignIn"], person["version"]) == ("ada@example.com", True, 2)
    assert await read(api, ada) == person
    stored = await password_hash(engine, "ada@example.com")
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert PasswordHasher().verify(stored, OLD)
    status, body = await sign_in(api, "ada@example.com", OLD)
    assert (status, body["person"]) == (
        200,
        {"name": "Ada", "email": "ada@example.com", "isAdmin": False},
    )
    # The history says that the password changed, never what it is.
    assert (await history_of(api, ada))[0] == {
        "action": "UPDATE",
        "version": 2,
        "entityType": "Person",
        "actorLabel": "admin@tests.trainyard",
        "changes": {"passwordHash": ("(hidden)", "(changed)")},
    }


async def test_set_password_resets_an_account_and_ends_its_sessions(
    api: Api, engine: AsyncEngine
) -> None:
    await make_person(engine, "ada@example.com", password=OLD, scope=None)
    ada = await person_gid(api, "ada@example.com")
    status, _ = await sign_in(api, "ada@example.com", OLD)
    assert status == 200
    cookie = {"cookie": f"trainyard_session={api.client.cookies['trainyard_session']}"}
    api.client.cookies.clear()
    assert (await api.client.get("/auth/session", headers=cookie)).json()["signedIn"] is True

    person = await ok(
        api, "setPassword", "person { version }", {"personId": ada, "version": 1, "password": NEW}
    )
    assert person == {"version": 2}
    assert await sign_in(api, "ada@example.com", OLD) == WRONG
    status, _ = await sign_in(api, "ada@example.com", NEW)
    assert status == 200
    api.client.cookies.clear()
    # Whoever was signed in with the old password is signed out.
    assert (await api.client.get("/auth/session", headers=cookie)).json()["signedIn"] is False
    assert await live_sessions(engine) == 1  # the one just opened with the new password

    # The bounds of the rule are allowed: 12 and 128 characters.
    for version, password in ((2, "x" * 12), (3, "y" * 128)):
        await ok(
            api,
            "setPassword",
            "person { id }",
            {"personId": ada, "version": version, "password": password},
        )
        status, _ = await sign_in(api, "ada@example.com", password)
        assert status == 200, len(password)
    api.client.cookies.clear()


async def test_refused_passwords_write_nothing(api: Api, engine: AsyncEngine) -> None:
    art = await create_art(api)
    team = await create_team(api, art, "ATL", "Atlas")
    await make_person(engine, "ada@example.com", password=OLD, scope=None)
    ada = await person_gid(api, "ada@example.com")
    await make_person(engine, "gone@example.com", password=OLD, scope=None)
    gone = await person_gid(api, "gone@example.com")
    await ok(api, "archivePerson", "person { id }", {"id": gone, "version": 1})
    rte = await member(api, engine, "rte@example.com", Role.RTE, art=art)
    _, own_secret = await make_person(engine, "bea@example.com", password=OLD)
    bea = await person_gid(api, "bea@example.com")
    _, read_only = await make_person(
        engine, "reader@example.com", admin=True, scope=TokenScope.READ
    )
    unchanged = await read(api, ada)
    stored = await password_hash(engine, "ada@example.com")
    entries = await written(engine)

    def rule(length: int) -> list[Any]:
        message = f"A password has 12 to 128 characters (this one has {length})."
        return [error("INVALID_VALUE", message, "password")]

    refusals: list[tuple[dict[str, Any], list[Any]]] = [
        ({"password": "x" * 11}, rule(11)),
        ({"password": "y" * 129}, rule(129)),
        ({"password": ""}, rule(0)),
        (
            {"version": 2},
            [
                error(
                    "CONFLICT",
                    "Person was changed by someone else: you sent version 2, the current "
                    "version is 1. Reload it and apply your change again.",
                    "version",
                    1,
                )
            ],
        ),
        (
            {"personId": to_global_id("Person", 999)},
            [error("NOT_FOUND", "personId: no person with that id exists.", "personId")],
        ),
        (
            {"personId": team},
            [
                error(
                    "INVALID_ID",
                    "personId: expected an id of type Person, got an id of type Team.",
                    "personId",
                )
            ],
        ),
        (
            {"personId": gone},
            [
                error(
                    "ARCHIVED",
                    "personId: that person is archived; archived items cannot be changed.",
                    "personId",
                )
            ],
        ),
    ]
    for changes, errors in refusals:
        payload = await api.mutate(
            "setPassword", PERSON, {"personId": ada, "version": 1, "password": NEW, **changes}
        )
        assert payload == {"person": None, "errors": errors}, changes

    reset = {"personId": ada, "version": 1, "password": NEW}
    needs_admin = "You may not set someone's password: that needs portfolio admin."
    assert await forbidden(rte, "setPassword", PERSON, reset) == needs_admin
    # Not even one's own: that is changeMyPassword, which asks for the current password.
    own = api.as_token(own_secret)
    assert await forbidden(own, "setPassword", PERSON, {**reset, "personId": bea}) == needs_admin
    assert await forbidden(api.as_token(read_only), "setPassword", PERSON, reset) == (
        "This API token is read-only; use a read-write token to change data."
    )

    assert await read(api, ada) == unchanged
    assert await password_hash(engine, "ada@example.com") == stored
    assert await written(engine) == entries
    assert await sign_in(api, "ada@example.com", NEW) == WRONG
    status, _ = await sign_in(api, "ada@example.com", OLD)
    assert status == 200
    api.client.cookies.clear()

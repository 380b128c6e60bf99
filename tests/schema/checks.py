"""What the API tests of a write check besides the payload: the item's history, that a refused
write left no trace, the timestamps a write stamps, and refusals for who the caller is."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.core.enums import Role
from tests.conftest import Api, make_person
from tests.schema.factories import ok

READ_ONLY = "This API token is read-only; use a read-write token to change data."
HISTORY = (
    "history { totalCount nodes { action version entityType actorLabel "
    "fieldChanges { field oldValue newValue } } }"
)


def error(code: str, message: str, field: str | None, current: int | None = None) -> Any:
    """A payload error as the API answers it."""
    return {"code": code, "message": message, "field": field, "currentVersion": current}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def stamped(value: str | None, before: dt.datetime, after: dt.datetime) -> dt.datetime:
    """A timestamp the API returned, which must lie between the moments before and after the
    request that wrote it."""
    assert value is not None
    at = dt.datetime.fromisoformat(value)
    assert before <= at <= after, (before, at, after)
    return at


async def history_of(api: Api, item_id: str) -> list[dict[str, Any]]:
    """The item's history, newest first, each entry with its field changes as a dict."""
    data = await api.query(f'{{ node(id: "{item_id}") {{ ... on Versioned {{ {HISTORY} }} }} }}')
    history = data["node"]["history"]
    assert history["totalCount"] == len(history["nodes"])
    return [
        {
            "action": n["action"],
            "version": n["version"],
            "entityType": n["entityType"],
            "actorLabel": n["actorLabel"],
            "changes": {c["field"]: (c["oldValue"], c["newValue"]) for c in n["fieldChanges"]},
        }
        for n in history["nodes"]
    ]


async def row_count(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def written(engine: AsyncEngine) -> int:
    """How many changes the history holds: a refused write adds none."""
    return await row_count(engine, "history")


async def person_gid(api: Api, email: str) -> str:
    data = await api.query(
        f'{{ people(filter: {{email: {{eq: "{email}"}}}}) {{ nodes {{ id }} }} }}'
    )
    return str(data["people"]["nodes"][0]["id"])


async def member(
    api: Api,
    engine: AsyncEngine,
    email: str,
    role: Role | None = None,
    *,
    art: str | None = None,
    team: str | None = None,
    password: str | None = None,
) -> Api:
    """A person (with a read-write token) holding `role` in the ART or team: the API as them."""
    _, secret = await make_person(engine, email, password=password)
    if role is not None:
        scope = {"artId": art} if team is None else {"teamId": team}
        await ok(
            api,
            "createMembership",
            "membership { id }",
            {"personId": await person_gid(api, email), "role": role.value, **scope},
        )
    return api.as_token(secret)


async def forbidden(caller: Api, name: str, selection: str, input: dict[str, Any]) -> str:
    """Mutation `name` refused for who the caller is: a top-level FORBIDDEN error and no
    payload. Returns the error's message."""
    type_name = (
        "ArchiveInput" if name.startswith("archive") else name[0].upper() + name[1:] + "Input"
    )
    body = await caller.raw(
        f"mutation($input: {type_name}!) {{ {name}(input: $input) "
        f"{{ {selection} errors {{ code }} }} }}",
        {"input": input},
    )
    assert body["data"] is None, body
    [error] = body["errors"]
    assert (error["extensions"], error["path"]) == ({"code": "FORBIDDEN"}, [name])
    return str(error["message"])

"""A cursor whose sort keys the list's columns cannot hold (forged, or edited by a client) is
refused with the cursor error, on every backend, instead of failing in the database."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.conftest import Api
from tests.schema.factories import basic_plan, ok


def cursor(*values: Any) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def refusal(after: str) -> str:
    return f"after={after!r} is not a cursor this API issued; start again without `after`."


ARTS = "query($a: String) { arts(first: 1, after: $a) { nodes { key } pageInfo { endCursor } } }"
FORGED_ART_CURSORS = {
    "a boolean for a key": cursor("art_key", False, 1),
    "text for an id": cursor("art_key", "PAY", "1"),
    "a number for a key": cursor("art_key", 5, 1),
    "an id past 32 bits": cursor("art_key", "PAY", 2**31),
    "an id past 64 bits": cursor("art_key", "PAY", 2**70),
    "a fraction for an id": cursor("art_key", "PAY", 1.5),
    "a NUL in a key": cursor("art_key", "PA\x00Y", 1),
    "a lone surrogate in a key": cursor("art_key", "\ud800", 1),
}


@pytest.mark.parametrize("forged", FORGED_ART_CURSORS.values(), ids=FORGED_ART_CURSORS.keys())
async def test_a_forged_cursor_is_refused_as_not_issued(api: Api, forged: str) -> None:
    await basic_plan(api)
    body = await api.raw(ARTS, {"a": forged})
    assert body["data"] is None
    assert [(e["message"], e["path"]) for e in body["errors"]] == [(refusal(forged), ["arts"])]


async def test_forged_wsjf_and_timestamp_keys_are_refused(api: Api) -> None:
    plan = await basic_plan(api)
    await ok(
        api,
        "createRefinementSession",
        "session { id }",
        {"teamId": plan.atlas, "startsAt": "2026-12-01T09:00:00+00:00", "timeboxMinutes": 60},
    )
    sessions = (
        'query($a: String) { art(key: "PAY") { refinementSessions(after: $a) { totalCount } } }'
    )
    features = 'query($a: String) { art(key: "PAY") { features(after: $a) { totalCount } } }'
    for query, forged in [
        (sessions, cursor("refinement_session_start_desc", "2026-12-01T09:00:00", 1)),
        (sessions, cursor("refinement_session_start_desc", "0001-01-01T00:00:00+05:00", 1)),
        (features, cursor("feature_wsjf_desc", float("inf"), 1, 1)),
        (features, cursor("feature_wsjf_desc", "high", 1, 1)),
    ]:
        body = await api.raw(query, {"a": forged})
        assert body["data"] == {"art": None}
        assert [e["message"] for e in body["errors"]] == [refusal(forged)]


async def test_issued_cursors_still_page(api: Api) -> None:
    await basic_plan(api, "NAV")
    await basic_plan(api, "PAY")
    first = (await api.query(ARTS, {"a": None}))["arts"]
    second = (await api.query(ARTS, {"a": first["pageInfo"]["endCursor"]}))["arts"]
    assert [first["nodes"], second["nodes"]] == [[{"key": "NAV"}], [{"key": "PAY"}]]

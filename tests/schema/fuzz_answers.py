"""What every answer of the fuzz test must be, how a request is sent and checked, and the
figures of a run (requests, operations covered, internal errors, answer kinds)."""

from __future__ import annotations

import json
import logging
import os
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import make_person
from tests.schema.fuzz_requests import OPERATIONS, FuzzRequest, Pool, documents, requests

INTERNAL_MESSAGE = "Internal error."  # what schema.build's MaskErrors answers
INTERNAL_CODES = frozenset({"INTERNAL", "INTERNAL_SERVER_ERROR"})
# Every exchange is appended to this file as a JSON line, when it is set.
LOG = os.environ.get("TRAINYARD_FUZZ_LOG")


class TracebackCatcher(logging.Handler):
    """Keeps the tracebacks Strawberry logs for unexpected (masked) errors."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.tracebacks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.tracebacks.append("".join(traceback.format_exception(*record.exc_info)))
        else:
            self.tracebacks.append(record.getMessage())


@contextmanager
def server_tracebacks() -> Iterator[TracebackCatcher]:
    catcher = TracebackCatcher()
    loggers = [logging.getLogger(name) for name in ("strawberry.execution", "litestar")]
    for logger in loggers:
        logger.addHandler(catcher)
    try:
        yield catcher
    finally:
        for logger in loggers:
            logger.removeHandler(catcher)


@dataclass
class Figures:
    """What a fuzz run sent and how the app answered, per operation."""

    requests: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    internal_errors: Counter[str] = field(default_factory=Counter)  # answers, shrinking included
    classes: set[tuple[str, str]] = field(default_factory=set)  # (operation, what went wrong)
    seconds: float = 0.0  # waiting for answers
    started: float = field(default_factory=time.perf_counter)

    def summary(self) -> dict[str, Any]:
        return {
            "requests": sum(self.requests.values()),
            "operations_covered": len(self.requests),
            "operations_total": len(OPERATIONS),
            "internal_errors": sum(self.internal_errors.values()),
            "internal_errors_by_operation": dict(sorted(self.internal_errors.items())),
            "internal_error_classes": sorted(f"{op}: {what}" for op, what in self.classes),
            "outcomes": dict(sorted(self.outcomes.items())),
            "seconds_answering": round(self.seconds, 1),
            "seconds": round(time.perf_counter() - self.started, 1),
        }


def outcome(status: int, body: dict[str, Any]) -> str:
    """A coarse label of an answer, for the figures."""
    errors = body.get("errors") or []
    if status >= 400:
        return f"http {status}"
    codes = sorted({str((e.get("extensions") or {}).get("code", "")) for e in errors})
    if errors and body.get("data") is None:
        return "refused " + (",".join(c for c in codes if c) or "(validation)")
    if errors:
        return "partial " + (",".join(c for c in codes if c) or "(field error)")
    payloads = [v for v in (body.get("data") or {}).values() if isinstance(v, dict)]
    if any(p.get("errors") for p in payloads):
        return "refused in the payload"
    return "written" if payloads and "errors" in payloads[0] else "answered"


def problems(status: int, text: str) -> tuple[dict[str, Any] | None, list[str]]:
    """The parsed body and everything wrong with an answer (empty: a correct answer)."""
    found: list[str] = []
    if status >= 500:
        found.append(f"HTTP {status}")
    try:
        body = json.loads(text)
    except ValueError:
        return None, [*found, f"the body is not JSON: {text[:300]!r}"]
    if not isinstance(body, dict) or not body or set(body) - {"data", "errors", "extensions"}:
        return None, [*found, f"not a GraphQL response: {text[:300]!r}"]
    errors = body.get("errors")
    if errors is not None:
        if not isinstance(errors, list) or not errors:
            found.append(f"`errors` is not a non-empty list: {errors!r}")
            errors = []
        for error in errors:
            if not isinstance(error, dict) or not isinstance(error.get("message"), str):
                found.append(f"an error without a message: {error!r}")
                continue
            code = (error.get("extensions") or {}).get("code")
            if error["message"] == INTERNAL_MESSAGE or code in INTERNAL_CODES:
                found.append(f"internal error at {error.get('path')}")
    elif "data" not in body:
        found.append("neither `data` nor `errors`")
    if 400 <= status < 500 and not errors:
        found.append(f"HTTP {status} without errors")
    return body, found


async def send(
    client: AsyncTestClient[Litestar], token: str | None, request: FuzzRequest, figures: Figures
) -> tuple[int, dict[str, Any] | None, list[str], list[str]]:
    """Send one request; returns (status, body, problems, server tracebacks)."""
    # Encoded here, not by httpx: ASCII-escaped JSON carries lone surrogates as \udXXXX.
    headers = {"accept": request.accept, "content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    with server_tracebacks() as caught:
        if request.method == "GET":
            params = {"query": request.query, "variables": json.dumps(request.variables)}
            response = await client.get("/graphql", params=params, headers=headers)
        else:
            content = json.dumps(request.body())
            response = await client.post("/graphql", content=content, headers=headers)
    figures.seconds += time.perf_counter() - started
    body, found = problems(response.status_code, response.text)
    figures.requests[request.operation] += 1
    if body is not None:
        figures.outcomes[outcome(response.status_code, body)] += 1
    if found:
        figures.internal_errors[request.operation] += 1
        last_lines = [tb.strip().splitlines()[-1] for tb in caught.tracebacks if tb.strip()]
        figures.classes.add((request.operation, "; ".join(last_lines or found)))
    if LOG:
        exchange = {**request.body(), "token": bool(token), "status": response.status_code}
        _log({**exchange, "answer": response.text[:2000]})
    return response.status_code, body, found, caught.tracebacks


def _log(exchange: dict[str, Any]) -> None:
    assert LOG is not None
    with Path(LOG).open("a") as log:
        log.write(json.dumps(exchange) + "\n")


def report(request: FuzzRequest, status: int, found: list[str], tracebacks: list[str]) -> str:
    lines = [f"{request.operation}: {'; '.join(found)} (HTTP {status})", request.shown()]
    lines += [f"server traceback:\n{tb}" for tb in tracebacks[:2]]
    return "\n".join(lines)


@dataclass(repr=False)
class FuzzWorld:
    """The app under fuzz, the seeded train's pool of values, and the figures so far."""

    client: AsyncTestClient[Litestar]
    app: Litestar
    engine: AsyncEngine
    admin_token: str
    pool: Pool
    figures: Figures
    strategies: dict[tuple[str, str], st.SearchStrategy[FuzzRequest]] = field(default_factory=dict)
    admins: int = 1

    def __repr__(self) -> str:  # hypothesis shows the test's arguments with a failure
        return f"FuzzWorld(after {sum(self.figures.requests.values())} requests)"

    def requests_for(self, kind: str, root_field: str) -> st.SearchStrategy[FuzzRequest]:
        key = (kind, root_field)
        if key not in self.strategies:
            generated = documents(kind, root_field, self.pool)
            self.strategies[key] = requests(kind, root_field, self.pool, generated)
        return self.strategies[key]

    async def check(
        self, data: st.DataObject, kind: str, root_field: str, *, as_admin: bool
    ) -> None:
        """Draw one request for the operation, send it, and fail on anything internal."""
        request = data.draw(self.requests_for(kind, root_field), label="request")
        token = self.admin_token if as_admin else None
        status, body, found, tracebacks = await send(self.client, token, request, self.figures)
        if as_admin and not found and await self._admin_lost(status, body):
            # The request revoked, archived or demoted the acting admin: the next requests act
            # as a new one, and this one is sent again with its token.
            status, body, found, tracebacks = await send(
                self.client, self.admin_token, request, self.figures
            )
        assert not found, report(request, status, found, tracebacks)

    async def _admin_lost(self, status: int, body: dict[str, Any] | None) -> bool:
        codes = {
            (error.get("extensions") or {}).get("code")
            for error in (body or {}).get("errors") or []
        }
        if status != 401 and not codes & {"UNAUTHENTICATED", "FORBIDDEN"}:
            return False
        viewer = await self.client.post(
            "/graphql",
            json={"query": "{ viewer { person { isAdmin } } }"},
            headers={"authorization": f"Bearer {self.admin_token}"},
        )
        person = (
            viewer.json().get("data", {}).get("viewer", {}).get("person")
            if viewer.status_code == 200
            else None
        )
        if person and person.get("isAdmin"):
            return False
        self.admins += 1
        _, secret = await make_person(
            self.engine, f"admin{self.admins}@tests.trainyard", admin=True
        )
        assert secret is not None
        self.admin_token = secret
        return True

"""The board benchmark: the real `trainyard serve` answering the board query over HTTP on
PostgreSQL, beside a raw asyncpg + msgspec baseline that reads and encodes the same rows.

Run with `make bench` (`pytest tests/perf --bench -s`). The test asserts the answers (counts,
no errors, same rows as the baseline) but no timings: the figures are printed and written
to tests/perf/results/board.json.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import platform
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from services.core.db import upgrade_to_head
from tests.conftest import fresh_database_url
from tests.perf.board_harness import (
    WARMUP_REQUESTS,
    RawRun,
    Timings,
    expected_totals,
    graphql_board,
    graphql_counts,
    run_raw_sync,
    time_sync,
)
from tests.perf.board_seed import BoardSize, SeededArt, seed_boards
from tests.server import admin_token, running_server

SIZES = (
    BoardSize("B100", features=10, stories_per_feature=10, teams=8, timed_requests=40),
    BoardSize("B1K", features=100, stories_per_feature=10, teams=8, timed_requests=20),
)
HTTP_FLOOR_REQUESTS = 40
RESULTS_PATH = Path(__file__).parent / "results" / "board.json"


@dataclass(frozen=True, slots=True)
class BoardEnv:
    dsn: str  # asyncpg DSN of the benchmark database
    base_url: str  # the running server
    seeded: dict[str, SeededArt]
    postgres_version: str
    http_floor: Timings  # GET /healthz (HTTP round trip + SELECT 1) on the same kind of client
    token: str  # a portfolio admin's read-only API token


@dataclass(frozen=True, slots=True)
class SizeResult:
    size: BoardSize
    seeded: SeededArt
    graphql: Timings
    graphql_bytes: int
    raw: RawRun

    @property
    def ratio(self) -> float:
        return self.graphql.median_ms / self.raw.timings.median_ms

    def as_json(self) -> dict[str, Any]:
        return {
            "size": self.size.key,
            "features": self.seeded.features,
            "stories": self.seeded.stories,
            "feature_dependencies": self.seeded.feature_dependencies,
            "story_dependencies": self.seeded.story_dependencies,
            "warmup_requests": WARMUP_REQUESTS,
            "graphql": {**self.graphql.as_json(), "response_bytes": self.graphql_bytes},
            "raw": {**self.raw.timings.as_json(), "response_bytes": self.raw.response_bytes},
            "ratio_median": round(self.ratio, 2),
        }


async def _postgres_version(dsn: str) -> str:
    connection = await asyncpg.connect(dsn)
    try:
        version: str = await connection.fetchval("SHOW server_version")
        return version
    finally:
        await connection.close()


@pytest.fixture(scope="module")
def board_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoardEnv]:
    """A fresh, migrated, seeded PostgreSQL database and `trainyard serve` on it."""
    tmp_dir = tmp_path_factory.mktemp("board")
    url, drop = fresh_database_url("postgresql", tmp_dir)
    try:
        upgrade_to_head(url)
        dsn = url.replace("postgresql+asyncpg://", "postgresql://")
        seeded = asyncio.run(seed_boards(dsn, SIZES))
        token = admin_token(url)
        with (
            running_server(url, tmp_dir / "server.log") as base_url,
            httpx.Client(base_url=base_url, timeout=30.0) as client,
        ):
            floor = time_sync(
                lambda: client.get("/healthz").raise_for_status(), HTTP_FLOOR_REQUESTS
            )
            version = asyncio.run(_postgres_version(dsn))
            yield BoardEnv(dsn, base_url, seeded, version, floor, token)
    finally:
        drop()


@pytest.fixture(scope="module")
def board_report(board_env: BoardEnv) -> Iterator[list[SizeResult]]:
    """Collects each size's figures; prints the table and writes the JSON at the end."""
    results: list[SizeResult] = []
    yield results
    if results:
        print(_table(results, board_env))
        _write_json(results, board_env)


def _table(results: list[SizeResult], env: BoardEnv) -> str:
    header = (
        f"{'size':<6}{'features':>9}{'stories':>9}{'deps':>6}"
        f"{'GraphQL med/p90 ms':>22}{'raw med/p90 ms':>18}{'ratio':>8}"
    )
    lines = [
        "",
        f"Board benchmark: PostgreSQL {env.postgres_version}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; GraphQL = trainyard serve over loopback HTTP, "
        "raw = asyncpg + msgspec in-process",
        header,
        "-" * len(header),
    ]
    for r in results:
        graphql = f"{r.graphql.median_ms:.2f} / {r.graphql.p90_ms:.2f}"
        raw = f"{r.raw.timings.median_ms:.2f} / {r.raw.timings.p90_ms:.2f}"
        lines.append(
            f"{r.size.key:<6}{r.seeded.features:>9}{r.seeded.stories:>9}"
            f"{r.seeded.feature_dependencies:>6}{graphql:>22}{raw:>18}{r.ratio:>7.1f}x"
        )
    floor = env.http_floor
    lines.append(
        f"HTTP floor (GET /healthz: round trip + SELECT 1): "
        f"{floor.median_ms:.2f} / {floor.p90_ms:.2f} ms"
    )
    lines.append(f"Figures written to {RESULTS_PATH}")
    return "\n".join(lines)


def _write_json(results: list[SizeResult], env: BoardEnv) -> None:
    document = {
        "benchmark": "board",
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "python_implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "postgresql": env.postgres_version,
        },
        "graphql_path": "trainyard serve (uvicorn) over loopback HTTP, keep-alive httpx client",
        "raw_path": "asyncpg pool + msgspec.json.encode, in the benchmark process",
        "http_floor_healthz": env.http_floor.as_json(),
        "sizes": [r.as_json() for r in results],
    }
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(json.dumps(document, indent=2) + "\n")


@pytest.mark.perf
@pytest.mark.parametrize("size", SIZES, ids=[s.key for s in SIZES])
def test_board_benchmark(
    size: BoardSize, board_env: BoardEnv, board_report: list[SizeResult]
) -> None:
    seeded = board_env.seeded[size.key]
    expected = expected_totals(seeded)
    assert expected[:2] == (size.features, size.stories)

    bodies: list[bytes] = []
    auth = {"authorization": f"Bearer {board_env.token}"}
    with httpx.Client(base_url=board_env.base_url, timeout=60.0, headers=auth) as client:
        graphql = time_sync(
            lambda: bodies.append(graphql_board(client, size.key)), size.timed_requests
        )
    # Every answer, warm-up included, is checked (outside the timing): no errors, exact counts.
    assert len(bodies) == WARMUP_REQUESTS + size.timed_requests
    answers = {body: graphql_counts(body) for body in bodies}
    for counts in answers.values():
        assert counts.totals == expected
    board = next(iter(answers.values()))

    raw = run_raw_sync(board_env.dsn, size.key, size.timed_requests)
    assert raw.counts.totals == expected
    # The baseline reads the same rows in the same order as the API.
    assert raw.counts.feature_keys == board.feature_keys
    assert raw.counts.story_keys == board.story_keys

    board_report.append(SizeResult(size, seeded, graphql, len(bodies[-1]), raw))

"""The board benchmark's moving parts: the real server process, the GraphQL client side,
the raw asyncpg baseline, and the statistics."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import msgspec

from tests.perf.board_seed import SeededArt

REPO_ROOT = Path(__file__).resolve().parents[2]
WARMUP_REQUESTS = 5

BOARD_QUERY = """
query Board($key: String!) {
  art(key: $key) {
    features(first: 100) {
      nodes {
        id key title state wsjf
        owningTeam { id key name }
        stories(first: 100) { nodes { id key title status points team { id key name } } }
        dependsOn(first: 100) { nodes { id type prerequisite { id key } } }
      }
    }
  }
}
"""


# ---------------------------------------------------------------------------------- timing


@dataclass(frozen=True, slots=True)
class Timings:
    """Wall-clock durations of the timed requests, in milliseconds."""

    samples_ms: tuple[float, ...]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p90_ms(self) -> float:
        return statistics.quantiles(self.samples_ms, n=10, method="inclusive")[8]

    def as_json(self) -> dict[str, float | int]:
        return {
            "requests": len(self.samples_ms),
            "median_ms": round(self.median_ms, 3),
            "p90_ms": round(self.p90_ms, 3),
            "min_ms": round(min(self.samples_ms), 3),
            "max_ms": round(max(self.samples_ms), 3),
        }


def time_sync(call: Callable[[], object], requests: int) -> Timings:
    for _ in range(WARMUP_REQUESTS):
        call()
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return Timings(tuple(samples))


async def time_async(call: Callable[[], Awaitable[object]], requests: int) -> Timings:
    for _ in range(WARMUP_REQUESTS):
        await call()
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return Timings(tuple(samples))


# --------------------------------------------------------------------------------- GraphQL


@dataclass(frozen=True, slots=True)
class BoardCounts:
    features: int
    stories: int
    dependencies: int
    feature_keys: tuple[str, ...]
    story_keys: tuple[str, ...]

    @property
    def totals(self) -> tuple[int, int, int]:
        return self.features, self.stories, self.dependencies


def graphql_board(client: httpx.Client, art_key: str) -> bytes:
    """One board request; the raw response body (checked by the caller, outside the timing)."""
    response = client.post("/graphql", json={"query": BOARD_QUERY, "variables": {"key": art_key}})
    if response.status_code != 200:
        raise AssertionError(f"HTTP {response.status_code}: {response.text[:2000]}")
    return response.content


def graphql_counts(body: bytes) -> BoardCounts:
    """Counts of a board response; fails on errors or on any missing nested object."""
    document: dict[str, Any] = msgspec.json.decode(body)
    if "errors" in document:
        raise AssertionError(f"GraphQL errors: {document['errors']}")
    art = document["data"]["art"]
    if art is None:
        raise AssertionError("the ART was not found")
    features: list[dict[str, Any]] = art["features"]["nodes"]
    story_keys: list[str] = []
    dependencies = 0
    for feature in features:
        if feature["owningTeam"] is None or feature["wsjf"] is None:
            raise AssertionError(f"feature {feature['key']} has no owning team or no WSJF")
        for story in feature["stories"]["nodes"]:
            if not story["team"]["key"]:
                raise AssertionError(f"story {story['key']} has no team")
            story_keys.append(story["key"])
        for dependency in feature["dependsOn"]["nodes"]:
            if not dependency["prerequisite"]["key"]:
                raise AssertionError(f"dependency {dependency['id']} has no prerequisite")
            dependencies += 1
    return BoardCounts(
        len(features),
        len(story_keys),
        dependencies,
        tuple(f["key"] for f in features),
        tuple(story_keys),
    )


def expected_totals(seeded: SeededArt) -> tuple[int, int, int]:
    return seeded.features, seeded.stories, seeded.feature_dependencies


# ------------------------------------------------------------------------------------ raw

# The same rows as the board query: the API's default orders (features by WSJF descending,
# rank, id; stories by rank, id; dependencies by id), live rows only, 100 per list.
ART_SQL = "SELECT id FROM arts WHERE key = $1"
FEATURES_SQL = """
SELECT id, key, title, state, wsjf, owning_team_id FROM features
WHERE art_id = $1 AND archived_at IS NULL
ORDER BY wsjf_sort DESC, rank, id LIMIT 100
"""
STORIES_SQL = """
SELECT id, key, title, status, points, team_id, feature_id FROM (
  SELECT id, key, title, status, points, team_id, feature_id,
         row_number() OVER (PARTITION BY feature_id ORDER BY rank, id) AS rn
  FROM stories WHERE feature_id = ANY($1::int[]) AND archived_at IS NULL
) AS s WHERE rn <= 100 ORDER BY feature_id, rn
"""
DEPENDENCIES_SQL = """
SELECT id, type, dependent_feature_id, prerequisite_id, prerequisite_key FROM (
  SELECT d.id, d.type, d.dependent_feature_id,
         coalesce(d.prerequisite_feature_id, d.prerequisite_story_id) AS prerequisite_id,
         coalesce(pf.key, ps.key) AS prerequisite_key,
         row_number() OVER (PARTITION BY d.dependent_feature_id ORDER BY d.id) AS rn
  FROM dependencies d
  LEFT JOIN features pf ON pf.id = d.prerequisite_feature_id
  LEFT JOIN stories ps ON ps.id = d.prerequisite_story_id
  WHERE d.dependent_feature_id = ANY($1::int[]) AND d.archived_at IS NULL
) AS d WHERE rn <= 100 ORDER BY dependent_feature_id, id
"""
TEAMS_SQL = "SELECT id, key, name FROM teams WHERE id = ANY($1::int[])"


async def raw_board(pool: asyncpg.Pool, art_key: str) -> bytes:
    """The board's rows straight from asyncpg, shaped like the GraphQL answer, as JSON."""
    async with pool.acquire() as connection:
        art_id = await connection.fetchval(ART_SQL, art_key)
        features = await connection.fetch(FEATURES_SQL, art_id)
        feature_ids = [f["id"] for f in features]
        stories = await connection.fetch(STORIES_SQL, feature_ids)
        dependencies = await connection.fetch(DEPENDENCIES_SQL, feature_ids)
        team_ids = {f["owning_team_id"] for f in features} | {s["team_id"] for s in stories}
        teams = await connection.fetch(TEAMS_SQL, list(team_ids))
    team_by_id = {t["id"]: {"id": t["id"], "key": t["key"], "name": t["name"]} for t in teams}
    stories_by_feature: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for s in stories:
        stories_by_feature[s["feature_id"]].append(
            {
                "id": s["id"],
                "key": s["key"],
                "title": s["title"],
                "status": s["status"],
                "points": s["points"],
                "team": team_by_id[s["team_id"]],
            }
        )
    depends_on: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for d in dependencies:
        depends_on[d["dependent_feature_id"]].append(
            {
                "id": d["id"],
                "type": d["type"],
                "prerequisite": {"id": d["prerequisite_id"], "key": d["prerequisite_key"]},
            }
        )
    board = [
        {
            "id": f["id"],
            "key": f["key"],
            "title": f["title"],
            "state": f["state"],
            "wsjf": f["wsjf"],
            "owningTeam": team_by_id.get(f["owning_team_id"]),
            "stories": stories_by_feature[f["id"]],
            "dependsOn": depends_on[f["id"]],
        }
        for f in features
    ]
    return msgspec.json.encode(board)


def raw_counts(body: bytes) -> BoardCounts:
    board: list[dict[str, Any]] = msgspec.json.decode(body)
    return BoardCounts(
        len(board),
        sum(len(f["stories"]) for f in board),
        sum(len(f["dependsOn"]) for f in board),
        tuple(f["key"] for f in board),
        tuple(s["key"] for f in board for s in f["stories"]),
    )


@dataclass(frozen=True, slots=True)
class RawRun:
    timings: Timings
    counts: BoardCounts
    response_bytes: int


async def run_raw(dsn: str, art_key: str, requests: int) -> RawRun:
    """Warm-up and timed raw board reads through an asyncpg pool, plus one checked answer."""
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2)
    try:
        timings = await time_async(lambda: raw_board(pool, art_key), requests)
        body = await raw_board(pool, art_key)
    finally:
        await pool.close()
    return RawRun(timings, raw_counts(body), len(body))


def run_raw_sync(dsn: str, art_key: str, requests: int) -> RawRun:
    return asyncio.run(run_raw(dsn, art_key, requests))

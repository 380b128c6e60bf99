"""How fast hostile queries are refused, through a real `trainyard serve` on PostgreSQL.

Each attack is sent repeatedly; the figures (median, worst) are printed and written to
tests/perf/results/limits.json. Correctness (status, message, nothing executed) is asserted
in tests/schema/kit/test_limits.py; here only that each attack is refused.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import httpx
import pytest

from services.core.db import upgrade_to_head
from tests.conftest import fresh_database_url
from tests.schema.kit.test_limits import deep_query
from tests.server import admin_token, running_server

RESULTS = Path(__file__).parent / "results" / "limits.json"
REPEATS = 20
ATTACKS: dict[str, str] = {
    "50-deep query": json.dumps({"query": deep_query(50)}),
    "1,000 aliases": json.dumps(
        {"query": "{ " + " ".join(f"a{n}: __typename" for n in range(1000)) + " }"}
    ),
    "1 MB query": json.dumps({"query": "{ arts { " + "totalCount " * 100_000 + "} }"}),
    "circular fragments": json.dumps(
        {
            "query": '{ art(key: "PAY") { ...A } } fragment A on Art { teams { nodes { art { ...B } } } } '
            "fragment B on Art { teams { nodes { art { ...A } } } }"
        }
    ),
    "first: 100000": json.dumps(
        {
            "query": '{ art(key: "PAY") { features(first: 100000) { nodes { key stories(first: 100) { nodes { key } } } } } }'
        }
    ),
    "6,000 tokens": json.dumps({"query": "{ arts { " + "totalCount " * 6000 + "} }"}),
}


@pytest.mark.perf
def test_attacks_are_refused_fast(tmp_path: Path) -> None:
    url, drop = fresh_database_url("postgresql", tmp_path)
    try:
        upgrade_to_head(url)
        secret = admin_token(url)
        with (
            running_server(url, tmp_path / "server.log") as base_url,
            httpx.Client(
                base_url=base_url,
                headers={
                    "authorization": f"Bearer {secret}",
                    "content-type": "application/json",
                    "accept": "application/graphql-response+json",
                },
                timeout=30,
            ) as client,
        ):
            figures = {}
            for name, body in ATTACKS.items():
                times, statuses = [], set()
                for _ in range(REPEATS):
                    start = time.perf_counter()
                    response = client.post("/graphql", content=body)
                    times.append((time.perf_counter() - start) * 1000)
                    statuses.add(response.status_code)
                    assert response.status_code in (400, 413), (name, response.text[:300])
                figures[name] = {
                    "status": sorted(statuses),
                    "median_ms": round(statistics.median(times), 2),
                    "worst_ms": round(max(times), 2),
                    "bytes": len(body),
                }
    finally:
        drop()
    print("\nRejection of hostile queries (real server on loopback, PostgreSQL):")
    print(f"{'attack':22} {'status':>8} {'size':>10} {'median ms':>10} {'worst ms':>9}")
    for name, f in figures.items():
        print(
            f"{name:22} {f['status']!s:>8} {f['bytes']:>10,} {f['median_ms']:>10} {f['worst_ms']:>9}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2))

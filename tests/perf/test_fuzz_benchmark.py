"""The long fuzz run: tests/schema/test_fuzz.py's generated requests, many more of them and
from a new random seed each run, on SQLite and PostgreSQL.

The figures of each backend (requests sent, operations covered of the schema's, internal
errors, answer kinds, duration) are printed and written to tests/perf/results/fuzz.json.
TRAINYARD_FUZZ_BENCH_EXAMPLES sets the examples per operation (default 200; anonymous ones
get a quarter). A failure prints the shrunk request, the server's traceback and the
`@seed` that reproduces it.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.schema.fuzz_answers import FuzzWorld
from tests.schema.fuzz_requests import OPERATIONS
from tests.schema.fuzz_seed import close_world, open_world

EXAMPLES = int(os.environ.get("TRAINYARD_FUZZ_BENCH_EXAMPLES", "200"))
RESULTS = Path(__file__).parent / "results" / "fuzz.json"
OPERATION_IDS = [f"{kind}-{name}" for kind, name in OPERATIONS]
pytestmark = pytest.mark.perf


def long_run(examples: int) -> settings:
    return settings(
        max_examples=examples,
        database=None,
        deadline=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module")
async def world(
    client: AsyncTestClient[Litestar], app: Litestar, engine: AsyncEngine, backend: str
) -> AsyncIterator[FuzzWorld]:
    made = await open_world(client, app, engine)
    yield made
    await close_world(made, RESULTS, backend)


@pytest.mark.parametrize(("kind", "root_field"), OPERATIONS, ids=OPERATION_IDS)
@long_run(EXAMPLES)
@given(data=st.data())
async def test_fuzz_as_an_admin(
    world: FuzzWorld, kind: str, root_field: str, data: st.DataObject
) -> None:
    await world.check(data, kind, root_field, as_admin=True)


@pytest.mark.parametrize(("kind", "root_field"), OPERATIONS, ids=OPERATION_IDS)
@long_run(max(1, EXAMPLES // 4))
@given(data=st.data())
async def test_fuzz_anonymously(
    world: FuzzWorld, kind: str, root_field: str, data: st.DataObject
) -> None:
    await world.check(data, kind, root_field, as_admin=False)

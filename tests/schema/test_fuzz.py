"""Generated requests over every Query and Mutation field, against the real app: no answer is
an internal error, a 5xx, or anything but a GraphQL response.

Each root field has its own hypothesis strategy (tests/schema/fuzz_requests.py), so each operation is
its own test and its coverage is known. A portfolio admin's WRITE token sends most requests, so
mutations really run against the seeded train (tests/schema/fuzz_seed.py); anonymous requests
go through every operation too. The run is bounded and reproducible: derandomized (a fixed
seed), no example database, TRAINYARD_FUZZ_EXAMPLES examples per operation (default 10). The
long run is tests/perf/test_fuzz_benchmark.py. Refusals that name a limit (cost, depth, page
size) are answers like any other; only an internal error fails.
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

from schema.build import build_schema
from tests.schema.fuzz_answers import FuzzWorld
from tests.schema.fuzz_requests import OPERATIONS
from tests.schema.fuzz_seed import close_world, open_world

EXAMPLES = int(os.environ.get("TRAINYARD_FUZZ_EXAMPLES", "10"))
ANONYMOUS_EXAMPLES = max(1, EXAMPLES // 4)
RESULTS = Path(__file__).resolve().parents[2] / "test-output" / "fuzz.json"


def bounded(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
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


OPERATION_IDS = [f"{kind}-{name}" for kind, name in OPERATIONS]


@pytest.mark.parametrize(("kind", "root_field"), OPERATIONS, ids=OPERATION_IDS)
@bounded(EXAMPLES)
@given(data=st.data())
async def test_an_admin_gets_no_internal_error(
    world: FuzzWorld, kind: str, root_field: str, data: st.DataObject
) -> None:
    await world.check(data, kind, root_field, as_admin=True)


@pytest.mark.parametrize(("kind", "root_field"), OPERATIONS, ids=OPERATION_IDS)
@bounded(ANONYMOUS_EXAMPLES)
@given(data=st.data())
async def test_anonymous_gets_no_internal_error(
    world: FuzzWorld, kind: str, root_field: str, data: st.DataObject
) -> None:
    await world.check(data, kind, root_field, as_admin=False)


def test_every_operation_is_fuzzed() -> None:
    """The fuzzed operations are the served schema's root fields, each once."""
    served = build_schema()._schema
    assert served.query_type is not None
    assert served.mutation_type is not None
    expected = [("query", name) for name in served.query_type.fields]
    expected += [("mutation", name) for name in served.mutation_type.fields]
    assert sorted(expected) == sorted(OPERATIONS)
    assert len(set(OPERATIONS)) == len(OPERATIONS)

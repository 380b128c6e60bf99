"""Planning intervals for the API tests of the calendar: made and read through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import Api
from tests.schema.factories import PI_START, ok, pi_end

PI = "planningInterval { id name startDate endDate version createdAt updatedAt archivedAt }"
PI_FIELDS = PI.replace("planningInterval {", "... on PlanningInterval {", 1)
LAYOUT = "... on PlanningInterval { version iterations { index name kind startDate endDate } }"
NEEDS_RTE = (
    "You may not change planning intervals, iterations and milestones in this ART: that needs "
    "portfolio admin or RTE of the ART."
)


async def new_pi(
    api: Api, art: str, name: str, iterations: list[dict[str, Any]], end: dt.date | None = None
) -> str:
    """A planning interval of the ART from PI_START (to `end`, by default five iterations on)."""
    pi = await ok(
        api,
        "createPlanningInterval",
        "planningInterval { id }",
        {
            "artId": art,
            "name": name,
            "startDate": PI_START.isoformat(),
            "endDate": (end or pi_end()).isoformat(),
            "iterations": iterations,
        },
    )
    return str(pi["id"])


async def read(api: Api, node_id: str, fields: str) -> dict[str, Any]:
    data = await api.query(f'{{ node(id: "{node_id}") {{ ... on Versioned {{ {fields} }} }} }}')
    node: dict[str, Any] = data["node"]
    return node

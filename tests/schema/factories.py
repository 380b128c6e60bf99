"""Build plans through the real API (every row passes the same validation a client meets)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import Api

PI_START = dt.date(2027, 1, 4)  # a Monday


def iteration_specs(
    start: dt.date = PI_START, regular: int = 4, ip: bool = True
) -> list[dict[str, Any]]:
    specs: list[dict[str, Any]] = []
    day = start
    for _ in range(regular):
        specs.append(
            {"startDate": day.isoformat(), "endDate": (day + dt.timedelta(days=11)).isoformat()}
        )
        day += dt.timedelta(days=14)
    if ip:
        specs.append(
            {
                "startDate": day.isoformat(),
                "endDate": (day + dt.timedelta(days=11)).isoformat(),
                "kind": "IP",
            }
        )
    return specs


def pi_end(start: dt.date = PI_START, iterations: int = 5) -> dt.date:
    return start + dt.timedelta(days=14 * iterations - 3)


async def ok(api: Api, name: str, selection: str, input: dict[str, Any]) -> dict[str, Any]:
    """A mutation that must succeed; returns the saved entity."""
    payload = await api.mutate(name, selection, input)
    assert payload["errors"] == [], payload["errors"]
    entity_key = next(k for k in payload if k != "errors")
    entity: dict[str, Any] = payload[entity_key]
    return entity


async def create_art(api: Api, key: str = "PAY", name: str = "Payments") -> str:
    return str((await ok(api, "createArt", "art { id }", {"key": key, "name": name}))["id"])


async def create_team(api: Api, art_id: str, key: str, name: str | None = None) -> str:
    team = await ok(
        api, "createTeam", "team { id }", {"artId": art_id, "key": key, "name": name or key.title()}
    )
    return str(team["id"])


async def create_pi(
    api: Api, art_id: str, name: str = "PI 2027.1", start: dt.date = PI_START
) -> dict[str, Any]:
    return await ok(
        api,
        "createPlanningInterval",
        "planningInterval { id iterations { id index kind } }",
        {
            "artId": art_id,
            "name": name,
            "startDate": start.isoformat(),
            "endDate": pi_end(start).isoformat(),
            "iterations": iteration_specs(start),
        },
    )


async def create_feature(api: Api, art_id: str, key: str, **fields: Any) -> dict[str, Any]:
    data = {
        "artId": art_id,
        "key": key,
        "title": fields.pop("title", f"Feature {key}"),
        "kind": "BUSINESS",
    }
    data.update(fields)
    return await ok(api, "createFeature", "feature { id key version wsjf rank }", data)


async def create_story(
    api: Api, feature_id: str, team_id: str, key: str, **fields: Any
) -> dict[str, Any]:
    data = {
        "featureId": feature_id,
        "teamId": team_id,
        "key": key,
        "title": fields.pop("title", f"Story {key}"),
        "kind": "USER_STORY",
    }
    data.update(fields)
    return await ok(api, "createStory", "story { id key version }", data)


@dataclass
class Plan:
    """One ART with two teams, a planning interval (4 iterations + IP) and one feature."""

    art: str
    atlas: str
    nova: str
    pi: str
    iterations: list[str]  # by index: [1..4 regular, 5 = IP]
    feature: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ip(self) -> str:
        return self.iterations[4]


async def basic_plan(api: Api, art_key: str = "PAY") -> Plan:
    art = await create_art(api, art_key, f"{art_key.title()} train")
    atlas = await create_team(api, art, "ATL", "Atlas")
    nova = await create_team(api, art, "NOV", "Nova")
    pi = await create_pi(api, art)
    iterations = [it["id"] for it in pi["iterations"]]
    feature = await create_feature(
        api,
        art,
        f"{art_key}-1",
        owningTeamId=atlas,
        planningIntervalId=pi["id"],
        iterationId=iterations[1],
    )
    return Plan(art, atlas, nova, pi["id"], iterations, feature)

"""Bulk-built plans for tests that need many rows (inserted with Core, committed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services import models as m

NOW = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
STAMPS = {"created_at": NOW, "updated_at": NOW, "version": 1}


async def build_art(
    engine: AsyncEngine, key: str, features: int, stories_per_feature: int = 3, teams: int = 4
) -> dict[str, Any]:
    """An ART with teams, one PI, features (each with stories) and a chain of dependencies."""
    async with engine.begin() as conn:
        art_id = (
            await conn.execute(
                insert(m.Art)
                .values(key=key, name=f"{key} train", description="", **STAMPS)
                .returning(m.Art.id)
            )
        ).scalar_one()
        team_ids = list(
            (
                await conn.execute(
                    insert(m.Team).returning(m.Team.id),
                    [
                        {
                            "art_id": art_id,
                            "key": f"T{n}",
                            "name": f"Team {n}",
                            "description": "",
                            "is_shared_services": False,
                            "tshirt_points": {},
                            **STAMPS,
                        }
                        for n in range(teams)
                    ],
                )
            ).scalars()
        )
        await conn.execute(
            insert(m.Feature),
            [
                {
                    "art_id": art_id,
                    "key": f"{key}-{n + 1}",
                    "title": f"Feature {n + 1}",
                    "description": "",
                    "kind": "BUSINESS",
                    "state": "BACKLOG",
                    "benefit_hypothesis": "",
                    "acceptance_criteria": [],
                    "user_business_value": 5,
                    "time_criticality": 3,
                    "risk_reduction": 2,
                    "job_size": 5,
                    "cost_of_delay": 10,
                    "wsjf": 2.0,
                    "wsjf_sort": 2.0,
                    "rank": n + 1,
                    "owning_team_id": team_ids[n % teams],
                    **STAMPS,
                }
                for n in range(features)
            ],
        )
        feature_ids = list(
            (
                await conn.execute(
                    select(m.Feature.id).where(m.Feature.art_id == art_id).order_by(m.Feature.id)
                )
            ).scalars()
        )
        await conn.execute(
            insert(m.Story),
            [
                {
                    "feature_id": fid,
                    "team_id": team_ids[(i + s) % teams],
                    "key": f"T{(i + s) % teams}-{i * stories_per_feature + s + 1}",
                    "title": f"Story {s + 1} of feature {i + 1}",
                    "description": "",
                    "kind": "USER_STORY",
                    "acceptance_criteria": [],
                    "points": 3,
                    "status": "BACKLOG",
                    "is_blocked": False,
                    "blocked_reason": "",
                    "rank": s + 1,
                    **STAMPS,
                }
                for i, fid in enumerate(feature_ids)
                for s in range(stories_per_feature)
            ],
        )
        if len(feature_ids) > 1:
            await conn.execute(
                insert(m.Dependency),
                [
                    {
                        "dependent_feature_id": feature_ids[i],
                        "prerequisite_feature_id": feature_ids[i - 1],
                        "dependent_art_id": art_id,
                        "prerequisite_art_id": art_id,
                        "dependent_node": m.node_of(feature_ids[i], None),
                        "prerequisite_node": m.node_of(feature_ids[i - 1], None),
                        "type": "BLOCKS",
                        "note": "",
                        **STAMPS,
                    }
                    for i in range(1, len(feature_ids))
                ],
            )
    return {"art_id": art_id, "team_ids": team_ids, "feature_ids": feature_ids}

"""References in the history are global ids of the nodes they name, never database ids, for
entries of any age; every foreign key of an audited model is a known reference."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.kit.relay import to_global_id
from schema.query import NODE_TYPES_BY_NAME
from services import models as m
from services.core.base import Editable
from services.core.enums import HistoryAction
from services.models.references import REFERENCES, SUMMARY_REFERENCES
from tests.conftest import Api
from tests.schema.factories import basic_plan, create_story, ok
from tests.schema.history.test_history import changes, history_of


def test_every_foreign_key_of_an_audited_model_is_a_known_reference() -> None:
    audited = [mp for mp in m.Base.registry.mappers if issubclass(mp.class_, Editable)]
    assert len(audited) >= 12
    for mapper in audited:
        model = mapper.class_
        for column in mapper.local_table.columns:
            for fk in column.foreign_keys:
                where = f"{model.__name__}.{column.key}"
                assert column.key in REFERENCES, f"{where} is missing from REFERENCES"
                assert REFERENCES[column.key].__table__ is fk.column.table, where
    for target in {*REFERENCES.values(), *(t for t in SUMMARY_REFERENCES.values() if t)}:
        # Shown as the global id of a node type the API resolves with node(id:).
        assert NODE_TYPES_BY_NAME[target.__name__].model is target


async def test_references_in_history_are_global_ids(api: Api) -> None:
    plan = await basic_plan(api)
    it = plan.iterations
    story = await create_story(api, plan.feature["id"], plan.atlas, "ATL-1", iterationId=it[0])
    await ok(
        api,
        "updateStory",
        "story { id }",
        {"id": story["id"], "version": 1, "iterationId": it[2], "teamId": plan.nova},
    )
    await ok(
        api,
        "updateFeature",
        "feature { id }",
        {"id": plan.feature["id"], "version": 1, "owningTeamId": None},
    )
    other = await create_story(api, plan.feature["id"], plan.nova, "NOV-1")
    dependency = await ok(
        api,
        "createDependency",
        "dependency { id }",
        {"dependentId": other["id"], "prerequisiteId": story["id"], "neededByIterationId": it[3]},
    )

    updated, created = await history_of(api, story["id"])
    assert {
        k: v for k, v in changes(created).items() if k in ("featureId", "teamId", "iterationId")
    } == {
        "featureId": (None, plan.feature["id"]),
        "teamId": (None, plan.atlas),
        "iterationId": (None, it[0]),
    }
    assert changes(updated) == {"iterationId": (it[0], it[2]), "teamId": (plan.atlas, plan.nova)}
    feature_update = (await history_of(api, plan.feature["id"]))[0]
    assert changes(feature_update) == {"owningTeamId": (plan.atlas, None)}
    (dependency_created,) = await history_of(api, dependency["id"])
    assert {k: v for k, v in changes(dependency_created).items() if k.endswith("Id")} == {
        "dependentStoryId": (None, other["id"]),
        "prerequisiteStoryId": (None, story["id"]),
        "dependentArtId": (None, plan.art),
        "prerequisiteArtId": (None, plan.art),
        "neededByIterationId": (None, it[3]),
    }


async def test_entries_recorded_with_database_ids_show_global_ids(
    api: Api, engine: AsyncEngine
) -> None:
    """Entries are stored as written (ids and all): old ones read as global ids too, the ids of
    since-archived rows included, and a closed session's summary names its items."""
    await basic_plan(api)
    now = dt.datetime.now(dt.UTC)
    entries: list[tuple[str, dict[str, Any]]] = [
        ("Story", {"iteration_id": {"old": 4, "new": None}, "title": {"old": "A", "new": "B"}}),
        ("RefinementSchedule", {"invitee_ids": {"old": [], "new": [3, 5]}}),
        (
            "RefinementSession",
            {
                "summary": {
                    "old": None,
                    "new": {
                        "level": "TEAM",
                        "agenda": [7, 8],
                        "follow_ups": [2],
                        "rolled_to_session": 9,
                        "minutes": 61.5,
                    },
                }
            },
        ),
    ]
    async with engine.begin() as conn:
        art_id = (await conn.execute(select(m.Art.id))).scalar_one()
        before = (await conn.execute(select(func.count()).select_from(m.HistoryEntry))).scalar_one()
        for entity_type, recorded in entries:
            await conn.execute(
                insert(m.HistoryEntry).values(
                    at=now,
                    actor_label="an earlier release",
                    entity_type=entity_type,
                    entity_id=1,
                    art_id=art_id,
                    action=HistoryAction.UPDATE,
                    version=2,
                    changes=recorded,
                )
            )
    data = await api.query(
        '{ art(key: "PAY") { activity(filter: {itemType: {in: '
        '["Story", "RefinementSchedule", "RefinementSession"]}}) { nodes { entityType '
        "fieldChanges { field oldValue newValue } } } } }"
    )
    shown = {n["entityType"]: changes(n) for n in data["art"]["activity"]["nodes"]}
    assert shown == {
        "Story": {"iterationId": (to_global_id("Iteration", 4), None), "title": ("A", "B")},
        "RefinementSchedule": {
            "inviteeIds": ([], [to_global_id("Person", 3), to_global_id("Person", 5)])
        },
        "RefinementSession": {
            "summary": (
                None,
                {
                    "level": "TEAM",
                    "agenda": [to_global_id("Story", 7), to_global_id("Story", 8)],
                    "follow_ups": [to_global_id("FollowUp", 2)],
                    "rolled_to_session": to_global_id("RefinementSession", 9),
                    "minutes": 61.5,
                },
            )
        },
    }
    async with engine.connect() as conn:
        after = (await conn.execute(select(func.count()).select_from(m.HistoryEntry))).scalar_one()
    assert after == before + 3  # reading converts, it writes nothing back

"""References of the work mutations' inputs: a required row id, a plan item (Feature or Story).
The shared helpers (maybe, maybe_id, maybe_ids) are in schema.kit.mutations."""

from __future__ import annotations

import strawberry

from schema.kit.relay import decode_id
from services.core.enums import WorkItemType
from services.work.dependencies import ItemRef


def row_id(value: strawberry.ID, type_name: str, field: str) -> int:
    """A required reference: the row's id."""
    return decode_id(value, type_name, field)[1]


def item_ref(value: strawberry.ID, field: str) -> ItemRef:
    """A plan item: the global id of a Feature or a Story."""
    type_name, number = decode_id(value, ("Feature", "Story"), field)
    return ItemRef(WorkItemType.FEATURE if type_name == "Feature" else WorkItemType.STORY, number)

"""From a GraphQL input to the typed input of a use case: a field the client left out is UNSET
(services.core.inputs), a global id becomes the row's id."""

from __future__ import annotations

from typing import TypeVar

import strawberry

from schema.kit.relay import decode_id
from services.core.enums import WorkItemType
from services.core.inputs import UNSET, Maybe
from services.work.dependencies import ItemRef

T = TypeVar("T")


def maybe(value: T) -> Maybe[T]:
    """A field of a GraphQL input: UNSET when the client left it out (strawberry's UNSET)."""
    return UNSET if value is strawberry.UNSET else value


def maybe_id(value: strawberry.ID | None, type_name: str, field: str) -> Maybe[int | None]:
    """An optional reference: UNSET when left out, None when cleared, else the row's id.
    `field` names the input field in an id error, as clients know it."""
    given = maybe(value)
    if given is UNSET or given is None:
        return given
    return decode_id(given, type_name, field)[1]


def maybe_ids(
    values: list[strawberry.ID] | None, type_name: str, field: str
) -> Maybe[list[int] | None]:
    """A list of references (e.g. the components an item touches), like `maybe_id`."""
    given = maybe(values)
    if given is UNSET or given is None:
        return given
    return [decode_id(value, type_name, field)[1] for value in given]


def row_id(value: strawberry.ID, type_name: str, field: str) -> int:
    """A required reference: the row's id."""
    return decode_id(value, type_name, field)[1]


def item_ref(value: strawberry.ID, field: str) -> ItemRef:
    """A plan item: the global id of a Feature or a Story."""
    type_name, number = decode_id(value, ("Feature", "Story"), field)
    return ItemRef(WorkItemType.FEATURE if type_name == "Feature" else WorkItemType.STORY, number)

"""The change history of plan items and the ART-wide activity feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from schema.kit.context import Context
from schema.kit.relay import RowNode, follows, optional_reference, to_global_id
from schema.org.types import Person
from services import models as m
from services.core.enums import HistoryAction
from services.models.references import REFERENCES, SUMMARY_REFERENCES

strawberry.enum(HistoryAction, description="What happened to the item.")
Info_ = Info[Context, None]


@strawberry.type(description="One field of an item before and after a change.")
class FieldChange:
    field: str = strawberry.field(description="The field (camelCase, as in the API).")
    old_value: JSON | None = strawberry.field(description="Its value before (null if unset).")
    new_value: JSON | None = strawberry.field(description="Its value after.")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


# Fields stored under their column name whose API name differs.
API_NAMES = {"risk_reduction": "riskReductionOpportunityEnablement", "tshirt_points": "tshirtScale"}


def _global_ids(type_name: str, value: Any) -> Any:
    """Recorded database ids (one, or a list) as global ids of `type_name` nodes."""
    if isinstance(value, list):
        return [_global_ids(type_name, v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return to_global_id(type_name, value)
    return value


def _summary(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    items = "Story" if value.get("level") == "TEAM" else "Feature"
    out = {}
    for key, entry in value.items():
        if key in SUMMARY_REFERENCES:
            model = SUMMARY_REFERENCES[key]
            entry = _global_ids(items if model is None else model.__name__, entry)
        out[key] = entry
    return out


def shown(entity_type: str, name: str, value: Any) -> Any:
    """A recorded value as the API shows it: a reference as the referenced node's global id,
    never a database id, for entries of any age (they are stored as written)."""
    if name == "summary" and entity_type == "RefinementSession":
        return _summary(value)
    model = REFERENCES.get(name)
    return value if model is None else _global_ids(model.__name__, value)


@strawberry.type(description="One change to one item: who, when, which fields, old and new values.")
class HistoryEntry(RowNode):
    model = m.HistoryEntry
    actor_id: strawberry.Private[int | None]
    token_id: strawberry.Private[int | None]
    entity_id: strawberry.Private[int]
    art_id: strawberry.Private[int | None]
    team_id: strawberry.Private[int | None]
    changes: strawberry.Private[dict[str, Any]]
    at: dt.datetime = strawberry.field(description="When (UTC).")
    action: HistoryAction = strawberry.field(description="CREATE, UPDATE or ARCHIVE.")
    entity_type: str = strawberry.field(description="The item's type, e.g. Story.")
    version: int | None = strawberry.field(description="The item's version after the change.")
    actor_label: str = strawberry.field(
        description="Who acted, as recorded: an email, or a system task such as the demo seed."
    )
    reason: str | None = strawberry.field(
        description="Why, when the change needed a reason: a feature moved back to an earlier "
        "Kanban state, or reopened."
    )

    @strawberry.field(description="The changed item's global id.")
    def item_id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(self.entity_type, self.entity_id))

    @strawberry.field(description="True when the change came through an API token.")
    def via_api_token(self) -> bool:
        return self.token_id is not None

    @strawberry.field(description="The fields that changed, with old and new values.")
    def field_changes(self) -> list[FieldChange]:
        return [
            FieldChange(
                field=API_NAMES.get(name, _camel(name)),
                old_value=shown(self.entity_type, name, change.get("old")),
                new_value=shown(self.entity_type, name, change.get("new")),
            )
            for name, change in sorted(self.changes.items())
        ]

    @strawberry.field(description="The person who made the change; null for system tasks.")
    @follows("actor_id", "Person")
    def actor(self, info: Info_) -> Person | None:
        return optional_reference(info, Person, self.actor_id)

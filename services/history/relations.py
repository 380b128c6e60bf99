"""The change history's nested lists: an item's history and an ART's activity."""

from __future__ import annotations

from services.core.relations import Relation, by
from services.history import audit
from services.models import (
    HistoryEntry,
)

HISTORY_OF = Relation(
    "item.history",
    HistoryEntry,
    by(HistoryEntry.entity_id),
    lambda entity_type: [HistoryEntry.entity_type == entity_type],
)


ART_ACTIVITY = Relation(
    "art.activity", HistoryEntry, by(HistoryEntry.art_id), audit.activity_conditions
)

"""The ART Kanban as the API shows it on an ART: its WIP limits and what each state holds."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.kit import enums as e
from schema.kit.context import Context
from services.models import Art
from services.work import kanban

Info_ = Info[Context, None]


@strawberry.type(
    description="A WIP limit of an ART's Kanban: at most `limit` live features in a state."
)
class WipLimit:
    state: e.FeatureState = strawberry.field(description="The state limited.")
    limit: int = strawberry.field(description="At most this many live features may be in it.")
    count: int = strawberry.field(
        description="How many live features are in it now (above the limit after the limit "
        "was lowered: nothing moves in until it is below again)."
    )


async def art_wip_limits(info: Info_, art_id: int) -> list[WipLimit]:
    """One statement for the limits and one for the counts, whatever the number of ARTs."""
    loaders = info.context.loaders
    row = await loaders.row(Art).load(art_id)
    assert row is not None  # the ART was read to resolve this field
    if not row.wip_limits:
        return []
    counts = await loaders.feature_state_counts().load(art_id)
    return [
        WipLimit(state=w.state, limit=w.limit, count=w.count)
        for w in kanban.wip_limits_of(row.wip_limits, counts)
    ]

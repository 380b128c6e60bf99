"""Filters of the activity feed."""

from __future__ import annotations

import datetime as dt

import strawberry

from schema.kit.filters import IDFilter, StringFilter, as_utc, id_match, text_match
from services.history import audit


@strawberry.input(description="Filter the activity feed.")
class ActivityFilter:
    person: IDFilter | None = strawberry.field(default=None, description="Who made the change.")
    team: IDFilter | None = strawberry.field(default=None, description="Team of the item.")
    item_type: StringFilter | None = strawberry.field(
        default=None, description="Item type, e.g. Story or Feature."
    )
    since: dt.datetime | None = strawberry.field(
        default=None, description="At or after this time (UTC when no offset is given)."
    )
    until: dt.datetime | None = strawberry.field(
        default=None, description="Before this time (UTC when no offset is given)."
    )


def activity_filter(f: ActivityFilter | None) -> audit.ActivityFilter:
    if f is None:
        return audit.ActivityFilter()
    return audit.ActivityFilter(
        person=id_match(f.person, "Person", "filter.person"),
        team=id_match(f.team, "Team", "filter.team"),
        item_type=text_match(f.item_type),
        since=as_utc(f.since),
        until=as_utc(f.until),
    )

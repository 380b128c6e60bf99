"""Filters of refinement lists (sessions, follow-ups) and their translation to service filters."""

from __future__ import annotations

import strawberry

from schema.kit import enums as e
from schema.kit.filters import value_match
from services.refinement import reads


@strawberry.input(description="Match a SessionStatus value.")
class SessionStatusFilter:
    eq: e.SessionStatus | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.SessionStatus] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Match a FollowUpKind value.")
class FollowUpKindFilter:
    eq: e.FollowUpKind | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.FollowUpKind] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Filter refinement sessions.")
class RefinementSessionFilter:
    status: SessionStatusFilter | None = strawberry.field(default=None, description="Status.")
    art_level: bool | None = strawberry.field(
        default=None,
        description="true: the ART's program backlog refinement only; false: teams' only.",
    )
    archived: bool | None = strawberry.field(
        default=False, description="false (default): live rows only; true: archived; null: both."
    )


@strawberry.input(description="Filter follow-ups.")
class FollowUpFilter:
    open: bool | None = strawberry.field(
        default=True, description="true (default): open only; false: resolved only; null: both."
    )
    kind: FollowUpKindFilter | None = strawberry.field(default=None, description="Kind.")
    archived: bool | None = strawberry.field(
        default=False, description="false (default): live rows only; true: archived; null: both."
    )


def session_filter(f: RefinementSessionFilter | None) -> reads.SessionFilter:
    if f is None:
        return reads.SessionFilter()
    return reads.SessionFilter(value_match(f.status), f.art_level, f.archived)


def follow_up_filter(f: FollowUpFilter | None) -> reads.FollowUpFilter:
    if f is None:
        return reads.FollowUpFilter()
    return reads.FollowUpFilter(f.open, value_match(f.kind), f.archived)

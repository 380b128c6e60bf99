"""Filter input objects with per-field comparators, and their translation to service filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

import strawberry

from schema.kit import enums as e
from schema.kit.errors import ClientError
from schema.kit.relay import IdError, decode_id
from services.core.filters import Match

V = TypeVar("V")


@strawberry.input(description="Match an id: equal to one, or among several.")
class IDFilter:
    eq: strawberry.ID | None = strawberry.field(default=None, description="Equal to this id.")
    in_: list[strawberry.ID] | None = strawberry.field(
        default=None, name="in", description="Any of these ids (at most 100)."
    )


@strawberry.input(description="Match a text: exactly, among several, or containing a fragment.")
class StringFilter:
    eq: str | None = strawberry.field(default=None, description="Exactly this text.")
    in_: list[str] | None = strawberry.field(
        default=None, name="in", description="Any of these texts (at most 100)."
    )
    contains: str | None = strawberry.field(
        default=None, description="Contains this fragment, ignoring case."
    )


@strawberry.input(description="Match a FeatureState value.")
class FeatureStateFilter:
    eq: e.FeatureState | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.FeatureState] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Match a FeatureKind value.")
class FeatureKindFilter:
    eq: e.FeatureKind | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.FeatureKind] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Match a StoryStatus value.")
class StoryStatusFilter:
    eq: e.StoryStatus | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.StoryStatus] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Match a StoryKind value.")
class StoryKindFilter:
    eq: e.StoryKind | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.StoryKind] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Match a ComponentKind value.")
class ComponentKindFilter:
    eq: e.ComponentKind | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.ComponentKind] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Match a DependencyType value.")
class DependencyTypeFilter:
    eq: e.DependencyType | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.DependencyType] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Match a Role value.")
class RoleFilter:
    eq: e.Role | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.Role] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


ARCHIVED_HELP = "false (default): live rows only; true: archived rows only; null: both."


def text_match(f: StringFilter | None) -> Match[str] | None:
    if f is None:
        return None
    return Match(f.eq, tuple(f.in_) if f.in_ is not None else None, f.contains)


class _EnumFilter(Protocol):
    eq: Any
    in_: list[Any] | None


def value_match(f: _EnumFilter | None) -> Match[Any] | None:
    if f is None:
        return None
    return Match(f.eq, tuple(f.in_) if f.in_ is not None else None)


def id_match(f: IDFilter | None, node_type: str, name: str) -> Match[int] | None:
    if f is None:
        return None
    try:
        eq = decode_id(f.eq, node_type, name)[1] if f.eq is not None else None
        in_ = tuple(decode_id(v, node_type, name)[1] for v in f.in_) if f.in_ is not None else None
    except IdError as exc:
        raise ClientError(str(exc)) from None
    return Match(eq, in_)


def as_tuple(values: Sequence[V] | None) -> tuple[V, ...] | None:
    return tuple(values) if values is not None else None


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A client's time in UTC; one given without an offset is taken to be UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)

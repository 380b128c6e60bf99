"""Ordering inputs of the lists that can be sorted."""

from __future__ import annotations

import enum

import strawberry

from schema.kit.enums import SortDirection
from services.core.pagination import Ordering
from services.work.features import feature_ordering
from services.work.stories import story_ordering


@strawberry.enum(description="How a feature list is sorted.")
class FeatureOrderField(enum.Enum):
    WSJF = "WSJF"
    RANK = "RANK"
    KEY = "KEY"
    CREATED_AT = "CREATED_AT"


@strawberry.input(
    description="Sort of a feature list. The default, WSJF descending, is the program backlog "
    "order: highest WSJF first, ties broken by rank, unscored features last."
)
class FeatureOrder:
    field: FeatureOrderField = strawberry.field(
        default=FeatureOrderField.WSJF, description="What to sort by."
    )
    direction: SortDirection | None = strawberry.field(
        default=None, description="Default: DESC for WSJF (highest first), ASC otherwise."
    )


def feature_order(order: FeatureOrder | None) -> Ordering:
    if order is None:
        return feature_ordering("WSJF", True)
    direction = order.direction or (
        SortDirection.DESC if order.field is FeatureOrderField.WSJF else SortDirection.ASC
    )
    return feature_ordering(order.field.value, direction is SortDirection.DESC)


@strawberry.enum(description="How a story list is sorted.")
class StoryOrderField(enum.Enum):
    RANK = "RANK"
    KEY = "KEY"
    CREATED_AT = "CREATED_AT"


@strawberry.input(description="Sort of a story list (default: rank ascending).")
class StoryOrder:
    field: StoryOrderField = strawberry.field(
        default=StoryOrderField.RANK, description="What to sort by."
    )
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending or descending."
    )


def story_order(order: StoryOrder | None) -> Ordering:
    if order is None:
        return story_ordering("RANK", False)
    return story_ordering(order.field.value, order.direction is SortDirection.DESC)

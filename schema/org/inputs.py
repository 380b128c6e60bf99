"""From a GraphQL input to the typed input of a use case: a field the client left out is
UNSET (services.core.inputs), not strawberry's UNSET. Shared by the org, planning and access
mutations."""

from __future__ import annotations

from typing import TypeVar

import strawberry

from services.core.inputs import UNSET, Maybe

T = TypeVar("T")


def maybe(value: T) -> Maybe[T]:
    """A field of a GraphQL input: UNSET when the client left it out."""
    return UNSET if value is strawberry.UNSET else value

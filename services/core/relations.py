"""How a nested list of the API hangs off its parent, for batched per-parent reads; each slice
declares its own relations (`services/<slice>/relations.py`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from services.core.base import Base
from services.core.pagination import Scope


@dataclass(frozen=True, eq=False)
class Relation:
    name: str
    model: type[Base]
    scope: Callable[[Sequence[int]], Scope]
    conditions: Callable[[Any], list[ColumnElement[bool]]]


def by(column: InstrumentedAttribute[Any]) -> Callable[[Sequence[int]], Scope]:
    return lambda ids: Scope(column, (column.in_(list(ids)),))

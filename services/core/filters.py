"""Per-field comparators for list filters (eq / in / contains) and the archived switch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, false
from sqlalchemy.orm import InstrumentedAttribute

from services.core.errors import Message, at, render
from services.core.validation import storable

T = TypeVar("T")

# Bounds an `in` list so a filter cannot become an unbounded statement.
MAX_IN_VALUES = 100


class FilterError(ValueError):
    """A filter the API cannot apply; the message is for the client and names the filter's
    field as data (services.core.errors.Field), shown under its API name by the API."""

    def __init__(self, text: Message) -> None:
        super().__init__(render(text))
        self.text = text


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    eq: T | None = None
    in_: Sequence[T] | None = None
    contains: str | None = None


def match(
    column: InstrumentedAttribute[Any], m: Match[Any] | None, name: str
) -> list[ColumnElement[bool]]:
    if m is None:
        return []
    out: list[ColumnElement[bool]] = []
    if m.eq is not None:
        out.append(column == m.eq if _comparable(m.eq) else false())
    if m.in_ is not None:
        if len(m.in_) > MAX_IN_VALUES:
            raise FilterError(
                at(name, f".in lists {len(m.in_)} values; at most {MAX_IN_VALUES} are allowed.")
            )
        out.append(column.in_([v for v in m.in_ if _comparable(v)]))
    if m.contains is not None:
        out.append(
            column.icontains(m.contains, autoescape=True) if _comparable(m.contains) else false()
        )
    return out


def _comparable(value: object) -> bool:
    """A text no row can hold (services.core.validation.storable) matches nothing: it is not
    sent to the database, which would refuse it rather than answer."""
    return not isinstance(value, str) or storable(value)


def archived(column: InstrumentedAttribute[Any], value: bool | None) -> list[ColumnElement[bool]]:
    """False (the default) lists live rows, True archived rows, None both."""
    if value is None:
        return []
    return [column.is_not(None)] if value else [column.is_(None)]

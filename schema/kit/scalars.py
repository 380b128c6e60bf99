"""The Date and DateTime scalars, with the one calendar range every date input is held to.

Strawberry's stock scalars accept any year Python can represent, so `0001-01-01T00:30:00+01:00`
reaches a service and overflows when it is turned into UTC, and `10000-01-01` fails deep in
the parser. Every Date and DateTime argument and input field, inline or as a variable, is
parsed here, so each slice gets the same check and the same message without checking it
itself.
"""

from __future__ import annotations

import datetime as dt
import re
from operator import methodcaller
from typing import Any

import strawberry
from graphql import GraphQLError, ValueNode, value_from_ast_untyped
from strawberry.types.scalar import ScalarDefinition

FIRST_DAY = dt.date(1970, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)
FIRST_INSTANT = dt.datetime.combine(FIRST_DAY, dt.time.min, tzinfo=dt.UTC)
LAST_INSTANT = dt.datetime.combine(LAST_DAY, dt.time.max, tzinfo=dt.UTC)
DATE_RANGE = f"dates run from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
DATETIME_RANGE = "dates and times run from 1970-01-01T00:00:00Z to 2200-12-31T23:59:59Z"
DATE_FORMAT = f"send YYYY-MM-DD; {DATE_RANGE}"
DATETIME_FORMAT = (
    f"send an ISO 8601 date and time with its UTC offset, such as 2027-01-04T09:30:00+01:00; "
    f"{DATETIME_RANGE}"
)
_CALENDAR_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A year of five or more digits: a date, only far outside the range.
_LONG_YEAR = re.compile(r"[+-]?\d{5,}-")


def _shown(value: object) -> str:
    # Messages are JSON text: a lone surrogate in a value must not reach the encoder.
    return '"' + str(value).encode("utf-8", "backslashreplace").decode() + '"'


def parse_date(value: object) -> dt.date:
    if not isinstance(value, str):
        raise GraphQLError(f"Date cannot represent {value!r}: {DATE_FORMAT}.")
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError as exc:
        if _LONG_YEAR.match(value):
            raise GraphQLError(
                f"Date {_shown(value)} is outside the supported range: {DATE_RANGE}."
            ) from None
        if _CALENDAR_SHAPE.fullmatch(value):
            raise GraphQLError(f"Date {_shown(value)} does not exist: {exc}.") from None
        raise GraphQLError(f"{_shown(value)} is not a Date: {DATE_FORMAT}.") from None
    if not FIRST_DAY <= parsed <= LAST_DAY:
        raise GraphQLError(f"Date {_shown(value)} is outside the supported range: {DATE_RANGE}.")
    return parsed


def parse_datetime(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise GraphQLError(f"DateTime cannot represent {value!r}: {DATETIME_FORMAT}.")
    out_of_range = GraphQLError(
        f"DateTime {_shown(value)} is outside the supported range: {DATETIME_RANGE}."
    )
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        if _LONG_YEAR.match(value):
            raise out_of_range from None
        raise GraphQLError(f"{_shown(value)} is not a DateTime: {DATETIME_FORMAT}.") from None
    # A value without an offset is read as UTC, as the filters do (schema.kit.filters.as_utc).
    try:
        instant = parsed.astimezone(dt.UTC) if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    except OverflowError:  # year 1 east of UTC, or year 9999 west of it
        raise out_of_range from None
    if not FIRST_INSTANT <= instant <= LAST_INSTANT:
        raise out_of_range
    return parsed


def _literal_parser(parse: Any) -> Any:
    def parse_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> Any:
        try:
            return parse(value_from_ast_untyped(node, variables))
        except GraphQLError as exc:
            # With the node, the error points at the value in the document.
            raise GraphQLError(exc.message, node) from None

    return parse_literal


Date: ScalarDefinition = strawberry.scalar(
    name="Date",
    description=f"A calendar date, ISO 8601 (YYYY-MM-DD); {DATE_RANGE}.",
    serialize=methodcaller("isoformat"),
    parse_value=parse_date,
    parse_literal=_literal_parser(parse_date),
)
DateTime: ScalarDefinition = strawberry.scalar(
    name="DateTime",
    description=(
        "A date and time, ISO 8601 with its UTC offset (2027-01-04T09:30:00+01:00); "
        f"{DATETIME_RANGE}."
    ),
    serialize=methodcaller("isoformat"),
    parse_value=parse_datetime,
    parse_literal=_literal_parser(parse_datetime),
)
SCALARS: dict[object, ScalarDefinition] = {dt.date: Date, dt.datetime: DateTime}

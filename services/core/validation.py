"""Field checks shared by every use case; each adds a clear problem instead of raising."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from services.core.errors import ErrorCode, Field, Problems, at
from services.core.scales import scale_text

# Sane upper bounds for free text (characters).
NAME_MAX = 120
TITLE_MAX = 200
SHORT_TEXT_MAX = 2_000
LONG_TEXT_MAX = 20_000
CRITERION_MAX = 1_000
CRITERIA_MAX_COUNT = 50
TAG_MAX = 60

ART_KEY_RE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
ITEM_KEY_RE = re.compile(r"^[A-Z][A-Z0-9]{1,9}-[1-9][0-9]{0,7}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TAG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

# The code points a text column cannot hold: PostgreSQL's text refuses NUL (SQLite would keep
# it), so every backend refuses it alike.
UNSTORABLE = {"\x00": "NUL"}


def storable(value: str) -> bool:
    """Whether every backend can store (and compare) the text as it is."""
    return not any(c in value for c in UNSTORABLE)


def unstorable_problem(problems: Problems, field: str, value: str) -> bool:
    """Add the problem of a text that cannot be stored; True when there was one."""
    if storable(value):
        return False
    bad = next(c for c in UNSTORABLE if c in value)
    problems.add(
        ErrorCode.INVALID_VALUE,
        at(
            field,
            f" contains a {UNSTORABLE[bad]} character (U+{ord(bad):04X}), which cannot be "
            "stored; remove it.",
        ),
        field,
    )
    return True


def text(
    problems: Problems,
    field: str,
    value: Any,
    *,
    max_len: int,
    required: bool = False,
    label: str | None = None,
) -> str | None:
    """Check one text field and return it trimmed (None when it failed)."""
    name: str | Field = label or Field(field)
    if value is None:
        if required:
            problems.add(ErrorCode.REQUIRED, (name, " is required."), field)
        return None
    stripped = str(value).strip()
    if unstorable_problem(problems, field, stripped):
        return None
    if required and not stripped:
        problems.add(ErrorCode.REQUIRED, (name, " must not be blank."), field)
        return None
    if len(stripped) > max_len:
        problems.add(
            ErrorCode.TOO_LONG,
            (name, f" is {len(stripped)} characters long; at most {max_len} are allowed."),
            field,
        )
        return None
    return stripped


def pattern(
    problems: Problems, field: str, value: str | None, regex: re.Pattern[str], rule: str
) -> str | None:
    if value is None:
        return None
    if not regex.match(value):
        problems.add(ErrorCode.INVALID_VALUE, at(field, f" {value!r} is not valid: {rule}."), field)
        return None
    return value


def on_scale(
    problems: Problems, field: str, value: int | None, scale: tuple[int, ...], what: str
) -> int | None:
    if value is None:
        return None
    if value not in scale:
        problems.add(
            ErrorCode.OUT_OF_SCALE,
            at(field, f" {value} is not on the {what} scale; allowed values: {scale_text(scale)}."),
            field,
        )
        return None
    return value


def in_range(
    problems: Problems, field: str, value: int | None, low: int, high: int, unit: str
) -> int | None:
    if value is None:
        return None
    if not low <= value <= high:
        problems.add(
            ErrorCode.INVALID_VALUE,
            at(field, f" {value} is out of range; allowed: {low} to {high} {unit}."),
            field,
        )
        return None
    return value


def text_list(problems: Problems, field: str, values: Sequence[str] | None) -> list[str] | None:
    """Acceptance criteria and the like: trimmed, no blanks, bounded count and length."""
    if values is None:
        return None
    cleaned = [str(v).strip() for v in values]
    if len(cleaned) > CRITERIA_MAX_COUNT:
        problems.add(
            ErrorCode.TOO_LONG,
            at(field, f" has {len(cleaned)} entries; at most {CRITERIA_MAX_COUNT} are allowed."),
            field,
        )
        return None
    for position, item in enumerate(cleaned, start=1):
        if unstorable_problem(problems, f"{field}[{position - 1}]", item):
            return None
        if not item:
            problems.add(ErrorCode.REQUIRED, at(field, f" entry {position} is blank."), field)
            return None
        if len(item) > CRITERION_MAX:
            problems.add(
                ErrorCode.TOO_LONG,
                at(
                    field,
                    f" entry {position} is {len(item)} characters long; "
                    f"at most {CRITERION_MAX} are allowed.",
                ),
                field,
            )
            return None
    return cleaned

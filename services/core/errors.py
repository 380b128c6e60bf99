"""Expected failures of a use case: a stable code, a message for people, the field at fault.

Services speak domain names. A message that names an input field holds it as a `Field`, not as
text, so each caller shows it under its own name: the API under the field's GraphQL name (a
table built from the schema, schema/kit/errors.py), everything else under the domain name.
The free text of a message is never rewritten.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass


class ErrorCode(enum.Enum):
    INVALID_VALUE = "INVALID_VALUE"
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    OUT_OF_SCALE = "OUT_OF_SCALE"
    INVALID_ID = "INVALID_ID"
    NOT_FOUND = "NOT_FOUND"
    ARCHIVED = "ARCHIVED"
    DUPLICATE_KEY = "DUPLICATE_KEY"
    CONFLICT = "CONFLICT"
    WRONG_ART = "WRONG_ART"
    WRONG_PLANNING_INTERVAL = "WRONG_PLANNING_INTERVAL"
    IP_ITERATION = "IP_ITERATION"
    SELF_DEPENDENCY = "SELF_DEPENDENCY"
    PARENT_CHILD_DEPENDENCY = "PARENT_CHILD_DEPENDENCY"
    DUPLICATE_DEPENDENCY = "DUPLICATE_DEPENDENCY"
    CYCLE = "CYCLE"
    IN_USE = "IN_USE"
    FORBIDDEN_TRANSITION = "FORBIDDEN_TRANSITION"
    NOT_READY = "NOT_READY"
    WIP_LIMIT_REACHED = "WIP_LIMIT_REACHED"
    TIMEBOX = "TIMEBOX"
    AGENDA_OVERLOADED = "AGENDA_OVERLOADED"
    WRONG_TEAM = "WRONG_TEAM"
    SESSION_STATE = "SESSION_STATE"


@dataclass(frozen=True, slots=True)
class Field:
    """An input field named inside a message, by its domain name; a path such as
    `moves[2].iteration_id` names a field of one entry of a list."""

    name: str


Message = str | tuple[str | Field, ...]
"""A message for people: plain text, or text and the fields it names, in reading order."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def domain_name(name: str) -> str:
    return name


def render_field(path: str, name_of: Callable[[str], str]) -> str:
    """A field path under the names `name_of` gives each of its names."""
    return _NAME.sub(lambda m: name_of(m.group(0)), path)


def render(message: Message, name_of: Callable[[str], str] = domain_name) -> str:
    """The message as people read it, each field it names under the name `name_of` gives."""
    if isinstance(message, str):
        return message
    return "".join(
        render_field(part.name, name_of) if isinstance(part, Field) else part for part in message
    )


def joined(*messages: Message) -> Message:
    """Several messages read as one (e.g. a prefix naming the entry of a list)."""
    parts: list[str | Field] = []
    for message in messages:
        parts.extend((message,) if isinstance(message, str) else message)
    return tuple(parts)


def at(field: str, rest: str) -> tuple[Field, str]:
    """A message about `field` that starts with its name: `at("due_on", " is in the past.")`."""
    return (Field(field), rest)


@dataclass(frozen=True, slots=True)
class Problem:
    code: ErrorCode
    text: Message
    field: str | None = None
    current_version: int | None = None

    @property
    def message(self) -> str:
        """The message under domain names (logs, scripts, the CLI)."""
        return render(self.text)

    def shown(self, name_of: Callable[[str], str]) -> str:
        return render(self.text, name_of)


class DomainError(Exception):
    """One or more expected problems; the caller's transaction must roll back."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems

    @property
    def extensions(self) -> dict[str, str]:
        # Raised from a query (not a mutation payload): graphql-core reports the code.
        return {"code": self.problems[0].code.value}

    @classmethod
    def single(
        cls,
        code: ErrorCode,
        message: Message,
        field: str | None = None,
        current_version: int | None = None,
    ) -> DomainError:
        return cls([Problem(code, message, field, current_version)])


class Problems:
    """Collects every problem with an input so the user sees them all at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, code: ErrorCode, message: Message, field: str | None = None) -> None:
        self.items.append(Problem(code, message, field))

    def has(self, field: str) -> bool:
        return any(p.field == field for p in self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise DomainError(list(self.items))

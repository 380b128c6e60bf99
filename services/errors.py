"""Expected failures of a use case: a stable code, a message for people, the field at fault."""

from __future__ import annotations

import enum
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
    TIMEBOX = "TIMEBOX"
    AGENDA_OVERLOADED = "AGENDA_OVERLOADED"
    WRONG_TEAM = "WRONG_TEAM"
    SESSION_STATE = "SESSION_STATE"


@dataclass(frozen=True, slots=True)
class Problem:
    code: ErrorCode
    message: str
    field: str | None = None
    current_version: int | None = None


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
        message: str,
        field: str | None = None,
        current_version: int | None = None,
    ) -> DomainError:
        return cls([Problem(code, message, field, current_version)])


class Problems:
    """Collects every problem with an input so the user sees them all at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        self.items.append(Problem(code, message, field))

    def has(self, field: str) -> bool:
        return any(p.field == field for p in self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise DomainError(list(self.items))

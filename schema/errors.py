"""Payload errors (expected failures) and which top-level errors a client may read."""

from __future__ import annotations

import re
from collections.abc import Iterable

import strawberry
from graphql import GraphQLError

from services.access import AuthError
from services.errors import DomainError, ErrorCode, Problem
from services.filters import FilterError
from services.pagination import PaginationError

ErrorCodeEnum = strawberry.enum(
    ErrorCode,
    name="ErrorCode",
    description="Stable codes of expected failures, for clients to branch on.",
)


class ClientError(Exception):
    """A request the API refuses for a reason the client can fix; shown unmasked."""


# Failures whose message is written for clients (all others are masked).
READABLE_ERRORS: tuple[type[Exception], ...] = (
    ClientError,
    AuthError,
    DomainError,
    PaginationError,
    FilterError,
)


def should_mask_error(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None:
        return False  # parse and validation errors stay readable
    return not isinstance(original, READABLE_ERRORS)


_CAMEL = re.compile(r"_([a-z])")
_SNAKE_WORD = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def camel(name: str) -> str:
    return _CAMEL.sub(lambda m: m.group(1).upper(), name)


@strawberry.type(description="Why a mutation wrote nothing: one problem with its input.")
class UserError:
    code: ErrorCode = strawberry.field(description="Stable machine-readable code.")
    message: str = strawberry.field(description="What was wrong and what is allowed, for people.")
    field: str | None = strawberry.field(
        description="The input field at fault (camelCase), when one is."
    )
    current_version: int | None = strawberry.field(
        description="For CONFLICT: the version the item has now; reload and retry with it."
    )


def _message(problem: Problem) -> str:
    # Service messages name fields in snake_case; clients know them in camelCase.
    return _SNAKE_WORD.sub(lambda m: camel(m.group(0)), problem.message)


def user_errors(problems: Iterable[Problem]) -> list[UserError]:
    return [
        UserError(
            code=p.code,
            message=_message(p),
            field=camel(p.field) if p.field else None,
            current_version=p.current_version,
        )
        for p in problems
    ]

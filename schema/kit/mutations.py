"""The mutation runner: one transaction per mutation, expected failures as payload errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from schema.kit.context import Context
from schema.kit.errors import UserError, user_errors
from schema.kit.relay import Expected, IdError, decode_id
from services.access.permissions import Actor
from services.core import records, validation
from services.core.errors import DomainError, ErrorCode, Problem, Problems
from services.core.inputs import UNSET, Maybe
from services.history import audit
from services.refinement import channel, events

R = TypeVar("R")
T = TypeVar("T")
# The node types (or their names) a global id may name.
IdSpec = Expected


INPUT = strawberry.argument(description="What to change; see the input type.")


@strawberry.input(description="Archive an item: it disappears from lists but keeps its history.")
class ArchiveInput:
    id: strawberry.ID = strawberry.field(description="The item to archive.")
    version: int = strawberry.field(description="The version you read (optimistic concurrency).")


async def run(
    info: Info[Context, None], action: Callable[[AsyncSession, Actor], Awaitable[R]]
) -> tuple[R | None, list[UserError]]:
    """Run ``action`` for the request's actor in its own transaction, every write attributed
    to that actor in the history. Expected failures roll it back and come back as payload
    errors; a refusal for who the actor is (services.access.permissions.AuthError) rolls it back and
    propagates as a top-level FORBIDDEN / UNAUTHENTICATED error.

    The refinement events the transaction logged go to the session's live subscribers once it
    has committed, never before and never when it rolled back (on PostgreSQL through the
    channel every server process listens on, services/refinement/channel.py)."""
    unstorable = unstorable_text(info)
    if unstorable:
        return None, user_errors(unstorable)
    sessionmaker = info.context.sessionmaker
    actor = info.context.actor
    try:
        async with sessionmaker.begin() as session:
            audit.bind(session, actor)
            result = await action(session, actor)
            logged = events.pending(session)
            if logged and info.context.broker.fed_by_database:
                await channel.notify(session, logged)
    except DomainError as exc:
        return None, user_errors(exc.problems)
    except IdError as exc:
        return None, user_errors([Problem(ErrorCode.INVALID_ID, str(exc), exc.field)])
    except records.StaleWriteError as exc:
        async with sessionmaker() as session:
            current = await records.current_version(session, exc.model, exc.row_id)
        problem = Problem(
            ErrorCode.CONFLICT,
            f"{exc.label} was changed by someone else while you saved; the current version is "
            f"{current}. Reload it and apply your change again.",
            "version",
            current,
        )
        return None, user_errors([problem])
    if not info.context.broker.fed_by_database:
        for session_id, event_id in logged:
            info.context.broker.publish(session_id, event_id)
    return result, []


def unstorable_text(info: Info[Context, None]) -> list[Problem]:
    """Every text of the mutation's arguments that no backend can store, each named by its
    path as the client sent it (`acceptanceCriteria[2]`; the fields of `input` without its
    name). Checked before anything runs, so a use case never meets one."""
    problems = Problems()
    for field in info.selected_fields[:1]:
        if not isinstance(field, SelectedField):
            continue
        for name, value in field.arguments.items():
            _check_text(problems, "" if name == "input" else name, value)
    return problems.items


def _check_text(problems: Problems, path: str, value: Any) -> None:
    if isinstance(value, str):
        validation.unstorable_problem(problems, path or "input", value)
    elif isinstance(value, Mapping):
        for name, item in value.items():
            _check_text(problems, f"{path}.{name}" if path else name, item)
    elif isinstance(value, list | tuple):
        for position, item in enumerate(value):
            _check_text(problems, f"{path}[{position}]", item)


def node_id(value: strawberry.ID, expected: IdSpec, field: str) -> int:
    return decode_id(value, expected, field)[1]


def optional_id(value: strawberry.ID | None, expected: IdSpec, field: str) -> int | None:
    return None if value is None else node_id(value, expected, field)


def maybe(value: T) -> Maybe[T]:
    """A field of a GraphQL input as the use case takes it: UNSET when the client left it out
    (strawberry's UNSET), else its value (None included: "clear it")."""
    return UNSET if value is strawberry.UNSET else value


def maybe_id(value: strawberry.ID | None, expected: IdSpec, field: str) -> Maybe[int | None]:
    """An optional reference: UNSET when left out, None when cleared, else the row's id.
    `field` names the input field in an id error, as clients know it."""
    given = maybe(value)
    if given is UNSET or given is None:
        return given
    return node_id(given, expected, field)


def node_ids(values: list[strawberry.ID] | None, expected: IdSpec, field: str) -> list[int]:
    """A list of references (none when null): the rows' ids, in order."""
    return [node_id(value, expected, field) for value in values or []]


def maybe_ids(
    values: list[strawberry.ID] | None, expected: IdSpec, field: str
) -> Maybe[list[int] | None]:
    """A list of references (e.g. the components an item touches), like `maybe_id`."""
    given = maybe(values)
    if given is UNSET or given is None:
        return given
    return node_ids(given, expected, field)

"""A database outage during a GraphQL operation: one error clients can retry on.

Whatever a resolver, a mutation or a subscription was doing when the database went away
(services.core.db.is_unavailable decides what counts), the operation answers the same
readable error with `extensions.code` UNAVAILABLE instead of a masked "Internal error.".
Over HTTP the whole response becomes a 503 with Retry-After (schema.transport.app maps it);
over the WebSocket the subscription gets it as its `error` or `next` message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import StreamExecutionResult

from schema.kit.errors import ClientError
from services.core.db import UNAVAILABLE_MESSAGE, is_unavailable

UNAVAILABLE_CODE = "UNAVAILABLE"


class Unavailable(ClientError):
    """The database cannot answer now; the same request may succeed in a few seconds.
    Readable (never masked), and caused by the outage it stands for."""

    def __init__(self) -> None:
        super().__init__(UNAVAILABLE_MESSAGE)

    @property
    def extensions(self) -> dict[str, object]:
        return {"code": UNAVAILABLE_CODE}


def unavailable_error(error: GraphQLError) -> GraphQLError:
    """`error` as the UNAVAILABLE error, at the same place in the response."""
    outage = Unavailable()
    outage.__cause__ = error.original_error
    return GraphQLError(
        UNAVAILABLE_MESSAGE,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=outage,
    )


def outage_of(errors: list[GraphQLError] | None) -> Unavailable | None:
    """The outage behind an operation's errors (after OutageErrors ran), if there was one."""
    for error in errors or ():
        if isinstance(error.original_error, Unavailable):
            return error.original_error
    return None


@runtime_checkable
class _WithErrors(Protocol):
    errors: list[GraphQLError] | None


def _rewrite(result: object) -> None:
    if isinstance(result, _WithErrors) and result.errors:
        result.errors = [
            unavailable_error(error) if _needs_rewrite(error) else error for error in result.errors
        ]


def _needs_rewrite(error: GraphQLError) -> bool:
    return not isinstance(error.original_error, Unavailable) and is_unavailable(error)


class OutageErrors(SchemaExtension):
    """Turns errors caused by a database outage into the UNAVAILABLE error before MaskErrors
    would hide the driver's exception: as execution ends (MaskErrors masks as the operation
    ends, later), and before each streamed result (MaskErrors masks there too, so this
    extension is listed before it)."""

    def on_execute(self) -> Iterator[None]:
        yield
        _rewrite(self.execution_context.result)

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        _rewrite(result)
        yield None

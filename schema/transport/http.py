"""GraphQL over HTTP (graphql-over-http spec): GET for queries, POST for all, and the
``application/graphql-response+json`` media type, under which request errors answer 4xx.

Strawberry's stock Litestar view always answers 200 and knows only ``application/json``,
so this thin handler calls ``schema.execute`` itself.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from graphql import GraphQLError
from litestar import Controller, Request, Response, get, post
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_400_BAD_REQUEST,
    HTTP_405_METHOD_NOT_ALLOWED,
    HTTP_406_NOT_ACCEPTABLE,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
)
from strawberry import Schema
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from schema.kit.context import Context
from schema.kit.outages import outage_of
from schema.transport.auth import AuthFailure
from schema.transport.text import lone_surrogate_problem

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"
_encoder = msgspec.json.Encoder()
SUBSCRIPTIONS_OVER_WEBSOCKET = (
    "Subscriptions run over a WebSocket to /graphql with the graphql-transport-ws subprotocol, "
    "not over GET or POST."
)


class RequestError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def negotiate(accept: str | None) -> str | None:
    """The response media type for an Accept header; None when neither JSON type is acceptable."""
    if not accept or not accept.strip():
        return APPLICATION_JSON
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, media.lower()))
    for _, _, media in sorted(ranked):
        if media == GRAPHQL_RESPONSE_JSON:
            return GRAPHQL_RESPONSE_JSON
        if media in (APPLICATION_JSON, "application/*", "*/*"):
            # Legacy clients (and curl's */*) get application/json, as the spec recommends.
            return APPLICATION_JSON
    return None


def _json_object(raw: str | bytes, what: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise RequestError(HTTP_400_BAD_REQUEST, f"{what} is not valid JSON.") from None


def _params(data: Any, method: str) -> tuple[str, dict[str, Any] | None, str | None]:
    if isinstance(data, list):
        raise RequestError(
            HTTP_400_BAD_REQUEST,
            "Batched requests are not supported: send one operation per request.",
        )
    if not isinstance(data, dict):
        raise RequestError(HTTP_400_BAD_REQUEST, "The request body must be a JSON object.")
    query = data.get("query")
    if not isinstance(query, str) or not query.strip():
        raise RequestError(HTTP_400_BAD_REQUEST, "The request has no GraphQL `query` string.")
    variables = data.get("variables")
    if isinstance(variables, str) and variables:
        variables = _json_object(variables, "`variables`")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(HTTP_400_BAD_REQUEST, "`variables` must be a JSON object.")
    operation_name = data.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(HTTP_400_BAD_REQUEST, "`operationName` must be a string.")
    extensions = _extensions(data.get("extensions"), method)
    problem = lone_surrogate_problem(query, variables, operation_name, extensions)
    if problem is not None:
        raise RequestError(HTTP_400_BAD_REQUEST, problem)
    return query, variables or None, operation_name or None


def _extensions(extensions: Any, method: str) -> dict[str, Any] | None:
    # Over GET every parameter is a string: `extensions` is the JSON of an object there.
    if method == "GET" and isinstance(extensions, str) and extensions:
        extensions = _json_object(extensions, "`extensions`")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestError(HTTP_400_BAD_REQUEST, "`extensions` must be a JSON object.")
    return extensions


def _is_request_error(result: ExecutionResult) -> bool:
    """Parse, validation and variable errors: nothing executed, so no `data` at all."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(not e.path for e in errors)


def _error_response(error: RequestError, media: str) -> Response[bytes]:
    body = _encoder.encode({"errors": [{"message": str(error)}]})
    return Response(body, status_code=error.status, media_type=media, headers=error.headers)


ContextFactory = Callable[[Request[Any, Any, Any], str], Awaitable[Context]]


def graphql_controller(
    schema: Schema, graphiql: bool, make_context: ContextFactory
) -> type[Controller]:
    """The /graphql endpoint bound to one schema and one context factory."""

    async def execute(request: Request[Any, Any, Any], data: Any, method: str) -> Response[bytes]:
        media = negotiate(request.headers.get("accept"))
        if media is None:
            return _error_response(
                RequestError(
                    HTTP_406_NOT_ACCEPTABLE,
                    f"Accept {GRAPHQL_RESPONSE_JSON} or {APPLICATION_JSON}.",
                ),
                APPLICATION_JSON,
            )
        try:
            query, variables, operation_name = _params(data, method)
            try:
                context = await make_context(request, method)
            except AuthFailure as exc:
                code = "UNAUTHENTICATED" if exc.status == 401 else "FORBIDDEN"
                body = {"errors": [{"message": str(exc), "extensions": {"code": code}}]}
                return Response(_encoder.encode(body), status_code=exc.status, media_type=media)
            allowed = (
                {OperationType.QUERY}
                if method == "GET"
                else {
                    OperationType.QUERY,
                    OperationType.MUTATION,
                }
            )
            try:
                result = await schema.execute(
                    query,
                    variable_values=variables,
                    context_value=context,
                    operation_name=operation_name,
                    allowed_operation_types=allowed,
                )
            except InvalidOperationTypeError as exc:
                if exc.operation_type is OperationType.SUBSCRIPTION:
                    raise RequestError(HTTP_400_BAD_REQUEST, SUBSCRIPTIONS_OVER_WEBSOCKET) from None
                raise RequestError(
                    HTTP_405_METHOD_NOT_ALLOWED,
                    f"{exc.operation_type.value.capitalize()}s are sent with POST; GET runs "
                    "queries only.",
                    {"Allow": "POST"},
                ) from None
            except CannotGetOperationTypeError as exc:
                raise RequestError(HTTP_400_BAD_REQUEST, exc.as_http_error_reason()) from None
        except RequestError as exc:
            return _error_response(exc, media)
        if (outage := outage_of(result.errors)) is not None:
            raise outage  # the whole response is a 503 (schema.transport.app)
        return _result_response(result, media)

    class GraphQLController(Controller):
        path = "/graphql"

        @get(include_in_schema=False, cache=False)
        async def get_graphql(self, request: Request[Any, Any, Any]) -> Response[bytes]:
            params = dict(request.query_params)
            accept = request.headers.get("accept", "")
            if "query" not in params and "text/html" in accept:
                if not graphiql:
                    return _error_response(
                        RequestError(404, "GraphiQL is turned off (TRAINYARD_GRAPHIQL=0)."),
                        APPLICATION_JSON,
                    )
                html = get_graphql_ide_html(graphql_ide="graphiql")
                return Response(html.encode(), media_type="text/html")
            return await execute(request, params, "GET")

        @post(include_in_schema=False, status_code=HTTP_200_OK)
        async def post_graphql(self, request: Request[Any, Any, Any]) -> Response[bytes]:
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type != APPLICATION_JSON:
                return _error_response(
                    RequestError(
                        HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                        "Send the request body as application/json.",
                    ),
                    negotiate(request.headers.get("accept")) or APPLICATION_JSON,
                )
            try:
                data = _json_object(await request.body(), "The request body")
            except RequestError as exc:
                return _error_response(
                    exc, negotiate(request.headers.get("accept")) or APPLICATION_JSON
                )
            return await execute(request, data, "POST")

    return GraphQLController


def _result_response(result: ExecutionResult, media: str) -> Response[bytes]:
    request_error = _is_request_error(result)
    body: dict[str, Any] = {}
    if not request_error:
        body["data"] = result.data
    if result.errors:
        body["errors"] = [_format(e) for e in result.errors]
    if result.extensions:
        body["extensions"] = result.extensions
    status = (
        HTTP_400_BAD_REQUEST if request_error and media == GRAPHQL_RESPONSE_JSON else HTTP_200_OK
    )
    return Response(_encoder.encode(body), status_code=status, media_type=media)


def _format(error: GraphQLError) -> dict[str, Any]:
    return error.formatted  # type: ignore[return-value]  # graphql-core types it as a TypedDict, JSON-ready

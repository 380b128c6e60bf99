"""GraphQL subscriptions over a WebSocket at /graphql (the graphql-transport-ws protocol).

Strawberry's protocol handler speaks the protocol; this module gives it a Litestar route, the
connection's Context and who is on it. The caller is the browser's session cookie on the
upgrade request (or its `Authorization` header), or a `connection_init` payload
`{"authorization": "Bearer <token>"}` for portfolio tools, which takes precedence. A connection
with neither is closed with 4403 Forbidden when it sends `connection_init`. Cross-origin
upgrades are refused by Strawberry's origin check, which is what keeps a cookie-authenticated
WebSocket safe without a CSRF token.

The socket runs subscriptions only: queries and mutations go over HTTP (schema.transport.http),
where each request gets a fresh Context; a WebSocket's Context lives as long as the connection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, TypeGuard, cast

from graphql import GraphQLError, OperationType, get_operation_ast, parse
from litestar import Request, Response, WebSocket, websocket
from litestar.handlers import WebsocketRouteHandler
from litestar.status_codes import WS_1008_POLICY_VIOLATION
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry import Schema
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.async_base_view import AsyncBaseHTTPView
from strawberry.litestar.controller import LitestarWebSocketAdapter
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage
from strawberry.types.unset import UnsetType

from schema.kit.context import Context
from schema.transport.auth import BEARER_HINT, UNKNOWN_TOKEN, AuthFailure, authenticate
from schema.transport.text import lone_surrogate_problem
from services.access import tokens
from services.access.permissions import ANONYMOUS, Actor
from services.core.db import UNAVAILABLE_MESSAGE, is_unavailable

PATH = "/graphql"
WS_1013_TRY_AGAIN_LATER = 1013
OVER_HTTP = (
    "Queries and mutations are sent with GET or POST to /graphql; this WebSocket runs "
    "subscriptions only."
)
ContextFactory = Callable[[Actor], Context]


class SubscriptionsHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's graphql-transport-ws handler, refusing queries and mutations: they would
    run with the connection's long-lived Context and see the rows it read earlier; and
    refusing text that is not Unicode, as the HTTP transport does."""

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        payload = message.get("payload")
        if self.connection_acknowledged and isinstance(payload, dict):
            refusal = lone_surrogate_problem(
                payload.get("query"),
                payload.get("variables"),
                payload.get("operationName"),
                payload.get("extensions"),
            )
            if refusal is None and _runs_over_http(
                payload.get("query"), payload.get("operationName")
            ):
                refusal = OVER_HTTP
            if refusal is not None:
                error = GraphQLError(refusal)
                await self.send_message(
                    {"id": message["id"], "type": "error", "payload": [error.formatted]}
                )
                return
        await super().handle_subscribe(message)


def _runs_over_http(query: object, operation_name: object) -> bool:
    if not isinstance(query, str):
        return False  # Strawberry's handler refuses the message
    try:
        document = parse(query)
    except GraphQLError:
        return False  # Strawberry's handler closes the socket with the syntax error
    name = operation_name if isinstance(operation_name, str) else None
    operation = get_operation_ast(document, name)
    return operation is not None and operation.operation is not OperationType.SUBSCRIPTION


class SubscriptionsView(
    AsyncBaseHTTPView[
        Request[Any, Any, Any],
        Response[Any],
        Response[Any],
        WebSocket[Any, Any, Any],
        WebSocket[Any, Any, Any],
        Context,
        None,
    ]
):
    """The WebSocket half of Strawberry's view; HTTP is schema.transport.http's."""

    protocols = (GRAPHQL_TRANSPORT_WS_PROTOCOL,)
    graphql_transport_ws_handler_class = SubscriptionsHandler
    websocket_adapter_class = LitestarWebSocketAdapter  # type: ignore[assignment]  # typed for Strawberry's own controller, works with any view
    graphql_ide = None
    connection_init_wait_timeout = timedelta(seconds=15)
    max_subscriptions_per_connection = 20

    def __init__(
        self,
        schema: Schema,
        sessionmaker: async_sessionmaker[AsyncSession],
        make_context: ContextFactory,
    ) -> None:
        self.schema = schema
        self._sessionmaker = sessionmaker
        self._make_context = make_context

    async def get_context(
        self,
        request: Request[Any, Any, Any] | WebSocket[Any, Any, Any],
        response: Response[Any] | WebSocket[Any, Any, Any],
    ) -> Context:
        """The connection's Context, for the caller of the upgrade request (or nobody yet)."""
        try:
            # authenticate reads only the headers and cookies, which the upgrade request has.
            caller = await authenticate(cast("Request[Any, Any, Any]", request), self._sessionmaker)
            actor = caller.actor
        except AuthFailure:
            actor = ANONYMOUS  # refused at connection_init unless its payload names a token
        return self._make_context(actor)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        authorization = (context.connection_params or {}).get("authorization")
        if authorization is not None:
            actor = await self._token_actor(authorization)
            if actor is None:
                raise ConnectionRejectionError({"message": f"{UNKNOWN_TOKEN} {BEARER_HINT}"})
            context.actor = actor
            context.refresh()
        if context.actor.person_id is None:
            raise ConnectionRejectionError({"message": "Sign in or send an API token."})
        return await super().on_ws_connect(context)

    async def _token_actor(self, authorization: object) -> Actor | None:
        if not isinstance(authorization, str):
            return None
        scheme, _, secret = authorization.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            return None
        async with self._sessionmaker.begin() as session:
            found = await tokens.resolve_token(session, secret.strip())
            if found is None:
                return None
            return await tokens.actor_for_token(session, *found)

    # The WebSocket side of Strawberry's view, as its Litestar controller does it.

    def is_websocket_request(
        self, request: Request[Any, Any, Any] | WebSocket[Any, Any, Any]
    ) -> TypeGuard[WebSocket[Any, Any, Any]]:
        return isinstance(request, WebSocket)

    async def pick_websocket_subprotocol(self, request: WebSocket[Any, Any, Any]) -> str | None:
        offered: list[str] = request.scope.get("subprotocols", [])
        return next((p for p in offered if p in self.websocket_subprotocols), None)

    async def create_websocket_response(
        self, request: WebSocket[Any, Any, Any], subprotocol: str | None
    ) -> WebSocket[Any, Any, Any]:
        await request.accept(subprotocols=subprotocol)
        return request

    def get_websocket_headers(self, request: WebSocket[Any, Any, Any]) -> Mapping[str, str]:
        return request.headers

    async def reject_websocket(self, request: WebSocket[Any, Any, Any]) -> WebSocket[Any, Any, Any]:
        # Closing before accepting answers the handshake with 403.
        await request.close(code=WS_1008_POLICY_VIOLATION)
        return request

    async def get_root_value(
        self, request: Request[Any, Any, Any] | WebSocket[Any, Any, Any]
    ) -> None:
        return None

    # HTTP is served by schema.transport.http; Strawberry's view requires these all the same.

    @property
    def allow_queries_via_get(self) -> bool:
        return False

    async def get_sub_response(self, request: Request[Any, Any, Any]) -> Response[Any]:
        raise NotImplementedError(OVER_HTTP)

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response[Any],
    ) -> Response[Any]:
        raise NotImplementedError(OVER_HTTP)

    async def render_graphql_ide(self, request: Request[Any, Any, Any]) -> Response[Any]:
        raise NotImplementedError(OVER_HTTP)


def graphql_websocket(view: SubscriptionsView) -> WebsocketRouteHandler:
    """The WebSocket route at /graphql, beside the HTTP controller on the same path."""

    @websocket(PATH)
    async def graphql_subscriptions(socket: WebSocket[Any, Any, Any]) -> None:
        try:
            await view.run(socket)
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            await _close_unavailable(view, socket)

    return graphql_subscriptions


async def _close_unavailable(view: SubscriptionsView, socket: WebSocket[Any, Any, Any]) -> None:
    """The database failed while looking up who is connecting (operations report an outage
    themselves, schema.kit.outages): close with 1013 Try Again Later, which clients reconnect
    after, where Litestar's 4500 would tell graphql-transport-ws clients to give up."""
    if socket.connection_state == "disconnect":
        return
    if socket.connection_state == "init":  # not accepted yet: a refused handshake says nothing
        await socket.accept(subprotocols=await view.pick_websocket_subprotocol(socket))
    await socket.close(code=WS_1013_TRY_AGAIN_LATER, reason=UNAVAILABLE_MESSAGE)

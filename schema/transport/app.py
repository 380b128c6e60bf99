"""The Litestar application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import msgspec
from litestar import Litestar, Request, Response, get
from litestar.exceptions.responses import create_debug_response, create_exception_response
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR, HTTP_503_SERVICE_UNAVAILABLE

from schema.build import build_schema
from schema.kit.broker import Broker
from schema.kit.context import Context
from schema.kit.loaders import Loaders
from schema.kit.outages import UNAVAILABLE_CODE
from schema.transport.auth import auth_controller, authenticate, check_csrf
from schema.transport.http import APPLICATION_JSON, graphql_controller, negotiate
from schema.transport.websocket import SubscriptionsView, graphql_websocket
from services.access.permissions import Actor
from services.analysis.plans import AnalysisCache
from services.core.db import (
    RETRY_AFTER_S,
    UNAVAILABLE_MESSAGE,
    create_engine,
    create_sessionmaker,
    database_answers,
    ensure_migrated,
    is_unavailable,
)
from services.core.settings import Settings, load_settings
from services.refinement.channel import EventChannel

log = logging.getLogger(__name__)
_encoder = msgspec.json.Encoder()
UNAVAILABLE_BODY = _encoder.encode(
    {"errors": [{"message": UNAVAILABLE_MESSAGE, "extensions": {"code": UNAVAILABLE_CODE}}]}
)


def unavailable_response(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The one answer to a request the database could not serve, wherever it failed (the
    caller's token or session, a resolver, a mutation): 503 with Retry-After, and a GraphQL
    response body with the UNAVAILABLE code, also under application/json. An outage is not
    a GraphQL error but the service's, and the status tells every client and proxy to retry."""
    return Response(
        UNAVAILABLE_BODY,
        status_code=HTTP_503_SERVICE_UNAVAILABLE,
        media_type=negotiate(request.headers.get("accept")) or APPLICATION_JSON,
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


def on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Litestar's answer to any exception a handler let through: 503 for a database outage
    (services.core.db.is_unavailable), else Litestar's own 500."""
    if is_unavailable(exc):
        log.warning("The database is unavailable (%s: %s); answered 503.", type(exc).__name__, exc)
        return unavailable_response(request)
    if request.app.debug:
        return create_debug_response(request, exc)
    return create_exception_response(request, exc)


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the app; the database is first touched when the app starts, not here."""
    settings = settings or load_settings()
    engine = create_engine(settings)
    sessionmaker = create_sessionmaker(engine)
    schema = build_schema(settings)
    cache = AnalysisCache()
    # Mutations publish refinement events to it (on PostgreSQL through the channel all server
    # processes listen on), subscriptions read them.
    broker = Broker()

    def context_for(actor: Actor) -> Context:
        loaders = Loaders(sessionmaker, actor.visible_art_ids())
        return Context(
            settings=settings,
            sessionmaker=sessionmaker,
            loaders=loaders,
            actor=actor,
            cache=cache,
            broker=broker,
        )

    async def make_context(request: Request[Any, Any, Any], method: str) -> Context:
        caller = await authenticate(request, sessionmaker)
        if method == "POST":
            check_csrf(request, caller)
        return context_for(caller.actor)

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        shared = (
            EventChannel(engine, broker.publish) if engine.dialect.name == "postgresql" else None
        )
        try:
            await ensure_migrated(engine, settings)
            if shared is not None:
                await shared.start()
                broker.fed_by_database = True
            yield
        finally:
            if shared is not None:
                await shared.stop()
                broker.fed_by_database = False
            await engine.dispose()

    @get("/healthz", include_in_schema=False, cache=False)
    async def health() -> Response[dict[str, str]]:
        try:
            await database_answers(engine)
        except Exception:
            return Response(
                {"status": "unavailable"},
                status_code=HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
        return Response({"status": "ok"})

    handlers: list[Any] = [
        graphql_controller(schema, settings.graphiql, make_context),
        graphql_websocket(SubscriptionsView(schema, sessionmaker, context_for)),
        auth_controller(settings, sessionmaker),
        health,
    ]
    dist = Path(settings.frontend_dist)
    if (dist / "index.html").is_file():
        handlers.append(create_static_files_router(path="/", directories=[dist], html_mode=True))
    else:

        @get("/", include_in_schema=False)
        async def index() -> Redirect:
            return Redirect(path="/graphql")

        handlers.append(index)

    app = Litestar(
        route_handlers=handlers,
        lifespan=[lifespan],
        debug=settings.debug,
        request_max_body_size=settings.max_request_body_bytes,
        openapi_config=None,
        # Every exception that is not an HTTP error comes here (Litestar's rule for a 500 key).
        exception_handlers={HTTP_500_INTERNAL_SERVER_ERROR: on_unexpected},
    )
    app.state.engine = engine
    app.state.sessionmaker = sessionmaker
    app.state.settings = settings
    app.state.analysis_cache = cache
    app.state.broker = broker
    return app

"""The Litestar application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE

from schema.build import build_schema
from schema.kit.broker import Broker
from schema.kit.context import Context
from schema.kit.loaders import Loaders
from schema.transport.auth import auth_controller, authenticate, check_csrf
from schema.transport.http import graphql_controller
from schema.transport.websocket import SubscriptionsView, graphql_websocket
from services.access.permissions import Actor
from services.analysis.plans import AnalysisCache
from services.core.db import create_engine, create_sessionmaker, database_answers, ensure_migrated
from services.core.settings import Settings, load_settings
from services.refinement.channel import EventChannel


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
            return Response({"status": "unavailable"}, status_code=HTTP_503_SERVICE_UNAVAILABLE)
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
    )
    app.state.engine = engine
    app.state.sessionmaker = sessionmaker
    app.state.settings = settings
    app.state.analysis_cache = cache
    app.state.broker = broker
    return app

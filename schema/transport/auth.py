"""Who is calling: an API token (Authorization: Bearer), a browser session cookie (with its
CSRF header on POST), or nobody; and the /auth endpoints that sign people in and out."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    HTTP_429_TOO_MANY_REQUESTS,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.access import accounts, permissions, tokens
from services.access.permissions import ANONYMOUS, Actor
from services.core import validation
from services.core.settings import Settings
from services.models import Person

SESSION_COOKIE = "trainyard_session"
CSRF_HEADER = "x-csrf-token"
BEARER_HINT = "Send the API token as `Authorization: Bearer <token>`."
UNKNOWN_TOKEN = "The API token is unknown, revoked or expired."
SIGN_IN_FORMAT = "Send {email, password} as application/json."
SIGN_IN_FIELDS = "Send a JSON object with `email` and `password`."
UNSTORABLE_EMAIL = "email contains a NUL character (U+0000), which no email address has; remove it."


class AuthFailure(Exception):
    """The request's credentials are refused before anything runs."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Caller:
    actor: Actor
    csrf_token: str | None = None  # set for a cookie session


def client_of(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


async def authenticate(
    request: Request[Any, Any, Any], sessionmaker: async_sessionmaker[AsyncSession]
) -> Caller:
    header = request.headers.get("authorization")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthFailure(HTTP_401_UNAUTHORIZED, BEARER_HINT)
        async with sessionmaker.begin() as session:
            found = await tokens.resolve_token(session, secret.strip())
            if found is None:
                raise AuthFailure(HTTP_401_UNAUTHORIZED, UNKNOWN_TOKEN)
            return Caller(await tokens.actor_for_token(session, *found))
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        async with sessionmaker.begin() as session:
            found_session = await accounts.resolve_session(session, cookie)
            if found_session is not None:
                web_session, person = found_session
                return Caller(await permissions.load_actor(session, person), web_session.csrf_token)
    return Caller(ANONYMOUS)


def check_csrf(request: Request[Any, Any, Any], caller: Caller) -> None:
    """A cookie-authenticated POST must carry the session's CSRF token in a header."""
    if caller.csrf_token is not None and request.headers.get(CSRF_HEADER) != caller.csrf_token:
        raise AuthFailure(
            HTTP_403_FORBIDDEN,
            "Missing or wrong X-CSRF-Token header: send the csrfToken you got when signing in "
            "(GET /auth/session returns it again).",
        )


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response({"error": message}, status_code=status, headers=headers or {})


def _person(actor: Actor, name: str, email: str) -> dict[str, Any]:
    return {"name": name, "email": email, "isAdmin": actor.is_admin}


def auth_controller(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> type[Controller]:
    def session_cookie(value: str, max_age: int) -> Cookie:
        return Cookie(
            key=SESSION_COOKIE,
            value=value,
            max_age=max_age,
            path="/",
            httponly=True,
            secure=settings.cookie_secure,
            samesite="lax",
        )

    class AuthController(Controller):
        path = "/auth"
        include_in_schema = False

        @post("/sign-in", status_code=HTTP_200_OK)
        async def sign_in(self, request: Request[Any, Any, Any]) -> Response[Any]:
            if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
                return _error(HTTP_415_UNSUPPORTED_MEDIA_TYPE, SIGN_IN_FORMAT)
            try:
                body = json.loads(await request.body())
                email, password = str(body["email"]), str(body["password"])
            except (ValueError, KeyError, TypeError):
                return _error(HTTP_400_BAD_REQUEST, SIGN_IN_FIELDS)
            if not validation.storable(email):
                # No account has such an email; the database would refuse even to compare it.
                return _error(HTTP_400_BAD_REQUEST, UNSTORABLE_EMAIL)
            try:
                async with sessionmaker.begin() as session:
                    signed_in = await accounts.sign_in(session, email, password, client_of(request))
                    actor = await permissions.load_actor(session, signed_in.person)
            except accounts.RateLimited as exc:
                return _error(
                    HTTP_429_TOO_MANY_REQUESTS, str(exc), {"Retry-After": str(exc.retry_after)}
                )
            except accounts.SignInRefused as exc:
                # The failure was recorded (for rate limiting) in its own committed session.
                async with sessionmaker.begin() as session:
                    session.add(accounts.failure(email, client_of(request)))
                return _error(HTTP_401_UNAUTHORIZED, str(exc))
            person = signed_in.person
            max_age = int(accounts.SESSION_MAX.total_seconds())
            return Response(
                {
                    "person": _person(actor, person.name, person.email),
                    "csrfToken": signed_in.csrf_token,
                },
                cookies=[session_cookie(signed_in.session_token, max_age)],
            )

        @post("/sign-out", status_code=HTTP_200_OK)
        async def sign_out(self, request: Request[Any, Any, Any]) -> Response[Any]:
            cookie = request.cookies.get(SESSION_COOKIE)
            if cookie:
                caller = await authenticate(request, sessionmaker)
                try:
                    check_csrf(request, caller)
                except AuthFailure as exc:
                    return _error(exc.status, str(exc))
                async with sessionmaker.begin() as session:
                    await accounts.sign_out(session, cookie)
            return Response({"signedIn": False}, cookies=[session_cookie("", 0)])

        @get("/session", cache=False)
        async def current(self, request: Request[Any, Any, Any]) -> Response[Any]:
            try:
                caller = await authenticate(request, sessionmaker)
            except AuthFailure as exc:
                return _error(exc.status, str(exc))
            if caller.actor.person_id is None:
                return Response({"signedIn": False, "person": None, "csrfToken": None})
            async with sessionmaker() as session:
                person = await session.get(Person, caller.actor.person_id)
            assert person is not None
            return Response(
                {
                    "signedIn": True,
                    "person": _person(caller.actor, person.name, person.email),
                    "csrfToken": caller.csrf_token,
                }
            )

    return AuthController

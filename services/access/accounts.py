"""Signing in: argon2 passwords, browser sessions with a CSRF secret, and rate limiting."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import records
from services.core.errors import DomainError, ErrorCode
from services.history import audit
from services.models import Person, SignInFailure, WebSession, utcnow

PASSWORD_MIN, PASSWORD_MAX = 12, 128
SESSION_IDLE = dt.timedelta(hours=12)
SESSION_MAX = dt.timedelta(days=7)
# Sign-in guessing: at most this many failures per email, and per client, in the window.
FAILURE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_CLIENT = 20

_hasher = PasswordHasher()
# Compared against when the email is unknown, so timing does not reveal which emails exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class SignInRefused(Exception):
    """Wrong email or password (deliberately not saying which)."""


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        # Rounded up: never tell people to try again before it can work.
        minutes = max(-(-retry_after // 60), 1)
        super().__init__(f"Too many failed sign-ins; try again in {minutes} minute(s).")
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class SignedIn:
    person: Person
    session_token: str  # for the cookie; never stored
    csrf_token: str
    expires_at: dt.datetime


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_password(password: str, field: str = "password") -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise DomainError.single(
            ErrorCode.INVALID_VALUE,
            f"A password has {PASSWORD_MIN} to {PASSWORD_MAX} characters "
            f"(this one has {len(password)}).",
            field,
        )


def hash_password(password: str) -> str:
    check_password(password)
    return _hasher.hash(password)


async def set_password(
    session: AsyncSession, actor: Actor, person_id: int, version: int, password: str
) -> Person:
    """An admin sets anyone's password (to create or reset an account)."""
    permissions.require(actor, Action.SET_PASSWORD)
    person = await records.load(session, Person, person_id, "person", field="person_id")
    records.check_version(person, version, "Person")
    person.password_hash = hash_password(password)
    await records.flush(session, person, "Person")
    # A reset locks out whoever signed in with the old password (it may have leaked).
    await session.execute(
        update(WebSession)
        .where(WebSession.person_id == person.id, WebSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return person


async def change_own_password(
    session: AsyncSession, actor: Actor, current: str, new: str
) -> Person:
    permissions.require(actor, Action.EDIT_OWN_ACCOUNT)
    assert actor.person_id is not None
    person = await records.load(session, Person, actor.person_id, "person")
    if not _verify(person.password_hash, current):
        raise DomainError.single(
            ErrorCode.INVALID_VALUE, "The current password is wrong.", "current_password"
        )
    check_password(new, "new_password")
    person.password_hash = hash_password(new)
    await records.flush(session, person, "Person")
    return person


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def _check_rate(session: AsyncSession, email: str, client: str, now: dt.datetime) -> None:
    since = now - FAILURE_WINDOW
    rows = (
        await session.execute(
            select(
                func.count().filter(SignInFailure.email == email),
                func.count().filter(SignInFailure.client == client),
                func.min(SignInFailure.at),
            ).where(
                SignInFailure.at >= since,
                or_(SignInFailure.email == email, SignInFailure.client == client),
            )
        )
    ).one()
    by_email, by_client, oldest = rows
    if by_email >= MAX_FAILURES_PER_EMAIL or by_client >= MAX_FAILURES_PER_CLIENT:
        oldest_at = oldest if oldest.tzinfo else oldest.replace(tzinfo=dt.UTC)
        retry = int((oldest_at + FAILURE_WINDOW - now).total_seconds()) + 1
        raise RateLimited(max(retry, 1))


async def sign_in(session: AsyncSession, email: str, password: str, client: str) -> SignedIn:
    """Check the password and open a session; failures are recorded and rate-limited."""
    email = email.strip().lower()
    now = utcnow()
    await _check_rate(session, email, client, now)
    person = await session.scalar(
        select(Person).where(Person.email == email, Person.archived_at.is_(None))
    )
    if person is None or not _verify(person.password_hash, password):
        # The caller records the failure (failure()) after this transaction rolls back.
        raise SignInRefused("Wrong email or password.")
    assert person.password_hash is not None
    if _hasher.check_needs_rehash(person.password_hash):
        audit.bind(session, permissions.Actor(person_id=person.id, label=person.email))
        person.password_hash = _hasher.hash(password)
    await session.execute(delete(SignInFailure).where(SignInFailure.email == email))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + SESSION_MAX
    session.add(
        WebSession(
            token_hash=digest(token), csrf_token=csrf, person_id=person.id, expires_at=expires
        )
    )
    await session.flush()
    return SignedIn(person, token, csrf, expires)


def failure(email: str, client: str) -> SignInFailure:
    """A failed sign-in to record, counted by the rate limit."""
    return SignInFailure(email=email.strip().lower()[:254], client=client[:64], at=utcnow())


async def resolve_session(session: AsyncSession, token: str) -> tuple[WebSession, Person] | None:
    """The live session of a cookie: not revoked, not expired, not idle too long."""
    now = utcnow()
    row = (
        await session.execute(
            select(WebSession, Person)
            .join(Person, Person.id == WebSession.person_id)
            .where(
                WebSession.token_hash == digest(token),
                WebSession.revoked_at.is_(None),
                WebSession.expires_at > now,
                WebSession.last_seen_at > now - SESSION_IDLE,
                Person.archived_at.is_(None),
            )
        )
    ).first()
    if row is None:
        return None
    web_session, person = row
    if now - web_session.last_seen_at > dt.timedelta(minutes=1):
        web_session.last_seen_at = now  # at most one write a minute per session
    return web_session, person


async def sign_out(session: AsyncSession, token: str) -> None:
    found = await session.scalar(select(WebSession).where(WebSession.token_hash == digest(token)))
    if found is not None and found.revoked_at is None:
        found.revoked_at = utcnow()

"""API tokens for portfolio tools and scripts: shown once, stored hashed, scoped, revocable."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.accounts import digest
from services.access.permissions import Action, Actor
from services.core import records, validation
from services.core.enums import TokenScope
from services.core.errors import DomainError, ErrorCode, Problems, at
from services.models import ApiToken, Art, Membership, Person, Team, utcnow

TOKEN_PREFIX = "ty_"
MAX_TOKENS_PER_PERSON = 50


@dataclass(frozen=True, slots=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once; only its hash is kept


async def _arts_of(session: AsyncSession, person_id: int) -> set[int]:
    rows = await session.execute(
        select(Membership.art_id, Team.art_id)
        .outerjoin(Team, Team.id == Membership.team_id)
        .where(Membership.person_id == person_id, Membership.archived_at.is_(None))
    )
    arts: set[int] = set()
    for art_id, team_art_id in rows.all():
        found = art_id if art_id is not None else team_art_id
        if found is not None:
            arts.add(found)
    return arts


async def create_token(
    session: AsyncSession,
    actor: Actor,
    person_id: int,
    name: str,
    scope: TokenScope,
    art_ids: Sequence[int] = (),
    expires_at: dt.datetime | None = None,
) -> NewToken:
    """A token for `person_id`: by that person in a signed-in session, or by an admin."""
    permissions.require_write(actor)
    if actor.token_id is not None:
        raise permissions.Forbidden(
            "API tokens are created in a signed-in session or with `trainyard token create`, "
            "not with another token."
        )
    if person_id != actor.person_id:
        permissions.require(actor, Action.MANAGE_TOKENS, where="for another person")
    problems = Problems()
    person = await records.load(session, Person, person_id, "person", field="person_id")
    label = validation.text(problems, "name", name, max_len=validation.NAME_MAX, required=True)
    if expires_at is not None and expires_at <= utcnow():
        problems.add(
            ErrorCode.INVALID_VALUE, at("expires_at", " must be in the future."), "expires_at"
        )
    arts = list(dict.fromkeys(art_ids))
    if arts:
        known = set(await session.scalars(select(Art.id).where(Art.id.in_(arts))))
        allowed = None if person.is_admin else await _arts_of(session, person.id)
        for art_id in arts:
            if art_id not in known:
                problems.add(
                    ErrorCode.NOT_FOUND, at("art_ids", ": no ART with that id exists."), "art_ids"
                )
            elif allowed is not None and art_id not in allowed:
                problems.add(
                    ErrorCode.WRONG_ART,
                    at("art_ids", ": the token's person has no role in that ART."),
                    "art_ids",
                )
    live = await session.scalar(
        select(func.count())
        .select_from(ApiToken)
        .where(ApiToken.person_id == person_id, ApiToken.revoked_at.is_(None))
    )
    if (live or 0) >= MAX_TOKENS_PER_PERSON:
        problems.add(
            ErrorCode.INVALID_VALUE,
            f"A person holds at most {MAX_TOKENS_PER_PERSON} live tokens; revoke some first.",
            "person_id",
        )
    problems.raise_if_any()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        person_id=person.id,
        created_by_id=actor.person_id,
        name=label,
        prefix=secret[:10],
        token_hash=digest(secret),
        scope=scope,
        art_ids=arts,
        expires_at=expires_at,
    )
    session.add(token)
    await session.flush()
    return NewToken(token, secret)


async def revoke_token(session: AsyncSession, actor: Actor, token_id: int) -> ApiToken:
    permissions.require_write(actor)
    token = await session.get(ApiToken, token_id)
    if token is None:
        raise DomainError.single(
            ErrorCode.NOT_FOUND, at("id", ": no API token with that id exists."), "id"
        )
    if token.person_id != actor.person_id:
        permissions.require(actor, Action.MANAGE_TOKENS, where="of another person")
    else:
        permissions.require(actor, Action.EDIT_OWN_ACCOUNT)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        await session.flush()
    return token


async def resolve_token(session: AsyncSession, secret: str) -> tuple[ApiToken, Person] | None:
    """The live token of a bearer secret and its person; notes its use (at most once a minute)."""
    now = utcnow()
    row = (
        await session.execute(
            select(ApiToken, Person)
            .join(Person, Person.id == ApiToken.person_id)
            .where(
                ApiToken.token_hash == digest(secret),
                ApiToken.revoked_at.is_(None),
                Person.archived_at.is_(None),
            )
        )
    ).first()
    if row is None:
        return None
    token, person = row
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        token.last_used_at = now
    return token, person


async def tokens_of(session: AsyncSession, person_id: int) -> list[ApiToken]:
    return list(
        await session.scalars(
            select(ApiToken).where(ApiToken.person_id == person_id).order_by(ApiToken.id)
        )
    )


async def actor_for_token(session: AsyncSession, token: ApiToken, person: Person) -> Actor:
    return await permissions.load_actor(
        session, person, token_id=token.id, token_scope=token.scope, token_arts=token.art_ids
    )


async def create_token_for_email(
    session: AsyncSession,
    actor: Actor,
    email: str,
    name: str,
    scope: TokenScope,
    art_keys: Sequence[str] = (),
) -> NewToken:
    """A token for the person with this email, limited to the ARTs named by key (what
    `trainyard token create` asks for)."""
    person = await session.scalar(select(Person).where(Person.email == email.strip().lower()))
    if person is None or person.archived_at is not None:
        raise DomainError.single(ErrorCode.NOT_FOUND, f"No person with the email {email}.", "email")
    by_key = {art.key: art.id for art in await session.scalars(select(Art))}
    unknown = [key for key in art_keys if key not in by_key]
    if unknown:
        raise DomainError.single(
            ErrorCode.NOT_FOUND, f"No ART with the key {', '.join(unknown)}.", "art_keys"
        )
    return await create_token(
        session, actor, person.id, name, scope, [by_key[key] for key in art_keys]
    )

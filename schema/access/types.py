"""Who is asking (`viewer`) and their API tokens."""

from __future__ import annotations

import datetime as dt
import enum

import strawberry
from strawberry.types import Info

from schema.kit.context import Context
from schema.kit.relay import RowNode, follows, reference
from schema.org.types import Art, Membership, Person, Team
from services import models as m
from services.access import reads, tokens
from services.core.enums import TokenScope
from services.org import people

strawberry.enum(TokenScope, description="READ: queries only. WRITE: also mutations.")
Info_ = Info[Context, None]


@strawberry.type(
    description="An API token of a portfolio tool or script (its secret is never shown again)."
)
class ApiToken(RowNode):
    model = m.ApiToken
    person_id: strawberry.Private[int]
    art_ids: strawberry.Private[list[int]]
    name: str = strawberry.field(description="What the token is for.")
    prefix: str = strawberry.field(description="The token's first characters, to recognise it.")
    scope: TokenScope = strawberry.field(description="READ or WRITE.")
    created_at: dt.datetime = strawberry.field(description="When it was created (UTC).")
    last_used_at: dt.datetime | None = strawberry.field(
        description="Last use (UTC, to the minute)."
    )
    expires_at: dt.datetime | None = strawberry.field(description="When it stops working (UTC).")
    revoked_at: dt.datetime | None = strawberry.field(description="When it was revoked (UTC).")

    @strawberry.field(description="The person the token acts for.")
    @follows("person_id", "Person")
    def person(self, info: Info_) -> Person:
        return reference(info, Person, self.person_id)

    @strawberry.field(description="The ARTs it is limited to; empty: all of its person's ARTs.")
    async def arts(self, info: Info_) -> list[Art]:
        found = [await info.context.nodes.fetch(Art, art_id) for art_id in self.art_ids]
        return [art for art in found if art is not None]


@strawberry.enum(description="How the request authenticated.")
class AuthMethod(enum.Enum):
    SESSION = "SESSION"
    API_TOKEN = "API_TOKEN"
    NONE = "NONE"


@strawberry.type(description="Who is asking: the person, their roles, teams and API tokens.")
class Viewer:
    @strawberry.field(description="The signed-in person; null when nobody is signed in.")
    async def person(self, info: Info_) -> Person | None:
        actor = info.context.actor
        return (
            None
            if actor.person_id is None
            else await info.context.nodes.fetch(Person, actor.person_id)
        )

    @strawberry.field(description="How this request authenticated.")
    def authenticated_by(self, info: Info_) -> AuthMethod:
        actor = info.context.actor
        if actor.person_id is None:
            return AuthMethod.NONE
        return AuthMethod.API_TOKEN if actor.token_id is not None else AuthMethod.SESSION

    @strawberry.field(description="Portfolio admin: may do everything.")
    def is_admin(self, info: Info_) -> bool:
        return info.context.actor.is_admin

    @strawberry.field(description="For an API token: READ or WRITE; null for a signed-in session.")
    def token_scope(self, info: Info_) -> TokenScope | None:
        return info.context.actor.token_scope

    @strawberry.field(description="The person's roles: in ARTs and in teams.")
    async def memberships(self, info: Info_) -> list[Membership]:
        actor = info.context.actor
        if actor.person_id is None:
            return []
        async with info.context.sessionmaker() as session:
            rows = await people.live_memberships(session, actor.person_id)
        return [Membership.from_row(row) for row in rows]

    @strawberry.field(description="The teams the person has a role in.")
    async def teams(self, info: Info_) -> list[Team]:
        found = [
            await info.context.nodes.fetch(Team, t) for t in sorted(info.context.actor.team_roles)
        ]
        return [team for team in found if team is not None]

    @strawberry.field(description="The ARTs the person may see (every ART for an admin).")
    async def arts(self, info: Info_) -> list[Art]:
        async with info.context.sessionmaker() as session:
            rows = await reads.live_arts(session, info.context.actor.visible_art_ids())
        return [Art.from_row(row) for row in rows] if info.context.actor.authenticated else []

    @strawberry.field(description="The person's API tokens (live and revoked).")
    async def api_tokens(self, info: Info_) -> list[ApiToken]:
        actor = info.context.actor
        if actor.person_id is None:
            return []
        async with info.context.sessionmaker() as session:
            found = await tokens.tokens_of(session, actor.person_id)
        return [ApiToken.from_row(token) for token in found]

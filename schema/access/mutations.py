"""Mutations of API tokens and passwords."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from schema.access.types import ApiToken
from schema.kit.context import Context
from schema.kit.errors import UserError
from schema.kit.filters import as_utc
from schema.kit.mutations import INPUT, node_id, run
from schema.org.types import Art, Person
from services.access import accounts, tokens
from services.access.permissions import Actor
from services.core.enums import TokenScope

Info_ = Info[Context, None]
ERRORS = "Why nothing was written; empty on success."


@strawberry.input(description="A new API token, for yourself or (as admin) for someone else.")
class CreateApiTokenInput:
    name: str = strawberry.field(description="What the token is for, e.g. 'Jira sync'.")
    scope: TokenScope = strawberry.field(description="READ or WRITE.")
    art_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Limit it to these ARTs (the person needs a role there); empty: all.",
    )
    expires_at: dt.datetime | None = strawberry.field(
        default=None,
        description="When it stops working (UTC when no offset is given); null: until revoked.",
    )
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whose token it is (admins only); default: yours."
    )


@strawberry.type(description="A new API token and its secret, shown this once.")
class CreateApiTokenPayload:
    api_token: ApiToken | None = strawberry.field(description="The token; null on failure.")
    secret: str | None = strawberry.field(
        description="Send it as `Authorization: Bearer <secret>`. It is not stored and cannot "
        "be shown again."
    )
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description="Revoke an API token.")
class RevokeApiTokenInput:
    id: strawberry.ID = strawberry.field(description="The token.")


@strawberry.type(description="Result of revoking an API token.")
class ApiTokenPayload:
    api_token: ApiToken | None = strawberry.field(description="The token; null on failure.")
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description="Set someone's password (admins), creating or resetting an account.")
class SetPasswordInput:
    person_id: strawberry.ID = strawberry.field(description="The person.")
    version: int = strawberry.field(description="The person's version you read.")
    password: str = strawberry.field(description="12 to 128 characters.")


@strawberry.input(description="Change your own password.")
class ChangeMyPasswordInput:
    current_password: str = strawberry.field(description="Your password now.")
    new_password: str = strawberry.field(description="12 to 128 characters.")


@strawberry.type(description="Result of a password change.")
class PasswordPayload:
    person: Person | None = strawberry.field(description="The person; null on failure.")
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type
class AccessMutations:
    @strawberry.mutation(
        description="Create an API token (in a signed-in session; admins for anyone)."
    )
    async def create_api_token(
        self, info: Info_, input: Annotated[CreateApiTokenInput, INPUT]
    ) -> CreateApiTokenPayload:
        async def action(session: AsyncSession, actor: Actor) -> tokens.NewToken:
            person_id = (
                node_id(input.person_id, Person, "personId")
                if input.person_id is not None
                else actor.person_id
            )
            assert person_id is not None or not actor.authenticated
            return await tokens.create_token(
                session,
                actor,
                person_id or 0,
                input.name,
                input.scope,
                [node_id(a, Art, "artIds") for a in input.art_ids],
                as_utc(input.expires_at),
            )

        created, errors = await run(info, action)
        if created is None:
            return CreateApiTokenPayload(api_token=None, secret=None, errors=errors)
        return CreateApiTokenPayload(
            api_token=ApiToken.from_row(created.token), secret=created.secret, errors=[]
        )

    @strawberry.mutation(description="Revoke an API token (your own; admins any).")
    async def revoke_api_token(
        self, info: Info_, input: Annotated[RevokeApiTokenInput, INPUT]
    ) -> ApiTokenPayload:
        row, errors = await run(
            info, lambda s, a: tokens.revoke_token(s, a, node_id(input.id, ApiToken, "id"))
        )
        return ApiTokenPayload(api_token=ApiToken.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Set someone's password (portfolio admins).")
    async def set_password(
        self, info: Info_, input: Annotated[SetPasswordInput, INPUT]
    ) -> PasswordPayload:
        row, errors = await run(
            info,
            lambda s, a: accounts.set_password(
                s, a, node_id(input.person_id, Person, "personId"), input.version, input.password
            ),
        )
        return PasswordPayload(person=Person.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Change your own password.")
    async def change_my_password(
        self, info: Info_, input: Annotated[ChangeMyPasswordInput, INPUT]
    ) -> PasswordPayload:
        row, errors = await run(
            info,
            lambda s, a: accounts.change_own_password(
                s, a, input.current_password, input.new_password
            ),
        )
        return PasswordPayload(person=Person.from_row(row) if row else None, errors=errors)

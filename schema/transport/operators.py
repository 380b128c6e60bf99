"""The operator commands of `trainyard`: API tokens and people, straight to the database.

Each command is one transaction run by a system actor named after the command (the history
records it), through the same use cases as the API. What a script needs comes alone on
standard output (a new token, nothing else); notices go to standard error. A refused command
writes nothing and exits with 2 (schema.transport.cli.main).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import tokens
from services.access.accounts import digest
from services.access.permissions import Actor, system_actor
from services.core.db import create_engine, create_sessionmaker, ensure_migrated
from services.core.enums import ART_ROLES, Role, TokenScope
from services.core.errors import DomainError
from services.core.inputs import UNSET
from services.core.settings import Settings, load_settings
from services.history import audit
from services.models import ApiToken, Art, Person, Team
from services.org import people

T = TypeVar("T")
TOKEN_NOTICE = (
    "Shown once: send it as `Authorization: Bearer <token>`. Revoke it with "
    "`trainyard token revoke <id or prefix>` (or revokeApiToken in the API)."
)
MIN_PREFIX = 6
PREFIX_LENGTH = 10  # of ApiToken.prefix (services.access.tokens.create_token)
# How the commands name the fields the use cases report problems with.
OPTION_NAMES = {"name": "--name", "email": "--email", "password": "the password (--password-stdin)"}


class CommandError(Exception):
    """A command that cannot do what was asked; the message says why."""


def _refused(exc: DomainError) -> CommandError:
    return CommandError(
        " ".join(p.shown(lambda field: OPTION_NAMES.get(field, field)) for p in exc.problems)
    )


async def _in_transaction(
    settings: Settings, label: str, work: Callable[[AsyncSession, Actor], Awaitable[T]]
) -> T:
    """`work` in one transaction by a system actor, on a migrated database; a refusal rolls
    it back and becomes the command's error."""
    actor = system_actor(label)
    engine = create_engine(settings)
    try:
        await ensure_migrated(engine, settings)
        async with create_sessionmaker(engine).begin() as session:
            audit.bind(session, actor)
            try:
                return await work(session, actor)
            except DomainError as exc:
                raise _refused(exc) from None
    finally:
        await engine.dispose()


# trainyard token create


def cmd_token_create(args: argparse.Namespace) -> int:
    scope = TokenScope[args.scope.upper()]

    async def create(session: AsyncSession, actor: Actor) -> str:
        made = await tokens.create_token_for_email(
            session, actor, args.email, f"CLI token ({args.scope})", scope, args.art or []
        )
        return made.secret

    secret = asyncio.run(_in_transaction(load_settings(), "trainyard token create", create))
    print(secret)
    print(TOKEN_NOTICE, file=sys.stderr)
    return 0


# trainyard token revoke


async def _find_token(session: AsyncSession, reference: str) -> ApiToken:
    """The token named by its id, the prefix the API shows (`ApiToken.prefix`, or its first
    characters as long as only one token has them) or the whole token."""
    reference = reference.strip()
    if reference.isdigit():
        found = await session.get(ApiToken, int(reference))
        if found is None:
            raise CommandError(f"No API token with the id {reference}.")
        return found
    if not reference.startswith(tokens.TOKEN_PREFIX) or len(reference) < MIN_PREFIX:
        raise CommandError(
            f"Name the token by its id (a number), its prefix (at least {MIN_PREFIX} "
            f"characters, starting with {tokens.TOKEN_PREFIX}) or the whole token; "
            f"got {reference!r}."
        )
    if len(reference) > PREFIX_LENGTH:
        whole = select(ApiToken).where(ApiToken.token_hash == digest(reference))
        if (found := await session.scalar(whole)) is None:
            raise CommandError(
                f"No API token is {reference[:PREFIX_LENGTH]}... (longer than a prefix, so "
                "taken as the whole token): this database did not issue it."
            )
        return found
    matches = list(
        await session.scalars(
            select(ApiToken)
            .where(ApiToken.prefix.startswith(reference, autoescape=True))
            .order_by(ApiToken.id)
        )
    )
    if not matches:
        raise CommandError(f"No API token starts with {reference}.")
    if len(matches) > 1:
        ids = ", ".join(str(t.id) for t in matches)
        raise CommandError(
            f"{len(matches)} API tokens start with {reference} (ids {ids}): give more of its "
            "characters or its id."
        )
    return matches[0]


@dataclass(frozen=True, slots=True)
class Revoked:
    token: ApiToken
    email: str
    already: bool


def cmd_token_revoke(args: argparse.Namespace) -> int:
    async def revoke(session: AsyncSession, actor: Actor) -> Revoked:
        found = await _find_token(session, args.token)
        already = found.revoked_at is not None
        token = await tokens.revoke_token(session, actor, found.id)
        person = await session.get(Person, token.person_id)
        assert person is not None  # a token's person is never deleted (only archived)
        return Revoked(token, person.email, already)

    done = asyncio.run(_in_transaction(load_settings(), "trainyard token revoke", revoke))
    what = f"API token {done.token.id} ({done.token.prefix}..., {done.token.name}) of {done.email}"
    if done.already:
        when = f"{done.token.revoked_at:%Y-%m-%d %H:%M} UTC" if done.token.revoked_at else ""
        print(f"{what} was already revoked ({when}); nothing changed.")
    else:
        print(f"Revoked {what}.")
    return 0


# trainyard person create


@dataclass(frozen=True, slots=True)
class RoleSpec:
    """`ROLE:ART` (an ART role) or `ROLE:ART/TEAM` (a team role), by keys."""

    role: Role
    art_key: str
    team_key: str | None

    def __str__(self) -> str:
        if self.team_key is None:
            return f"{self.role.value} in ART {self.art_key}"
        return f"{self.role.value} in team {self.art_key}/{self.team_key}"


def parse_role(text: str) -> RoleSpec:
    role_name, sep, where = text.partition(":")
    art_key, _, team_key = where.partition("/")
    if not sep or not art_key.strip() or (where.count("/") and not team_key.strip()):
        raise CommandError(
            f"--role {text!r} is not ROLE:ART (an ART role) or ROLE:ART/TEAM (a team role), "
            "e.g. RTE:SHOP or DEVELOPER:SHOP/CHK."
        )
    try:
        role = Role[role_name.strip().upper()]
    except KeyError:
        art_roles = ", ".join(r.value for r in Role if r in ART_ROLES)
        team_roles = ", ".join(r.value for r in Role if r not in ART_ROLES)
        raise CommandError(
            f"--role {text!r}: {role_name.strip()!r} is not a role. ART roles: {art_roles}; "
            f"team roles: {team_roles}."
        ) from None
    return RoleSpec(role, art_key.strip().upper(), team_key.strip().upper() or None)


async def _scope_of(session: AsyncSession, spec: RoleSpec) -> tuple[int | None, int | None]:
    art_id = await session.scalar(select(Art.id).where(Art.key == spec.art_key))
    if art_id is None:
        raise CommandError(f"--role {spec.role.value}:{spec.art_key}: no ART has that key.")
    if spec.team_key is None:
        return art_id, None
    team_id = await session.scalar(
        select(Team.id).where(Team.art_id == art_id, Team.key == spec.team_key)
    )
    if team_id is None:
        raise CommandError(
            f"--role {spec.role.value}:{spec.art_key}/{spec.team_key}: ART {spec.art_key} has "
            "no team with that key."
        )
    return None, team_id


def _read_password(stdin_wanted: bool) -> str | None:
    if not stdin_wanted:
        return None
    password = sys.stdin.read()
    # One trailing line break is how `echo` and here-documents end it, not part of it.
    password = password.removesuffix("\n").removesuffix("\r")
    if not password:
        raise CommandError("--password-stdin: standard input held no password.")
    return password


def cmd_person_create(args: argparse.Namespace) -> int:
    specs = [parse_role(text) for text in args.role or []]
    password = _read_password(args.password_stdin)

    async def create(session: AsyncSession, actor: Actor) -> Person:
        draft = people.PersonDraft(
            name=args.name,
            email=args.email,
            password=UNSET if password is None else password,
            is_admin=True if args.admin else UNSET,
        )
        person = await people.create_person(session, actor, draft)
        for spec in specs:
            art_id, team_id = await _scope_of(session, spec)
            await people.create_membership(session, actor, person.id, art_id, team_id, spec.role)
        return person

    person = asyncio.run(_in_transaction(load_settings(), "trainyard person create", create))
    roles = (["portfolio admin"] if person.is_admin else []) + [str(s) for s in specs]
    sign_in = "can sign in with the password" if password is not None else "cannot sign in yet"
    print(
        f"Created person {person.id}, {person.name} <{person.email}>: "
        f"{'; '.join(roles) or 'no roles'}; {sign_in}."
    )
    return 0


def add_operator_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`trainyard token create|revoke` and `trainyard person create`."""
    token = commands.add_parser("token", help="API tokens for scripts and portfolio tools.")
    token_commands = token.add_subparsers(dest="token_command", required=True)
    create = token_commands.add_parser(
        "create", help="Create an API token and print it once, alone on standard output."
    )
    create.add_argument("--email", required=True, help="The person the token acts for.")
    create.add_argument("--scope", required=True, choices=["read", "write"], help="read or write.")
    create.add_argument(
        "--art", action="append", metavar="KEY", help="Limit it to an ART (repeatable)."
    )
    create.set_defaults(run=cmd_token_create)
    revoke = token_commands.add_parser("revoke", help="Revoke an API token.")
    revoke.add_argument(
        "token",
        metavar="TOKEN",
        help="The token's id, its prefix (as the API shows it, e.g. ty_AbC1234) or the token.",
    )
    revoke.set_defaults(run=cmd_token_revoke)

    person = commands.add_parser("person", help="People and their roles.")
    person_commands = person.add_subparsers(dest="person_command", required=True)
    new = person_commands.add_parser("create", help="Create a person, with roles and a password.")
    new.add_argument("--email", required=True, help="Their email address (unique).")
    new.add_argument("--name", required=True, help="Their name as people know it.")
    new.add_argument(
        "--role",
        action="append",
        metavar="ROLE:ART[/TEAM]",
        help="A role in an ART (RTE:SHOP) or a team (DEVELOPER:SHOP/CHK); repeatable.",
    )
    new.add_argument("--admin", action="store_true", help="Make them a portfolio admin.")
    new.add_argument(
        "--password-stdin",
        action="store_true",
        help="Read their sign-in password from standard input (12 to 128 characters).",
    )
    new.set_defaults(run=cmd_person_create)

"""The demo's people and accounts: who the seed acts as, the demo addresses, the sign-in accounts
(a portfolio admin and one person per role, sharing one password) and the admin's read-only
API token.

The accounts are seeded once, with the admin: while admin@demo.trainyard exists, nothing here
writes, so passwords, roles and tokens people change in the demo stay as they left them. A
database seeded before there were demo accounts gets them on its next seed.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import accounts, tokens
from services.access.permissions import system_actor
from services.core.enums import Role, TokenScope
from services.demo import data
from services.demo.summary import DemoAccount, SeededAccounts
from services.models import Membership, Person, Team
from services.org import people

SEED_ACTOR = system_actor("demo seed")
PASSWORD_HOLDERS = frozenset(name for _, _, name in data.SIGN_IN_PEOPLE)


def demo_email(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return f"{ascii_name.lower().replace(' ', '.')}@{data.EMAIL_DOMAIN}"


def demo_accounts() -> tuple[DemoAccount, ...]:
    """The portfolio admin, then one person per role, as the summary lists them."""
    team_names = {key: name for key, name, *_ in data.TEAMS}
    listed = [DemoAccount(data.ADMIN_EMAIL, "Portfolio admin (may do everything)")]
    for role, team, name in data.SIGN_IN_PEOPLE:
        where = f"ART {data.ART_KEY}" if team is None else f"team {team_names[team]}"
        listed.append(DemoAccount(demo_email(name), f"{data.ROLE_LABELS[role]}, {where}"))
    return tuple(listed)


async def demo_person(
    session: AsyncSession, name: str, *, email: str | None = None, is_admin: bool = False
) -> Person:
    """The person with the demo address, created unless someone already has it. The admin and
    the sign-in people get the demo password: when created, or when they have none yet."""
    email = email or demo_email(name)
    signs_in = is_admin or name in PASSWORD_HOLDERS
    person = await session.scalar(select(Person).where(Person.email == email))
    if person is None:
        draft = people.PersonDraft(
            name=name,
            email=email,
            password=data.DEMO_PASSWORD if signs_in else None,
            is_admin=is_admin,
        )
        return await people.create_person(session, SEED_ACTOR, draft)
    if signs_in and person.password_hash is None:
        await accounts.set_password(
            session, SEED_ACTOR, person.id, person.version, data.DEMO_PASSWORD
        )
    return person


async def seed_accounts(session: AsyncSession, art_id: int) -> SeededAccounts:
    """The demo admin, the sign-in people with their roles, and the admin's read-only token for
    the demo ART; nothing when the demo admin already exists."""
    listed = demo_accounts()
    if await session.scalar(select(Person.id).where(Person.email == data.ADMIN_EMAIL)) is not None:
        return SeededAccounts(listed, added=False, token_secret=None)
    admin = await demo_person(session, data.ADMIN_NAME, email=data.ADMIN_EMAIL, is_admin=True)
    for role, team_key, name in data.SIGN_IN_PEOPLE:
        person = await demo_person(session, name)
        await _ensure_role(session, person, art_id, team_key, Role[role])
    made = await tokens.create_token(
        session, SEED_ACTOR, admin.id, data.TOKEN_NAME, TokenScope.READ, [art_id]
    )
    return SeededAccounts(listed, added=True, token_secret=made.secret)


async def _ensure_role(
    session: AsyncSession, person: Person, art_id: int, team_key: str | None, role: Role
) -> None:
    """Give a live person the role (in the ART, or in its live team) unless they hold it."""
    team_id = None
    if team_key is not None:
        team_id = await session.scalar(
            select(Team.id).where(
                Team.art_id == art_id, Team.key == team_key, Team.archived_at.is_(None)
            )
        )
        if team_id is None:
            return
    if person.archived_at is not None:
        return
    art_scope = art_id if team_id is None else None
    held = await session.scalar(
        select(Membership.id).where(
            Membership.person_id == person.id,
            Membership.role == role,
            Membership.archived_at.is_(None),
            Membership.art_id.is_(None) if art_scope is None else Membership.art_id == art_scope,
            Membership.team_id.is_(None) if team_id is None else Membership.team_id == team_id,
        )
    )
    if held is None:
        await people.create_membership(session, SEED_ACTOR, person.id, art_scope, team_id, role)

"""People and their memberships (a role in one ART or one team)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import accounts, permissions
from services.access.permissions import Action, Actor
from services.core import filters, records, refs, validation
from services.core.enums import ART_ROLES, TEAM_ROLES, Role
from services.core.errors import DomainError, ErrorCode, Field, Problems
from services.core.inputs import UNSET, Maybe
from services.core.pagination import Ordering
from services.models import Art, Membership, Person, Team, utcnow

PERSON_ORDER = Ordering("person_name", ((Person.name, False), (Person.id, False)))
MEMBERSHIP_ORDER = Ordering("membership", ((Membership.role, False), (Membership.id, False)))


@dataclass(frozen=True, slots=True)
class PersonFilter:
    name: filters.Match[str] | None = None
    email: filters.Match[str] | None = None
    archived: bool | None = False


def person_conditions(f: PersonFilter) -> list[ColumnElement[bool]]:
    return [
        *filters.match(Person.name, f.name, "name"),
        *filters.match(Person.email, f.email, "email"),
        *filters.archived(Person.archived_at, f.archived),
    ]


@dataclass(frozen=True, slots=True)
class MembershipFilter:
    role: filters.Match[Role] | None = None
    archived: bool | None = False


def membership_conditions(f: MembershipFilter) -> list[ColumnElement[bool]]:
    return [
        *filters.match(Membership.role, f.role, "role"),
        *filters.archived(Membership.archived_at, f.archived),
    ]


@dataclass(frozen=True, slots=True)
class PersonDraft:
    """A new person; with a password, an account that can sign in."""

    name: str
    email: str
    password: Maybe[str | None] = UNSET
    is_admin: Maybe[bool | None] = UNSET


@dataclass(frozen=True, slots=True)
class PersonChanges:
    """Changes to a person (passwords change through services.access.accounts); UNSET fields
    stay as they are."""

    name: Maybe[str | None] = UNSET
    email: Maybe[str | None] = UNSET
    is_admin: Maybe[bool | None] = UNSET


async def _clean_person(
    session: AsyncSession,
    changes: PersonChanges,
    password: Maybe[str | None],
    current: Person | None,
) -> dict[str, object]:
    problems = Problems()
    out: dict[str, object] = {}
    if changes.name is not UNSET:
        out["name"] = validation.text(
            problems, "name", changes.name, max_len=validation.NAME_MAX, required=True
        )
    if changes.email is not UNSET:
        email = validation.text(problems, "email", changes.email, max_len=254, required=True)
        email = validation.pattern(
            problems,
            "email",
            email.lower() if email else None,
            validation.EMAIL_RE,
            "expected an address like name@example.com",
        )
        if email is not None and (current is None or email != current.email):
            if await session.scalar(select(Person.id).where(Person.email == email)) is not None:
                problems.add(
                    ErrorCode.DUPLICATE_KEY, f"A person with email {email} already exists.", "email"
                )
        out["email"] = email
    if password is not UNSET and password is not None:
        try:
            out["password_hash"] = accounts.hash_password(password)
        except DomainError as exc:
            problems.items.extend(exc.problems)
    if changes.is_admin is not UNSET:
        out["is_admin"] = bool(changes.is_admin)
    problems.raise_if_any()
    return out


def _require_account_rights(
    actor: Actor, is_admin: Maybe[bool | None], password: Maybe[str | None]
) -> None:
    """Only portfolio admins make admins or set other people's passwords (a given admin flag
    counts, even False)."""
    if is_admin is not UNSET or (password is not UNSET and password is not None):
        permissions.require(actor, Action.SET_PASSWORD, where="(admin flag and passwords)")


async def create_person(session: AsyncSession, actor: Actor, draft: PersonDraft) -> Person:
    permissions.require(actor, Action.CREATE_PERSON)
    _require_account_rights(actor, draft.is_admin, draft.password)
    changes = PersonChanges(name=draft.name, email=draft.email, is_admin=draft.is_admin)
    person = Person(**await _clean_person(session, changes, draft.password, None))
    session.add(person)
    await records.flush(session, person, "Person")
    return person


async def update_person(
    session: AsyncSession, actor: Actor, person_id: int, version: int, changes: PersonChanges
) -> Person:
    # Everyone keeps their own name and email current.
    own = actor.person_id == person_id
    permissions.require(actor, Action.EDIT_OWN_ACCOUNT if own else Action.UPDATE_PERSON)
    _require_account_rights(actor, changes.is_admin, UNSET)
    person = await records.load(session, Person, person_id, "person")
    records.check_version(person, version, "Person")
    for name, value in (await _clean_person(session, changes, UNSET, person)).items():
        setattr(person, name, value)
    await records.flush(session, person, "Person")
    return person


async def archive_person(
    session: AsyncSession, actor: Actor, person_id: int, version: int
) -> Person:
    """A person who leaves: archived together with every role they held."""
    permissions.require(actor, Action.ARCHIVE_PERSON)
    person = await records.load(session, Person, person_id, "person")
    await records.archive(session, person, version, "Person")
    now = utcnow()
    for membership in await session.scalars(
        select(Membership).where(
            Membership.person_id == person_id, Membership.archived_at.is_(None)
        )
    ):
        membership.archived_at = now
    await records.flush(session, person, "Person")
    return person


def _check_role_scope(
    problems: Problems, role: Role, art_id: int | None, team_id: int | None
) -> None:
    if (art_id is None) == (team_id is None):
        problems.add(
            ErrorCode.INVALID_VALUE,
            (
                "A membership names exactly one of ",
                Field("art_id"),
                " (for an ART role) or ",
                Field("team_id"),
                " (for a team role).",
            ),
            "art_id" if art_id is None else "team_id",
        )
    elif art_id is not None and role not in ART_ROLES:
        problems.add(
            ErrorCode.INVALID_VALUE,
            f"{role.value} is a team role; ART roles are "
            f"{', '.join(sorted(r.value for r in ART_ROLES))}.",
            "role",
        )
    elif team_id is not None and role not in TEAM_ROLES:
        problems.add(
            ErrorCode.INVALID_VALUE,
            f"{role.value} is an ART role; team roles are "
            f"{', '.join(sorted(r.value for r in TEAM_ROLES))}.",
            "role",
        )


async def _ensure_not_duplicate(
    session: AsyncSession,
    problems: Problems,
    person_id: int,
    art_id: int | None,
    team_id: int | None,
    role: Role,
    exclude_id: int | None = None,
) -> None:
    stmt = select(Membership.id).where(
        Membership.person_id == person_id,
        Membership.role == role,
        Membership.archived_at.is_(None),
        Membership.art_id.is_(None) if art_id is None else Membership.art_id == art_id,
        Membership.team_id.is_(None) if team_id is None else Membership.team_id == team_id,
    )
    if exclude_id is not None:
        stmt = stmt.where(Membership.id != exclude_id)
    if await session.scalar(stmt) is not None:
        problems.add(
            ErrorCode.DUPLICATE_KEY,
            f"This person already holds the role {role.value} there.",
            "role",
        )


async def _require_role_rights(
    session: AsyncSession, actor: Actor, art_id: int | None, team_id: int | None
) -> None:
    if team_id is not None:
        team = await session.get(Team, team_id)
        if team is not None:
            permissions.require(
                actor,
                Action.MANAGE_TEAM_ROLES,
                art_id=team.art_id,
                team_id=team.id,
                where=f"in team {team.key}",
            )
    elif art_id is not None:
        permissions.require(actor, Action.MANAGE_ART_ROLES, art_id=art_id, where="in this ART")


async def create_membership(
    session: AsyncSession,
    actor: Actor,
    person_id: int,
    art_id: int | None,
    team_id: int | None,
    role: Role,
) -> Membership:
    permissions.require_write(actor)
    problems = Problems()
    await refs.resolve(session, problems, Person, person_id, "person", "person_id")
    await refs.resolve(session, problems, Art, art_id, "ART", "art_id")
    await refs.resolve(session, problems, Team, team_id, "team", "team_id")
    _check_role_scope(problems, role, art_id, team_id)
    problems.raise_if_any()
    await _require_role_rights(session, actor, art_id, team_id)
    await _ensure_not_duplicate(session, problems, person_id, art_id, team_id, role)
    problems.raise_if_any()
    membership = Membership(person_id=person_id, art_id=art_id, team_id=team_id, role=role)
    session.add(membership)
    await records.flush(session, membership, "Membership")
    return membership


async def update_membership(
    session: AsyncSession, actor: Actor, membership_id: int, version: int, role: Role
) -> Membership:
    permissions.require_write(actor)
    membership = await records.load(session, Membership, membership_id, "membership")
    await _require_role_rights(session, actor, membership.art_id, membership.team_id)
    records.check_version(membership, version, "Membership")
    problems = Problems()
    _check_role_scope(problems, role, membership.art_id, membership.team_id)
    problems.raise_if_any()
    await _ensure_not_duplicate(
        session,
        problems,
        membership.person_id,
        membership.art_id,
        membership.team_id,
        role,
        exclude_id=membership.id,
    )
    problems.raise_if_any()
    membership.role = role
    await records.flush(session, membership, "Membership")
    return membership


async def archive_membership(
    session: AsyncSession, actor: Actor, membership_id: int, version: int
) -> Membership:
    permissions.require_write(actor)
    membership = await records.load(session, Membership, membership_id, "membership")
    await _require_role_rights(session, actor, membership.art_id, membership.team_id)
    await records.archive(session, membership, version, "Membership")
    return membership


async def live_memberships(session: AsyncSession, person_id: int) -> list[Membership]:
    return list(
        await session.scalars(
            select(Membership)
            .where(Membership.person_id == person_id, Membership.archived_at.is_(None))
            .order_by(Membership.id)
        )
    )

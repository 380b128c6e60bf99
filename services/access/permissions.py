"""Who may do what: the actor of a request, the permission rules, and what an actor may read.

The rules are data (`RULES`): each action names the roles that may perform it at the scope
it applies to (portfolio, one's own account, an ART, a team). `services/PERMISSIONS.md` is the
same table for people, and tests/services/access/test_permissions.py runs every cell of it.

What an actor may do is its person's rights intersected with its token's limits: the scope
(READ or WRITE) and the ARTs a token is limited to. The limit is applied here, in `allowed`
and `visible_art_ids`, for every person, portfolio admins included; no use case checks it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.core.enums import ART_ROLES, TEAM_MEMBER_ROLES, Role, TokenScope
from services.models import Membership, Person, Team


class AuthError(Exception):
    """Refused for who the actor is; the message is written for the client."""

    code = "FORBIDDEN"

    @property
    def extensions(self) -> dict[str, str]:
        # graphql-core copies an exception's `extensions` into the error it reports.
        return {"code": self.code}


class Unauthenticated(AuthError):
    code = "UNAUTHENTICATED"


class Forbidden(AuthError):
    code = "FORBIDDEN"


@dataclass(frozen=True, slots=True)
class Actor:
    """The person (or system task) a request acts for, with every role they hold."""

    person_id: int | None
    label: str
    is_admin: bool = False
    # ART id -> ART roles held there; team id -> team roles held there.
    art_roles: Mapping[int, frozenset[Role]] = field(default_factory=dict)
    team_roles: Mapping[int, frozenset[Role]] = field(default_factory=dict)
    # The ART of every team the actor has a role in.
    team_arts: Mapping[int, int] = field(default_factory=dict)
    # Set when the request came with an API token.
    token_id: int | None = None
    token_scope: TokenScope | None = None
    token_arts: frozenset[int] | None = None

    @property
    def authenticated(self) -> bool:
        return self.person_id is not None or self.is_system

    @property
    def is_system(self) -> bool:
        return self.person_id is None and self.is_admin

    @property
    def may_write(self) -> bool:
        return self.token_scope is not TokenScope.READ

    @property
    def limited(self) -> bool:
        """True for a token limited to some ARTs: it acts inside them only."""
        return self.token_arts is not None

    def person_sees(self, art_id: int) -> bool:
        """Whether the person (whatever the token's limit) may read the ART."""
        return self.is_admin or art_id in self.art_roles or art_id in self.team_arts.values()

    def visible_art_ids(self) -> frozenset[int] | None:
        """The ARTs whose data the actor may read; None means every ART (an admin's unlimited
        session or token)."""
        if self.is_admin:
            arts: frozenset[int] | None = None
        else:
            arts = frozenset(self.art_roles) | frozenset(self.team_arts.values())
        if self.token_arts is not None:
            return self.token_arts if arts is None else arts & self.token_arts
        return arts

    def sees(self, art_id: int) -> bool:
        visible = self.visible_art_ids()
        return visible is None or art_id in visible

    def roles_in_art(self, art_id: int) -> frozenset[Role]:
        if self.token_arts is not None and art_id not in self.token_arts:
            return frozenset()
        return self.art_roles.get(art_id, frozenset())

    def roles_in_team(self, team_id: int, art_id: int) -> frozenset[Role]:
        if self.token_arts is not None and art_id not in self.token_arts:
            return frozenset()
        return self.team_roles.get(team_id, frozenset())


ANONYMOUS = Actor(person_id=None, label="anonymous")


def system_actor(label: str) -> Actor:
    """An actor for work no person does (the demo seed, scripts); recorded by its label."""
    return Actor(person_id=None, label=label, is_admin=True)


class Action(enum.Enum):
    """Everything the API lets someone change, by the scope the rule is checked at."""

    CREATE_ART = "create an ART"
    UPDATE_ART = "change an ART"
    ARCHIVE_ART = "archive an ART"
    MANAGE_TEAMS = "create, change or archive teams"
    CREATE_PERSON = "create people"
    UPDATE_PERSON = "change a person"
    ARCHIVE_PERSON = "archive a person"
    MANAGE_ART_ROLES = "give or take ART roles"
    MANAGE_TEAM_ROLES = "give or take team roles"
    MANAGE_PLANNING = "change planning intervals, iterations and milestones"
    EDIT_FEATURE = "create, change or archive features"
    EDIT_ENABLER = "create, change or archive enabler features"
    EDIT_STORY = "create, change or archive the team's stories"
    EDIT_ART_COMPONENT = "create, change or archive the ART's components"
    EDIT_PORTFOLIO_COMPONENT = "create, change or archive portfolio-wide components"
    SET_CAPACITY = "set the team's capacity"
    SET_PASSWORD = "set someone's password"
    MANAGE_TOKENS = "create or revoke API tokens for someone else"
    RUN_TEAM_REFINEMENT = "schedule and run the team's refinement sessions"
    RUN_ART_REFINEMENT = "schedule and run the ART's program backlog refinement"
    SET_DEFINITION_OF_READY = "set the ART's Definition of Ready"
    SET_WIP_LIMITS = "set the ART's WIP limits"
    REOPEN_FEATURE = "reopen a DONE feature"
    EDIT_OWN_ACCOUNT = "change your own name, email, password or API tokens"


# SELF: the actor's own account. It lies in no ART, so like PORTFOLIO it needs a token without
# an ART limit.
PORTFOLIO, SELF, ART, TEAM = "portfolio", "self", "art", "team"
TEAM_ROLES_ALL = frozenset({Role.SCRUM_MASTER, Role.PRODUCT_OWNER}) | TEAM_MEMBER_ROLES


@dataclass(frozen=True, slots=True)
class Rule:
    scope: str
    art_roles: frozenset[Role] = frozenset()
    team_roles: frozenset[Role] = frozenset()


def _art(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


RULES: dict[Action, Rule] = {
    Action.CREATE_ART: Rule(PORTFOLIO),
    Action.UPDATE_ART: Rule(ART, _art(Role.RTE)),
    Action.ARCHIVE_ART: Rule(PORTFOLIO),
    Action.MANAGE_TEAMS: Rule(ART, _art(Role.RTE)),
    # People are portfolio-wide; an RTE of any ART onboards the people of their train.
    Action.CREATE_PERSON: Rule(PORTFOLIO, _art(Role.RTE)),
    Action.UPDATE_PERSON: Rule(PORTFOLIO),
    Action.ARCHIVE_PERSON: Rule(PORTFOLIO),
    Action.MANAGE_ART_ROLES: Rule(ART, _art(Role.RTE)),
    Action.MANAGE_TEAM_ROLES: Rule(TEAM, _art(Role.RTE), _art(Role.SCRUM_MASTER)),
    Action.MANAGE_PLANNING: Rule(ART, _art(Role.RTE)),
    Action.EDIT_FEATURE: Rule(ART, _art(Role.RTE, Role.PRODUCT_MANAGER)),
    Action.EDIT_ENABLER: Rule(ART, _art(Role.RTE, Role.PRODUCT_MANAGER, Role.SYSTEM_ARCHITECT)),
    Action.EDIT_STORY: Rule(TEAM, _art(Role.RTE), TEAM_ROLES_ALL),
    Action.EDIT_ART_COMPONENT: Rule(ART, _art(Role.RTE, Role.SYSTEM_ARCHITECT)),
    Action.EDIT_PORTFOLIO_COMPONENT: Rule(PORTFOLIO),
    Action.SET_CAPACITY: Rule(TEAM, _art(Role.RTE), _art(Role.SCRUM_MASTER)),
    Action.SET_PASSWORD: Rule(PORTFOLIO),
    Action.MANAGE_TOKENS: Rule(PORTFOLIO),
    Action.RUN_TEAM_REFINEMENT: Rule(
        TEAM, _art(Role.RTE), _art(Role.SCRUM_MASTER, Role.PRODUCT_OWNER)
    ),
    Action.RUN_ART_REFINEMENT: Rule(ART, _art(Role.RTE, Role.PRODUCT_MANAGER)),
    Action.SET_DEFINITION_OF_READY: Rule(ART, _art(Role.RTE, Role.PRODUCT_MANAGER)),
    Action.SET_WIP_LIMITS: Rule(ART, _art(Role.RTE)),
    # DONE is final but for an admin's reopen: the RTE administers the ART (services/DOMAIN.md).
    Action.REOPEN_FEATURE: Rule(ART, _art(Role.RTE)),
    Action.EDIT_OWN_ACCOUNT: Rule(SELF),
}


def _names(roles: Iterable[Role]) -> str:
    return ", ".join(sorted(r.value for r in roles))


def require_signed_in(actor: Actor) -> None:
    if not actor.authenticated:
        raise Unauthenticated(
            "Sign in (POST /auth/sign-in) or send an API token (Authorization: Bearer ...)."
        )


def require_write(actor: Actor) -> None:
    require_signed_in(actor)
    if not actor.may_write:
        raise Forbidden("This API token is read-only; use a read-write token to change data.")


def _outside_limits(actor: Actor, rule: Rule, art_id: int | None) -> bool:
    """True when the token's ART limit (or, for an ART, what the actor may read) leaves the
    place of the action out: a write happens only where its result can be read back."""
    if rule.scope in (PORTFOLIO, SELF):
        return actor.limited
    assert art_id is not None, f"{rule.scope} rules are checked at an ART"
    return not actor.sees(art_id)


def allowed(
    actor: Actor, action: Action, *, art_id: int | None = None, team_id: int | None = None
) -> bool:
    """Whether the actor may perform `action` at that ART / team: its person's rights within
    its token's limits (scope and ARTs)."""
    if not actor.authenticated or not actor.may_write:
        return False
    rule = RULES[action]
    if _outside_limits(actor, rule, art_id):
        return False
    if actor.is_admin or rule.scope == SELF:
        return True
    if rule.scope == PORTFOLIO:
        # Portfolio actions open to an ART role: held in any ART.
        return any(roles & rule.art_roles for roles in actor.art_roles.values())
    assert art_id is not None
    if actor.roles_in_art(art_id) & rule.art_roles:
        return True
    if rule.scope == TEAM:
        assert team_id is not None, f"{action} is checked at a team"
        return bool(actor.roles_in_team(team_id, art_id) & rule.team_roles)
    return False


def require(
    actor: Actor,
    action: Action,
    *,
    art_id: int | None = None,
    team_id: int | None = None,
    where: str = "",
) -> None:
    """Refuse unless the actor may perform `action` at that ART / team."""
    require_write(actor)
    if allowed(actor, action, art_id=art_id, team_id=team_id):
        return
    rule = RULES[action]
    place = f" {where}" if where else ""
    if actor.limited and _outside_limits(actor, rule, art_id):
        if rule.scope in (PORTFOLIO, SELF):
            raise Forbidden(
                f"This API token is limited to some ARTs, so it may not {action.value}{place}: "
                "that lies in no ART and needs a token without an ART limit."
            )
        raise Forbidden(
            f"This API token is limited to other ARTs, so it may not {action.value}{place}: "
            "use a token limited to that ART, or one without an ART limit."
        )
    who = ["portfolio admin"]
    if rule.art_roles:
        who.append(_names(rule.art_roles) + (" of the ART" if rule.scope != PORTFOLIO else ""))
    if rule.team_roles:
        who.append(_names(rule.team_roles) + " of the team")
    raise Forbidden(f"You may not {action.value}{place}: that needs {' or '.join(who)}.")


def require_read_art(actor: Actor, art_id: int, art_key: str) -> None:
    require_signed_in(actor)
    if actor.sees(art_id):
        return
    if actor.person_sees(art_id):
        raise Forbidden(
            f"This API token is limited to other ARTs, so it cannot see ART {art_key}: use a "
            "token limited to that ART, or one without an ART limit."
        )
    raise Forbidden(f"You have no role in ART {art_key}, so you cannot see it.")


async def load_actor(
    session: AsyncSession,
    person: Person,
    *,
    token_id: int | None = None,
    token_scope: TokenScope | None = None,
    token_arts: Iterable[int] = (),
) -> Actor:
    """The actor for a signed-in person (optionally through an API token): two statements."""
    rows = (
        await session.execute(
            select(Membership.art_id, Membership.team_id, Membership.role, Team.art_id)
            .outerjoin(Team, Team.id == Membership.team_id)
            .where(Membership.person_id == person.id, Membership.archived_at.is_(None))
        )
    ).all()
    art_roles: dict[int, set[Role]] = {}
    team_roles: dict[int, set[Role]] = {}
    team_arts: dict[int, int] = {}
    for art_id, team_id, role, team_art_id in rows:
        if art_id is not None and role in ART_ROLES:
            art_roles.setdefault(art_id, set()).add(role)
        elif team_id is not None:
            team_roles.setdefault(team_id, set()).add(role)
            team_arts[team_id] = team_art_id
    return Actor(
        person_id=person.id,
        label=person.email,
        is_admin=person.is_admin,
        art_roles={k: frozenset(v) for k, v in art_roles.items()},
        team_roles={k: frozenset(v) for k, v in team_roles.items()},
        team_arts=team_arts,
        token_id=token_id,
        token_scope=token_scope,
        token_arts=frozenset(token_arts) or None,
    )

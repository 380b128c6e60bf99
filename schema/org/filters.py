"""Filters of the organisation's lists: teams, people, memberships."""

from __future__ import annotations

import strawberry

from schema.kit.filters import ARCHIVED_HELP, RoleFilter, StringFilter, text_match, value_match
from services.org import people, teams


@strawberry.input(description="Filter an ART's teams.")
class TeamFilter:
    key: StringFilter | None = strawberry.field(default=None, description="Team key.")
    name: StringFilter | None = strawberry.field(default=None, description="Team name.")
    is_shared_services: bool | None = strawberry.field(
        default=None, description="Only shared-services (platform) teams, or only the others."
    )
    archived: bool | None = strawberry.field(default=False, description=ARCHIVED_HELP)


def team_filter(f: TeamFilter | None) -> teams.TeamFilter:
    if f is None:
        return teams.TeamFilter()
    return teams.TeamFilter(text_match(f.key), text_match(f.name), f.is_shared_services, f.archived)


@strawberry.input(description="Filter people.")
class PersonFilter:
    name: StringFilter | None = strawberry.field(default=None, description="Name.")
    email: StringFilter | None = strawberry.field(default=None, description="Email address.")
    archived: bool | None = strawberry.field(default=False, description=ARCHIVED_HELP)


def person_filter(f: PersonFilter | None) -> people.PersonFilter:
    if f is None:
        return people.PersonFilter()
    return people.PersonFilter(text_match(f.name), text_match(f.email), f.archived)


@strawberry.input(description="Filter memberships.")
class MembershipFilter:
    role: RoleFilter | None = strawberry.field(default=None, description="Role.")
    archived: bool | None = strawberry.field(default=False, description=ARCHIVED_HELP)


def membership_filter(f: MembershipFilter | None) -> people.MembershipFilter:
    if f is None:
        return people.MembershipFilter()
    return people.MembershipFilter(value_match(f.role), f.archived)

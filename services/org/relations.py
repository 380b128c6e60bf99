"""The organisation's nested lists: teams and memberships under ARTs, teams and people."""

from __future__ import annotations

from services.core.relations import Relation, by
from services.models import (
    Membership,
    Team,
)
from services.org import people, teams

ART_TEAMS = Relation("art.teams", Team, by(Team.art_id), teams.team_conditions)


ART_MEMBERSHIPS = Relation(
    "art.memberships", Membership, by(Membership.art_id), people.membership_conditions
)


TEAM_MEMBERSHIPS = Relation(
    "team.memberships", Membership, by(Membership.team_id), people.membership_conditions
)


PERSON_MEMBERSHIPS = Relation(
    "person.memberships", Membership, by(Membership.person_id), people.membership_conditions
)

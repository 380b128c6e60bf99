"""Mutations of ARTs, teams, people and memberships."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.errors import UserError
from schema.kit.mutations import INPUT, ArchiveInput, maybe, node_id, optional_id, run
from schema.org.types import Art, Membership, Person, Team
from services.core.inputs import Maybe
from services.org import arts, people, teams

Info_ = Info[Context, None]
UNSET = strawberry.UNSET
ERRORS = "Why nothing was written; empty on success."


@strawberry.type(description="Result of an ART mutation.")
class ArtPayload:
    art: Art | None = strawberry.field(description="The ART as saved; null on failure.")
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description="A new ART.")
class CreateArtInput:
    key: str = strawberry.field(description="2-10 capital letters or digits, e.g. PAY.")
    name: str = strawberry.field(description="Display name.")
    description: str | None = strawberry.field(default=UNSET, description="What it delivers.")

    def draft(self) -> arts.ArtDraft:
        return arts.ArtDraft(key=self.key, name=self.name, description=maybe(self.description))


@strawberry.input(description="Changes to an ART; omitted fields stay as they are.")
class UpdateArtInput:
    id: strawberry.ID = strawberry.field(description="The ART.")
    version: int = strawberry.field(description="The version you read.")
    key: str | None = strawberry.field(default=UNSET, description="New key.")
    name: str | None = strawberry.field(default=UNSET, description="New name.")
    description: str | None = strawberry.field(default=UNSET, description="New description.")

    def changes(self) -> arts.ArtChanges:
        return arts.ArtChanges(
            key=maybe(self.key), name=maybe(self.name), description=maybe(self.description)
        )


@strawberry.type(description="Result of a team mutation.")
class TeamPayload:
    team: Team | None = strawberry.field(description="The team as saved; null on failure.")
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description="A team's t-shirt scale in story points.")
class TShirtScaleInput:
    xs: int = strawberry.field(name="XS", description="Points of XS.")
    s: int = strawberry.field(name="S", description="Points of S.")
    m: int = strawberry.field(name="M", description="Points of M.")
    l: int = strawberry.field(name="L", description="Points of L.")  # noqa: E741 (the size is called L)
    xl: int = strawberry.field(name="XL", description="Points of XL.")


def _scale(value: TShirtScaleInput | None) -> Maybe[dict[str, int] | None]:
    """The points of each size; None restores the default scale."""
    given = maybe(value)
    if isinstance(given, TShirtScaleInput):
        return {"XS": given.xs, "S": given.s, "M": given.m, "L": given.l, "XL": given.xl}
    return given


@strawberry.input(description="A new team in an ART.")
class CreateTeamInput:
    art_id: strawberry.ID = strawberry.field(description="The ART.")
    key: str = strawberry.field(description="2-10 capital letters or digits, unique in the ART.")
    name: str = strawberry.field(description="Display name.")
    description: str | None = strawberry.field(default=UNSET, description="What the team does.")
    is_shared_services: bool | None = strawberry.field(
        default=UNSET, description="A shared-services / platform team."
    )
    tshirt_scale: TShirtScaleInput | None = strawberry.field(
        default=UNSET, description="The team's t-shirt scale; default XS=1, S=2, M=3, L=5, XL=8."
    )

    def draft(self) -> teams.TeamDraft:
        return teams.TeamDraft(
            key=self.key,
            name=self.name,
            description=maybe(self.description),
            is_shared_services=maybe(self.is_shared_services),
            tshirt_points=_scale(self.tshirt_scale),
        )


@strawberry.input(description="Changes to a team; omitted fields stay as they are.")
class UpdateTeamInput:
    id: strawberry.ID = strawberry.field(description="The team.")
    version: int = strawberry.field(description="The version you read.")
    key: str | None = strawberry.field(default=UNSET, description="New key.")
    name: str | None = strawberry.field(default=UNSET, description="New name.")
    description: str | None = strawberry.field(default=UNSET, description="New description.")
    is_shared_services: bool | None = strawberry.field(default=UNSET, description="New flag.")
    tshirt_scale: TShirtScaleInput | None = strawberry.field(
        default=UNSET, description="New t-shirt scale; null restores the default."
    )

    def changes(self) -> teams.TeamChanges:
        return teams.TeamChanges(
            key=maybe(self.key),
            name=maybe(self.name),
            description=maybe(self.description),
            is_shared_services=maybe(self.is_shared_services),
            tshirt_points=_scale(self.tshirt_scale),
        )


@strawberry.type(description="Result of a person mutation.")
class PersonPayload:
    person: Person | None = strawberry.field(description="The person as saved; null on failure.")
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description="A new person (with a password: an account that can sign in).")
class CreatePersonInput:
    name: str = strawberry.field(description="Full name.")
    email: str = strawberry.field(description="Email address (unique).")
    password: str | None = strawberry.field(
        default=UNSET, description="12 to 128 characters (portfolio admins only)."
    )
    is_admin: bool | None = strawberry.field(
        default=UNSET, description="Make the person a portfolio admin (admins only)."
    )

    def draft(self) -> people.PersonDraft:
        return people.PersonDraft(
            name=self.name,
            email=self.email,
            password=maybe(self.password),
            is_admin=maybe(self.is_admin),
        )


@strawberry.input(description="Changes to a person; omitted fields stay as they are.")
class UpdatePersonInput:
    id: strawberry.ID = strawberry.field(description="The person.")
    version: int = strawberry.field(description="The version you read.")
    name: str | None = strawberry.field(default=UNSET, description="New name.")
    email: str | None = strawberry.field(default=UNSET, description="New email address.")
    is_admin: bool | None = strawberry.field(
        default=UNSET, description="Portfolio admin flag (admins only)."
    )

    def changes(self) -> people.PersonChanges:
        return people.PersonChanges(
            name=maybe(self.name), email=maybe(self.email), is_admin=maybe(self.is_admin)
        )


@strawberry.type(description="Result of a membership mutation.")
class MembershipPayload:
    membership: Membership | None = strawberry.field(
        description="The membership as saved; null on failure."
    )
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description="Give a person a role in an ART (artId) or a team (teamId).")
class CreateMembershipInput:
    person_id: strawberry.ID = strawberry.field(description="The person.")
    role: e.Role = strawberry.field(description="The role.")
    art_id: strawberry.ID | None = strawberry.field(default=None, description="For an ART role.")
    team_id: strawberry.ID | None = strawberry.field(default=None, description="For a team role.")


@strawberry.input(description="Change the role of a membership.")
class UpdateMembershipInput:
    id: strawberry.ID = strawberry.field(description="The membership.")
    version: int = strawberry.field(description="The version you read.")
    role: e.Role = strawberry.field(description="The new role.")


@strawberry.type
class OrgMutations:
    @strawberry.mutation(description="Create an ART.")
    async def create_art(self, info: Info_, input: Annotated[CreateArtInput, INPUT]) -> ArtPayload:
        row, errors = await run(info, lambda s, a: arts.create_art(s, a, input.draft()))
        return ArtPayload(art=Art.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Change an ART.")
    async def update_art(self, info: Info_, input: Annotated[UpdateArtInput, INPUT]) -> ArtPayload:
        row, errors = await run(
            info,
            lambda s, a: arts.update_art(
                s, a, node_id(input.id, Art, "id"), input.version, input.changes()
            ),
        )
        return ArtPayload(art=Art.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(
        description="Archive an ART (refused while it has live teams, "
        "features or planning intervals)."
    )
    async def archive_art(self, info: Info_, input: Annotated[ArchiveInput, INPUT]) -> ArtPayload:
        row, errors = await run(
            info, lambda s, a: arts.archive_art(s, a, node_id(input.id, Art, "id"), input.version)
        )
        return ArtPayload(art=Art.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Create a team in an ART.")
    async def create_team(
        self, info: Info_, input: Annotated[CreateTeamInput, INPUT]
    ) -> TeamPayload:
        row, errors = await run(
            info,
            lambda s, a: teams.create_team(
                s, a, node_id(input.art_id, Art, "artId"), input.draft()
            ),
        )
        return TeamPayload(team=Team.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Change a team.")
    async def update_team(
        self, info: Info_, input: Annotated[UpdateTeamInput, INPUT]
    ) -> TeamPayload:
        row, errors = await run(
            info,
            lambda s, a: teams.update_team(
                s, a, node_id(input.id, Team, "id"), input.version, input.changes()
            ),
        )
        return TeamPayload(team=Team.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Archive a team (refused while it owns live work).")
    async def archive_team(self, info: Info_, input: Annotated[ArchiveInput, INPUT]) -> TeamPayload:
        row, errors = await run(
            info,
            lambda s, a: teams.archive_team(s, a, node_id(input.id, Team, "id"), input.version),
        )
        return TeamPayload(team=Team.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Create a person.")
    async def create_person(
        self, info: Info_, input: Annotated[CreatePersonInput, INPUT]
    ) -> PersonPayload:
        row, errors = await run(info, lambda s, a: people.create_person(s, a, input.draft()))
        return PersonPayload(person=Person.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Change a person.")
    async def update_person(
        self, info: Info_, input: Annotated[UpdatePersonInput, INPUT]
    ) -> PersonPayload:
        row, errors = await run(
            info,
            lambda s, a: people.update_person(
                s,
                a,
                node_id(input.id, Person, "id"),
                input.version,
                input.changes(),
            ),
        )
        return PersonPayload(person=Person.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Archive a person and every role they hold.")
    async def archive_person(
        self, info: Info_, input: Annotated[ArchiveInput, INPUT]
    ) -> PersonPayload:
        row, errors = await run(
            info,
            lambda s, a: people.archive_person(
                s, a, node_id(input.id, Person, "id"), input.version
            ),
        )
        return PersonPayload(person=Person.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Give a person a role in an ART or a team.")
    async def create_membership(
        self, info: Info_, input: Annotated[CreateMembershipInput, INPUT]
    ) -> MembershipPayload:
        row, errors = await run(
            info,
            lambda s, a: people.create_membership(
                s,
                a,
                node_id(input.person_id, Person, "personId"),
                optional_id(input.art_id, Art, "artId"),
                optional_id(input.team_id, Team, "teamId"),
                input.role,
            ),
        )
        return MembershipPayload(
            membership=Membership.from_row(row) if row else None, errors=errors
        )

    @strawberry.mutation(description="Change the role of a membership.")
    async def update_membership(
        self, info: Info_, input: Annotated[UpdateMembershipInput, INPUT]
    ) -> MembershipPayload:
        row, errors = await run(
            info,
            lambda s, a: people.update_membership(
                s, a, node_id(input.id, Membership, "id"), input.version, input.role
            ),
        )
        return MembershipPayload(
            membership=Membership.from_row(row) if row else None, errors=errors
        )

    @strawberry.mutation(description="End a membership.")
    async def archive_membership(
        self, info: Info_, input: Annotated[ArchiveInput, INPUT]
    ) -> MembershipPayload:
        row, errors = await run(
            info,
            lambda s, a: people.archive_membership(
                s, a, node_id(input.id, Membership, "id"), input.version
            ),
        )
        return MembershipPayload(
            membership=Membership.from_row(row) if row else None, errors=errors
        )

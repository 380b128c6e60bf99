"""Filter input objects with per-field comparators, and their translation to service filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

import strawberry

from schema.kit import enums as e
from schema.kit.errors import ClientError
from schema.kit.relay import IdError, RowNode, decode_id
from services.core.filters import Match
from services.history import audit
from services.org import people, teams
from services.planning import intervals
from services.work import components, dependencies, features, stories

V = TypeVar("V")


@strawberry.input(description="Match an id: equal to one, or among several.")
class IDFilter:
    eq: strawberry.ID | None = strawberry.field(default=None, description="Equal to this id.")
    in_: list[strawberry.ID] | None = strawberry.field(
        default=None, name="in", description="Any of these ids (at most 100)."
    )


@strawberry.input(description="Match a text: exactly, among several, or containing a fragment.")
class StringFilter:
    eq: str | None = strawberry.field(default=None, description="Exactly this text.")
    in_: list[str] | None = strawberry.field(
        default=None, name="in", description="Any of these texts (at most 100)."
    )
    contains: str | None = strawberry.field(
        default=None, description="Contains this fragment, ignoring case."
    )


@strawberry.input(description="Match a FeatureState value.")
class FeatureStateFilter:
    eq: e.FeatureState | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.FeatureState] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Match a FeatureKind value.")
class FeatureKindFilter:
    eq: e.FeatureKind | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.FeatureKind] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Match a StoryStatus value.")
class StoryStatusFilter:
    eq: e.StoryStatus | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.StoryStatus] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Match a StoryKind value.")
class StoryKindFilter:
    eq: e.StoryKind | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.StoryKind] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Match a ComponentKind value.")
class ComponentKindFilter:
    eq: e.ComponentKind | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.ComponentKind] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Match a DependencyType value.")
class DependencyTypeFilter:
    eq: e.DependencyType | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.DependencyType] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Match a Role value.")
class RoleFilter:
    eq: e.Role | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.Role] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


ARCHIVED_HELP = "false (default): live rows only; true: archived rows only; null: both."


def text_match(f: StringFilter | None) -> Match[str] | None:
    if f is None:
        return None
    return Match(f.eq, tuple(f.in_) if f.in_ is not None else None, f.contains)


class _EnumFilter(Protocol):
    eq: Any
    in_: list[Any] | None


def value_match(f: _EnumFilter | None) -> Match[Any] | None:
    if f is None:
        return None
    return Match(f.eq, tuple(f.in_) if f.in_ is not None else None)


def id_match(f: IDFilter | None, node_type: type[RowNode], name: str) -> Match[int] | None:
    if f is None:
        return None
    try:
        eq = decode_id(f.eq, node_type, name)[1] if f.eq is not None else None
        in_ = tuple(decode_id(v, node_type, name)[1] for v in f.in_) if f.in_ is not None else None
    except IdError as exc:
        raise ClientError(str(exc)) from None
    return Match(eq, in_)


def _types() -> dict[str, type[RowNode]]:
    from schema.org.types import Team
    from schema.planning.types import Iteration, PlanningInterval
    from schema.work.types import Feature

    return {
        "Team": Team,
        "PlanningInterval": PlanningInterval,
        "Feature": Feature,
        "Iteration": Iteration,
    }


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


@strawberry.input(description="Filter features.")
class FeatureFilter:
    state: FeatureStateFilter | None = strawberry.field(default=None, description="Kanban state.")
    team: IDFilter | None = strawberry.field(default=None, description="Owning team.")
    planning_interval: IDFilter | None = strawberry.field(
        default=None, description="Planning interval the feature is planned in."
    )
    kind: FeatureKindFilter | None = strawberry.field(
        default=None, description="BUSINESS or ENABLER."
    )
    key: StringFilter | None = strawberry.field(default=None, description="Feature key.")
    title: StringFilter | None = strawberry.field(default=None, description="Title.")
    archived: bool | None = strawberry.field(default=False, description=ARCHIVED_HELP)


def feature_filter(f: FeatureFilter | None) -> features.FeatureFilter:
    if f is None:
        return features.FeatureFilter()
    t = _types()
    return features.FeatureFilter(
        state=value_match(f.state),
        team=id_match(f.team, t["Team"], "filter.team"),
        planning_interval=id_match(
            f.planning_interval, t["PlanningInterval"], "filter.planningInterval"
        ),
        kind=value_match(f.kind),
        key=text_match(f.key),
        title=text_match(f.title),
        archived=f.archived,
    )


@strawberry.input(description="Filter stories.")
class StoryFilter:
    team: IDFilter | None = strawberry.field(default=None, description="Owning team.")
    status: StoryStatusFilter | None = strawberry.field(default=None, description="Status.")
    feature: IDFilter | None = strawberry.field(default=None, description="Parent feature.")
    tag: StringFilter | None = strawberry.field(default=None, description="Refinement tag.")
    kind: StoryKindFilter | None = strawberry.field(default=None, description="Story kind.")
    iteration: IDFilter | None = strawberry.field(default=None, description="Planned iteration.")
    is_blocked: bool | None = strawberry.field(default=None, description="Blocked or not.")
    key: StringFilter | None = strawberry.field(default=None, description="Story key.")
    title: StringFilter | None = strawberry.field(default=None, description="Title.")
    archived: bool | None = strawberry.field(default=False, description=ARCHIVED_HELP)


def story_filter(f: StoryFilter | None) -> stories.StoryFilter:
    if f is None:
        return stories.StoryFilter()
    t = _types()
    return stories.StoryFilter(
        team=id_match(f.team, t["Team"], "filter.team"),
        status=value_match(f.status),
        feature=id_match(f.feature, t["Feature"], "filter.feature"),
        tag=text_match(f.tag),
        kind=value_match(f.kind),
        iteration=id_match(f.iteration, t["Iteration"], "filter.iteration"),
        is_blocked=f.is_blocked,
        key=text_match(f.key),
        title=text_match(f.title),
        archived=f.archived,
    )


@strawberry.input(description="Filter planning intervals.")
class PlanningIntervalFilter:
    name: StringFilter | None = strawberry.field(default=None, description="Name.")
    archived: bool | None = strawberry.field(default=False, description=ARCHIVED_HELP)


def pi_filter(f: PlanningIntervalFilter | None) -> intervals.PlanningIntervalFilter:
    if f is None:
        return intervals.PlanningIntervalFilter()
    return intervals.PlanningIntervalFilter(text_match(f.name), f.archived)


@strawberry.input(description="Filter architecture components.")
class ComponentFilter:
    kind: ComponentKindFilter | None = strawberry.field(default=None, description="Kind.")
    name: StringFilter | None = strawberry.field(default=None, description="Name.")
    owning_team: IDFilter | None = strawberry.field(default=None, description="Owning team.")
    archived: bool | None = strawberry.field(default=False, description=ARCHIVED_HELP)


def component_filter(f: ComponentFilter | None) -> components.ComponentFilter:
    if f is None:
        return components.ComponentFilter()
    return components.ComponentFilter(
        value_match(f.kind),
        text_match(f.name),
        id_match(f.owning_team, _types()["Team"], "filter.owningTeam"),
        f.archived,
    )


@strawberry.input(description="Filter dependencies.")
class DependencyFilter:
    type: DependencyTypeFilter | None = strawberry.field(
        default=None, description="BLOCKS or RELATES."
    )
    archived: bool | None = strawberry.field(default=False, description=ARCHIVED_HELP)


def dependency_filter(f: DependencyFilter | None) -> dependencies.DependencyFilter:
    if f is None:
        return dependencies.DependencyFilter()
    return dependencies.DependencyFilter(value_match(f.type), f.archived)


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


def as_tuple(values: Sequence[V] | None) -> tuple[V, ...] | None:
    return tuple(values) if values is not None else None


@strawberry.input(description="Filter the activity feed.")
class ActivityFilter:
    person: IDFilter | None = strawberry.field(default=None, description="Who made the change.")
    team: IDFilter | None = strawberry.field(default=None, description="Team of the item.")
    item_type: StringFilter | None = strawberry.field(
        default=None, description="Item type, e.g. Story or Feature."
    )
    since: dt.datetime | None = strawberry.field(
        default=None, description="At or after this time (UTC when no offset is given)."
    )
    until: dt.datetime | None = strawberry.field(
        default=None, description="Before this time (UTC when no offset is given)."
    )


def activity_filter(f: ActivityFilter | None) -> audit.ActivityFilter:
    if f is None:
        return audit.ActivityFilter()
    from schema.org.types import Person

    return audit.ActivityFilter(
        person=id_match(f.person, Person, "filter.person"),
        team=id_match(f.team, _types()["Team"], "filter.team"),
        entity_type=text_match(f.item_type),
        since=as_utc(f.since),
        until=as_utc(f.until),
    )


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A client's time in UTC; one given without an offset is taken to be UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)

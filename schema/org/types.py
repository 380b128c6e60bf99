"""ARTs, teams, people and memberships."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Concatenate, ParamSpec, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

# The analysis result types import this module's types, so this module reaches them through
# their package at run time and never loads them itself: by the time a resolver runs, building
# the schema has loaded them (the lazy annotations below name them).
import schema.analysis
from schema.analysis.filters import DependencyHealthFilter, dependency_health_filter
from schema.history.filters import ActivityFilter, activity_filter
from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.ordering import FeatureOrder, StoryOrder, feature_order, story_order
from schema.kit.relay import (
    AFTER,
    FILTER,
    FIRST,
    ORDER,
    Connection,
    RowNode,
    Versioned,
    child_connection,
    follows,
    optional_reference,
    reference,
)
from schema.org import filters as org_filters
from schema.planning import filters as planning_filters
from schema.refinement.fields import ArtRefinement, TeamRefinement
from schema.work import filters as work_filters
from schema.work.kanban import WipLimit, art_wip_limits
from services import models as m
from services.access.permissions import Actor
from services.analysis import analyses
from services.analysis.plans import AnalysisCache
from services.core.scales import DEFAULT_TSHIRT_POINTS
from services.history import relations as history_relations
from services.history.audit import HISTORY_ORDER
from services.org import arts, people, teams
from services.org import relations as org_relations
from services.planning import intervals
from services.planning import relations as planning_relations
from services.work import components, dependencies
from services.work import relations as work_relations

if TYPE_CHECKING:
    import schema.analysis.types
    from schema.analysis.types import Coupling, Cycle, DependencyHealth, FeatureHealth, Hotspots
    from schema.history.types import HistoryEntry
    from schema.planning.types import PlanningInterval
    from schema.work.types import Component, Dependency, Feature, Story

_work = "schema.work.types"
FeatureT = Annotated["Feature", strawberry.lazy(_work)]
StoryT = Annotated["Story", strawberry.lazy(_work)]
ComponentT = Annotated["Component", strawberry.lazy(_work)]
DependencyT = Annotated["Dependency", strawberry.lazy(_work)]
HistoryEntryT = Annotated["HistoryEntry", strawberry.lazy("schema.history.types")]
PlanningIntervalT = Annotated["PlanningInterval", strawberry.lazy("schema.planning.types")]

Info_ = Info[Context, None]


_insights = strawberry.lazy("schema.analysis.types")
P = ParamSpec("P")
R = TypeVar("R")


async def run_analysis(
    info: Info_,
    analysis: Callable[Concatenate[AsyncSession, Actor, AnalysisCache, P], Awaitable[R]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> R:
    """Run an analysis use case (services.analysis.analyses) in a short session of its own."""
    context = info.context
    async with context.sessionmaker() as session:
        return await analysis(session, context.actor, context.cache, *args, **kwargs)


@strawberry.type(description="An Agile Release Train: 5-15 teams planning together.")
class Art(RowNode, Versioned, ArtRefinement):
    model = m.Art
    key: str = strawberry.field(description="Short unique key, e.g. PAY.")
    name: str = strawberry.field(description="Display name.")
    description: str = strawberry.field(description="What the train delivers.")

    @strawberry.field(description="The ART's teams, by key.")
    async def teams(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[org_filters.TeamFilter | None, FILTER] = None,
    ) -> Connection[Team]:
        return await child_connection(
            info,
            org_relations.ART_TEAMS,
            self.pk,
            Team,
            org_filters.team_filter(filter),
            teams.TEAM_ORDER,
            first,
            after,
        )

    @strawberry.field(description="The ART's planning intervals, by start date.")
    async def planning_intervals(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[planning_filters.PlanningIntervalFilter | None, FILTER] = None,
    ) -> Connection[PlanningIntervalT]:
        return await child_connection(
            info,
            planning_relations.ART_PLANNING_INTERVALS,
            self.pk,
            "PlanningInterval",
            planning_filters.pi_filter(filter),
            intervals.PI_ORDER,
            first,
            after,
        )

    @strawberry.field(
        description="The ART's backlog of features; by default in program backlog order (WSJF)."
    )
    async def features(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[work_filters.FeatureFilter | None, FILTER] = None,
        order_by: Annotated[FeatureOrder | None, ORDER] = None,
    ) -> Connection[FeatureT]:
        return await child_connection(
            info,
            work_relations.ART_FEATURES,
            self.pk,
            "Feature",
            work_filters.feature_filter(filter),
            feature_order(order_by),
            first,
            after,
        )

    @strawberry.field(
        description="The ART Kanban's WIP limits, in flow order, each with what its state "
        "holds now (services/DOMAIN.md, The ART Kanban)."
    )
    async def wip_limits(self, info: Info_) -> list[WipLimit]:
        return await art_wip_limits(info, self.pk)

    @strawberry.field(description="Stories of all the ART's features.")
    async def stories(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[work_filters.StoryFilter | None, FILTER] = None,
        order_by: Annotated[StoryOrder | None, ORDER] = None,
    ) -> Connection[StoryT]:
        return await child_connection(
            info,
            work_relations.ART_STORIES,
            self.pk,
            "Story",
            work_filters.story_filter(filter),
            story_order(order_by),
            first,
            after,
        )

    @strawberry.field(description="Components of this ART and the portfolio-wide ones.")
    async def components(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[work_filters.ComponentFilter | None, FILTER] = None,
    ) -> Connection[ComponentT]:
        return await child_connection(
            info,
            work_relations.ART_COMPONENTS,
            self.pk,
            "Component",
            work_filters.component_filter(filter),
            components.COMPONENT_ORDER,
            first,
            after,
        )

    @strawberry.field(description="Dependencies with at least one end in this ART.")
    async def dependencies(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[work_filters.DependencyFilter | None, FILTER] = None,
    ) -> Connection[DependencyT]:
        return await child_connection(
            info,
            work_relations.ART_DEPENDENCIES,
            self.pk,
            "Dependency",
            work_filters.dependency_filter(filter),
            dependencies.DEPENDENCY_ORDER,
            first,
            after,
        )

    @strawberry.field(description="Health of every dependency touching the ART, with reasons.")
    async def dependency_health(
        self, info: Info_, filter: Annotated[DependencyHealthFilter | None, FILTER] = None
    ) -> list[Annotated[DependencyHealth, _insights]]:
        wanted = dependency_health_filter(filter)
        _, found = await run_analysis(info, analyses.dependency_health, self.pk, wanted)
        return [schema.analysis.types.DependencyHealth(result=h) for h in found]

    @strawberry.field(
        description="Each feature's health: the worst of what it and its stories wait for."
    )
    async def feature_health(self, info: Info_) -> list[Annotated[FeatureHealth, _insights]]:
        _, found = await run_analysis(info, analyses.feature_health, self.pk)
        return [schema.analysis.types.FeatureHealth(result=h) for h in found]

    @strawberry.field(description="Cycles among the ART's blocking dependencies (an error to fix).")
    async def cycles(self, info: Info_) -> list[Annotated[Cycle, _insights]]:
        loaded, found = await run_analysis(info, analyses.find_cycles, [self.pk])
        return schema.analysis.types.cycles_of(loaded, found)

    @strawberry.field(
        description="Team x team matrix of cross-team dependencies (cross-ART included)."
    )
    async def coupling(self, info: Info_) -> Annotated[Coupling, _insights]:
        loaded, found = await run_analysis(info, analyses.team_coupling, [self.pk])
        return schema.analysis.types.Coupling(result=found, loaded=loaded)

    @strawberry.field(
        description="Components several teams change at once, centrality, missing enablers."
    )
    async def hotspots(self, info: Info_) -> Annotated[Hotspots, _insights]:
        loaded, found = await run_analysis(info, analyses.component_hotspots, self.pk)
        return schema.analysis.types.Hotspots(result=found, loaded=loaded)

    @strawberry.field(
        description="What changed in this ART, newest first: who, when, which fields; "
        "filter by person, team, item type and time."
    )
    async def activity(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[ActivityFilter | None, FILTER] = None,
    ) -> Connection[HistoryEntryT]:
        return await child_connection(
            info,
            history_relations.ART_ACTIVITY,
            self.pk,
            "HistoryEntry",
            activity_filter(filter),
            HISTORY_ORDER,
            first,
            after,
        )

    @strawberry.field(description="People holding an ART role (RTE, product management, ...).")
    async def memberships(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[org_filters.MembershipFilter | None, FILTER] = None,
    ) -> Connection[Membership]:
        return await child_connection(
            info,
            org_relations.ART_MEMBERSHIPS,
            self.pk,
            Membership,
            org_filters.membership_filter(filter),
            people.MEMBERSHIP_ORDER,
            first,
            after,
        )


@strawberry.type(description="A team's t-shirt size scale in story points.")
class TShirtScale:
    xs: int = strawberry.field(name="XS", description="Points of an XS story.")
    s: int = strawberry.field(name="S", description="Points of an S story.")
    m: int = strawberry.field(name="M", description="Points of an M story.")
    l: int = strawberry.field(name="L", description="Points of an L story.")  # noqa: E741 (the size is called L)
    xl: int = strawberry.field(name="XL", description="Points of an XL story.")


@strawberry.type(description="An agile team of one ART.")
class Team(RowNode, Versioned, TeamRefinement):
    model = m.Team
    art_id: strawberry.Private[int]
    key: str = strawberry.field(description="Key, unique in the ART, e.g. ATL.")
    name: str = strawberry.field(description="Display name.")
    description: str = strawberry.field(description="What the team does.")
    is_shared_services: bool = strawberry.field(
        description="A shared-services / platform team serving other teams."
    )
    tshirt_points: strawberry.Private[dict[str, int]]

    @strawberry.field(description="The team's t-shirt scale (DOMAIN default XS=1 ... XL=8).")
    def tshirt_scale(self) -> TShirtScale:
        scale = {size.value: points for size, points in DEFAULT_TSHIRT_POINTS.items()}
        scale.update(self.tshirt_points or {})
        return TShirtScale(xs=scale["XS"], s=scale["S"], m=scale["M"], l=scale["L"], xl=scale["XL"])

    @strawberry.field(description="The ART the team belongs to.")
    @follows("art_id", "Art")
    def art(self, info: Info_) -> Art:
        return reference(info, Art, self.art_id)

    @strawberry.field(description="The team's stories.")
    async def stories(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[work_filters.StoryFilter | None, FILTER] = None,
        order_by: Annotated[StoryOrder | None, ORDER] = None,
    ) -> Connection[StoryT]:
        return await child_connection(
            info,
            work_relations.TEAM_STORIES,
            self.pk,
            "Story",
            work_filters.story_filter(filter),
            story_order(order_by),
            first,
            after,
        )

    @strawberry.field(description="Features this team owns.")
    async def features(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[work_filters.FeatureFilter | None, FILTER] = None,
        order_by: Annotated[FeatureOrder | None, ORDER] = None,
    ) -> Connection[FeatureT]:
        return await child_connection(
            info,
            work_relations.TEAM_FEATURES,
            self.pk,
            "Feature",
            work_filters.feature_filter(filter),
            feature_order(order_by),
            first,
            after,
        )

    @strawberry.field(description="Components this team owns.")
    async def components(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[work_filters.ComponentFilter | None, FILTER] = None,
    ) -> Connection[ComponentT]:
        return await child_connection(
            info,
            work_relations.TEAM_COMPONENTS,
            self.pk,
            "Component",
            work_filters.component_filter(filter),
            components.COMPONENT_ORDER,
            first,
            after,
        )

    @strawberry.field(description="The team's members and their roles.")
    async def memberships(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[org_filters.MembershipFilter | None, FILTER] = None,
    ) -> Connection[Membership]:
        return await child_connection(
            info,
            org_relations.TEAM_MEMBERSHIPS,
            self.pk,
            Membership,
            org_filters.membership_filter(filter),
            people.MEMBERSHIP_ORDER,
            first,
            after,
        )


@strawberry.type(description="A person working on the train.")
class Person(RowNode, Versioned):
    model = m.Person
    password_hash: strawberry.Private[str | None]
    name: str = strawberry.field(description="Full name.")
    email: str = strawberry.field(description="Email address (unique).")
    is_admin: bool = strawberry.field(description="Portfolio admin: may do everything.")

    @strawberry.field(description="True when the person has a password and can sign in.")
    def can_sign_in(self) -> bool:
        return self.password_hash is not None

    @strawberry.field(description="The person's roles in ARTs and teams.")
    async def memberships(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[org_filters.MembershipFilter | None, FILTER] = None,
    ) -> Connection[Membership]:
        return await child_connection(
            info,
            org_relations.PERSON_MEMBERSHIPS,
            self.pk,
            Membership,
            org_filters.membership_filter(filter),
            people.MEMBERSHIP_ORDER,
            first,
            after,
        )


@strawberry.type(description="A person's role in one ART or one team.")
class Membership(RowNode, Versioned):
    model = m.Membership
    person_id: strawberry.Private[int]
    art_id: strawberry.Private[int | None]
    team_id: strawberry.Private[int | None]
    role: e.Role = strawberry.field(description="The role held.")

    @strawberry.field(description="Who holds the role.")
    @follows("person_id", "Person")
    def person(self, info: Info_) -> Person:
        return reference(info, Person, self.person_id)

    @strawberry.field(description="The ART, for an ART role.")
    @follows("art_id", "Art")
    def art(self, info: Info_) -> Art | None:
        return optional_reference(info, Art, self.art_id)

    @strawberry.field(description="The team, for a team role.")
    @follows("team_id", "Team")
    def team(self, info: Info_) -> Team | None:
        return optional_reference(info, Team, self.team_id)


__all__ = ["Art", "Membership", "Person", "TShirtScale", "Team", "arts"]

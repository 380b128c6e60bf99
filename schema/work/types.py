"""Plan items (features, stories), architecture components and dependencies."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.ordering import FeatureOrder, StoryOrder, feature_order, story_order
from schema.kit.relay import (
    AFTER,
    FILTER,
    FIRST,
    ORDER,
    Connection,
    Node,
    RowNode,
    Versioned,
    child_connection,
    follows,
    optional_reference,
    reference,
)
from schema.org import types as org
from schema.planning import types as planning
from schema.refinement.fields import FeatureRefinement, StoryRefinement
from schema.work import filters as work_filters
from services import models as m
from services.core.relations import Relation
from services.core.scales import story_points
from services.work import dependencies, relations

if TYPE_CHECKING:
    from schema.org.types import Art, Team
    from schema.planning.types import Iteration, PlanningInterval

# The ART and planning types refer back to plan items: both sides resolve lazily.
ArtT = Annotated["Art", strawberry.lazy("schema.org.types")]
TeamT = Annotated["Team", strawberry.lazy("schema.org.types")]
IterationT = Annotated["Iteration", strawberry.lazy("schema.planning.types")]
PlanningIntervalT = Annotated["PlanningInterval", strawberry.lazy("schema.planning.types")]

Info_ = Info[Context, None]


@strawberry.interface(description="A plan item a dependency can connect: a Feature or a Story.")
class WorkItem(Node):
    key: str = strawberry.field(description="Human key, e.g. PAY-12.")
    title: str = strawberry.field(description="Short title.")
    version: int = strawberry.field(
        description="Increases with every change; send it back with updates (and with "
        "applyPlanMoves) to detect conflicts."
    )

    @strawberry.field(
        description="The team that owns the item: a story's team, a feature's owning team "
        "(null while a feature has none)."
    )
    def team(self, info: Info_) -> TeamT | None:
        raise NotImplementedError  # each item type resolves its own team


async def _dependency_page(
    info: Info_, relation: Relation, item_id: int, first: int | None, after: str | None
) -> Connection[Dependency]:
    return await child_connection(
        info, relation, item_id, Dependency, None, dependencies.DEPENDENCY_ORDER, first, after
    )


async def _components(info: Info_, ids: list[int]) -> list[Component]:
    rows = await info.context.loaders.row(m.Component).load_many(ids)
    return [Component.from_row(r) for r in rows if r is not None]


@strawberry.type(description="A feature of an ART backlog: a business feature or an enabler.")
class Feature(RowNode, Versioned, WorkItem, FeatureRefinement):
    model = m.Feature
    art_id: strawberry.Private[int]
    owning_team_id: strawberry.Private[int | None]
    planning_interval_id: strawberry.Private[int | None]
    iteration_id: strawberry.Private[int | None]
    key: str = strawberry.field(description="Key, unique in the ART, e.g. PAY-12.")
    title: str = strawberry.field(description="Short title.")
    description: str = strawberry.field(description="Longer description.")
    kind: e.FeatureKind = strawberry.field(description="BUSINESS or ENABLER.")
    enabler_type: e.EnablerType | None = strawberry.field(description="For enablers: which kind.")
    state: e.FeatureState = strawberry.field(description="ART Kanban state.")
    benefit_hypothesis: str = strawberry.field(description="The measurable benefit expected.")
    acceptance_criteria: list[str] = strawberry.field(description="Acceptance criteria, in order.")
    user_business_value: int | None = strawberry.field(
        description="WSJF input on the 1, 2, 3, 5, 8, 13, 20 scale."
    )
    time_criticality: int | None = strawberry.field(
        description="WSJF input on the 1, 2, 3, 5, 8, 13, 20 scale."
    )
    risk_reduction: int | None = strawberry.field(
        name="riskReductionOpportunityEnablement",
        description="WSJF input (RR|OE) on the 1, 2, 3, 5, 8, 13, 20 scale.",
    )
    job_size: int | None = strawberry.field(
        description="WSJF denominator on the 1, 2, 3, 5, 8, 13, 20 scale."
    )
    cost_of_delay: int | None = strawberry.field(
        description="User-business value + time criticality + RR|OE; null until all are scored."
    )
    wsjf: float | None = strawberry.field(
        description="Cost of delay / job size; higher ranks first. Null until scored."
    )
    rank: int = strawberry.field(description="Backlog rank; breaks WSJF ties (lower first).")
    business_value_notes: str = strawberry.field(
        description="The business value as clarified in program backlog refinement."
    )
    technical_assumptions: str = strawberry.field(
        description="Technical assumptions recorded in refinement."
    )
    dependencies_identified_at: dt.datetime | None = strawberry.field(
        description="When refinement identified its dependencies (null: not yet)."
    )
    refined_at: dt.datetime | None = strawberry.field(
        description="When it last left ANALYZING meeting the Definition of Ready."
    )

    @strawberry.field(description="The ART whose backlog holds the feature.")
    @follows("art_id", "Art")
    def art(self, info: Info_) -> ArtT:
        return reference(info, org.Art, self.art_id)

    @strawberry.field(description="The team that owns the feature.")
    @follows("owning_team_id", "Team")
    def owning_team(self, info: Info_) -> TeamT | None:
        return optional_reference(info, org.Team, self.owning_team_id)

    @strawberry.field(description="The team that owns the feature (as owningTeam); null if none.")
    @follows("owning_team_id", "Team")
    def team(self, info: Info_) -> TeamT | None:
        return optional_reference(info, org.Team, self.owning_team_id)

    @strawberry.field(description="The planning interval the feature is planned in.")
    @follows("planning_interval_id", "PlanningInterval")
    def planning_interval(self, info: Info_) -> PlanningIntervalT | None:
        return optional_reference(info, planning.PlanningInterval, self.planning_interval_id)

    @strawberry.field(description="The iteration the feature is planned to land in.")
    @follows("iteration_id", "Iteration")
    def iteration(self, info: Info_) -> IterationT | None:
        return optional_reference(info, planning.Iteration, self.iteration_id)

    @strawberry.field(description="The feature's team stories.")
    async def stories(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[work_filters.StoryFilter | None, FILTER] = None,
        order_by: Annotated[StoryOrder | None, ORDER] = None,
    ) -> Connection[Story]:
        return await child_connection(
            info,
            relations.FEATURE_STORIES,
            self.pk,
            Story,
            work_filters.story_filter(filter),
            story_order(order_by),
            first,
            after,
        )

    @strawberry.field(description="What this feature depends on (its prerequisites).")
    async def depends_on(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
    ) -> Connection[Dependency]:
        return await _dependency_page(info, relations.FEATURE_DEPENDS_ON, self.pk, first, after)

    @strawberry.field(description="What depends on this feature.")
    async def dependents(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
    ) -> Connection[Dependency]:
        return await _dependency_page(info, relations.FEATURE_DEPENDENTS, self.pk, first, after)

    @strawberry.field(description="Architecture components the feature changes.")
    async def components(self, info: Info_) -> list[Component]:
        return await _components(
            info, await info.context.loaders.feature_components().load(self.pk)
        )


@strawberry.type(
    description="A team backlog item of a feature: user story, enabler story or spike."
)
class Story(RowNode, Versioned, WorkItem, StoryRefinement):
    model = m.Story
    column_needs = {"estimated_points": ("points", "tshirt_size")}
    feature_id: strawberry.Private[int]
    team_id: strawberry.Private[int]
    iteration_id: strawberry.Private[int | None]
    key: str = strawberry.field(description="Key, unique in the team, e.g. ATL-142.")
    title: str = strawberry.field(description="Short title.")
    description: str = strawberry.field(description="Longer description.")
    kind: e.StoryKind = strawberry.field(description="USER_STORY, ENABLER or SPIKE.")
    acceptance_criteria: list[str] = strawberry.field(description="Acceptance criteria, in order.")
    points: int | None = strawberry.field(
        description="Estimate in story points (0, 1, 2, 3, 5, 8, 13, 20, 40, 100)."
    )
    tshirt_size: e.TShirtSize | None = strawberry.field(description="Estimate as a t-shirt size.")
    status: e.StoryStatus = strawberry.field(description="Where the story is in the team's flow.")
    is_blocked: bool = strawberry.field(description="Flagged as blocked.")
    blocked_reason: str = strawberry.field(description="Why it is blocked (empty otherwise).")
    rank: int = strawberry.field(description="Rank within its feature (lower first).")
    refinement_tag: str | None = strawberry.field(
        description="Tag marking the story for a refinement session, e.g. refine-next."
    )
    spike_timebox_days: int | None = strawberry.field(
        description="For a spike: its timebox in working days."
    )
    spike_for_story_id: strawberry.Private[int | None]
    business_value_notes: str = strawberry.field(
        description="The business value as clarified in technical refinement."
    )
    technical_assumptions: str = strawberry.field(
        description="Technical assumptions recorded in refinement."
    )
    architecture_impact: str = strawberry.field(description="Architecture impact.")
    nfrs: str = strawberry.field(description="Non-functional requirements.")
    test_approach: str = strawberry.field(description="How it will be tested.")
    first_ready_at: dt.datetime | None = strawberry.field(
        description="When it first met the Definition of Ready (later changes to its "
        "acceptance criteria or estimate count as rework)."
    )

    @strawberry.field(
        description="Points the story counts for: its points, or its t-shirt size "
        "through the team's scale; null while unestimated."
    )
    async def estimated_points(self, info: Info_) -> int | None:
        if self.tshirt_size is None:
            return self.points
        team = await info.context.nodes.fetch(org.Team, self.team_id)
        return story_points(None, self.tshirt_size, team.tshirt_points if team else None)

    @strawberry.field(description="The feature this story delivers part of.")
    @follows("feature_id", "Feature")
    def feature(self, info: Info_) -> Feature:
        return reference(info, Feature, self.feature_id)

    @strawberry.field(description="The team that owns the story.")
    @follows("team_id", "Team")
    def team(self, info: Info_) -> TeamT:
        return reference(info, org.Team, self.team_id)

    @strawberry.field(description="The iteration the story is planned in.")
    @follows("iteration_id", "Iteration")
    def iteration(self, info: Info_) -> IterationT | None:
        return optional_reference(info, planning.Iteration, self.iteration_id)

    @strawberry.field(description="What this story depends on (its prerequisites).")
    async def depends_on(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
    ) -> Connection[Dependency]:
        return await _dependency_page(info, relations.STORY_DEPENDS_ON, self.pk, first, after)

    @strawberry.field(description="What depends on this story.")
    async def dependents(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
    ) -> Connection[Dependency]:
        return await _dependency_page(info, relations.STORY_DEPENDENTS, self.pk, first, after)

    @strawberry.field(description="Architecture components the story changes.")
    async def components(self, info: Info_) -> list[Component]:
        return await _components(info, await info.context.loaders.story_components().load(self.pk))


@strawberry.type(description="A shared architecture component several teams change.")
class Component(RowNode, Versioned):
    model = m.Component
    art_id: strawberry.Private[int | None]
    owning_team_id: strawberry.Private[int | None]
    name: str = strawberry.field(description="Name, unique in its ART (or portfolio-wide).")
    kind: e.ComponentKind = strawberry.field(description="What the component is.")
    description: str = strawberry.field(description="What it does.")

    @strawberry.field(description="True when the component is shared by the whole portfolio.")
    def is_portfolio_wide(self) -> bool:
        return self.art_id is None

    @strawberry.field(description="The ART the component belongs to; null if portfolio-wide.")
    @follows("art_id", "Art")
    def art(self, info: Info_) -> ArtT | None:
        return optional_reference(info, org.Art, self.art_id)

    @strawberry.field(description="The team that owns the component.")
    @follows("owning_team_id", "Team")
    def owning_team(self, info: Info_) -> TeamT | None:
        return optional_reference(info, org.Team, self.owning_team_id)

    @strawberry.field(description="Features that change this component.")
    async def features(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[work_filters.FeatureFilter | None, FILTER] = None,
        order_by: Annotated[FeatureOrder | None, ORDER] = None,
    ) -> Connection[Feature]:
        return await child_connection(
            info,
            relations.COMPONENT_FEATURES,
            self.pk,
            Feature,
            work_filters.feature_filter(filter),
            feature_order(order_by),
            first,
            after,
        )

    @strawberry.field(description="Stories that change this component.")
    async def stories(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[work_filters.StoryFilter | None, FILTER] = None,
        order_by: Annotated[StoryOrder | None, ORDER] = None,
    ) -> Connection[Story]:
        return await child_connection(
            info,
            relations.COMPONENT_STORIES,
            self.pk,
            Story,
            work_filters.story_filter(filter),
            story_order(order_by),
            first,
            after,
        )


def _work_item(info: Info_, feature_id: int | None, story_id: int | None) -> WorkItem:
    if feature_id is not None:
        return reference(info, Feature, feature_id)
    assert story_id is not None
    return reference(info, Story, story_id)


@strawberry.type(description='"Dependent depends on prerequisite": the prerequisite comes first.')
class Dependency(RowNode, Versioned):
    model = m.Dependency
    dependent_feature_id: strawberry.Private[int | None]
    dependent_story_id: strawberry.Private[int | None]
    prerequisite_feature_id: strawberry.Private[int | None]
    prerequisite_story_id: strawberry.Private[int | None]
    dependent_art_id: strawberry.Private[int]
    prerequisite_art_id: strawberry.Private[int]
    needed_by_iteration_id: strawberry.Private[int | None]
    type: e.DependencyType = strawberry.field(description="BLOCKS or RELATES.")
    note: str = strawberry.field(description="What exactly is needed.")

    @strawberry.field(
        description="The item that waits; null when it lies in an ART you have no role in."
    )
    def dependent(self, info: Info_) -> WorkItem | None:
        return _work_item(info, self.dependent_feature_id, self.dependent_story_id)

    @strawberry.field(
        description="The item that must be delivered first; null when it lies in an ART you "
        "have no role in."
    )
    def prerequisite(self, info: Info_) -> WorkItem | None:
        return _work_item(info, self.prerequisite_feature_id, self.prerequisite_story_id)

    @strawberry.field(description="The iteration by which the dependent needs it.")
    @follows("needed_by_iteration_id", "Iteration")
    def needed_by(self, info: Info_) -> IterationT | None:
        return optional_reference(info, planning.Iteration, self.needed_by_iteration_id)

    @strawberry.field(description="True when the two ends belong to different ARTs.")
    def is_cross_art(self) -> bool:
        return self.dependent_art_id != self.prerequisite_art_id


NODE_TYPES: tuple[type[RowNode], ...] = (Feature, Story, Component, Dependency)

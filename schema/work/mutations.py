"""Mutations of features, stories, components and dependencies."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.errors import UserError
from schema.kit.mutations import INPUT, ArchiveInput, node_id, optional_id, run, values_of
from schema.kit.relay import decode_id
from schema.org.types import Art, Team
from schema.planning.types import Iteration, PlanningInterval
from schema.work.types import Component, Dependency, Feature, Story
from services.core.enums import WorkItemType
from services.work import components, dependencies, features, stories
from services.work.dependencies import ItemRef

Info_ = Info[Context, None]
UNSET = strawberry.UNSET
ERRORS = "Why nothing was written; empty on success."
KEEP = frozenset({"id", "version"})
WSJF = "WSJF input on the 1, 2, 3, 5, 8, 13, 20 scale."
POINTS = "Story points: 0, 1, 2, 3, 5, 8, 13, 20, 40 or 100."

FEATURE_IDS = {
    "owning_team_id": Team,
    "planning_interval_id": PlanningInterval,
    "iteration_id": Iteration,
    "component_ids": Component,
}
STORY_IDS = {
    "feature_id": Feature,
    "team_id": Team,
    "iteration_id": Iteration,
    "component_ids": Component,
}


@strawberry.type(description="Result of a feature mutation.")
class FeaturePayload:
    feature: Feature | None = strawberry.field(description="The feature as saved; null on failure.")
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description="A new feature in an ART's backlog.")
class CreateFeatureInput:
    art_id: strawberry.ID = strawberry.field(description="The ART.")
    key: str = strawberry.field(description="Key, unique in the ART, e.g. PAY-12.")
    title: str = strawberry.field(description="Short title (at most 200 characters).")
    kind: e.FeatureKind = strawberry.field(description="BUSINESS or ENABLER.")
    enabler_type: e.EnablerType | None = strawberry.field(
        default=UNSET, description="Required for an ENABLER, absent for a BUSINESS feature."
    )
    description: str | None = strawberry.field(default=UNSET, description="Longer description.")
    state: e.FeatureState | None = strawberry.field(default=UNSET, description="Default FUNNEL.")
    benefit_hypothesis: str | None = strawberry.field(
        default=UNSET, description="Expected benefit."
    )
    acceptance_criteria: list[str] | None = strawberry.field(
        default=UNSET, description="Acceptance criteria (at most 50)."
    )
    business_value_notes: str | None = strawberry.field(
        default=UNSET, description="The business value as clarified in refinement."
    )
    technical_assumptions: str | None = strawberry.field(
        default=UNSET, description="Technical assumptions recorded in refinement."
    )
    dependencies_identified: bool | None = strawberry.field(
        default=UNSET,
        description="True once refinement has identified the feature's dependencies (possibly "
        "none): part of the Definition of Ready.",
    )
    user_business_value: int | None = strawberry.field(default=UNSET, description=WSJF)
    time_criticality: int | None = strawberry.field(default=UNSET, description=WSJF)
    risk_reduction: int | None = strawberry.field(
        default=UNSET, name="riskReductionOpportunityEnablement", description=WSJF
    )
    job_size: int | None = strawberry.field(default=UNSET, description=WSJF)
    rank: int | None = strawberry.field(default=UNSET, description="Default: after the last.")
    owning_team_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Owning team (of the same ART)."
    )
    planning_interval_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Planning interval (of the same ART)."
    )
    iteration_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Planned iteration: a regular one of that planning interval."
    )
    component_ids: list[strawberry.ID] | None = strawberry.field(
        default=UNSET, description="Components it changes (of the ART or portfolio-wide)."
    )


@strawberry.input(description="Changes to a feature; omitted fields stay as they are.")
class UpdateFeatureInput:
    id: strawberry.ID = strawberry.field(description="The feature.")
    version: int = strawberry.field(description="The version you read.")
    key: str | None = strawberry.field(default=UNSET, description="New key.")
    title: str | None = strawberry.field(default=UNSET, description="New title.")
    kind: e.FeatureKind | None = strawberry.field(default=UNSET, description="New kind.")
    enabler_type: e.EnablerType | None = strawberry.field(
        default=UNSET, description="Enabler type."
    )
    description: str | None = strawberry.field(default=UNSET, description="New description.")
    state: e.FeatureState | None = strawberry.field(default=UNSET, description="New Kanban state.")
    benefit_hypothesis: str | None = strawberry.field(default=UNSET, description="New hypothesis.")
    acceptance_criteria: list[str] | None = strawberry.field(
        default=UNSET, description="Replaces the acceptance criteria."
    )
    business_value_notes: str | None = strawberry.field(
        default=UNSET, description="The business value as clarified in refinement."
    )
    technical_assumptions: str | None = strawberry.field(
        default=UNSET, description="Technical assumptions recorded in refinement."
    )
    dependencies_identified: bool | None = strawberry.field(
        default=UNSET,
        description="True once refinement has identified the feature's dependencies (possibly "
        "none): part of the Definition of Ready.",
    )
    user_business_value: int | None = strawberry.field(default=UNSET, description=WSJF)
    time_criticality: int | None = strawberry.field(default=UNSET, description=WSJF)
    risk_reduction: int | None = strawberry.field(
        default=UNSET, name="riskReductionOpportunityEnablement", description=WSJF
    )
    job_size: int | None = strawberry.field(default=UNSET, description=WSJF)
    rank: int | None = strawberry.field(default=UNSET, description="New rank.")
    owning_team_id: strawberry.ID | None = strawberry.field(default=UNSET, description="Owner.")
    planning_interval_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Planning interval; null takes it out of planning."
    )
    iteration_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Planned iteration; null unplans it."
    )
    component_ids: list[strawberry.ID] | None = strawberry.field(
        default=UNSET, description="Replaces the components it changes."
    )


@strawberry.type(description="Result of a story mutation.")
class StoryPayload:
    story: Story | None = strawberry.field(description="The story as saved; null on failure.")
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description="A new story of a feature, owned by one team of the same ART.")
class CreateStoryInput:
    feature_id: strawberry.ID = strawberry.field(description="The feature.")
    team_id: strawberry.ID = strawberry.field(description="The owning team.")
    key: str = strawberry.field(description="Key, unique in the team, e.g. ATL-142.")
    title: str = strawberry.field(description="Short title (at most 200 characters).")
    kind: e.StoryKind = strawberry.field(description="USER_STORY, ENABLER or SPIKE.")
    description: str | None = strawberry.field(default=UNSET, description="Longer description.")
    acceptance_criteria: list[str] | None = strawberry.field(
        default=UNSET, description="Acceptance criteria (at most 50)."
    )
    business_value_notes: str | None = strawberry.field(
        default=UNSET, description="The business value as clarified in refinement."
    )
    technical_assumptions: str | None = strawberry.field(
        default=UNSET, description="Technical assumptions recorded in refinement."
    )
    architecture_impact: str | None = strawberry.field(
        default=UNSET, description="Architecture impact recorded in refinement."
    )
    nfrs: str | None = strawberry.field(
        default=UNSET, description="Non-functional requirements recorded in refinement."
    )
    test_approach: str | None = strawberry.field(
        default=UNSET, description="How the story will be tested."
    )
    points: int | None = strawberry.field(default=UNSET, description=POINTS)
    tshirt_size: e.TShirtSize | None = strawberry.field(
        default=UNSET, description="T-shirt estimate (instead of points)."
    )
    status: e.StoryStatus | None = strawberry.field(default=UNSET, description="Default BACKLOG.")
    is_blocked: bool | None = strawberry.field(default=UNSET, description="Blocked flag.")
    blocked_reason: str | None = strawberry.field(
        default=UNSET, description="Why it is blocked (required when blocked)."
    )
    iteration_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Planned iteration, of the feature's planning interval."
    )
    rank: int | None = strawberry.field(default=UNSET, description="Default: after the last.")
    refinement_tag: str | None = strawberry.field(
        default=UNSET, description="Tag for refinement, e.g. refine-next."
    )
    spike_timebox_days: int | None = strawberry.field(
        default=UNSET, description="Required for a spike: 1 to 10 working days."
    )
    component_ids: list[strawberry.ID] | None = strawberry.field(
        default=UNSET, description="Components it changes."
    )


@strawberry.input(description="Changes to a story; omitted fields stay as they are.")
class UpdateStoryInput:
    id: strawberry.ID = strawberry.field(description="The story.")
    version: int = strawberry.field(description="The version you read.")
    feature_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Move to another feature of the same ART."
    )
    team_id: strawberry.ID | None = strawberry.field(default=UNSET, description="New owner.")
    key: str | None = strawberry.field(default=UNSET, description="New key.")
    title: str | None = strawberry.field(default=UNSET, description="New title.")
    kind: e.StoryKind | None = strawberry.field(default=UNSET, description="New kind.")
    description: str | None = strawberry.field(default=UNSET, description="New description.")
    acceptance_criteria: list[str] | None = strawberry.field(
        default=UNSET, description="Replaces the acceptance criteria."
    )
    business_value_notes: str | None = strawberry.field(
        default=UNSET, description="The business value as clarified in refinement."
    )
    technical_assumptions: str | None = strawberry.field(
        default=UNSET, description="Technical assumptions recorded in refinement."
    )
    architecture_impact: str | None = strawberry.field(
        default=UNSET, description="Architecture impact recorded in refinement."
    )
    nfrs: str | None = strawberry.field(
        default=UNSET, description="Non-functional requirements recorded in refinement."
    )
    test_approach: str | None = strawberry.field(
        default=UNSET, description="How the story will be tested."
    )
    points: int | None = strawberry.field(default=UNSET, description=POINTS)
    tshirt_size: e.TShirtSize | None = strawberry.field(default=UNSET, description="T-shirt size.")
    status: e.StoryStatus | None = strawberry.field(default=UNSET, description="New status.")
    is_blocked: bool | None = strawberry.field(default=UNSET, description="Blocked flag.")
    blocked_reason: str | None = strawberry.field(default=UNSET, description="Why it is blocked.")
    iteration_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Planned iteration; null unplans it."
    )
    rank: int | None = strawberry.field(default=UNSET, description="New rank.")
    refinement_tag: str | None = strawberry.field(default=UNSET, description="New tag.")
    spike_timebox_days: int | None = strawberry.field(default=UNSET, description="Spike timebox.")
    component_ids: list[strawberry.ID] | None = strawberry.field(
        default=UNSET, description="Replaces the components it changes."
    )


@strawberry.type(description="Result of a component mutation.")
class ComponentPayload:
    component: Component | None = strawberry.field(
        description="The component as saved; null on failure."
    )
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description="A new architecture component; without artId it is portfolio-wide.")
class CreateComponentInput:
    name: str = strawberry.field(description="Name, unique in its scope.")
    kind: e.ComponentKind = strawberry.field(description="What it is.")
    art_id: strawberry.ID | None = strawberry.field(
        default=None, description="The ART it belongs to; omit for a portfolio-wide component."
    )
    description: str | None = strawberry.field(default=UNSET, description="What it does.")
    owning_team_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Owning team (of the same ART for an ART component)."
    )


@strawberry.input(description="Changes to a component; omitted fields stay as they are.")
class UpdateComponentInput:
    id: strawberry.ID = strawberry.field(description="The component.")
    version: int = strawberry.field(description="The version you read.")
    name: str | None = strawberry.field(default=UNSET, description="New name.")
    kind: e.ComponentKind | None = strawberry.field(default=UNSET, description="New kind.")
    description: str | None = strawberry.field(default=UNSET, description="New description.")
    owning_team_id: strawberry.ID | None = strawberry.field(default=UNSET, description="New owner.")


@strawberry.type(description="Result of a dependency mutation.")
class DependencyPayload:
    dependency: Dependency | None = strawberry.field(
        description="The dependency as saved; null on failure."
    )
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description='Record that "dependent depends on prerequisite".')
class CreateDependencyInput:
    dependent_id: strawberry.ID = strawberry.field(description="The Feature or Story that waits.")
    prerequisite_id: strawberry.ID = strawberry.field(
        description="The Feature or Story that must be delivered first."
    )
    type: e.DependencyType | None = strawberry.field(default=UNSET, description="Default BLOCKS.")
    needed_by_iteration_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="The iteration by which the dependent needs it."
    )
    note: str | None = strawberry.field(default=UNSET, description="What exactly is needed.")


@strawberry.input(description="Changes to a dependency; omitted fields stay as they are.")
class UpdateDependencyInput:
    id: strawberry.ID = strawberry.field(description="The dependency.")
    version: int = strawberry.field(description="The version you read.")
    type: e.DependencyType | None = strawberry.field(default=UNSET, description="New type.")
    needed_by_iteration_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="New needed-by iteration; null clears it."
    )
    note: str | None = strawberry.field(default=UNSET, description="New note.")


def _item(value: strawberry.ID, field: str) -> ItemRef:
    type_name, number = decode_id(value, (Feature, Story), field)
    return ItemRef(WorkItemType.FEATURE if type_name == "Feature" else WorkItemType.STORY, number)


@strawberry.type
class WorkMutations:
    @strawberry.mutation(description="Add a feature to an ART's backlog.")
    async def create_feature(
        self, info: Info_, input: Annotated[CreateFeatureInput, INPUT]
    ) -> FeaturePayload:
        row, errors = await run(
            info,
            lambda s, a: features.create_feature(
                s,
                a,
                node_id(input.art_id, Art, "artId"),
                values_of(input, FEATURE_IDS, skip=frozenset({"art_id"})),
            ),
        )
        return FeaturePayload(feature=Feature.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Change a feature (WSJF is derived from its four inputs).")
    async def update_feature(
        self, info: Info_, input: Annotated[UpdateFeatureInput, INPUT]
    ) -> FeaturePayload:
        row, errors = await run(
            info,
            lambda s, a: features.update_feature(
                s,
                a,
                node_id(input.id, Feature, "id"),
                input.version,
                values_of(input, FEATURE_IDS, skip=KEEP),
            ),
        )
        return FeaturePayload(feature=Feature.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Archive a feature with its stories and their dependencies.")
    async def archive_feature(
        self, info: Info_, input: Annotated[ArchiveInput, INPUT]
    ) -> FeaturePayload:
        row, errors = await run(
            info,
            lambda s, a: features.archive_feature(
                s, a, node_id(input.id, Feature, "id"), input.version
            ),
        )
        return FeaturePayload(feature=Feature.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Add a story to a feature.")
    async def create_story(
        self, info: Info_, input: Annotated[CreateStoryInput, INPUT]
    ) -> StoryPayload:
        row, errors = await run(
            info, lambda s, a: stories.create_story(s, a, values_of(input, STORY_IDS))
        )
        return StoryPayload(story=Story.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Change a story.")
    async def update_story(
        self, info: Info_, input: Annotated[UpdateStoryInput, INPUT]
    ) -> StoryPayload:
        row, errors = await run(
            info,
            lambda s, a: stories.update_story(
                s,
                a,
                node_id(input.id, Story, "id"),
                input.version,
                values_of(input, STORY_IDS, skip=KEEP),
            ),
        )
        return StoryPayload(story=Story.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Archive a story with its dependencies.")
    async def archive_story(
        self, info: Info_, input: Annotated[ArchiveInput, INPUT]
    ) -> StoryPayload:
        row, errors = await run(
            info,
            lambda s, a: stories.archive_story(s, a, node_id(input.id, Story, "id"), input.version),
        )
        return StoryPayload(story=Story.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Create an architecture component.")
    async def create_component(
        self, info: Info_, input: Annotated[CreateComponentInput, INPUT]
    ) -> ComponentPayload:
        row, errors = await run(
            info,
            lambda s, a: components.create_component(
                s,
                a,
                optional_id(input.art_id, Art, "artId"),
                values_of(input, {"owning_team_id": Team}, skip=frozenset({"art_id"})),
            ),
        )
        return ComponentPayload(component=Component.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Change a component.")
    async def update_component(
        self, info: Info_, input: Annotated[UpdateComponentInput, INPUT]
    ) -> ComponentPayload:
        row, errors = await run(
            info,
            lambda s, a: components.update_component(
                s,
                a,
                node_id(input.id, Component, "id"),
                input.version,
                values_of(input, {"owning_team_id": Team}, skip=KEEP),
            ),
        )
        return ComponentPayload(component=Component.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Archive a component (refused while items touch it).")
    async def archive_component(
        self, info: Info_, input: Annotated[ArchiveInput, INPUT]
    ) -> ComponentPayload:
        row, errors = await run(
            info,
            lambda s, a: components.archive_component(
                s, a, node_id(input.id, Component, "id"), input.version
            ),
        )
        return ComponentPayload(component=Component.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Record a dependency between two features and/or stories.")
    async def create_dependency(
        self, info: Info_, input: Annotated[CreateDependencyInput, INPUT]
    ) -> DependencyPayload:
        row, errors = await run(
            info,
            lambda s, a: dependencies.create_dependency(
                s,
                a,
                _item(input.dependent_id, "dependentId"),
                _item(input.prerequisite_id, "prerequisiteId"),
                values_of(
                    input,
                    {"needed_by_iteration_id": Iteration},
                    skip=frozenset({"dependent_id", "prerequisite_id"}),
                ),
            ),
        )
        return DependencyPayload(
            dependency=Dependency.from_row(row) if row else None, errors=errors
        )

    @strawberry.mutation(description="Change a dependency's type, needed-by iteration or note.")
    async def update_dependency(
        self, info: Info_, input: Annotated[UpdateDependencyInput, INPUT]
    ) -> DependencyPayload:
        row, errors = await run(
            info,
            lambda s, a: dependencies.update_dependency(
                s,
                a,
                node_id(input.id, Dependency, "id"),
                input.version,
                values_of(input, {"needed_by_iteration_id": Iteration}, skip=KEEP),
            ),
        )
        return DependencyPayload(
            dependency=Dependency.from_row(row) if row else None, errors=errors
        )

    @strawberry.mutation(description="Remove a dependency.")
    async def archive_dependency(
        self, info: Info_, input: Annotated[ArchiveInput, INPUT]
    ) -> DependencyPayload:
        row, errors = await run(
            info,
            lambda s, a: dependencies.archive_dependency(
                s, a, node_id(input.id, Dependency, "id"), input.version
            ),
        )
        return DependencyPayload(
            dependency=Dependency.from_row(row) if row else None, errors=errors
        )

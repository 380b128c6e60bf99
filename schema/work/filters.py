"""Filters of plan items' lists: features, stories, components, dependencies."""

from __future__ import annotations

import strawberry

from schema.kit.filters import (
    ARCHIVED_HELP,
    ComponentKindFilter,
    DependencyTypeFilter,
    FeatureKindFilter,
    FeatureStateFilter,
    IDFilter,
    StoryKindFilter,
    StoryStatusFilter,
    StringFilter,
    id_match,
    text_match,
    value_match,
)
from services.work import components, dependencies, features, stories


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
    return features.FeatureFilter(
        state=value_match(f.state),
        team=id_match(f.team, "Team", "filter.team"),
        planning_interval=id_match(
            f.planning_interval, "PlanningInterval", "filter.planningInterval"
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
    return stories.StoryFilter(
        team=id_match(f.team, "Team", "filter.team"),
        status=value_match(f.status),
        feature=id_match(f.feature, "Feature", "filter.feature"),
        tag=text_match(f.tag),
        kind=value_match(f.kind),
        iteration=id_match(f.iteration, "Iteration", "filter.iteration"),
        is_blocked=f.is_blocked,
        key=text_match(f.key),
        title=text_match(f.title),
        archived=f.archived,
    )


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
        id_match(f.owning_team, "Team", "filter.owningTeam"),
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

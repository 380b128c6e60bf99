"""Plan items' nested lists, under ARTs, teams, intervals, iterations, items and components."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import aliased

from services.core.pagination import Scope
from services.core.relations import Relation, by
from services.models import (
    Art,
    Component,
    Dependency,
    Feature,
    FeatureComponent,
    Story,
    StoryComponent,
)
from services.work import components, dependencies, features, stories


def _art_components(ids: Sequence[int]) -> Scope:
    # Joined to the parent ARTs so a portfolio-wide component appears under each of them.
    parent = aliased(Art, name="parent_art")
    on = or_(Component.art_id == parent.id, Component.art_id.is_(None))
    return Scope(parent.id, (parent.id.in_(list(ids)),), ((parent, on),))


def _art_dependencies(ids: Sequence[int]) -> Scope:
    # A dependency between two ARTs of the batch belongs to both.
    parent = aliased(Art, name="parent_art")
    on = or_(Dependency.dependent_art_id == parent.id, Dependency.prerequisite_art_id == parent.id)
    return Scope(parent.id, (parent.id.in_(list(ids)),), ((parent, on),))


def _art_stories(ids: Sequence[int]) -> Scope:
    return Scope(
        Feature.art_id,
        (Feature.art_id.in_(list(ids)),),
        ((Feature, Feature.id == Story.feature_id),),
    )


def _component_features(ids: Sequence[int]) -> Scope:
    return Scope(
        FeatureComponent.component_id,
        (FeatureComponent.component_id.in_(list(ids)),),
        ((FeatureComponent, FeatureComponent.feature_id == Feature.id),),
    )


def _component_stories(ids: Sequence[int]) -> Scope:
    return Scope(
        StoryComponent.component_id,
        (StoryComponent.component_id.in_(list(ids)),),
        ((StoryComponent, StoryComponent.story_id == Story.id),),
    )


def _active_dependencies(_: Any) -> list[ColumnElement[bool]]:
    return [Dependency.archived_at.is_(None)]


ART_FEATURES = Relation("art.features", Feature, by(Feature.art_id), features.feature_conditions)


ART_STORIES = Relation("art.stories", Story, _art_stories, stories.story_conditions)


ART_COMPONENTS = Relation(
    "art.components", Component, _art_components, components.component_conditions
)


ART_DEPENDENCIES = Relation(
    "art.dependencies", Dependency, _art_dependencies, dependencies.dependency_conditions
)


TEAM_STORIES = Relation("team.stories", Story, by(Story.team_id), stories.story_conditions)


TEAM_FEATURES = Relation(
    "team.features", Feature, by(Feature.owning_team_id), features.feature_conditions
)


TEAM_COMPONENTS = Relation(
    "team.components", Component, by(Component.owning_team_id), components.component_conditions
)


PI_FEATURES = Relation(
    "pi.features", Feature, by(Feature.planning_interval_id), features.feature_conditions
)


ITERATION_FEATURES = Relation(
    "iteration.features", Feature, by(Feature.iteration_id), features.feature_conditions
)


ITERATION_STORIES = Relation(
    "iteration.stories", Story, by(Story.iteration_id), stories.story_conditions
)


FEATURE_STORIES = Relation("feature.stories", Story, by(Story.feature_id), stories.story_conditions)


FEATURE_DEPENDS_ON = Relation(
    "feature.dependsOn", Dependency, by(Dependency.dependent_feature_id), _active_dependencies
)


FEATURE_DEPENDENTS = Relation(
    "feature.dependents",
    Dependency,
    by(Dependency.prerequisite_feature_id),
    _active_dependencies,
)


STORY_DEPENDS_ON = Relation(
    "story.dependsOn", Dependency, by(Dependency.dependent_story_id), _active_dependencies
)


STORY_DEPENDENTS = Relation(
    "story.dependents", Dependency, by(Dependency.prerequisite_story_id), _active_dependencies
)


COMPONENT_FEATURES = Relation(
    "component.features", Feature, _component_features, features.feature_conditions
)


COMPONENT_STORIES = Relation(
    "component.stories", Story, _component_stories, stories.story_conditions
)

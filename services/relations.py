"""How each nested list of the API hangs off its parent, for batched per-parent reads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import InstrumentedAttribute, aliased

from services import (
    audit,
    components,
    dependencies,
    features,
    people,
    planning,
    stories,
    teams,
)
from services.models import (
    Art,
    Base,
    Component,
    Dependency,
    Feature,
    FeatureComponent,
    FollowUp,
    HistoryEntry,
    Iteration,
    Membership,
    Milestone,
    PlanningInterval,
    RefinementEvent,
    RefinementSession,
    Story,
    StoryComponent,
    Team,
)
from services.pagination import Scope
from services.refinement import reads as refinement


@dataclass(frozen=True, eq=False)
class Relation:
    name: str
    model: type[Base]
    scope: Callable[[Sequence[int]], Scope]
    conditions: Callable[[Any], list[ColumnElement[bool]]]


def _by(column: InstrumentedAttribute[Any]) -> Callable[[Sequence[int]], Scope]:
    return lambda ids: Scope(column, (column.in_(list(ids)),))


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


ART_TEAMS = Relation("art.teams", Team, _by(Team.art_id), teams.team_conditions)
ART_PLANNING_INTERVALS = Relation(
    "art.planningIntervals",
    PlanningInterval,
    _by(PlanningInterval.art_id),
    planning.pi_conditions,
)
ART_FEATURES = Relation("art.features", Feature, _by(Feature.art_id), features.feature_conditions)
ART_STORIES = Relation("art.stories", Story, _art_stories, stories.story_conditions)
ART_COMPONENTS = Relation(
    "art.components", Component, _art_components, components.component_conditions
)
ART_DEPENDENCIES = Relation(
    "art.dependencies", Dependency, _art_dependencies, dependencies.dependency_conditions
)
ART_MEMBERSHIPS = Relation(
    "art.memberships", Membership, _by(Membership.art_id), people.membership_conditions
)
TEAM_STORIES = Relation("team.stories", Story, _by(Story.team_id), stories.story_conditions)
TEAM_FEATURES = Relation(
    "team.features", Feature, _by(Feature.owning_team_id), features.feature_conditions
)
TEAM_MEMBERSHIPS = Relation(
    "team.memberships", Membership, _by(Membership.team_id), people.membership_conditions
)
TEAM_COMPONENTS = Relation(
    "team.components", Component, _by(Component.owning_team_id), components.component_conditions
)
PERSON_MEMBERSHIPS = Relation(
    "person.memberships", Membership, _by(Membership.person_id), people.membership_conditions
)
PI_ITERATIONS = Relation(
    "pi.iterations",
    Iteration,
    _by(Iteration.planning_interval_id),
    lambda _: [Iteration.archived_at.is_(None)],
)
PI_MILESTONES = Relation(
    "pi.milestones",
    Milestone,
    _by(Milestone.planning_interval_id),
    lambda _: [Milestone.archived_at.is_(None)],
)
PI_FEATURES = Relation(
    "pi.features", Feature, _by(Feature.planning_interval_id), features.feature_conditions
)
ITERATION_FEATURES = Relation(
    "iteration.features", Feature, _by(Feature.iteration_id), features.feature_conditions
)
ITERATION_STORIES = Relation(
    "iteration.stories", Story, _by(Story.iteration_id), stories.story_conditions
)
FEATURE_STORIES = Relation(
    "feature.stories", Story, _by(Story.feature_id), stories.story_conditions
)
FEATURE_DEPENDS_ON = Relation(
    "feature.dependsOn", Dependency, _by(Dependency.dependent_feature_id), _active_dependencies
)
FEATURE_DEPENDENTS = Relation(
    "feature.dependents",
    Dependency,
    _by(Dependency.prerequisite_feature_id),
    _active_dependencies,
)
STORY_DEPENDS_ON = Relation(
    "story.dependsOn", Dependency, _by(Dependency.dependent_story_id), _active_dependencies
)
STORY_DEPENDENTS = Relation(
    "story.dependents", Dependency, _by(Dependency.prerequisite_story_id), _active_dependencies
)
COMPONENT_FEATURES = Relation(
    "component.features", Feature, _component_features, features.feature_conditions
)
COMPONENT_STORIES = Relation(
    "component.stories", Story, _component_stories, stories.story_conditions
)

HISTORY_OF = Relation(
    "item.history",
    HistoryEntry,
    _by(HistoryEntry.entity_id),
    lambda entity_type: [HistoryEntry.entity_type == entity_type],
)
ART_ACTIVITY = Relation(
    "art.activity", HistoryEntry, _by(HistoryEntry.art_id), audit.activity_conditions
)
ART_REFINEMENT_SESSIONS = Relation(
    "art.refinementSessions",
    RefinementSession,
    _by(RefinementSession.art_id),
    refinement.session_conditions,
)
TEAM_REFINEMENT_SESSIONS = Relation(
    "team.refinementSessions",
    RefinementSession,
    _by(RefinementSession.team_id),
    refinement.session_conditions,
)
SESSION_EVENTS = Relation(
    "refinementSession.events",
    RefinementEvent,
    _by(RefinementEvent.session_id),
    refinement.event_conditions,
)
ART_FOLLOW_UPS = Relation(
    "art.followUps", FollowUp, _by(FollowUp.art_id), refinement.follow_up_conditions
)
TEAM_FOLLOW_UPS = Relation(
    "team.followUps", FollowUp, _by(FollowUp.team_id), refinement.follow_up_conditions
)
SESSION_FOLLOW_UPS = Relation(
    "refinementSession.followUps",
    FollowUp,
    _by(FollowUp.session_id),
    refinement.follow_up_conditions,
)

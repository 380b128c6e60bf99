"""Mutations of plan items: features, stories, architecture components and dependencies."""

from __future__ import annotations

import strawberry

from schema.work.mutations.components import ComponentMutations
from schema.work.mutations.dependencies import DependencyMutations
from schema.work.mutations.features import FeatureMutations
from schema.work.mutations.kanban import KanbanMutations
from schema.work.mutations.stories import StoryMutations


@strawberry.type
class WorkMutations(
    FeatureMutations, KanbanMutations, StoryMutations, ComponentMutations, DependencyMutations
):
    pass

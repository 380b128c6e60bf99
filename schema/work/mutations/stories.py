"""Mutations of stories: add one to a feature, change it, archive it."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.errors import UserError
from schema.kit.mutations import INPUT, ArchiveInput, maybe, maybe_id, maybe_ids, run
from schema.work.mutations.inputs import row_id
from schema.work.types import Story
from services.models import Story as StoryRow
from services.work import stories

Info_ = Info[Context, None]
UNSET = strawberry.UNSET
ERRORS = "Why nothing was written; empty on success."
POINTS = "Story points: 0, 1, 2, 3, 5, 8, 13, 20, 40 or 100."


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

    def draft(self) -> stories.StoryDraft:
        return stories.StoryDraft(
            feature_id=row_id(self.feature_id, "Feature", "featureId"),
            team_id=row_id(self.team_id, "Team", "teamId"),
            key=self.key,
            title=self.title,
            kind=self.kind,
            description=maybe(self.description),
            acceptance_criteria=maybe(self.acceptance_criteria),
            business_value_notes=maybe(self.business_value_notes),
            technical_assumptions=maybe(self.technical_assumptions),
            architecture_impact=maybe(self.architecture_impact),
            nfrs=maybe(self.nfrs),
            test_approach=maybe(self.test_approach),
            points=maybe(self.points),
            tshirt_size=maybe(self.tshirt_size),
            status=maybe(self.status),
            is_blocked=maybe(self.is_blocked),
            blocked_reason=maybe(self.blocked_reason),
            iteration_id=maybe_id(self.iteration_id, "Iteration", "iterationId"),
            rank=maybe(self.rank),
            refinement_tag=maybe(self.refinement_tag),
            spike_timebox_days=maybe(self.spike_timebox_days),
            component_ids=maybe_ids(self.component_ids, "Component", "componentIds"),
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

    def changes(self) -> stories.StoryChanges:
        return stories.StoryChanges(
            feature_id=maybe_id(self.feature_id, "Feature", "featureId"),
            team_id=maybe_id(self.team_id, "Team", "teamId"),
            key=maybe(self.key),
            title=maybe(self.title),
            kind=maybe(self.kind),
            description=maybe(self.description),
            acceptance_criteria=maybe(self.acceptance_criteria),
            business_value_notes=maybe(self.business_value_notes),
            technical_assumptions=maybe(self.technical_assumptions),
            architecture_impact=maybe(self.architecture_impact),
            nfrs=maybe(self.nfrs),
            test_approach=maybe(self.test_approach),
            points=maybe(self.points),
            tshirt_size=maybe(self.tshirt_size),
            status=maybe(self.status),
            is_blocked=maybe(self.is_blocked),
            blocked_reason=maybe(self.blocked_reason),
            iteration_id=maybe_id(self.iteration_id, "Iteration", "iterationId"),
            rank=maybe(self.rank),
            refinement_tag=maybe(self.refinement_tag),
            spike_timebox_days=maybe(self.spike_timebox_days),
            component_ids=maybe_ids(self.component_ids, "Component", "componentIds"),
        )


def _payload(row: StoryRow | None, errors: list[UserError]) -> StoryPayload:
    return StoryPayload(story=Story.from_row(row) if row else None, errors=errors)


@strawberry.type
class StoryMutations:
    @strawberry.mutation(description="Add a story to a feature.")
    async def create_story(
        self, info: Info_, input: Annotated[CreateStoryInput, INPUT]
    ) -> StoryPayload:
        row, errors = await run(info, lambda s, a: stories.create_story(s, a, input.draft()))
        return _payload(row, errors)

    @strawberry.mutation(description="Change a story.")
    async def update_story(
        self, info: Info_, input: Annotated[UpdateStoryInput, INPUT]
    ) -> StoryPayload:
        row, errors = await run(
            info,
            lambda s, a: stories.update_story(
                s, a, row_id(input.id, "Story", "id"), input.version, input.changes()
            ),
        )
        return _payload(row, errors)

    @strawberry.mutation(description="Archive a story with its dependencies.")
    async def archive_story(
        self, info: Info_, input: Annotated[ArchiveInput, INPUT]
    ) -> StoryPayload:
        row, errors = await run(
            info,
            lambda s, a: stories.archive_story(
                s, a, row_id(input.id, "Story", "id"), input.version
            ),
        )
        return _payload(row, errors)

"""The payloads of refinement's mutations: what was saved, or why nothing was."""

from __future__ import annotations

import strawberry

from schema.kit.errors import UserError
from schema.org.types import Art
from schema.refinement.types import FollowUp, RefinementSchedule, RefinementSession
from schema.work.types import Feature, Story

ERRORS = "Why nothing was written; empty on success."


@strawberry.type(description="Result of a refinement session mutation.")
class RefinementSessionPayload:
    session: RefinementSession | None = strawberry.field(
        description="The session as saved; null on failure."
    )
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of setting an ART's Definition of Ready.")
class DefinitionOfReadyPayload:
    art: Art | None = strawberry.field(description="The ART as saved; null on failure.")
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of scheduling a team's weekly refinement.")
class ScheduleTeamRefinementPayload:
    schedule: RefinementSchedule | None = strawberry.field(
        description="The weekly schedule; null on failure."
    )
    session: RefinementSession | None = strawberry.field(
        description="The next session of the series, scheduled and its invitees invited."
    )
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of refining a story in a session.")
class RefineStoryPayload:
    story: Story | None = strawberry.field(description="The story as saved; null on failure.")
    session: RefinementSession | None = strawberry.field(description="The session.")
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of refining a feature in program backlog refinement.")
class RefineFeaturePayload:
    feature: Feature | None = strawberry.field(description="The feature as saved.")
    session: RefinementSession | None = strawberry.field(description="The session.")
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of a follow-up mutation.")
class FollowUpPayload:
    follow_up: FollowUp | None = strawberry.field(description="The follow-up; null on failure.")
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of creating a spike.")
class CreateSpikePayload:
    spike: Story | None = strawberry.field(description="The spike story; null on failure.")
    errors: list[UserError] = strawberry.field(description=ERRORS)

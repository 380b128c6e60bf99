"""Mutations of refinement: the Definition of Ready, schedules and sessions, their agenda, the
steps walked in a session, flags with follow-ups, spikes, closing and cancelling."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from schema.kit.context import Context
from schema.kit.mutations import INPUT, node_id, node_ids, run
from schema.kit.relay import decode_id
from schema.org.types import Art, Team
from schema.refinement.inputs import (
    CancelRefinementSessionInput,
    CloseRefinementSessionInput,
    CreateRefinementSessionInput,
    ScheduleTeamRefinementInput,
    SetDefinitionOfReadyInput,
    SetRefinementAgendaInput,
    StartRefinementSessionInput,
    UpdateRefinementSessionInput,
)
from schema.refinement.payloads import (
    CreateSpikePayload,
    DefinitionOfReadyPayload,
    FollowUpPayload,
    RefineFeaturePayload,
    RefinementSessionPayload,
    RefineStoryPayload,
    ScheduleTeamRefinementPayload,
)
from schema.refinement.step_inputs import (
    CoverAgendaItemInput,
    CreateSpikeInput,
    FlagRefinementItemInput,
    RefineFeatureInput,
    RefineStoryInput,
    ResolveFollowUpInput,
)
from schema.refinement.types import FollowUp, RefinementSchedule, RefinementSession
from schema.work.types import Feature, Story
from services import models as m
from services.access.permissions import Actor
from services.refinement import agenda, closing, definition, followups, schedules, sessions
from services.refinement import run as running

Info_ = Info[Context, None]


def _item(value: strawberry.ID, field: str) -> tuple[int | None, int | None]:
    """(story id, feature id) of a story or feature global id."""
    type_name, number = decode_id(value, (Story, Feature), field)
    return (number, None) if type_name == "Story" else (None, number)


def _session(row: m.RefinementSession | None) -> RefinementSession | None:
    return RefinementSession.from_row(row) if row is not None else None


@strawberry.type
class RefinementMutations:
    @strawberry.mutation(
        description="Set an ART's Definition of Ready for features and/or stories (RTE or "
        "product management)."
    )
    async def set_definition_of_ready(
        self, info: Info_, input: Annotated[SetDefinitionOfReadyInput, INPUT]
    ) -> DefinitionOfReadyPayload:
        async def action(s: AsyncSession, a: Actor) -> m.Art:
            art_id = node_id(input.art_id, Art, "artId")
            return await definition.set_definition_of_ready(
                s, a, art_id, input.version, input.feature_rules, input.story_rules
            )

        row, errors = await run(info, action)
        return DefinitionOfReadyPayload(art=Art.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(
        description="Set a team's weekly refinement (day, time, 60-90 minute timebox, "
        "invitees) and schedule its next session (scrum master or product owner)."
    )
    async def schedule_team_refinement(
        self, info: Info_, input: Annotated[ScheduleTeamRefinementInput, INPUT]
    ) -> ScheduleTeamRefinementPayload:
        async def action(
            s: AsyncSession, a: Actor
        ) -> tuple[m.RefinementSchedule, m.RefinementSession]:
            team_id = node_id(input.team_id, Team, "teamId")
            return await schedules.schedule_team_refinement(s, a, team_id, input.draft())

        found, errors = await run(info, action)
        schedule, session = found if found else (None, None)
        return ScheduleTeamRefinementPayload(
            schedule=RefinementSchedule.from_row(schedule) if schedule else None,
            session=_session(session),
            errors=errors,
        )

    @strawberry.mutation(
        description="Schedule one session: a team's technical refinement (60-90 minutes) or "
        "the ART's program backlog refinement (60-180 minutes)."
    )
    async def create_refinement_session(
        self, info: Info_, input: Annotated[CreateRefinementSessionInput, INPUT]
    ) -> RefinementSessionPayload:
        async def action(s: AsyncSession, a: Actor) -> m.RefinementSession:
            return await sessions.create_session(s, a, input.draft())

        row, errors = await run(info, action)
        return RefinementSessionPayload(session=_session(row), errors=errors)

    @strawberry.mutation(description="Change an open session's time, timebox, people or notes.")
    async def update_refinement_session(
        self, info: Info_, input: Annotated[UpdateRefinementSessionInput, INPUT]
    ) -> RefinementSessionPayload:
        async def action(s: AsyncSession, a: Actor) -> m.RefinementSession:
            session_id = node_id(input.id, RefinementSession, "id")
            changes = input.changes()
            return await sessions.update_session(s, a, session_id, input.version, changes)

        row, errors = await run(info, action)
        return RefinementSessionPayload(session=_session(row), errors=errors)

    @strawberry.mutation(
        description="Set a session's agenda in order: 5-8 items; more needs an override "
        "reason. A team's agenda holds only that team's stories."
    )
    async def set_refinement_agenda(
        self, info: Info_, input: Annotated[SetRefinementAgendaInput, INPUT]
    ) -> RefinementSessionPayload:
        async def action(s: AsyncSession, a: Actor) -> m.RefinementSession:
            session_id = node_id(input.id, RefinementSession, "id")
            row = await sessions.find_session(s, session_id)
            expected = Story if row is None or row.team_id is not None else Feature
            items = node_ids(input.item_ids, expected, "itemIds")
            return await agenda.set_agenda(
                s, a, session_id, input.version, items, input.override_reason
            )

        row, errors = await run(info, action)
        return RefinementSessionPayload(session=_session(row), errors=errors)

    @strawberry.mutation(description="Start a scheduled session (its agenda's readiness noted).")
    async def start_refinement_session(
        self, info: Info_, input: Annotated[StartRefinementSessionInput, INPUT]
    ) -> RefinementSessionPayload:
        async def action(s: AsyncSession, a: Actor) -> m.RefinementSession:
            session_id = node_id(input.id, RefinementSession, "id")
            return await running.start_session(s, a, session_id, input.version)

        row, errors = await run(info, action)
        return RefinementSessionPayload(session=_session(row), errors=errors)

    @strawberry.mutation(
        description="Record what a running team session clarified on an agenda story: business "
        "value, acceptance criteria, estimate, technical details; optionally mark it covered."
    )
    async def refine_story(
        self, info: Info_, input: Annotated[RefineStoryInput, INPUT]
    ) -> RefineStoryPayload:
        async def action(s: AsyncSession, a: Actor) -> tuple[m.Story, m.RefinementSession | None]:
            session_id = node_id(input.session_id, RefinementSession, "sessionId")
            changes = input.changes()
            story_id = node_id(input.story_id, Story, "storyId")
            story = await running.refine_story(
                s, a, session_id, story_id, input.version, changes, input.covered
            )
            return story, await sessions.find_session(s, session_id)

        found, errors = await run(info, action)
        story, session = found if found else (None, None)
        return RefineStoryPayload(
            story=Story.from_row(story) if story else None,
            session=_session(session),
            errors=errors,
        )

    @strawberry.mutation(
        description="Record what program backlog refinement clarified on an agenda feature: "
        "business value, assumptions, hypothesis, acceptance criteria, WSJF, dependencies."
    )
    async def refine_feature(
        self, info: Info_, input: Annotated[RefineFeatureInput, INPUT]
    ) -> RefineFeaturePayload:
        async def action(s: AsyncSession, a: Actor) -> tuple[m.Feature, m.RefinementSession | None]:
            session_id = node_id(input.session_id, RefinementSession, "sessionId")
            changes = input.changes()
            feature_id = node_id(input.feature_id, Feature, "featureId")
            feature = await running.refine_feature(
                s, a, session_id, feature_id, input.version, changes, input.covered
            )
            return feature, await sessions.find_session(s, session_id)

        found, errors = await run(info, action)
        feature, session = found if found else (None, None)
        return RefineFeaturePayload(
            feature=Feature.from_row(feature) if feature else None,
            session=_session(session),
            errors=errors,
        )

    @strawberry.mutation(description="Mark an agenda item of a running session covered.")
    async def cover_agenda_item(
        self, info: Info_, input: Annotated[CoverAgendaItemInput, INPUT]
    ) -> RefinementSessionPayload:
        async def action(s: AsyncSession, a: Actor) -> m.RefinementSession:
            story_id, feature_id = _item(input.item_id, "itemId")
            session_id = node_id(input.session_id, RefinementSession, "sessionId")
            return await running.cover_item(s, a, session_id, input.version, story_id, feature_id)

        row, errors = await run(info, action)
        return RefinementSessionPayload(session=_session(row), errors=errors)

    @strawberry.mutation(
        description="Flag a story or feature blocked or incomplete, or record an open question, "
        "with a follow-up owner and due date (a BLOCKED story is marked blocked)."
    )
    async def flag_refinement_item(
        self, info: Info_, input: Annotated[FlagRefinementItemInput, INPUT]
    ) -> FollowUpPayload:
        async def action(s: AsyncSession, a: Actor) -> m.FollowUp:
            story_id, feature_id = _item(input.item_id, "itemId")
            return await followups.flag_item(s, a, input.draft(story_id, feature_id))

        row, errors = await run(info, action)
        return FollowUpPayload(follow_up=FollowUp.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(
        description="Resolve a follow-up (its owner, or whoever may change the item); a story "
        "whose last BLOCKED follow-up is resolved is no longer blocked."
    )
    async def resolve_follow_up(
        self, info: Info_, input: Annotated[ResolveFollowUpInput, INPUT]
    ) -> FollowUpPayload:
        async def action(s: AsyncSession, a: Actor) -> m.FollowUp:
            follow_up_id = node_id(input.id, FollowUp, "id")
            return await followups.resolve_follow_up(
                s, a, follow_up_id, input.version, input.resolution
            )

        row, errors = await run(info, action)
        return FollowUpPayload(follow_up=FollowUp.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(
        description="Create a spike for an unknown: time-boxed (1-10 days), sized, linked to "
        "the story it unblocks (that story is not ready while the spike is open)."
    )
    async def create_spike(
        self, info: Info_, input: Annotated[CreateSpikeInput, INPUT]
    ) -> CreateSpikePayload:
        async def action(s: AsyncSession, a: Actor) -> m.Story:
            story_id, feature_id = _item(input.item_id, "itemId")
            return await followups.create_spike(s, a, input.draft(story_id, feature_id))

        row, errors = await run(info, action)
        return CreateSpikePayload(spike=Story.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(
        description="Close a running session: its summary is written and the items not "
        "covered roll to the team's next session, first on its agenda."
    )
    async def close_refinement_session(
        self, info: Info_, input: Annotated[CloseRefinementSessionInput, INPUT]
    ) -> RefinementSessionPayload:
        async def action(s: AsyncSession, a: Actor) -> m.RefinementSession:
            session_id = node_id(input.id, RefinementSession, "id")
            return await closing.close_session(s, a, session_id, input.version)

        row, errors = await run(info, action)
        return RefinementSessionPayload(session=_session(row), errors=errors)

    @strawberry.mutation(description="Cancel a scheduled session, saying why.")
    async def cancel_refinement_session(
        self, info: Info_, input: Annotated[CancelRefinementSessionInput, INPUT]
    ) -> RefinementSessionPayload:
        async def action(s: AsyncSession, a: Actor) -> m.RefinementSession:
            session_id = node_id(input.id, RefinementSession, "id")
            return await closing.cancel_session(s, a, session_id, input.version, input.reason)

        row, errors = await run(info, action)
        return RefinementSessionPayload(session=_session(row), errors=errors)

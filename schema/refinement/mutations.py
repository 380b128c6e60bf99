"""Mutations of refinement: the Definition of Ready, schedules and sessions, their agenda, the
steps walked in a session, flags with follow-ups, spikes, closing and cancelling."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.errors import UserError
from schema.kit.mutations import INPUT, node_id, optional_id, run, values_of
from schema.kit.relay import decode_id
from schema.org.types import Art, Person, Team
from schema.planning.types import Iteration
from schema.refinement.types import FollowUp, RefinementSchedule, RefinementSession
from schema.work.types import Component, Feature, Story
from services import models as m
from services.access.permissions import Actor
from services.refinement import definition, followups, sessions
from services.refinement import run as running

Info_ = Info[Context, None]
UNSET = strawberry.UNSET
ERRORS = "Why nothing was written; empty on success."
POINTS = "Story points: 0, 1, 2, 3, 5, 8, 13, 20, 40 or 100."
WSJF = "WSJF input on the 1, 2, 3, 5, 8, 13, 20 scale."
VERSION = "The version you read (optimistic concurrency)."


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


@strawberry.input(description="Replace an ART's Definition of Ready (omit a list to keep it).")
class SetDefinitionOfReadyInput:
    art_id: strawberry.ID = strawberry.field(description="The ART.")
    version: int = strawberry.field(description=VERSION)
    feature_rules: list[e.ReadyRule] | None = strawberry.field(
        default=None, description="Feature rules (see DefinitionOfReady.featureChoices)."
    )
    story_rules: list[e.ReadyRule] | None = strawberry.field(
        default=None, description="Story rules (see DefinitionOfReady.storyChoices)."
    )


@strawberry.input(description="A team's weekly recurring refinement; replaces the one before.")
class ScheduleTeamRefinementInput:
    team_id: strawberry.ID = strawberry.field(description="The team.")
    weekday: int = strawberry.field(description="0 Monday ... 6 Sunday.")
    start_time: dt.time = strawberry.field(description="Local start time, e.g. 10:00.")
    timezone: str | None = strawberry.field(
        default=None, description="IANA time zone, e.g. Europe/Berlin (default UTC)."
    )
    timebox_minutes: int = strawberry.field(description="60 to 90 minutes.")
    invitee_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Who is invited (scrum master, product owner, developers...)."
    )


@strawberry.input(description="One refinement session: a team's (teamId) or the ART's (artId).")
class CreateRefinementSessionInput:
    team_id: strawberry.ID | None = strawberry.field(
        default=None, description="The team, for its technical refinement."
    )
    art_id: strawberry.ID | None = strawberry.field(
        default=None, description="The ART, for its program backlog refinement."
    )
    title: str | None = strawberry.field(default=None, description="Default from the team/ART.")
    starts_at: dt.datetime = strawberry.field(description="Start, with its UTC offset.")
    timebox_minutes: int = strawberry.field(
        description="60-90 minutes for a team; 60-180 for the ART's."
    )
    participant_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Who is invited."
    )
    facilitator_id: strawberry.ID | None = strawberry.field(
        default=None, description="Who facilitates (the RTE for the ART's)."
    )


@strawberry.input(description="Changes to an open session; omitted fields stay as they are.")
class UpdateRefinementSessionInput:
    id: strawberry.ID = strawberry.field(description="The session.")
    version: int = strawberry.field(description=VERSION)
    title: str | None = strawberry.field(default=UNSET, description="New title.")
    starts_at: dt.datetime | None = strawberry.field(
        default=UNSET, description="New start (before it starts)."
    )
    timebox_minutes: int | None = strawberry.field(default=UNSET, description="New timebox.")
    participant_ids: list[strawberry.ID] | None = strawberry.field(
        default=UNSET, description="Replaces who is invited."
    )
    facilitator_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="New facilitator; null clears it."
    )
    notes: str | None = strawberry.field(default=UNSET, description="Notes.")


@strawberry.input(description="A session's agenda, in order.")
class SetRefinementAgendaInput:
    id: strawberry.ID = strawberry.field(description="The session.")
    version: int = strawberry.field(description=VERSION)
    item_ids: list[strawberry.ID] = strawberry.field(
        description="Stories of the team (a team's session) or features of the ART (the ART's "
        "session), in order; 5-8 keep a session focused."
    )
    override_reason: str | None = strawberry.field(
        default=None, description="Required to hold more than 8 items: why."
    )


@strawberry.input(description="A session to start, close or otherwise change state.")
class SessionStateInput:
    id: strawberry.ID = strawberry.field(description="The session.")
    version: int = strawberry.field(description=VERSION)


@strawberry.input(description="Start a scheduled session.")
class StartRefinementSessionInput(SessionStateInput):
    pass


@strawberry.input(description="Close a running session: its summary is written, leftovers roll.")
class CloseRefinementSessionInput(SessionStateInput):
    pass


@strawberry.input(description="Cancel a scheduled session.")
class CancelRefinementSessionInput(SessionStateInput):
    reason: str = strawberry.field(description="Why it is cancelled.")


@strawberry.input(
    description="What a running team session recorded on an agenda story; the steps it "
    "completes follow from the fields given. Omitted fields stay as they are."
)
class RefineStoryInput:
    session_id: strawberry.ID = strawberry.field(description="The running session.")
    story_id: strawberry.ID = strawberry.field(description="A story on its agenda.")
    version: int = strawberry.field(description="The story's version you read.")
    covered: bool | None = strawberry.field(
        default=None, description="true: the story is covered (discussed to the end)."
    )
    business_value_notes: str | None = strawberry.field(
        default=UNSET, description="Clarified business value (step: CLARIFY)."
    )
    technical_assumptions: str | None = strawberry.field(
        default=UNSET, description="Technical assumptions (step: CLARIFY)."
    )
    acceptance_criteria: list[str] | None = strawberry.field(
        default=UNSET, description="Replaces the acceptance criteria (step: ACCEPTANCE_CRITERIA)."
    )
    points: int | None = strawberry.field(default=UNSET, description=f"{POINTS} (step: ESTIMATE)")
    tshirt_size: e.TShirtSize | None = strawberry.field(
        default=UNSET, description="T-shirt estimate on the team's scale (step: ESTIMATE)."
    )
    architecture_impact: str | None = strawberry.field(
        default=UNSET, description="Architecture impact (step: TECHNICAL_DETAILS)."
    )
    nfrs: str | None = strawberry.field(
        default=UNSET, description="Non-functional requirements (step: TECHNICAL_DETAILS)."
    )
    test_approach: str | None = strawberry.field(
        default=UNSET, description="Test approach (step: TECHNICAL_DETAILS)."
    )
    component_ids: list[strawberry.ID] | None = strawberry.field(
        default=UNSET, description="Replaces the components touched (step: TECHNICAL_DETAILS)."
    )


@strawberry.input(
    description="What program backlog refinement recorded on an agenda feature. Omitted "
    "fields stay as they are."
)
class RefineFeatureInput:
    session_id: strawberry.ID = strawberry.field(description="The running ART session.")
    feature_id: strawberry.ID = strawberry.field(description="A feature on its agenda.")
    version: int = strawberry.field(description="The feature's version you read.")
    covered: bool | None = strawberry.field(
        default=None, description="true: the feature is covered."
    )
    business_value_notes: str | None = strawberry.field(
        default=UNSET, description="Clarified business value."
    )
    technical_assumptions: str | None = strawberry.field(
        default=UNSET, description="Technical assumptions."
    )
    benefit_hypothesis: str | None = strawberry.field(
        default=UNSET, description="Benefit hypothesis."
    )
    acceptance_criteria: list[str] | None = strawberry.field(
        default=UNSET, description="Replaces the acceptance criteria."
    )
    user_business_value: int | None = strawberry.field(default=UNSET, description=WSJF)
    time_criticality: int | None = strawberry.field(default=UNSET, description=WSJF)
    risk_reduction: int | None = strawberry.field(
        default=UNSET, name="riskReductionOpportunityEnablement", description=WSJF
    )
    job_size: int | None = strawberry.field(default=UNSET, description=WSJF)
    dependencies_identified: bool | None = strawberry.field(
        default=UNSET, description="true once its dependencies (possibly none) are recorded."
    )
    owning_team_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="The owning team."
    )
    component_ids: list[strawberry.ID] | None = strawberry.field(
        default=UNSET, description="Replaces the components it changes."
    )
    state: e.FeatureState | None = strawberry.field(
        default=UNSET, description="New state, e.g. BACKLOG once it meets the Definition of Ready."
    )


@strawberry.input(description="Mark an agenda item covered without changing it.")
class CoverAgendaItemInput:
    session_id: strawberry.ID = strawberry.field(description="The running session.")
    version: int = strawberry.field(description="The session's version you read.")
    item_id: strawberry.ID = strawberry.field(description="The story or feature on its agenda.")


@strawberry.input(
    description="Flag a story or feature BLOCKED or INCOMPLETE, or record an open QUESTION, "
    "with a follow-up owner and due date."
)
class FlagRefinementItemInput:
    item_id: strawberry.ID = strawberry.field(description="The story or feature.")
    session_id: strawberry.ID | None = strawberry.field(
        default=None, description="The open session it is flagged in (it must be on its agenda)."
    )
    kind: e.FollowUpKind = strawberry.field(description="BLOCKED, INCOMPLETE or QUESTION.")
    note: str = strawberry.field(description="What is needed.")
    owner_id: strawberry.ID = strawberry.field(description="Who follows it up.")
    due_on: dt.date = strawberry.field(description="When it is due (today or later).")


@strawberry.input(description="Resolve a follow-up.")
class ResolveFollowUpInput:
    id: strawberry.ID = strawberry.field(description="The follow-up.")
    version: int = strawberry.field(description=VERSION)
    resolution: str = strawberry.field(description="How it was resolved.")


@strawberry.input(
    description="A spike for an unknown: a time-boxed, sized SPIKE story linked to the story "
    "whose unknown it resolves, or an exploration spike of a feature."
)
class CreateSpikeInput:
    item_id: strawberry.ID = strawberry.field(description="The story or feature it unblocks.")
    session_id: strawberry.ID | None = strawberry.field(
        default=None, description="The open session it is created in."
    )
    team_id: strawberry.ID | None = strawberry.field(
        default=None, description="The team running it (default: the story's / feature's owner)."
    )
    key: str = strawberry.field(description="Key, unique in the team.")
    title: str = strawberry.field(description="What it finds out.")
    spike_timebox_days: int | None = strawberry.field(
        default=UNSET, description="Required: its timebox, 1 to 10 working days."
    )
    points: int | None = strawberry.field(default=UNSET, description=POINTS)
    tshirt_size: e.TShirtSize | None = strawberry.field(
        default=UNSET, description="T-shirt size (instead of points)."
    )
    description: str | None = strawberry.field(default=UNSET, description="Description.")
    acceptance_criteria: list[str] | None = strawberry.field(
        default=UNSET, description="What it must answer."
    )
    iteration_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Planned iteration."
    )


def _item(value: strawberry.ID, field: str) -> tuple[int | None, int | None]:
    """(story id, feature id) of a story or feature global id."""
    type_name, number = decode_id(value, (Story, Feature), field)
    return (number, None) if type_name == "Story" else (None, number)


def _session(row: Any) -> RefinementSession | None:
    return RefinementSession.from_row(row) if row is not None else None


async def _with_session(
    s: AsyncSession, session_id: int, item: Any
) -> tuple[Any, m.RefinementSession | None]:
    return item, await s.get(m.RefinementSession, session_id)


def _ids(values: list[strawberry.ID] | None, field: str) -> list[int]:
    return [node_id(v, Person, field) for v in values or []]


@strawberry.type
class RefinementMutations:
    @strawberry.mutation(
        description="Set an ART's Definition of Ready for features and/or stories (RTE or "
        "product management)."
    )
    async def set_definition_of_ready(
        self, info: Info_, input: Annotated[SetDefinitionOfReadyInput, INPUT]
    ) -> DefinitionOfReadyPayload:
        row, errors = await run(
            info,
            lambda s, a: definition.set_definition_of_ready(
                s, a, node_id(input.art_id, Art, "artId"), input.version,
                input.feature_rules, input.story_rules,
            ),
        )  # fmt: skip
        return DefinitionOfReadyPayload(art=Art.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(
        description="Set a team's weekly refinement (day, time, 60-90 minute timebox, "
        "invitees) and schedule its next session (scrum master or product owner)."
    )
    async def schedule_team_refinement(
        self, info: Info_, input: Annotated[ScheduleTeamRefinementInput, INPUT]
    ) -> ScheduleTeamRefinementPayload:
        async def action(s: AsyncSession, a: Actor) -> Any:
            return await sessions.schedule_team_refinement(
                s, a, node_id(input.team_id, Team, "teamId"),
                {
                    "weekday": input.weekday, "start_time": input.start_time,
                    "timezone": input.timezone, "timebox_minutes": input.timebox_minutes,
                    "invitee_ids": _ids(input.invitee_ids, "inviteeIds"),
                },
            )  # fmt: skip

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
        def values() -> dict[str, Any]:
            return {
                "team_id": optional_id(input.team_id, Team, "teamId"),
                "art_id": optional_id(input.art_id, Art, "artId"),
                "title": input.title,
                "starts_at": input.starts_at,
                "timebox_minutes": input.timebox_minutes,
                "participant_ids": _ids(input.participant_ids, "participantIds"),
                "facilitator_id": optional_id(input.facilitator_id, Person, "facilitatorId"),
            }

        row, errors = await run(info, lambda s, a: sessions.create_session(s, a, values()))
        return RefinementSessionPayload(session=_session(row), errors=errors)

    @strawberry.mutation(description="Change an open session's time, timebox, people or notes.")
    async def update_refinement_session(
        self, info: Info_, input: Annotated[UpdateRefinementSessionInput, INPUT]
    ) -> RefinementSessionPayload:
        def values() -> dict[str, Any]:
            return values_of(
                input, {"facilitator_id": Person, "participant_ids": Person},
                skip=frozenset({"id", "version"}),
            )  # fmt: skip

        row, errors = await run(
            info,
            lambda s, a: sessions.update_session(
                s, a, node_id(input.id, RefinementSession, "id"), input.version, values()
            ),
        )
        return RefinementSessionPayload(session=_session(row), errors=errors)

    @strawberry.mutation(
        description="Set a session's agenda in order: 5-8 items; more needs an override "
        "reason. A team's agenda holds only that team's stories."
    )
    async def set_refinement_agenda(
        self, info: Info_, input: Annotated[SetRefinementAgendaInput, INPUT]
    ) -> RefinementSessionPayload:
        async def action(s: AsyncSession, a: Actor) -> Any:
            session_id = node_id(input.id, RefinementSession, "id")
            row = await s.get(m.RefinementSession, session_id)
            expected = Story if row is None or row.team_id is not None else Feature
            items = [node_id(i, expected, "itemIds") for i in input.item_ids]
            return await sessions.set_agenda(
                s, a, session_id, input.version, items, input.override_reason
            )

        row, errors = await run(info, action)
        return RefinementSessionPayload(session=_session(row), errors=errors)

    @strawberry.mutation(description="Start a scheduled session (its agenda's readiness noted).")
    async def start_refinement_session(
        self, info: Info_, input: Annotated[StartRefinementSessionInput, INPUT]
    ) -> RefinementSessionPayload:
        row, errors = await run(
            info,
            lambda s, a: running.start_session(
                s, a, node_id(input.id, RefinementSession, "id"), input.version
            ),
        )
        return RefinementSessionPayload(session=_session(row), errors=errors)

    @strawberry.mutation(
        description="Record what a running team session clarified on an agenda story: business "
        "value, acceptance criteria, estimate, technical details; optionally mark it covered."
    )
    async def refine_story(
        self, info: Info_, input: Annotated[RefineStoryInput, INPUT]
    ) -> RefineStoryPayload:
        async def action(s: AsyncSession, a: Actor) -> Any:
            session_id = node_id(input.session_id, RefinementSession, "sessionId")
            values = values_of(
                input, {"component_ids": Component},
                skip=frozenset({"session_id", "story_id", "version", "covered"}),
            )  # fmt: skip
            story = await running.refine_story(
                s, a, session_id, node_id(input.story_id, Story, "storyId"), input.version,
                values, input.covered,
            )  # fmt: skip
            return await _with_session(s, session_id, story)

        found, errors = await run(info, action)
        story, session = found if found else (None, None)
        return RefineStoryPayload(
            story=Story.from_row(story) if story else None, session=_session(session),
            errors=errors,
        )  # fmt: skip

    @strawberry.mutation(
        description="Record what program backlog refinement clarified on an agenda feature: "
        "business value, assumptions, hypothesis, acceptance criteria, WSJF, dependencies."
    )
    async def refine_feature(
        self, info: Info_, input: Annotated[RefineFeatureInput, INPUT]
    ) -> RefineFeaturePayload:
        async def action(s: AsyncSession, a: Actor) -> Any:
            session_id = node_id(input.session_id, RefinementSession, "sessionId")
            values = values_of(
                input, {"component_ids": Component, "owning_team_id": Team},
                skip=frozenset({"session_id", "feature_id", "version", "covered"}),
            )  # fmt: skip
            feature = await running.refine_feature(
                s, a, session_id, node_id(input.feature_id, Feature, "featureId"),
                input.version, values, input.covered,
            )  # fmt: skip
            return await _with_session(s, session_id, feature)

        found, errors = await run(info, action)
        feature, session = found if found else (None, None)
        return RefineFeaturePayload(
            feature=Feature.from_row(feature) if feature else None, session=_session(session),
            errors=errors,
        )  # fmt: skip

    @strawberry.mutation(description="Mark an agenda item of a running session covered.")
    async def cover_agenda_item(
        self, info: Info_, input: Annotated[CoverAgendaItemInput, INPUT]
    ) -> RefinementSessionPayload:
        async def action(s: AsyncSession, a: Actor) -> Any:
            story_id, feature_id = _item(input.item_id, "itemId")
            return await running.cover_item(
                s, a, node_id(input.session_id, RefinementSession, "sessionId"), input.version,
                story_id, feature_id,
            )  # fmt: skip

        row, errors = await run(info, action)
        return RefinementSessionPayload(session=_session(row), errors=errors)

    @strawberry.mutation(
        description="Flag a story or feature blocked or incomplete, or record an open question, "
        "with a follow-up owner and due date (a BLOCKED story is marked blocked)."
    )
    async def flag_refinement_item(
        self, info: Info_, input: Annotated[FlagRefinementItemInput, INPUT]
    ) -> FollowUpPayload:
        async def action(s: AsyncSession, a: Actor) -> Any:
            story_id, feature_id = _item(input.item_id, "itemId")
            return await followups.flag_item(
                s, a,
                {
                    "story_id": story_id, "feature_id": feature_id,
                    "session_id": optional_id(input.session_id, RefinementSession, "sessionId"),
                    "kind": input.kind, "note": input.note,
                    "owner_id": node_id(input.owner_id, Person, "ownerId"),
                    "due_on": input.due_on,
                },
            )  # fmt: skip

        row, errors = await run(info, action)
        return FollowUpPayload(follow_up=FollowUp.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(
        description="Resolve a follow-up (its owner, or whoever may change the item); a story "
        "whose last BLOCKED follow-up is resolved is no longer blocked."
    )
    async def resolve_follow_up(
        self, info: Info_, input: Annotated[ResolveFollowUpInput, INPUT]
    ) -> FollowUpPayload:
        row, errors = await run(
            info,
            lambda s, a: followups.resolve_follow_up(
                s, a, node_id(input.id, FollowUp, "id"), input.version, input.resolution
            ),
        )
        return FollowUpPayload(follow_up=FollowUp.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(
        description="Create a spike for an unknown: time-boxed (1-10 days), sized, linked to "
        "the story it unblocks (that story is not ready while the spike is open)."
    )
    async def create_spike(
        self, info: Info_, input: Annotated[CreateSpikeInput, INPUT]
    ) -> CreateSpikePayload:
        async def action(s: AsyncSession, a: Actor) -> Any:
            story_id, feature_id = _item(input.item_id, "itemId")
            values = values_of(
                input, {"team_id": Team, "iteration_id": Iteration},
                skip=frozenset({"item_id", "session_id"}),
            )  # fmt: skip
            values.update(
                story_id=story_id, feature_id=feature_id,
                session_id=optional_id(input.session_id, RefinementSession, "sessionId"),
            )  # fmt: skip
            return await followups.create_spike(s, a, values)

        row, errors = await run(info, action)
        return CreateSpikePayload(spike=Story.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(
        description="Close a running session: its summary is written and the items not "
        "covered roll to the team's next session, first on its agenda."
    )
    async def close_refinement_session(
        self, info: Info_, input: Annotated[CloseRefinementSessionInput, INPUT]
    ) -> RefinementSessionPayload:
        row, errors = await run(
            info,
            lambda s, a: running.close_session(
                s, a, node_id(input.id, RefinementSession, "id"), input.version
            ),
        )
        return RefinementSessionPayload(session=_session(row), errors=errors)

    @strawberry.mutation(description="Cancel a scheduled session, saying why.")
    async def cancel_refinement_session(
        self, info: Info_, input: Annotated[CancelRefinementSessionInput, INPUT]
    ) -> RefinementSessionPayload:
        row, errors = await run(
            info,
            lambda s, a: running.cancel_session(
                s, a, node_id(input.id, RefinementSession, "id"), input.version, input.reason
            ),
        )
        return RefinementSessionPayload(session=_session(row), errors=errors)

"""The inputs of the mutations of sessions and schedules (the Definition of Ready too), and how
an input becomes the input of a use case: global ids decoded, fields left out UNSET. The
inputs of the steps recorded in a running session are in schema.refinement.step_inputs."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import strawberry

from schema.kit import enums as e
from schema.kit.mutations import maybe, maybe_id, maybe_ids, node_ids, optional_id
from schema.org.types import Art, Person, Team
from services.refinement.schedules import ScheduleDraft
from services.refinement.sessions import SessionChanges, SessionDraft

T = TypeVar("T")
# A field the client leaves out is strawberry's UNSET here and the use case's UNSET there.
UNSET = strawberry.UNSET
POINTS = "Story points: 0, 1, 2, 3, 5, 8, 13, 20, 40 or 100."
WSJF = "WSJF input on the 1, 2, 3, 5, 8, 13, 20 scale."
VERSION = "The version you read (optimistic concurrency)."


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

    def draft(self) -> ScheduleDraft:
        """The weekly refinement (invitee ids decoded)."""
        return ScheduleDraft(
            weekday=self.weekday,
            start_time=self.start_time,
            timezone=self.timezone,
            timebox_minutes=self.timebox_minutes,
            invitee_ids=node_ids(self.invitee_ids, Person, "inviteeIds"),
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

    def draft(self) -> SessionDraft:
        """The session (ids decoded)."""
        return SessionDraft(
            team_id=optional_id(self.team_id, Team, "teamId"),
            art_id=optional_id(self.art_id, Art, "artId"),
            title=self.title,
            starts_at=self.starts_at,
            timebox_minutes=self.timebox_minutes,
            participant_ids=node_ids(self.participant_ids, Person, "participantIds"),
            facilitator_id=optional_id(self.facilitator_id, Person, "facilitatorId"),
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

    def changes(self) -> SessionChanges:
        """The change to the session (the fields given; ids decoded)."""
        return SessionChanges(
            title=maybe(self.title),
            starts_at=maybe(self.starts_at),
            timebox_minutes=maybe(self.timebox_minutes),
            participant_ids=maybe_ids(self.participant_ids, Person, "participantIds"),
            facilitator_id=maybe_id(self.facilitator_id, Person, "facilitatorId"),
            notes=maybe(self.notes),
        )


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

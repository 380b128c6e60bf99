"""Refinement in the API: sessions (a team's technical refinement, the ART's program backlog
refinement), their log and follow-ups, and a team's weekly schedule. Agendas and summaries
are in schema.refinement.agenda, prep packs in schema.refinement.prep."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.relay import (
    AFTER,
    FIRST,
    Connection,
    RowNode,
    Versioned,
    child_connection,
    follows,
    optional_reference,
    reference,
)
from schema.refinement import agenda, prep
from schema.refinement.nodes import ArtT, FeatureT, PersonT, StoryT, TeamT, WorkItemT, node_type
from services import models as m
from services.core.enums import SessionStatus
from services.refinement import queue, reads, relations, schedules
from services.refinement.prep import prep_pack
from services.refinement.rules import proposed_size
from services.refinement.warnings import elapsed_minutes

if TYPE_CHECKING:
    from schema.refinement.agenda import AgendaItem, SessionSummary
    from schema.refinement.prep import PrepItem

AgendaItemT = Annotated["AgendaItem", strawberry.lazy("schema.refinement.agenda")]
SessionSummaryT = Annotated["SessionSummary", strawberry.lazy("schema.refinement.agenda")]
PrepItemT = Annotated["PrepItem", strawberry.lazy("schema.refinement.prep")]
Info_ = Info[Context, None]


async def _people(info: Info_, ids: list[int]) -> list[PersonT]:
    person = node_type("Person")
    rows = await info.context.loaders.row(m.Person).load_many(ids)
    return [person.from_row(r) for r in rows if r is not None]


@strawberry.type(
    description="A pitfall a session is warned about (services/DOMAIN.md, Refinement)."
)
class SessionWarning:
    code: str = strawberry.field(
        description="AGENDA_OVERLOADED (more than 8 items), AGENDA_THIN (fewer than 5 "
        "stories), NO_TECHNICAL_REPRESENTATION (no developer or tech lead invited) or "
        "OVER_TIMEBOX."
    )
    message: str = strawberry.field(description="The warning in words.")


@strawberry.type(description="A team's weekly recurring technical refinement.")
class RefinementSchedule(RowNode, Versioned):
    model = m.RefinementSchedule
    team_id: strawberry.Private[int]
    invitee_ids: strawberry.Private[list[int]]
    weekday: int = strawberry.field(description="Day of the week: 0 Monday ... 6 Sunday.")
    start_time: dt.time = strawberry.field(description="Local start time.")
    timezone: str = strawberry.field(description="IANA time zone of the start time.")
    timebox_minutes: int = strawberry.field(description="Timebox of each session (60-90).")

    @strawberry.field(description="The day of the week in words, e.g. Tuesday.")
    def weekday_name(self) -> str:
        return schedules.WEEKDAYS[self.weekday]

    @strawberry.field(description="The team.")
    @follows("team_id", "Team")
    def team(self, info: Info_) -> TeamT:
        return reference(info, node_type("Team"), self.team_id)

    @strawberry.field(description="Who each session invites by default.")
    async def invitees(self, info: Info_) -> list[PersonT]:
        return await _people(info, self.invitee_ids)


async def team_schedule(info: Info_, team_id: int) -> RefinementSchedule | None:
    async with info.context.sessionmaker() as session:
        row = await schedules.current_schedule(session, team_id)
    return RefinementSchedule.from_row(row) if row is not None else None


@strawberry.type(description="A flagged item or open question, with its owner and due date.")
class FollowUp(RowNode, Versioned):
    model = m.FollowUp
    art_id: strawberry.Private[int]
    team_id: strawberry.Private[int | None]
    story_id: strawberry.Private[int | None]
    feature_id: strawberry.Private[int | None]
    session_id: strawberry.Private[int | None]
    owner_id: strawberry.Private[int]
    kind: e.FollowUpKind = strawberry.field(description="BLOCKED, INCOMPLETE or QUESTION.")
    note: str = strawberry.field(description="What is needed.")
    due_on: dt.date = strawberry.field(description="When it is due.")
    done_at: dt.datetime | None = strawberry.field(description="When it was resolved.")
    resolution: str = strawberry.field(description="How it was resolved (empty while open).")

    @strawberry.field(description="True until it is resolved.")
    def open(self) -> bool:
        return self.done_at is None

    @strawberry.field(description="True when open past its due date.")
    def overdue(self) -> bool:
        return self.done_at is None and self.due_on < m.utcnow().date()

    @strawberry.field(description="Days since it was recorded.")
    def age_days(self) -> int:
        return (m.utcnow() - self.created_at).days

    @strawberry.field(description="Who follows it up.")
    @follows("owner_id", "Person")
    def owner(self, info: Info_) -> PersonT:
        return reference(info, node_type("Person"), self.owner_id)

    @strawberry.field(description="The story flagged (null for a feature).")
    def story(self, info: Info_) -> StoryT | None:
        return optional_reference(info, node_type("Story"), self.story_id)

    @strawberry.field(description="The feature flagged (null for a story).")
    def feature(self, info: Info_) -> FeatureT | None:
        return optional_reference(info, node_type("Feature"), self.feature_id)

    @strawberry.field(description="The team concerned.")
    @follows("team_id", "Team")
    def team(self, info: Info_) -> TeamT | None:
        return optional_reference(info, node_type("Team"), self.team_id)

    @strawberry.field(description="The session it was recorded in, if any.")
    @follows("session_id", "RefinementSession")
    def session(self, info: Info_) -> RefinementSession | None:
        return optional_reference(info, RefinementSession, self.session_id)


@strawberry.type(description="One entry of a session's log (what live subscribers are sent).")
class RefinementEvent(RowNode):
    model = m.RefinementEvent
    session_id: strawberry.Private[int]
    actor_id: strawberry.Private[int | None]
    story_id: strawberry.Private[int | None]
    feature_id: strawberry.Private[int | None]
    at: dt.datetime = strawberry.field(description="When it happened (UTC).")
    kind: e.RefinementEventKind = strawberry.field(description="What happened.")
    message: str = strawberry.field(description="What happened, in words.")

    @strawberry.field(description="The session.")
    @follows("session_id", "RefinementSession")
    def session(self, info: Info_) -> RefinementSession:
        return reference(info, RefinementSession, self.session_id)

    @strawberry.field(description="Who did it (null for the system).")
    @follows("actor_id", "Person")
    def actor(self, info: Info_) -> PersonT | None:
        return optional_reference(info, node_type("Person"), self.actor_id)

    @strawberry.field(description="The story concerned, if any.")
    def story(self, info: Info_) -> StoryT | None:
        return optional_reference(info, node_type("Story"), self.story_id)

    @strawberry.field(description="The feature concerned, if any.")
    def feature(self, info: Info_) -> FeatureT | None:
        return optional_reference(info, node_type("Feature"), self.feature_id)


@strawberry.type(
    description="A refinement session: a team's technical refinement (60-90 minutes, 5-8 "
    "stories) or the ART's program backlog refinement (features)."
)
class RefinementSession(RowNode, Versioned):
    model = m.RefinementSession
    art_id: strawberry.Private[int]
    team_id: strawberry.Private[int | None]
    facilitator_id: strawberry.Private[int | None]
    schedule_id: strawberry.Private[int | None]
    summary: strawberry.Private[dict[str, Any] | None]
    title: str = strawberry.field(description="Title.")
    starts_at: dt.datetime = strawberry.field(description="When it is scheduled to start (UTC).")
    timebox_minutes: int = strawberry.field(description="Its timebox.")
    status: e.SessionStatus = strawberry.field(description="Where it is in its life.")
    started_at: dt.datetime | None = strawberry.field(description="When it started.")
    closed_at: dt.datetime | None = strawberry.field(description="When it closed.")
    agenda_override_reason: str = strawberry.field(
        description="Why the agenda holds more than 8 items (empty otherwise)."
    )
    notes: str = strawberry.field(description="Notes (and why it was cancelled).")

    @strawberry.field(description="ART or TEAM: whose refinement this is.")
    def level(self) -> str:
        return "TEAM" if self.team_id is not None else "ART"

    @strawberry.field(description="The ART.")
    @follows("art_id", "Art")
    def art(self, info: Info_) -> ArtT:
        return reference(info, node_type("Art"), self.art_id)

    @strawberry.field(description="The team (null for the ART's program backlog refinement).")
    @follows("team_id", "Team")
    def team(self, info: Info_) -> TeamT | None:
        return optional_reference(info, node_type("Team"), self.team_id)

    @strawberry.field(description="Who facilitates (the RTE for the ART's session).")
    @follows("facilitator_id", "Person")
    def facilitator(self, info: Info_) -> PersonT | None:
        return optional_reference(info, node_type("Person"), self.facilitator_id)

    @strawberry.field(description="Who is invited.")
    async def participants(self, info: Info_) -> list[PersonT]:
        return await _people(info, await info.context.loaders.participants().load(self.pk))

    @strawberry.field(name="agenda", description="The agenda, in order.")
    async def agenda_items(self, info: Info_) -> list[AgendaItemT]:
        rows = await info.context.loaders.agenda().load(self.pk)
        return [agenda.AgendaItem.of(r) for r in rows]

    @strawberry.field(description="Minutes since it started (until it closed); null before.")
    def elapsed_minutes(self) -> float | None:
        return elapsed_minutes(self)

    @strawberry.field(description="Minutes left in its timebox while it runs (negative: over).")
    def remaining_minutes(self) -> float | None:
        if self.status is not SessionStatus.IN_PROGRESS:
            return None
        elapsed = elapsed_minutes(self) or 0.0
        return round(self.timebox_minutes - elapsed, 1)

    @strawberry.field(
        description="The pitfalls this session runs into: overloaded or thin agenda, no "
        "developer or tech lead, over its timebox."
    )
    async def warnings(self, info: Info_) -> list[SessionWarning]:
        found = await info.context.loaders.session_warnings().load(self.pk)
        return [SessionWarning(code=w.code, message=w.message) for w in found]

    @strawberry.field(
        description="The agenda proposed from the queue (a team's stories by what others "
        "wait on, WSJF and dependency order; the ART's features by WSJF), sized to the "
        "timebox (5-8)."
    )
    async def proposed_agenda(self, info: Info_) -> list[WorkItemT]:
        size = proposed_size(self.timebox_minutes)
        async with info.context.sessionmaker() as session:
            if self.team_id is not None:
                stories = await queue.team_queue(session, self.team_id)
                return [reference(info, node_type("Story"), s.story_id) for s in stories[:size]]
            features = await queue.art_queue(session, self.art_id)
        return [reference(info, node_type("Feature"), f.feature_id) for f in features[:size]]

    @strawberry.field(name="summary", description="What the session did; null until it closes.")
    def session_summary(self) -> SessionSummaryT | None:
        return agenda.SessionSummary.of(self.summary) if self.summary else None

    @strawberry.field(
        description="The prep pack: per agenda item its feature, acceptance criteria, upstream "
        "and downstream dependencies with their health, components touched and their owners, "
        "open questions and follow-ups."
    )
    async def prep_pack(self, info: Info_) -> list[PrepItemT]:
        async with info.context.sessionmaker() as session:
            pack = await prep_pack(session, self.pk, info.context.cache)
        return prep.prep_items(pack)

    @strawberry.field(description="The session's log, oldest first.")
    async def events(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
    ) -> Connection[RefinementEvent]:
        return await child_connection(
            info,
            relations.SESSION_EVENTS,
            self.pk,
            RefinementEvent,
            None,
            reads.EVENT_ORDER,
            first,
            after,
        )

    @strawberry.field(description="Follow-ups recorded in the session (open and done).")
    async def follow_ups(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
    ) -> Connection[FollowUp]:
        return await child_connection(
            info,
            relations.SESSION_FOLLOW_UPS,
            self.pk,
            FollowUp,
            reads.FollowUpFilter(open=None),
            reads.FOLLOW_UP_ORDER,
            first,
            after,
        )


# The columns each computed field reads besides the ones it is named after.
RefinementSession.column_needs = {
    "elapsed_minutes": ("started_at", "closed_at"),
    "remaining_minutes": ("started_at", "closed_at", "status", "timebox_minutes"),
    "proposed_agenda": ("timebox_minutes",),
}
FollowUp.column_needs = {
    "open": ("done_at",),
    "overdue": ("done_at", "due_on"),
    "age_days": ("created_at",),
}

"""Refinement: sessions (a team's technical refinement, the ART's program backlog refinement),
their agendas, follow-ups, the session log, schedules, queues and the Definition of Ready."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
from strawberry.types import Info

from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.relay import (
    Connection,
    RowNode,
    Versioned,
    child_connection,
    follows,
    optional_reference,
    reference,
)
from schema.org.types import AFTER, FIRST, Art, Person, Team
from services import models as m
from services.core.enums import AgendaStep, ReadyRule, SessionStatus
from services.refinement import reads, relations
from services.refinement.rules import proposed_size
from services.refinement.sessions import WEEKDAYS
from services.refinement.warnings import elapsed_minutes
from services.work.readiness import RULE_TITLES, Readiness

if TYPE_CHECKING:
    from schema.refinement.views import PrepItem
    from schema.work.types import Feature, Story, WorkItem

_work = strawberry.lazy("schema.work.types")
FeatureT = Annotated["Feature", _work]
StoryT = Annotated["Story", _work]
WorkItemT = Annotated["WorkItem", _work]
PrepItemT = Annotated["PrepItem", strawberry.lazy("schema.refinement.views")]
Info_ = Info[Context, None]


def _work_types() -> Any:
    from schema.work import types as work

    return work


@strawberry.type(description="One rule of a Definition of Ready that an item does not meet.")
class ReadinessFailure:
    rule: e.ReadyRule = strawberry.field(description="The rule.")
    title: str = strawberry.field(description="What the rule asks for, in words.")
    message: str = strawberry.field(description="Why this item does not meet it.")


@strawberry.type(description="Whether an item meets its ART's Definition of Ready, and why not.")
class ReadinessReport:
    ready: bool = strawberry.field(description="True when every rule is met.")
    rules: list[e.ReadyRule] = strawberry.field(description="The rules checked (the ART's).")
    failures: list[ReadinessFailure] = strawberry.field(
        description="The rules not met, each with its reason; empty when ready."
    )

    @classmethod
    def of(cls, found: Readiness) -> ReadinessReport:
        return cls(
            ready=found.ready,
            rules=list(found.rules),
            failures=[ReadinessFailure(rule=f.rule, title=RULE_TITLES[f.rule], message=f.message)
                      for f in found.failures],
        )  # fmt: skip


@strawberry.type(description="A rule an ART's Definition of Ready can hold.")
class ReadyRuleChoice:
    rule: e.ReadyRule = strawberry.field(description="The rule.")
    title: str = strawberry.field(description="What it asks for, in words.")
    selected: bool = strawberry.field(description="True when the ART's definition holds it.")


@strawberry.type(description="An ART's Definition of Ready for features and for stories.")
class DefinitionOfReady:
    feature_rules: list[e.ReadyRule] = strawberry.field(
        description="What a feature needs before it may move to BACKLOG."
    )
    story_rules: list[e.ReadyRule] = strawberry.field(
        description="What a story needs to be ready for planning."
    )
    is_default: bool = strawberry.field(
        description="True when the ART follows the default (benefit hypothesis, acceptance "
        "criteria, WSJF, owning team, dependencies, no open spike; stories: acceptance "
        "criteria, estimate, no blocking dependency, no open spike, not blocked)."
    )
    feature_choices: list[ReadyRuleChoice] = strawberry.field(
        description="Every feature rule, and whether the ART holds it."
    )
    story_choices: list[ReadyRuleChoice] = strawberry.field(
        description="Every story rule, and whether the ART holds it."
    )


def definition_of_ready(art: Any) -> DefinitionOfReady:
    from services.core.enums import FEATURE_READY_RULES, STORY_READY_RULES
    from services.work.readiness import feature_rules, story_rules

    features, stories = feature_rules(art), story_rules(art)

    def choices(allowed: tuple[ReadyRule, ...], held: tuple[ReadyRule, ...]) -> list[Any]:
        return [ReadyRuleChoice(rule=r, title=RULE_TITLES[r], selected=r in held) for r in allowed]

    return DefinitionOfReady(
        feature_rules=list(features),
        story_rules=list(stories),
        is_default=art.feature_ready_rules is None and art.story_ready_rules is None,
        feature_choices=choices(FEATURE_READY_RULES, features),
        story_choices=choices(STORY_READY_RULES, stories),
    )


@strawberry.type(description="A pitfall a session is warned about (DOMAIN.md).")
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
        return WEEKDAYS[self.weekday]

    @strawberry.field(description="The team.")
    @follows("team_id", "Team")
    def team(self, info: Info_) -> Team:
        return reference(info, Team, self.team_id)

    @strawberry.field(description="Who each session invites by default.")
    async def invitees(self, info: Info_) -> list[Person]:
        return await _people(info, self.invitee_ids)


async def _people(info: Info_, ids: list[int]) -> list[Person]:
    rows = await info.context.loaders.row(m.Person).load_many(ids)
    return [Person.from_row(r) for r in rows if r is not None]


@strawberry.type(description="One item on a session's agenda: a story (team) or feature (ART).")
class AgendaItem:
    row: strawberry.Private[m.AgendaItem]
    position: int = strawberry.field(description="Place on the agenda, from 1.")
    steps: list[e.AgendaStep] = strawberry.field(description="The agenda steps recorded on it.")
    ready_at_start: bool | None = strawberry.field(
        description="Whether it met the Definition of Ready when the session started."
    )
    discussion_started_at: dt.datetime | None = strawberry.field(
        description="When the first step on it was recorded."
    )
    covered_at: dt.datetime | None = strawberry.field(
        description="When it was covered (discussed to the end); null while left over."
    )

    @classmethod
    def of(cls, row: m.AgendaItem) -> AgendaItem:
        return cls(
            row=row, position=row.position, steps=[AgendaStep(s) for s in row.steps],
            ready_at_start=row.ready_at_start, discussion_started_at=row.discussion_started_at,
            covered_at=row.covered_at,
        )  # fmt: skip

    @strawberry.field(description="True once the item was covered.")
    def covered(self) -> bool:
        return self.covered_at is not None

    @strawberry.field(description="The story (a team's session); null for a feature.")
    def story(self, info: Info_) -> StoryT | None:
        return optional_reference(info, _work_types().Story, self.row.story_id)

    @strawberry.field(description="The feature (the ART's session); null for a story.")
    def feature(self, info: Info_) -> FeatureT | None:
        return optional_reference(info, _work_types().Feature, self.row.feature_id)

    @strawberry.field(description="The session it was left over from, when carried over.")
    def carried_from(self, info: Info_) -> RefinementSession | None:
        return optional_reference(info, RefinementSession, self.row.carried_from_id)

    @strawberry.field(description="Whether it meets the Definition of Ready now, and why not.")
    async def readiness(self, info: Info_) -> ReadinessReport | None:
        loaders = info.context.loaders
        if self.row.story_id is not None:
            found = await loaders.story_readiness().load(self.row.story_id)
        else:
            assert self.row.feature_id is not None
            found = await loaders.feature_readiness().load(self.row.feature_id)
        return ReadinessReport.of(found) if found is not None else None


@strawberry.type(description="A story of a team's refinement queue, with why it sits there.")
class RefinementQueueEntry:
    position: int = strawberry.field(description="Place in the queue, from 1.")
    story_id: strawberry.Private[int]
    feature_id: strawberry.Private[int]
    feature_wsjf: float | None = strawberry.field(description="The feature's WSJF.")
    waited_on_by: list[str] = strawberry.field(
        description="Items of other teams that wait on this story, e.g. 'NOV-3 (Team Nova)'."
    )
    after: list[str] = strawberry.field(
        description="Stories of this queue it depends on (they come first)."
    )
    reason: str = strawberry.field(description="Why it sits where it does, in words.")
    readiness: ReadinessReport = strawberry.field(description="Whether it is ready, and why not.")

    @strawberry.field(description="The story.")
    def story(self, info: Info_) -> StoryT:
        return cast("Story", reference(info, _work_types().Story, self.story_id))

    @strawberry.field(description="Its feature.")
    def feature(self, info: Info_) -> FeatureT:
        return cast("Feature", reference(info, _work_types().Feature, self.feature_id))


@strawberry.type(description="A feature waiting for program backlog refinement.")
class FeatureQueueEntry:
    position: int = strawberry.field(description="Place in the queue, from 1.")
    feature_id: strawberry.Private[int]
    wsjf: float | None = strawberry.field(description="The feature's WSJF; null unscored.")
    reason: str = strawberry.field(description="Its state, WSJF and what it still needs.")
    readiness: ReadinessReport = strawberry.field(
        description="Whether it meets the Definition of Ready, and why not."
    )

    @strawberry.field(description="The feature.")
    def feature(self, info: Info_) -> FeatureT:
        return cast("Feature", reference(info, _work_types().Feature, self.feature_id))


@strawberry.type(description="A page of a refinement queue (it is computed, not stored).")
class RefinementQueue:
    total_count: int = strawberry.field(description="How many stories the whole queue holds.")
    entries: list[RefinementQueueEntry] = strawberry.field(
        description="The first entries, in the order to refine them."
    )


@strawberry.type(description="A page of the program backlog waiting for refinement.")
class FeatureQueue:
    total_count: int = strawberry.field(description="How many features wait.")
    entries: list[FeatureQueueEntry] = strawberry.field(
        description="The first entries, by WSJF (ties by rank)."
    )


@strawberry.type(description="What a closed session did; written when it closed.")
class SessionSummary:
    data: strawberry.Private[dict[str, Any]]
    minutes: float = strawberry.field(description="Minutes the session took.")
    over_timebox_minutes: float = strawberry.field(description="Minutes over its timebox.")

    def _items(self, info: Info_, key: str) -> list[Any]:
        work = _work_types()
        node = work.Story if self.data.get("level") == "TEAM" else work.Feature
        return [reference(info, node, i) for i in self.data.get(key, [])]

    @strawberry.field(description="The agenda it held, in order.")
    def agenda(self, info: Info_) -> list[WorkItemT]:
        return self._items(info, "agenda")

    @strawberry.field(description="Items covered.")
    def covered(self, info: Info_) -> list[WorkItemT]:
        return self._items(info, "covered")

    @strawberry.field(description="Items estimated (stories) or scored for WSJF (features).")
    def estimated(self, info: Info_) -> list[WorkItemT]:
        return self._items(info, "estimated")

    @strawberry.field(description="Items that became ready in the session.")
    def became_ready(self, info: Info_) -> list[WorkItemT]:
        return self._items(info, "became_ready")

    @strawberry.field(description="Items flagged blocked, incomplete or with a question.")
    def flagged(self, info: Info_) -> list[WorkItemT]:
        return self._items(info, "flagged")

    @strawberry.field(description="Items not covered: they rolled to the next session.")
    def left_over(self, info: Info_) -> list[WorkItemT]:
        return self._items(info, "left_over")

    @strawberry.field(description="Spikes created for unknowns.")
    def spikes_created(self, info: Info_) -> list[StoryT]:
        story = _work_types().Story
        return [reference(info, story, i) for i in self.data.get("spikes_created", [])]

    @strawberry.field(description="Follow-ups recorded in the session.")
    def follow_ups(self, info: Info_) -> list[FollowUp]:
        return [reference(info, FollowUp, i) for i in self.data.get("follow_ups", [])]

    @strawberry.field(description="The session the leftovers went to.")
    def rolled_to(self, info: Info_) -> RefinementSession | None:
        return optional_reference(info, RefinementSession, self.data.get("rolled_to_session"))


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
    def owner(self, info: Info_) -> Person:
        return reference(info, Person, self.owner_id)

    @strawberry.field(description="The story flagged (null for a feature).")
    def story(self, info: Info_) -> StoryT | None:
        return optional_reference(info, _work_types().Story, self.story_id)

    @strawberry.field(description="The feature flagged (null for a story).")
    def feature(self, info: Info_) -> FeatureT | None:
        return optional_reference(info, _work_types().Feature, self.feature_id)

    @strawberry.field(description="The team concerned.")
    @follows("team_id", "Team")
    def team(self, info: Info_) -> Team | None:
        return optional_reference(info, Team, self.team_id)

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
    def actor(self, info: Info_) -> Person | None:
        return optional_reference(info, Person, self.actor_id)

    @strawberry.field(description="The story concerned, if any.")
    def story(self, info: Info_) -> StoryT | None:
        return optional_reference(info, _work_types().Story, self.story_id)

    @strawberry.field(description="The feature concerned, if any.")
    def feature(self, info: Info_) -> FeatureT | None:
        return optional_reference(info, _work_types().Feature, self.feature_id)


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
    def art(self, info: Info_) -> Art:
        return reference(info, Art, self.art_id)

    @strawberry.field(description="The team (null for the ART's program backlog refinement).")
    @follows("team_id", "Team")
    def team(self, info: Info_) -> Team | None:
        return optional_reference(info, Team, self.team_id)

    @strawberry.field(description="Who facilitates (the RTE for the ART's session).")
    @follows("facilitator_id", "Person")
    def facilitator(self, info: Info_) -> Person | None:
        return optional_reference(info, Person, self.facilitator_id)

    @strawberry.field(description="Who is invited.")
    async def participants(self, info: Info_) -> list[Person]:
        return await _people(info, await info.context.loaders.participants().load(self.pk))

    @strawberry.field(description="The agenda, in order.")
    async def agenda(self, info: Info_) -> list[AgendaItem]:
        return [AgendaItem.of(r) for r in await info.context.loaders.agenda().load(self.pk)]

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
        from services.refinement import queue

        size = proposed_size(self.timebox_minutes)
        work = _work_types()
        async with info.context.sessionmaker() as session:
            if self.team_id is not None:
                stories = await queue.team_queue(session, self.team_id)
                return [reference(info, work.Story, s.story_id) for s in stories[:size]]
            features = await queue.art_queue(session, self.art_id)
        return [reference(info, work.Feature, f.feature_id) for f in features[:size]]

    @strawberry.field(name="summary", description="What the session did; null until it closes.")
    def session_summary(self) -> SessionSummary | None:
        data = self.summary
        if not data:
            return None
        return SessionSummary(
            data=data, minutes=data["minutes"], over_timebox_minutes=data["over_timebox_minutes"]
        )

    @strawberry.field(
        description="The prep pack: per agenda item its feature, acceptance criteria, upstream "
        "and downstream dependencies with their health, components touched and their owners, "
        "open questions and follow-ups."
    )
    async def prep_pack(self, info: Info_) -> list[PrepItemT]:
        from schema.refinement.views import prep_items
        from services.refinement.prep import prep_pack

        async with info.context.sessionmaker() as session:
            pack = await prep_pack(session, self.pk, info.context.cache)
        return prep_items(pack)

    @strawberry.field(description="The session's log, oldest first.")
    async def events(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
    ) -> Connection[RefinementEvent]:
        return await child_connection(
            info, relations.SESSION_EVENTS, self.pk, RefinementEvent, None, reads.EVENT_ORDER,
            first, after,
        )  # fmt: skip

    @strawberry.field(description="Follow-ups recorded in the session (open and done).")
    async def follow_ups(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
    ) -> Connection[FollowUp]:
        return await child_connection(
            info, relations.SESSION_FOLLOW_UPS, self.pk, FollowUp,
            reads.FollowUpFilter(open=None), reads.FOLLOW_UP_ORDER, first, after,
        )  # fmt: skip


RefinementSession.column_needs = {
    "elapsed_minutes": ("started_at", "closed_at"),
    "remaining_minutes": ("started_at", "closed_at", "status", "timebox_minutes"),
    "proposed_agenda": ("timebox_minutes",),
}  # fmt: skip
FollowUp.column_needs = {
    "open": ("done_at",),
    "overdue": ("done_at", "due_on"),
    "age_days": ("created_at",),
}


@strawberry.input(description="Match a SessionStatus value.")
class SessionStatusFilter:
    eq: e.SessionStatus | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.SessionStatus] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Match a FollowUpKind value.")
class FollowUpKindFilter:
    eq: e.FollowUpKind | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[e.FollowUpKind] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Filter refinement sessions.")
class RefinementSessionFilter:
    status: SessionStatusFilter | None = strawberry.field(default=None, description="Status.")
    art_level: bool | None = strawberry.field(
        default=None,
        description="true: the ART's program backlog refinement only; false: teams' only.",
    )
    archived: bool | None = strawberry.field(
        default=False, description="false (default): live rows only; true: archived; null: both."
    )


@strawberry.input(description="Filter follow-ups.")
class FollowUpFilter:
    open: bool | None = strawberry.field(
        default=True, description="true (default): open only; false: resolved only; null: both."
    )
    kind: FollowUpKindFilter | None = strawberry.field(default=None, description="Kind.")
    archived: bool | None = strawberry.field(
        default=False, description="false (default): live rows only; true: archived; null: both."
    )


def session_filter(f: RefinementSessionFilter | None) -> reads.SessionFilter:
    from schema.kit.filters import value_match

    if f is None:
        return reads.SessionFilter()
    return reads.SessionFilter(value_match(f.status), f.art_level, f.archived)


def follow_up_filter(f: FollowUpFilter | None) -> reads.FollowUpFilter:
    from schema.kit.filters import value_match

    if f is None:
        return reads.FollowUpFilter()
    return reads.FollowUpFilter(f.open, value_match(f.kind), f.archived)


async def team_queue(info: Info_, team_id: int, first: int | None) -> RefinementQueue:
    from services.core.pagination import check_first
    from services.refinement import queue

    size = check_first(first)
    async with info.context.sessionmaker() as session:
        entries = await queue.team_queue(session, team_id)
    return RefinementQueue(
        total_count=len(entries),
        entries=[
            RefinementQueueEntry(
                position=n, story_id=q.story_id, feature_id=q.feature_id,
                feature_wsjf=q.feature_wsjf, waited_on_by=list(q.waited_on_by),
                after=list(q.after), reason=q.reason, readiness=ReadinessReport.of(q.readiness),
            )
            for n, q in enumerate(entries[:size], 1)
        ],
    )  # fmt: skip


async def art_queue(info: Info_, art_id: int, first: int | None) -> FeatureQueue:
    from services.core.pagination import check_first
    from services.refinement import queue

    size = check_first(first)
    async with info.context.sessionmaker() as session:
        entries = await queue.art_queue(session, art_id)
    return FeatureQueue(
        total_count=len(entries),
        entries=[
            FeatureQueueEntry(
                position=n, feature_id=q.feature_id, wsjf=q.wsjf, reason=q.reason,
                readiness=ReadinessReport.of(q.readiness),
            )
            for n, q in enumerate(entries[:size], 1)
        ],
    )  # fmt: skip


async def team_schedule(info: Info_, team_id: int) -> RefinementSchedule | None:
    from sqlalchemy import select

    async with info.context.sessionmaker() as session:
        row = await session.scalar(
            select(m.RefinementSchedule).where(
                m.RefinementSchedule.team_id == team_id, m.RefinementSchedule.archived_at.is_(None)
            )
        )
    return RefinementSchedule.from_row(row) if row is not None else None

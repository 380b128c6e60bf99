"""The refinement views: how each team's refinement is going, the ART's rollup, and the prep
pack of a session (services.refinement.health, art_health, prep)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
from strawberry.types import Info

from schema.kit.context import Context
from schema.kit.relay import optional_reference, reference
from schema.org.types import Team
from schema.refinement.types import FollowUp, ReadinessFailure, RefinementSession
from services.analysis.results import Health
from services.core.enums import WorkItemType
from services.refinement import art_health, health, prep
from services.work.readiness import RULE_TITLES, Failure

if TYPE_CHECKING:
    from schema.work.types import Component, Dependency, Feature, Story, WorkItem

_work = strawberry.lazy("schema.work.types")
FeatureT = Annotated["Feature", _work]
StoryT = Annotated["Story", _work]
WorkItemT = Annotated["WorkItem", _work]
ComponentT = Annotated["Component", _work]
DependencyT = Annotated["Dependency", _work]
Info_ = Info[Context, None]


def _work_types() -> Any:
    from schema.work import types as work

    return work


def _failures(found: tuple[Failure, ...]) -> list[ReadinessFailure]:
    return [
        ReadinessFailure(rule=f.rule, title=RULE_TITLES[f.rule], message=f.message) for f in found
    ]


def _item(info: Info_, kind: WorkItemType, pk: int) -> Any:
    work = _work_types()
    return reference(info, work.Story if kind is WorkItemType.STORY else work.Feature, pk)


@strawberry.enum(description="What a ready backlog's depth is measured against.")
class DepthBasis(enum.Enum):
    VELOCITY = "VELOCITY"
    CAPACITY = "CAPACITY"
    NONE = "NONE"


@strawberry.type(description="A session whose agenda held more than 8 items.")
class OverloadedSession:
    row: strawberry.Private[Any]
    items: int = strawberry.field(description="Items on its agenda.")
    override_reason: str = strawberry.field(description="The reason given for holding more.")

    @strawberry.field(description="The session.")
    def session(self, info: Info_) -> RefinementSession:
        return reference(info, RefinementSession, self.row.session_id)


@strawberry.type(description="An open follow-up, with how long it has been open.")
class OpenFollowUp:
    follow_up_id: strawberry.Private[int]
    age_days: int = strawberry.field(description="Days since it was recorded.")
    overdue: bool = strawberry.field(description="Open past its due date.")

    @strawberry.field(description="The follow-up.")
    def follow_up(self, info: Info_) -> FollowUp:
        return reference(info, FollowUp, self.follow_up_id)


@strawberry.type(description="An open spike and the story waiting for it.")
class OpenSpike:
    row: strawberry.Private[Any]

    @strawberry.field(description="The spike.")
    def spike(self, info: Info_) -> StoryT:
        return cast("Story", reference(info, _work_types().Story, self.row.story_id))

    @strawberry.field(description="The story whose unknown it resolves, if any.")
    def for_story(self, info: Info_) -> StoryT | None:
        return cast(
            "Story | None", optional_reference(info, _work_types().Story, self.row.for_story_id)
        )


@strawberry.type(
    description="How refinement is going in a team (the last 4 weeks, as of when it is asked)."
)
class TeamRefinementHealth:
    row: strawberry.Private[health.TeamRefinementHealth]
    ready_stories: int = strawberry.field(description="Stories meeting the Definition of Ready.")
    ready_points: int = strawberry.field(description="Their points.")
    velocity: float | None = strawberry.field(
        description="Average done points of the last 3 ended iterations; null without history."
    )
    capacity: int = strawberry.field(description="The team's capacity per iteration (points).")
    depth_iterations: float | None = strawberry.field(
        description="Ready points / velocity (or / capacity without history): how many "
        "iterations the ready backlog feeds."
    )
    depth_basis: DepthBasis = strawberry.field(description="What the depth is measured against.")
    last_held_at: dt.datetime | None = strawberry.field(description="When it last held one.")
    skipping: bool = strawberry.field(description="No session held in the last 7 days.")
    skipped_weeks: list[dt.date] = strawberry.field(
        description="Of the last 4 weeks (7-day windows ending now), the starts of those "
        "without a held session."
    )
    overdue_follow_ups: int = strawberry.field(description="Open follow-ups past their due date.")

    @classmethod
    def of(cls, row: health.TeamRefinementHealth) -> TeamRefinementHealth:
        return cls(
            row=row, ready_stories=row.ready_stories, ready_points=row.ready_points,
            velocity=row.velocity, capacity=row.capacity, depth_iterations=row.depth_iterations,
            depth_basis=DepthBasis[row.depth_basis], last_held_at=row.last_held_at,
            skipping=row.skipping, skipped_weeks=list(row.skipped_weeks),
            overdue_follow_ups=row.overdue_follow_ups,
        )  # fmt: skip

    @strawberry.field(description="The team.")
    def team(self, info: Info_) -> Team:
        return reference(info, Team, self.row.team_id)

    @strawberry.field(description="Sessions held in the last 4 weeks.")
    def held_sessions(self, info: Info_) -> list[RefinementSession]:
        return [reference(info, RefinementSession, i) for i in self.row.held_session_ids]

    @strawberry.field(description="Sessions of the last 4 weeks with more than 8 items.")
    def overloaded_sessions(self) -> list[OverloadedSession]:
        return [
            OverloadedSession(row=o, items=o.items, override_reason=o.override_reason)
            for o in self.row.overloaded_sessions
        ]

    @strawberry.field(
        description="Sessions of the last 4 weeks without a developer or tech lead of the team."
    )
    def sessions_without_technical_representation(self, info: Info_) -> list[RefinementSession]:
        return [reference(info, RefinementSession, i) for i in self.row.sessions_without_tech]

    @strawberry.field(description="Open follow-ups, oldest first.")
    def open_follow_ups(self) -> list[OpenFollowUp]:
        return [
            OpenFollowUp(follow_up_id=f.follow_up_id, age_days=f.age_days, overdue=f.overdue)
            for f in self.row.open_follow_ups
        ]

    @strawberry.field(description="Open spikes of the team.")
    def open_spikes(self) -> list[OpenSpike]:
        return [OpenSpike(row=s) for s in self.row.open_spikes]


@strawberry.type(description="The ART's refinement figures, summed over its teams.")
class RefinementTotals:
    ready_stories: int = strawberry.field(description="Ready stories.")
    ready_points: int = strawberry.field(description="Their points.")
    held_sessions: int = strawberry.field(description="Team sessions held in the last 4 weeks.")
    skipping_teams: int = strawberry.field(description="Teams with none held in 7 days.")
    overloaded_sessions: int = strawberry.field(description="Sessions with more than 8 items.")
    sessions_without_technical_representation: int = strawberry.field(
        description="Sessions without a developer or tech lead."
    )
    open_follow_ups: int = strawberry.field(description="Open follow-ups.")
    overdue_follow_ups: int = strawberry.field(description="Open follow-ups past due.")
    open_spikes: int = strawberry.field(description="Open spikes.")


@strawberry.type(description="How many features were refined in one week.")
class WeekCount:
    week_start: dt.date = strawberry.field(description="First day of the 7-day window.")
    count: int = strawberry.field(description="Features refined in it.")


@strawberry.type(description="A feature waiting for program backlog refinement.")
class WaitingFeature:
    feature_id: strawberry.Private[int]
    wsjf: float | None = strawberry.field(description="Its WSJF; null unscored.")
    failures: list[ReadinessFailure] = strawberry.field(
        description="What its Definition of Ready still lacks."
    )

    @strawberry.field(description="The feature.")
    def feature(self, info: Info_) -> FeatureT:
        return cast("Feature", reference(info, _work_types().Feature, self.feature_id))


@strawberry.type(description="A team that needs the RTE's attention, and why.")
class TeamAttention:
    team_id: strawberry.Private[int]
    score: int = strawberry.field(
        description="Higher first: skipping outweighs a shallow ready backlog, which outweighs "
        "overdue follow-ups, sessions without technical representation, overloaded agendas."
    )
    reasons: list[str] = strawberry.field(description="Why, in words.")

    @strawberry.field(description="The team.")
    def team(self, info: Info_) -> Team:
        return reference(info, Team, self.team_id)


@strawberry.type(description="A change to a ready story's acceptance criteria or estimate.")
class ReworkChange:
    at: dt.datetime = strawberry.field(description="When.")
    fields: list[str] = strawberry.field(
        description="What changed: acceptance_criteria, points, tshirt_size."
    )


@strawberry.type(description="A story changed after it became ready (rework).")
class ReworkedStory:
    story_id: strawberry.Private[int]
    first_ready_at: dt.datetime = strawberry.field(description="When it first became ready.")
    changes: list[ReworkChange] = strawberry.field(description="The changes since, oldest first.")

    @strawberry.field(description="The story.")
    def story(self, info: Info_) -> StoryT:
        return cast("Story", reference(info, _work_types().Story, self.story_id))


@strawberry.type(description="How refinement is going across the ART.")
class ArtRefinementHealth:
    row: strawberry.Private[art_health.ArtRefinementHealth]
    totals: RefinementTotals = strawberry.field(description="The teams' figures summed.")
    features_refined_per_week: list[WeekCount] = strawberry.field(
        description="Features refined (left ANALYZING ready) per week, oldest week first."
    )
    features_waiting: list[WaitingFeature] = strawberry.field(
        description="Features in FUNNEL or ANALYZING by WSJF, with what they still lack."
    )
    attention: list[TeamAttention] = strawberry.field(
        description="Teams that need attention, most urgent first (teams doing fine left out)."
    )
    rework: list[ReworkedStory] = strawberry.field(
        description="Stories whose acceptance criteria or estimate changed after they became "
        "ready, latest change first."
    )

    @classmethod
    def of(cls, row: art_health.ArtRefinementHealth) -> ArtRefinementHealth:
        t = row.totals
        return cls(
            row=row,
            totals=RefinementTotals(
                ready_stories=t.ready_stories, ready_points=t.ready_points,
                held_sessions=t.held_sessions, skipping_teams=t.skipping_teams,
                overloaded_sessions=t.overloaded_sessions,
                sessions_without_technical_representation=t.sessions_without_tech,
                open_follow_ups=t.open_follow_ups, overdue_follow_ups=t.overdue_follow_ups,
                open_spikes=t.open_spikes,
            ),
            features_refined_per_week=[
                WeekCount(week_start=w.week_start, count=w.count)
                for w in row.features_refined_per_week
            ],
            features_waiting=[
                WaitingFeature(feature_id=f.feature_id, wsjf=f.wsjf, failures=_failures(f.failures))
                for f in row.features_waiting
            ],
            attention=[
                TeamAttention(team_id=a.team_id, score=a.score, reasons=list(a.reasons))
                for a in row.attention
            ],
            rework=[
                ReworkedStory(
                    story_id=r.story_id, first_ready_at=r.first_ready_at,
                    changes=[ReworkChange(at=c.at, fields=list(c.fields)) for c in r.changes],
                )
                for r in row.rework
            ],
        )  # fmt: skip

    @strawberry.field(description="Each team's figures, by team key.")
    def teams(self) -> list[TeamRefinementHealth]:
        return [TeamRefinementHealth.of(t) for t in self.row.teams]


@strawberry.type(description="A dependency of an agenda item, with its health on the board.")
class PrepDependency:
    row: strawberry.Private[prep.PrepDependency]
    health: Health | None = strawberry.field(
        description="RED, AMBER, GREEN or DONE (null for a RELATES link the board ignores)."
    )
    reason: str = strawberry.field(description="Why, in words.")

    @strawberry.field(description="The dependency.")
    def dependency(self, info: Info_) -> DependencyT:
        return cast("Dependency", reference(info, _work_types().Dependency, self.row.dependency_id))

    @strawberry.field(description="The agenda item's own end (the story or its feature).")
    def holder(self, info: Info_) -> WorkItemT:
        return cast("WorkItem", _item(info, self.row.holder.kind, self.row.holder.id))

    @strawberry.field(description="The other end.")
    def other(self, info: Info_) -> WorkItemT:
        return cast("WorkItem", _item(info, self.row.other.kind, self.row.other.id))

    @strawberry.field(description="The team of the other end.")
    def other_team(self, info: Info_) -> Team | None:
        return optional_reference(info, Team, self.row.other.team_id)


@strawberry.type(description="A component an agenda item touches, and who owns it.")
class TouchedComponent:
    row: strawberry.Private[prep.TouchedComponent]

    @strawberry.field(description="The component.")
    def component(self, info: Info_) -> ComponentT:
        return cast("Component", reference(info, _work_types().Component, self.row.component_id))

    @strawberry.field(description="The team that owns it.")
    def owning_team(self, info: Info_) -> Team | None:
        return optional_reference(info, Team, self.row.owning_team_id)


@strawberry.type(description="What to read before discussing one agenda item.")
class PrepItem:
    row: strawberry.Private[prep.PrepItem]
    position: int = strawberry.field(description="Place on the agenda.")
    acceptance_criteria: list[str] = strawberry.field(description="Its acceptance criteria.")
    upstream: list[PrepDependency] = strawberry.field(
        description="What it (or its feature) waits on."
    )
    downstream: list[PrepDependency] = strawberry.field(description="What waits on it.")
    components: list[TouchedComponent] = strawberry.field(description="Components it touches.")
    failures: list[ReadinessFailure] = strawberry.field(
        description="What its Definition of Ready still lacks."
    )

    @strawberry.field(description="The story (a team's session); null for a feature.")
    def story(self, info: Info_) -> StoryT | None:
        return cast(
            "Story | None", optional_reference(info, _work_types().Story, self.row.story_id)
        )

    @strawberry.field(description="The feature (of the story, or the agenda feature).")
    def feature(self, info: Info_) -> FeatureT:
        return cast("Feature", reference(info, _work_types().Feature, self.row.feature_id))

    @strawberry.field(description="Open questions on it.")
    def questions(self, info: Info_) -> list[FollowUp]:
        return [reference(info, FollowUp, q.follow_up_id) for q in self.row.questions]

    @strawberry.field(description="Open blocked / incomplete follow-ups on it.")
    def follow_ups(self, info: Info_) -> list[FollowUp]:
        return [reference(info, FollowUp, q.follow_up_id) for q in self.row.flags]


def prep_items(pack: prep.PrepPack) -> list[PrepItem]:
    return [
        PrepItem(
            row=i, position=i.position, acceptance_criteria=list(i.acceptance_criteria),
            upstream=[PrepDependency(row=d, health=d.health, reason=d.reason) for d in i.upstream],
            downstream=[
                PrepDependency(row=d, health=d.health, reason=d.reason) for d in i.downstream
            ],
            components=[TouchedComponent(row=c) for c in i.components],
            failures=_failures(i.failures),
        )
        for i in pack.items
    ]  # fmt: skip

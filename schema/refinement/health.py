"""How refinement is going, in the API: each team's figures and the ART's rollup
(services.refinement.health, art_health)."""

from __future__ import annotations

import datetime as dt
import enum

import strawberry
from strawberry.types import Info

from schema.kit.context import Context
from schema.kit.relay import optional_reference, reference
from schema.refinement.nodes import FeatureT, StoryT, TeamT, node_type
from schema.refinement.readiness import ReadinessFailure, failures
from schema.refinement.types import FollowUp, RefinementSession
from services.refinement import art_health, attendance, health

Info_ = Info[Context, None]


@strawberry.enum(description="What a ready backlog's depth is measured against.")
class DepthBasis(enum.Enum):
    VELOCITY = "VELOCITY"
    CAPACITY = "CAPACITY"
    NONE = "NONE"


@strawberry.type(description="A session whose agenda held more than 8 items.")
class OverloadedSession:
    row: strawberry.Private[attendance.OverloadedSession]
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
    row: strawberry.Private[health.OpenSpike]

    @strawberry.field(description="The spike.")
    def spike(self, info: Info_) -> StoryT:
        return reference(info, node_type("Story"), self.row.story_id)

    @strawberry.field(description="The story whose unknown it resolves, if any.")
    def for_story(self, info: Info_) -> StoryT | None:
        return optional_reference(info, node_type("Story"), self.row.for_story_id)


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
            row=row,
            ready_stories=row.ready_stories,
            ready_points=row.ready_points,
            velocity=row.velocity,
            capacity=row.capacity,
            depth_iterations=row.depth_iterations,
            depth_basis=DepthBasis[row.depth_basis],
            last_held_at=row.last_held_at,
            skipping=row.skipping,
            skipped_weeks=list(row.skipped_weeks),
            overdue_follow_ups=row.overdue_follow_ups,
        )

    @strawberry.field(description="The team.")
    def team(self, info: Info_) -> TeamT:
        return reference(info, node_type("Team"), self.row.team_id)

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
        return reference(info, node_type("Feature"), self.feature_id)


@strawberry.type(description="A team that needs the RTE's attention, and why.")
class TeamAttention:
    team_id: strawberry.Private[int]
    score: int = strawberry.field(
        description="Higher first: skipping outweighs a shallow ready backlog, which outweighs "
        "overdue follow-ups, sessions without technical representation, overloaded agendas."
    )
    reasons: list[str] = strawberry.field(description="Why, in words.")

    @strawberry.field(description="The team.")
    def team(self, info: Info_) -> TeamT:
        return reference(info, node_type("Team"), self.team_id)


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
        return reference(info, node_type("Story"), self.story_id)


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
                ready_stories=t.ready_stories,
                ready_points=t.ready_points,
                held_sessions=t.held_sessions,
                skipping_teams=t.skipping_teams,
                overloaded_sessions=t.overloaded_sessions,
                sessions_without_technical_representation=t.sessions_without_tech,
                open_follow_ups=t.open_follow_ups,
                overdue_follow_ups=t.overdue_follow_ups,
                open_spikes=t.open_spikes,
            ),
            features_refined_per_week=[
                WeekCount(week_start=w.week_start, count=w.count)
                for w in row.features_refined_per_week
            ],
            features_waiting=[
                WaitingFeature(feature_id=f.feature_id, wsjf=f.wsjf, failures=failures(f.failures))
                for f in row.features_waiting
            ],
            attention=[
                TeamAttention(team_id=a.team_id, score=a.score, reasons=list(a.reasons))
                for a in row.attention
            ],
            rework=[
                ReworkedStory(
                    story_id=r.story_id,
                    first_ready_at=r.first_ready_at,
                    changes=[ReworkChange(at=c.at, fields=list(c.fields)) for c in r.changes],
                )
                for r in row.rework
            ],
        )

    @strawberry.field(description="Each team's figures, by team key.")
    def teams(self) -> list[TeamRefinementHealth]:
        return [TeamRefinementHealth.of(t) for t in self.row.teams]

"""A session's agenda items and the summary a closed session wrote."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.relay import optional_reference, reference
from schema.refinement import types as refinement
from schema.refinement.nodes import FeatureT, StoryT, WorkItemT, node_type
from schema.refinement.readiness import ReadinessReport
from services import models as m
from services.core.enums import AgendaStep

if TYPE_CHECKING:
    from schema.refinement.types import FollowUp, RefinementSession

_types = strawberry.lazy("schema.refinement.types")
FollowUpT = Annotated["FollowUp", _types]
RefinementSessionT = Annotated["RefinementSession", _types]
Info_ = Info[Context, None]


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
            row=row,
            position=row.position,
            steps=[AgendaStep(s) for s in row.steps],
            ready_at_start=row.ready_at_start,
            discussion_started_at=row.discussion_started_at,
            covered_at=row.covered_at,
        )

    @strawberry.field(description="True once the item was covered.")
    def covered(self) -> bool:
        return self.covered_at is not None

    @strawberry.field(description="The story (a team's session); null for a feature.")
    def story(self, info: Info_) -> StoryT | None:
        return optional_reference(info, node_type("Story"), self.row.story_id)

    @strawberry.field(description="The feature (the ART's session); null for a story.")
    def feature(self, info: Info_) -> FeatureT | None:
        return optional_reference(info, node_type("Feature"), self.row.feature_id)

    @strawberry.field(description="The session it was left over from, when carried over.")
    def carried_from(self, info: Info_) -> RefinementSessionT | None:
        return optional_reference(info, refinement.RefinementSession, self.row.carried_from_id)

    @strawberry.field(description="Whether it meets the Definition of Ready now, and why not.")
    async def readiness(self, info: Info_) -> ReadinessReport | None:
        loaders = info.context.loaders
        if self.row.story_id is not None:
            found = await loaders.story_readiness().load(self.row.story_id)
        else:
            assert self.row.feature_id is not None
            found = await loaders.feature_readiness().load(self.row.feature_id)
        return ReadinessReport.of(found) if found is not None else None


@strawberry.type(description="What a closed session did; written when it closed.")
class SessionSummary:
    data: strawberry.Private[dict[str, Any]]
    minutes: float = strawberry.field(description="Minutes the session took.")
    over_timebox_minutes: float = strawberry.field(description="Minutes over its timebox.")

    @classmethod
    def of(cls, data: dict[str, Any]) -> SessionSummary:
        """From the summary services.refinement.closing stored on the session."""
        return cls(
            data=data, minutes=data["minutes"], over_timebox_minutes=data["over_timebox_minutes"]
        )

    def _ids(self, key: str) -> list[int]:
        ids: list[int] = self.data.get(key, [])
        return ids

    def _items(self, info: Info_, key: str) -> list[WorkItemT]:
        if self.data.get("level") == "TEAM":
            return [reference(info, node_type("Story"), i) for i in self._ids(key)]
        return [reference(info, node_type("Feature"), i) for i in self._ids(key)]

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
        return [reference(info, node_type("Story"), i) for i in self._ids("spikes_created")]

    @strawberry.field(description="Follow-ups recorded in the session.")
    def follow_ups(self, info: Info_) -> list[FollowUpT]:
        return [reference(info, refinement.FollowUp, i) for i in self._ids("follow_ups")]

    @strawberry.field(description="The session the leftovers went to.")
    def rolled_to(self, info: Info_) -> RefinementSessionT | None:
        rolled: int | None = self.data.get("rolled_to_session")
        return optional_reference(info, refinement.RefinementSession, rolled)

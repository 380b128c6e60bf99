"""The refinement fields of ARTs, teams, features and stories, as mixins their types inherit:
refinement sits above org and work, so it adds its fields to their types rather than have
them import refinement's. Everything imported here is below org and work (schema.refinement
reaches their nodes by name, schema.refinement.nodes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from schema.kit.context import Context
from schema.kit.errors import ClientError
from schema.kit.relay import AFTER, FILTER, FIRST, Connection, child_connection, optional_reference
from schema.refinement.filters import (
    FollowUpFilter,
    RefinementSessionFilter,
    follow_up_filter,
    session_filter,
)
from schema.refinement.health import ArtRefinementHealth, TeamRefinementHealth
from schema.refinement.nodes import StoryT, node_type
from schema.refinement.queues import FeatureQueue, RefinementQueue, art_queue, team_queue
from schema.refinement.readiness import DefinitionOfReady, ReadinessReport, definition_of_ready
from schema.refinement.types import FollowUp, RefinementSchedule, RefinementSession, team_schedule
from services.core.relations import Relation
from services.models import Art, utcnow
from services.refinement import reads, relations
from services.refinement.art_health import art_refinement_health

WEEKS = strawberry.argument(description="How many weeks back the weekly figures go (1-52).")
Info_ = Info[Context, None]


async def _sessions(
    info: Info_,
    relation: Relation,
    pk: int,
    first: int | None,
    after: str | None,
    filter: RefinementSessionFilter | None,
) -> Connection[RefinementSession]:
    return await child_connection(
        info,
        relation,
        pk,
        RefinementSession,
        session_filter(filter),
        reads.SESSION_ORDER,
        first,
        after,
    )


async def _follow_ups(
    info: Info_,
    relation: Relation,
    pk: int,
    first: int | None,
    after: str | None,
    filter: FollowUpFilter | None,
) -> Connection[FollowUp]:
    return await child_connection(
        info,
        relation,
        pk,
        FollowUp,
        follow_up_filter(filter),
        reads.FOLLOW_UP_ORDER,
        first,
        after,
    )


@strawberry.type
class ArtRefinement:
    if TYPE_CHECKING:
        pk: int  # the ART's id (schema.org.types.Art is a RowNode)

    @strawberry.field(description="The ART's Definition of Ready for features and stories.")
    async def definition_of_ready(self, info: Info_) -> DefinitionOfReady:
        row = await info.context.loaders.row(Art).load(self.pk)
        assert row is not None  # the ART was read to resolve this field
        return definition_of_ready(row.feature_ready_rules, row.story_ready_rules)

    @strawberry.field(
        description="The program backlog waiting for refinement: features in FUNNEL or "
        "ANALYZING by WSJF (ties by rank), each with what its Definition of Ready lacks."
    )
    async def refinement_queue(
        self, info: Info_, first: Annotated[int | None, FIRST] = 50
    ) -> FeatureQueue:
        return await art_queue(info, self.pk, first)

    @strawberry.field(
        description="Refinement sessions of the ART (its program backlog refinement and its "
        "teams' sessions), newest first."
    )
    async def refinement_sessions(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[RefinementSessionFilter | None, FILTER] = None,
    ) -> Connection[RefinementSession]:
        relation = relations.ART_REFINEMENT_SESSIONS
        return await _sessions(info, relation, self.pk, first, after, filter)

    @strawberry.field(description="Follow-ups in the ART (open ones by default), by due date.")
    async def follow_ups(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[FollowUpFilter | None, FILTER] = None,
    ) -> Connection[FollowUp]:
        return await _follow_ups(info, relations.ART_FOLLOW_UPS, self.pk, first, after, filter)

    @strawberry.field(
        description="How refinement is going across the ART: every team's figures, totals, "
        "features refined per week, features waiting, teams needing attention first, rework."
    )
    async def refinement_health(
        self, info: Info_, weeks: Annotated[int, WEEKS] = 8
    ) -> ArtRefinementHealth:
        if not 1 <= weeks <= 52:
            raise ClientError(f"weeks: 1 to 52; got {weeks}.")
        async with info.context.sessionmaker() as session:
            found = await art_refinement_health(session, self.pk, utcnow(), weeks)
        return ArtRefinementHealth.of(found)


@strawberry.type
class TeamRefinement:
    if TYPE_CHECKING:
        pk: int  # the team's id (schema.org.types.Team is a RowNode)

    @strawberry.field(
        description="How refinement is going in the team: ready backlog depth, sessions held "
        "and weeks skipped, overloaded agendas, sessions without technical representation, "
        "open follow-ups and spikes."
    )
    async def refinement_health(self, info: Info_) -> TeamRefinementHealth:
        found = await info.context.loaders.team_refinement_health().load(self.pk)
        assert found is not None
        return TeamRefinementHealth.of(found)

    @strawberry.field(description="The team's weekly refinement; null when none is set.")
    async def refinement_schedule(self, info: Info_) -> RefinementSchedule | None:
        return await team_schedule(info, self.pk)

    @strawberry.field(
        description="The team's refinement queue: its backlog stories of refined features, "
        "what other teams wait on first, then by feature WSJF and dependency order, each "
        "with its readiness and why it sits there."
    )
    async def refinement_queue(
        self, info: Info_, first: Annotated[int | None, FIRST] = 50
    ) -> RefinementQueue:
        return await team_queue(info, self.pk, first)

    @strawberry.field(description="The team's refinement sessions, newest first.")
    async def refinement_sessions(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[RefinementSessionFilter | None, FILTER] = None,
    ) -> Connection[RefinementSession]:
        relation = relations.TEAM_REFINEMENT_SESSIONS
        return await _sessions(info, relation, self.pk, first, after, filter)

    @strawberry.field(description="The team's follow-ups (open ones by default), by due date.")
    async def follow_ups(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[FollowUpFilter | None, FILTER] = None,
    ) -> Connection[FollowUp]:
        return await _follow_ups(info, relations.TEAM_FOLLOW_UPS, self.pk, first, after, filter)


@strawberry.type
class FeatureRefinement:
    if TYPE_CHECKING:
        pk: int  # the feature's id (schema.work.types.Feature is a RowNode)

    @strawberry.field(
        description="Whether the feature meets its ART's Definition of Ready, and which rules "
        "fail (it may move to BACKLOG only when ready)."
    )
    async def readiness(self, info: Info_) -> ReadinessReport:
        found = await info.context.loaders.feature_readiness().load(self.pk)
        assert found is not None
        return ReadinessReport.of(found)


@strawberry.type
class StoryRefinement:
    if TYPE_CHECKING:
        pk: int  # the story's id and its spike's (schema.work.types.Story is a RowNode)
        spike_for_story_id: int | None

    @strawberry.field(
        description="Whether the story meets its ART's Definition of Ready, and which rules fail."
    )
    async def readiness(self, info: Info_) -> ReadinessReport:
        found = await info.context.loaders.story_readiness().load(self.pk)
        assert found is not None
        return ReadinessReport.of(found)

    @strawberry.field(description="For a spike: the story whose unknown it resolves.")
    def spike_for(self, info: Info_) -> StoryT | None:
        return optional_reference(info, node_type("Story"), self.spike_for_story_id)

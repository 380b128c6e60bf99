"""The refinement fields of ARTs, teams, features and stories, as mixins their types inherit
(schema.types.refinement imports those types, so the fields live here and resolve lazily)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
from strawberry.types import Info

from schema.kit.context import Context
from schema.kit.relay import Connection, child_connection
from services.core.relations import Relation
from services.refinement import reads, relations

if TYPE_CHECKING:
    from schema.refinement.types import (
        DefinitionOfReady,
        FeatureQueue,
        FollowUp,
        FollowUpFilter,
        ReadinessReport,
        RefinementQueue,
        RefinementSchedule,
        RefinementSession,
        RefinementSessionFilter,
    )
    from schema.refinement.views import ArtRefinementHealth, TeamRefinementHealth
    from schema.work.types import Story

_r = strawberry.lazy("schema.refinement.types")
_w = strawberry.lazy("schema.work.types")
_v = strawberry.lazy("schema.refinement.views")
WEEKS = strawberry.argument(description="How many weeks back the weekly figures go (1-52).")
Info_ = Info[Context, None]
FIRST = strawberry.argument(description="Page size, 0 to 100 (default 50).")
AFTER = strawberry.argument(description="Cursor after which the page starts.")
FILTER = strawberry.argument(description="Only the items matching this filter.")
SessionFilterT = Annotated["RefinementSessionFilter", _r]
FollowUpFilterT = Annotated["FollowUpFilter", _r]


def _refinement() -> Any:
    from schema.refinement import types as refinement

    return refinement


def _pk(node: object) -> int:
    return cast(int, cast(Any, node).pk)


async def _sessions(
    info: Info_, relation: Relation, pk: int, first: int | None, after: str | None,
    filter: Any,
) -> Any:  # fmt: skip
    r = _refinement()
    return await child_connection(
        info, relation, pk, r.RefinementSession, r.session_filter(filter), reads.SESSION_ORDER,
        first, after,
    )  # fmt: skip


async def _follow_ups(
    info: Info_, relation: Relation, pk: int, first: int | None, after: str | None,
    filter: Any,
) -> Any:  # fmt: skip
    r = _refinement()
    return await child_connection(
        info, relation, pk, r.FollowUp, r.follow_up_filter(filter), reads.FOLLOW_UP_ORDER,
        first, after,
    )  # fmt: skip


@strawberry.type
class ArtRefinement:
    @strawberry.field(description="The ART's Definition of Ready for features and stories.")
    async def definition_of_ready(self, info: Info_) -> Annotated[DefinitionOfReady, _r]:
        from services.models import Art

        row = await info.context.loaders.row(Art).load(_pk(self))
        return cast("DefinitionOfReady", _refinement().definition_of_ready(row))

    @strawberry.field(
        description="The program backlog waiting for refinement: features in FUNNEL or "
        "ANALYZING by WSJF (ties by rank), each with what its Definition of Ready lacks."
    )
    async def refinement_queue(
        self, info: Info_, first: Annotated[int | None, FIRST] = 50
    ) -> Annotated[FeatureQueue, _r]:
        return cast("FeatureQueue", await _refinement().art_queue(info, _pk(self), first))

    @strawberry.field(
        description="Refinement sessions of the ART (its program backlog refinement and its "
        "teams' sessions), newest first."
    )
    async def refinement_sessions(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[SessionFilterT | None, FILTER] = None,
    ) -> Connection[Annotated[RefinementSession, _r]]:
        return cast(
            "Connection[RefinementSession]",
            await _sessions(info, relations.ART_REFINEMENT_SESSIONS, _pk(self), first, after,
                            filter),
        )  # fmt: skip

    @strawberry.field(description="Follow-ups in the ART (open ones by default), by due date.")
    async def follow_ups(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[FollowUpFilterT | None, FILTER] = None,
    ) -> Connection[Annotated[FollowUp, _r]]:
        return cast(
            "Connection[FollowUp]",
            await _follow_ups(info, relations.ART_FOLLOW_UPS, _pk(self), first, after, filter),
        )

    @strawberry.field(
        description="How refinement is going across the ART: every team's figures, totals, "
        "features refined per week, features waiting, teams needing attention first, rework."
    )
    async def refinement_health(
        self, info: Info_, weeks: Annotated[int, WEEKS] = 8
    ) -> Annotated[ArtRefinementHealth, _v]:
        from schema.kit.errors import ClientError
        from schema.refinement.views import ArtRefinementHealth
        from services.models import utcnow
        from services.refinement.art_health import art_refinement_health

        if not 1 <= weeks <= 52:
            raise ClientError(f"weeks: 1 to 52; got {weeks}.")
        async with info.context.sessionmaker() as session:
            found = await art_refinement_health(session, _pk(self), utcnow(), weeks)
        return ArtRefinementHealth.of(found)


@strawberry.type
class TeamRefinement:
    @strawberry.field(
        description="How refinement is going in the team: ready backlog depth, sessions held "
        "and weeks skipped, overloaded agendas, sessions without technical representation, "
        "open follow-ups and spikes."
    )
    async def refinement_health(self, info: Info_) -> Annotated[TeamRefinementHealth, _v]:
        from schema.refinement.views import TeamRefinementHealth

        found = await info.context.loaders.team_refinement_health().load(_pk(self))
        assert found is not None
        return TeamRefinementHealth.of(found)

    @strawberry.field(description="The team's weekly refinement; null when none is set.")
    async def refinement_schedule(self, info: Info_) -> Annotated[RefinementSchedule, _r] | None:
        return cast("RefinementSchedule | None", await _refinement().team_schedule(info, _pk(self)))

    @strawberry.field(
        description="The team's refinement queue: its backlog stories of refined features, "
        "what other teams wait on first, then by feature WSJF and dependency order, each "
        "with its readiness and why it sits there."
    )
    async def refinement_queue(
        self, info: Info_, first: Annotated[int | None, FIRST] = 50
    ) -> Annotated[RefinementQueue, _r]:
        return cast("RefinementQueue", await _refinement().team_queue(info, _pk(self), first))

    @strawberry.field(description="The team's refinement sessions, newest first.")
    async def refinement_sessions(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[SessionFilterT | None, FILTER] = None,
    ) -> Connection[Annotated[RefinementSession, _r]]:
        return cast(
            "Connection[RefinementSession]",
            await _sessions(info, relations.TEAM_REFINEMENT_SESSIONS, _pk(self), first, after,
                            filter),
        )  # fmt: skip

    @strawberry.field(description="The team's follow-ups (open ones by default), by due date.")
    async def follow_ups(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[FollowUpFilterT | None, FILTER] = None,
    ) -> Connection[Annotated[FollowUp, _r]]:
        return cast(
            "Connection[FollowUp]",
            await _follow_ups(info, relations.TEAM_FOLLOW_UPS, _pk(self), first, after, filter),
        )


@strawberry.type
class FeatureRefinement:
    @strawberry.field(
        description="Whether the feature meets its ART's Definition of Ready, and which rules "
        "fail (it may move to BACKLOG only when ready)."
    )
    async def readiness(self, info: Info_) -> Annotated[ReadinessReport, _r]:
        found = await info.context.loaders.feature_readiness().load(_pk(self))
        assert found is not None
        return cast("ReadinessReport", _refinement().ReadinessReport.of(found))


@strawberry.type
class StoryRefinement:
    @strawberry.field(
        description="Whether the story meets its ART's Definition of Ready, and which rules fail."
    )
    async def readiness(self, info: Info_) -> Annotated[ReadinessReport, _r]:
        found = await info.context.loaders.story_readiness().load(_pk(self))
        assert found is not None
        return cast("ReadinessReport", _refinement().ReadinessReport.of(found))

    @strawberry.field(description="For a spike: the story whose unknown it resolves.")
    def spike_for(self, info: Info_) -> Annotated[Story, _w] | None:
        from schema.kit.relay import optional_reference
        from schema.work.types import Story

        return optional_reference(info, Story, cast(Any, self).spike_for_story_id)

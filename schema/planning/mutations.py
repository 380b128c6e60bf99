"""Mutations of planning intervals, iterations and milestones."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.errors import UserError
from schema.kit.mutations import INPUT, ArchiveInput, maybe, node_id, run
from schema.org.types import Art
from schema.planning.types import Iteration, Milestone, PlanningInterval
from services.core.enums import IterationKind
from services.planning import intervals, iterations, milestones

Info_ = Info[Context, None]
UNSET = strawberry.UNSET
ERRORS = "Why nothing was written; empty on success."


@strawberry.type(description="Result of a planning interval mutation.")
class PlanningIntervalPayload:
    planning_interval: PlanningInterval | None = strawberry.field(
        description="The planning interval as saved; null on failure."
    )
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description="One iteration of a new planning interval.")
class IterationSpecInput:
    start_date: dt.date = strawberry.field(description="First day.")
    end_date: dt.date = strawberry.field(description="Last day.")
    kind: e.IterationKind = strawberry.field(
        default=IterationKind.REGULAR, description="REGULAR, or IP for the last one."
    )
    name: str | None = strawberry.field(default=None, description="Defaults to 'Iteration n'.")

    def spec(self) -> intervals.IterationSpec:
        return intervals.IterationSpec(self.start_date, self.end_date, self.kind, self.name)


@strawberry.input(description="A new planning interval with its iterations (numbered in order).")
class CreatePlanningIntervalInput:
    art_id: strawberry.ID = strawberry.field(description="The ART.")
    name: str = strawberry.field(description="Name, unique in the ART, e.g. PI 2027.1.")
    start_date: dt.date = strawberry.field(description="First day.")
    end_date: dt.date = strawberry.field(description="Last day.")
    iterations: list[IterationSpecInput] = strawberry.field(
        default_factory=list,
        description="Its iterations in order; usually 4 REGULAR and a last IP one.",
    )

    def draft(self) -> intervals.PlanningIntervalDraft:
        return intervals.PlanningIntervalDraft(
            name=self.name,
            start_date=self.start_date,
            end_date=self.end_date,
            iterations=[it.spec() for it in self.iterations],
        )


@strawberry.input(description="Changes to a planning interval; omitted fields stay as they are.")
class UpdatePlanningIntervalInput:
    id: strawberry.ID = strawberry.field(description="The planning interval.")
    version: int = strawberry.field(description="The version you read.")
    name: str | None = strawberry.field(default=UNSET, description="New name.")
    start_date: dt.date | None = strawberry.field(default=UNSET, description="New first day.")
    end_date: dt.date | None = strawberry.field(default=UNSET, description="New last day.")

    def changes(self) -> intervals.PlanningIntervalChanges:
        return intervals.PlanningIntervalChanges(
            name=maybe(self.name),
            start_date=maybe(self.start_date),
            end_date=maybe(self.end_date),
        )


@strawberry.type(description="Result of an iteration mutation.")
class IterationPayload:
    iteration: Iteration | None = strawberry.field(
        description="The iteration as saved; null on failure."
    )
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description="Append an iteration to a planning interval.")
class CreateIterationInput:
    planning_interval_id: strawberry.ID = strawberry.field(description="The planning interval.")
    start_date: dt.date = strawberry.field(description="First day.")
    end_date: dt.date = strawberry.field(description="Last day.")
    kind: e.IterationKind = strawberry.field(
        default=IterationKind.REGULAR, description="REGULAR or IP."
    )
    name: str | None = strawberry.field(default=None, description="Defaults to 'Iteration n'.")

    def spec(self) -> intervals.IterationSpec:
        return intervals.IterationSpec(self.start_date, self.end_date, self.kind, self.name)


@strawberry.input(description="Changes to an iteration; omitted fields stay as they are.")
class UpdateIterationInput:
    id: strawberry.ID = strawberry.field(description="The iteration.")
    version: int = strawberry.field(description="The version you read.")
    name: str | None = strawberry.field(default=UNSET, description="New name.")
    start_date: dt.date | None = strawberry.field(default=UNSET, description="New first day.")
    end_date: dt.date | None = strawberry.field(default=UNSET, description="New last day.")
    kind: e.IterationKind | None = strawberry.field(default=UNSET, description="New kind.")

    def changes(self) -> iterations.IterationChanges:
        return iterations.IterationChanges(
            name=maybe(self.name),
            start_date=maybe(self.start_date),
            end_date=maybe(self.end_date),
            kind=maybe(self.kind),
        )


@strawberry.type(description="Result of a milestone mutation.")
class MilestonePayload:
    milestone: Milestone | None = strawberry.field(
        description="The milestone as saved; null on failure."
    )
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description="A new milestone on a planning interval's board.")
class CreateMilestoneInput:
    planning_interval_id: strawberry.ID = strawberry.field(description="The planning interval.")
    name: str = strawberry.field(description="What happens.")
    date: dt.date = strawberry.field(description="When (inside the planning interval).")
    kind: e.MilestoneKind | None = strawberry.field(default=UNSET, description="Default OTHER.")
    description: str | None = strawberry.field(default=UNSET, description="Details.")

    def draft(self) -> milestones.MilestoneDraft:
        return milestones.MilestoneDraft(
            name=self.name,
            date=self.date,
            kind=maybe(self.kind),
            description=maybe(self.description),
        )


@strawberry.input(description="Changes to a milestone; omitted fields stay as they are.")
class UpdateMilestoneInput:
    id: strawberry.ID = strawberry.field(description="The milestone.")
    version: int = strawberry.field(description="The version you read.")
    name: str | None = strawberry.field(default=UNSET, description="New name.")
    date: dt.date | None = strawberry.field(default=UNSET, description="New date.")
    kind: e.MilestoneKind | None = strawberry.field(default=UNSET, description="New kind.")
    description: str | None = strawberry.field(default=UNSET, description="New details.")

    def changes(self) -> milestones.MilestoneChanges:
        return milestones.MilestoneChanges(
            name=maybe(self.name),
            date=maybe(self.date),
            kind=maybe(self.kind),
            description=maybe(self.description),
        )


def _pi(row: object) -> PlanningIntervalPayload:
    return PlanningIntervalPayload(planning_interval=PlanningInterval.from_row(row), errors=[])


@strawberry.type
class PlanningMutations:
    @strawberry.mutation(description="Create a planning interval with its iterations.")
    async def create_planning_interval(
        self, info: Info_, input: Annotated[CreatePlanningIntervalInput, INPUT]
    ) -> PlanningIntervalPayload:
        row, errors = await run(
            info,
            lambda s, a: intervals.create_planning_interval(
                s, a, node_id(input.art_id, Art, "artId"), input.draft()
            ),
        )
        return _pi(row) if row else PlanningIntervalPayload(planning_interval=None, errors=errors)

    @strawberry.mutation(description="Change a planning interval's name or dates.")
    async def update_planning_interval(
        self, info: Info_, input: Annotated[UpdatePlanningIntervalInput, INPUT]
    ) -> PlanningIntervalPayload:
        row, errors = await run(
            info,
            lambda s, a: intervals.update_planning_interval(
                s,
                a,
                node_id(input.id, PlanningInterval, "id"),
                input.version,
                input.changes(),
            ),
        )
        return _pi(row) if row else PlanningIntervalPayload(planning_interval=None, errors=errors)

    @strawberry.mutation(
        description="Archive a planning interval (refused while features are planned in it)."
    )
    async def archive_planning_interval(
        self, info: Info_, input: Annotated[ArchiveInput, INPUT]
    ) -> PlanningIntervalPayload:
        row, errors = await run(
            info,
            lambda s, a: intervals.archive_planning_interval(
                s, a, node_id(input.id, PlanningInterval, "id"), input.version
            ),
        )
        return _pi(row) if row else PlanningIntervalPayload(planning_interval=None, errors=errors)

    @strawberry.mutation(description="Append an iteration to a planning interval.")
    async def create_iteration(
        self, info: Info_, input: Annotated[CreateIterationInput, INPUT]
    ) -> IterationPayload:
        row, errors = await run(
            info,
            lambda s, a: iterations.create_iteration(
                s,
                a,
                node_id(input.planning_interval_id, PlanningInterval, "planningIntervalId"),
                input.spec(),
            ),
        )
        return IterationPayload(iteration=Iteration.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Change an iteration.")
    async def update_iteration(
        self, info: Info_, input: Annotated[UpdateIterationInput, INPUT]
    ) -> IterationPayload:
        row, errors = await run(
            info,
            lambda s, a: iterations.update_iteration(
                s, a, node_id(input.id, Iteration, "id"), input.version, input.changes()
            ),
        )
        return IterationPayload(iteration=Iteration.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Archive an iteration (refused while work is planned in it).")
    async def archive_iteration(
        self, info: Info_, input: Annotated[ArchiveInput, INPUT]
    ) -> IterationPayload:
        row, errors = await run(
            info,
            lambda s, a: iterations.archive_iteration(
                s, a, node_id(input.id, Iteration, "id"), input.version
            ),
        )
        return IterationPayload(iteration=Iteration.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Put a milestone on a planning interval's board.")
    async def create_milestone(
        self, info: Info_, input: Annotated[CreateMilestoneInput, INPUT]
    ) -> MilestonePayload:
        row, errors = await run(
            info,
            lambda s, a: milestones.create_milestone(
                s,
                a,
                node_id(input.planning_interval_id, PlanningInterval, "planningIntervalId"),
                input.draft(),
            ),
        )
        return MilestonePayload(milestone=Milestone.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Change a milestone.")
    async def update_milestone(
        self, info: Info_, input: Annotated[UpdateMilestoneInput, INPUT]
    ) -> MilestonePayload:
        row, errors = await run(
            info,
            lambda s, a: milestones.update_milestone(
                s, a, node_id(input.id, Milestone, "id"), input.version, input.changes()
            ),
        )
        return MilestonePayload(milestone=Milestone.from_row(row) if row else None, errors=errors)

    @strawberry.mutation(description="Remove a milestone from the board.")
    async def archive_milestone(
        self, info: Info_, input: Annotated[ArchiveInput, INPUT]
    ) -> MilestonePayload:
        row, errors = await run(
            info,
            lambda s, a: milestones.archive_milestone(
                s, a, node_id(input.id, Milestone, "id"), input.version
            ),
        )
        return MilestonePayload(milestone=Milestone.from_row(row) if row else None, errors=errors)

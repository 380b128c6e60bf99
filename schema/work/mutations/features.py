"""Mutations of features: add one to an ART's backlog, change it, archive it."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.kit import enums as e
from schema.kit.context import Context
from schema.kit.errors import UserError
from schema.kit.mutations import INPUT, ArchiveInput, maybe, maybe_id, maybe_ids, run
from schema.work.mutations.inputs import row_id
from schema.work.types import Feature
from services.models import Feature as FeatureRow
from services.work import features

Info_ = Info[Context, None]
UNSET = strawberry.UNSET
ERRORS = "Why nothing was written; empty on success."
WSJF = "WSJF input on the 1, 2, 3, 5, 8, 13, 20 scale."


@strawberry.type(description="Result of a feature mutation.")
class FeaturePayload:
    feature: Feature | None = strawberry.field(description="The feature as saved; null on failure.")
    errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.input(description="A new feature in an ART's backlog.")
class CreateFeatureInput:
    art_id: strawberry.ID = strawberry.field(description="The ART.")
    key: str = strawberry.field(description="Key, unique in the ART, e.g. PAY-12.")
    title: str = strawberry.field(description="Short title (at most 200 characters).")
    kind: e.FeatureKind = strawberry.field(description="BUSINESS or ENABLER.")
    enabler_type: e.EnablerType | None = strawberry.field(
        default=UNSET, description="Required for an ENABLER, absent for a BUSINESS feature."
    )
    description: str | None = strawberry.field(default=UNSET, description="Longer description.")
    state: e.FeatureState | None = strawberry.field(
        default=UNSET,
        description="Default FUNNEL. Any state may be given (an import), but BACKLOG or later "
        "needs the Definition of Ready met, and a state at its WIP limit is refused.",
    )
    benefit_hypothesis: str | None = strawberry.field(
        default=UNSET, description="Expected benefit."
    )
    acceptance_criteria: list[str] | None = strawberry.field(
        default=UNSET, description="Acceptance criteria (at most 50)."
    )
    business_value_notes: str | None = strawberry.field(
        default=UNSET, description="The business value as clarified in refinement."
    )
    technical_assumptions: str | None = strawberry.field(
        default=UNSET, description="Technical assumptions recorded in refinement."
    )
    dependencies_identified: bool | None = strawberry.field(
        default=UNSET,
        description="True once refinement has identified the feature's dependencies (possibly "
        "none): part of the Definition of Ready.",
    )
    user_business_value: int | None = strawberry.field(default=UNSET, description=WSJF)
    time_criticality: int | None = strawberry.field(default=UNSET, description=WSJF)
    risk_reduction: int | None = strawberry.field(
        default=UNSET, name="riskReductionOpportunityEnablement", description=WSJF
    )
    job_size: int | None = strawberry.field(default=UNSET, description=WSJF)
    rank: int | None = strawberry.field(default=UNSET, description="Default: after the last.")
    owning_team_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Owning team (of the same ART)."
    )
    planning_interval_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Planning interval (of the same ART)."
    )
    iteration_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Planned iteration: a regular one of that planning interval."
    )
    component_ids: list[strawberry.ID] | None = strawberry.field(
        default=UNSET, description="Components it changes (of the ART or portfolio-wide)."
    )

    def draft(self) -> features.FeatureDraft:
        return features.FeatureDraft(
            key=self.key,
            title=self.title,
            kind=self.kind,
            enabler_type=maybe(self.enabler_type),
            description=maybe(self.description),
            state=maybe(self.state),
            benefit_hypothesis=maybe(self.benefit_hypothesis),
            acceptance_criteria=maybe(self.acceptance_criteria),
            business_value_notes=maybe(self.business_value_notes),
            technical_assumptions=maybe(self.technical_assumptions),
            dependencies_identified=maybe(self.dependencies_identified),
            user_business_value=maybe(self.user_business_value),
            time_criticality=maybe(self.time_criticality),
            risk_reduction=maybe(self.risk_reduction),
            job_size=maybe(self.job_size),
            rank=maybe(self.rank),
            owning_team_id=maybe_id(self.owning_team_id, "Team", "owningTeamId"),
            planning_interval_id=maybe_id(
                self.planning_interval_id, "PlanningInterval", "planningIntervalId"
            ),
            iteration_id=maybe_id(self.iteration_id, "Iteration", "iterationId"),
            component_ids=maybe_ids(self.component_ids, "Component", "componentIds"),
        )


@strawberry.input(description="Changes to a feature; omitted fields stay as they are.")
class UpdateFeatureInput:
    id: strawberry.ID = strawberry.field(description="The feature.")
    version: int = strawberry.field(description="The version you read.")
    key: str | None = strawberry.field(default=UNSET, description="New key.")
    title: str | None = strawberry.field(default=UNSET, description="New title.")
    kind: e.FeatureKind | None = strawberry.field(default=UNSET, description="New kind.")
    enabler_type: e.EnablerType | None = strawberry.field(
        default=UNSET, description="Enabler type."
    )
    description: str | None = strawberry.field(default=UNSET, description="New description.")
    state: e.FeatureState | None = strawberry.field(
        default=UNSET,
        description="New ART Kanban state: the next one forward, or an earlier one with a "
        "stateReason (services/DOMAIN.md, The ART Kanban).",
    )
    state_reason: str | None = strawberry.field(
        default=UNSET,
        description="Why the state changes; required to move back to an earlier state. The "
        "feature's history keeps it.",
    )
    benefit_hypothesis: str | None = strawberry.field(default=UNSET, description="New hypothesis.")
    acceptance_criteria: list[str] | None = strawberry.field(
        default=UNSET, description="Replaces the acceptance criteria."
    )
    business_value_notes: str | None = strawberry.field(
        default=UNSET, description="The business value as clarified in refinement."
    )
    technical_assumptions: str | None = strawberry.field(
        default=UNSET, description="Technical assumptions recorded in refinement."
    )
    dependencies_identified: bool | None = strawberry.field(
        default=UNSET,
        description="True once refinement has identified the feature's dependencies (possibly "
        "none): part of the Definition of Ready.",
    )
    user_business_value: int | None = strawberry.field(default=UNSET, description=WSJF)
    time_criticality: int | None = strawberry.field(default=UNSET, description=WSJF)
    risk_reduction: int | None = strawberry.field(
        default=UNSET, name="riskReductionOpportunityEnablement", description=WSJF
    )
    job_size: int | None = strawberry.field(default=UNSET, description=WSJF)
    rank: int | None = strawberry.field(default=UNSET, description="New rank.")
    owning_team_id: strawberry.ID | None = strawberry.field(default=UNSET, description="Owner.")
    planning_interval_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Planning interval; null takes it out of planning."
    )
    iteration_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Planned iteration; null unplans it."
    )
    component_ids: list[strawberry.ID] | None = strawberry.field(
        default=UNSET, description="Replaces the components it changes."
    )

    def changes(self) -> features.FeatureChanges:
        return features.FeatureChanges(
            key=maybe(self.key),
            title=maybe(self.title),
            kind=maybe(self.kind),
            enabler_type=maybe(self.enabler_type),
            description=maybe(self.description),
            state=maybe(self.state),
            state_reason=maybe(self.state_reason),
            benefit_hypothesis=maybe(self.benefit_hypothesis),
            acceptance_criteria=maybe(self.acceptance_criteria),
            business_value_notes=maybe(self.business_value_notes),
            technical_assumptions=maybe(self.technical_assumptions),
            dependencies_identified=maybe(self.dependencies_identified),
            user_business_value=maybe(self.user_business_value),
            time_criticality=maybe(self.time_criticality),
            risk_reduction=maybe(self.risk_reduction),
            job_size=maybe(self.job_size),
            rank=maybe(self.rank),
            owning_team_id=maybe_id(self.owning_team_id, "Team", "owningTeamId"),
            planning_interval_id=maybe_id(
                self.planning_interval_id, "PlanningInterval", "planningIntervalId"
            ),
            iteration_id=maybe_id(self.iteration_id, "Iteration", "iterationId"),
            component_ids=maybe_ids(self.component_ids, "Component", "componentIds"),
        )


def _payload(row: FeatureRow | None, errors: list[UserError]) -> FeaturePayload:
    return FeaturePayload(feature=Feature.from_row(row) if row else None, errors=errors)


@strawberry.type
class FeatureMutations:
    @strawberry.mutation(description="Add a feature to an ART's backlog.")
    async def create_feature(
        self, info: Info_, input: Annotated[CreateFeatureInput, INPUT]
    ) -> FeaturePayload:
        row, errors = await run(
            info,
            lambda s, a: features.create_feature(
                s, a, row_id(input.art_id, "Art", "artId"), input.draft()
            ),
        )
        return _payload(row, errors)

    @strawberry.mutation(description="Change a feature (WSJF is derived from its four inputs).")
    async def update_feature(
        self, info: Info_, input: Annotated[UpdateFeatureInput, INPUT]
    ) -> FeaturePayload:
        row, errors = await run(
            info,
            lambda s, a: features.update_feature(
                s, a, row_id(input.id, "Feature", "id"), input.version, input.changes()
            ),
        )
        return _payload(row, errors)

    @strawberry.mutation(description="Archive a feature with its stories and their dependencies.")
    async def archive_feature(
        self, info: Info_, input: Annotated[ArchiveInput, INPUT]
    ) -> FeaturePayload:
        row, errors = await run(
            info,
            lambda s, a: features.archive_feature(
                s, a, row_id(input.id, "Feature", "id"), input.version
            ),
        )
        return _payload(row, errors)

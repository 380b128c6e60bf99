"""The inputs of the steps a running session records on its agenda items (refine a story or
a feature, cover an item, flag it, resolve a follow-up, create a spike), and the use case
input each becomes (schema.refinement.inputs has the helpers)."""

from __future__ import annotations

import datetime as dt

import strawberry

from schema.kit import enums as e
from schema.kit.mutations import maybe, maybe_id, maybe_ids, node_id, optional_id
from schema.org.types import Person, Team
from schema.planning.types import Iteration
from schema.refinement.inputs import POINTS, UNSET, VERSION, WSJF
from schema.refinement.types import RefinementSession
from schema.work.types import Component
from services.refinement.followups import FlagDraft, SpikeDraft
from services.work.features import FeatureChanges
from services.work.stories import StoryChanges


@strawberry.input(
    description="What a running team session recorded on an agenda story; the steps it "
    "completes follow from the fields given. Omitted fields stay as they are."
)
class RefineStoryInput:
    session_id: strawberry.ID = strawberry.field(description="The running session.")
    story_id: strawberry.ID = strawberry.field(description="A story on its agenda.")
    version: int = strawberry.field(description="The story's version you read.")
    covered: bool | None = strawberry.field(
        default=None, description="true: the story is covered (discussed to the end)."
    )
    business_value_notes: str | None = strawberry.field(
        default=UNSET, description="Clarified business value (step: CLARIFY)."
    )
    technical_assumptions: str | None = strawberry.field(
        default=UNSET, description="Technical assumptions (step: CLARIFY)."
    )
    acceptance_criteria: list[str] | None = strawberry.field(
        default=UNSET, description="Replaces the acceptance criteria (step: ACCEPTANCE_CRITERIA)."
    )
    points: int | None = strawberry.field(default=UNSET, description=f"{POINTS} (step: ESTIMATE)")
    tshirt_size: e.TShirtSize | None = strawberry.field(
        default=UNSET, description="T-shirt estimate on the team's scale (step: ESTIMATE)."
    )
    architecture_impact: str | None = strawberry.field(
        default=UNSET, description="Architecture impact (step: TECHNICAL_DETAILS)."
    )
    nfrs: str | None = strawberry.field(
        default=UNSET, description="Non-functional requirements (step: TECHNICAL_DETAILS)."
    )
    test_approach: str | None = strawberry.field(
        default=UNSET, description="Test approach (step: TECHNICAL_DETAILS)."
    )
    component_ids: list[strawberry.ID] | None = strawberry.field(
        default=UNSET, description="Replaces the components touched (step: TECHNICAL_DETAILS)."
    )

    def changes(self) -> StoryChanges:
        """The change to the story (the fields given; ids decoded)."""
        return StoryChanges(
            business_value_notes=maybe(self.business_value_notes),
            technical_assumptions=maybe(self.technical_assumptions),
            acceptance_criteria=maybe(self.acceptance_criteria),
            points=maybe(self.points),
            tshirt_size=maybe(self.tshirt_size),
            architecture_impact=maybe(self.architecture_impact),
            nfrs=maybe(self.nfrs),
            test_approach=maybe(self.test_approach),
            component_ids=maybe_ids(self.component_ids, Component, "componentIds"),
        )


@strawberry.input(
    description="What program backlog refinement recorded on an agenda feature. Omitted "
    "fields stay as they are."
)
class RefineFeatureInput:
    session_id: strawberry.ID = strawberry.field(description="The running ART session.")
    feature_id: strawberry.ID = strawberry.field(description="A feature on its agenda.")
    version: int = strawberry.field(description="The feature's version you read.")
    covered: bool | None = strawberry.field(
        default=None, description="true: the feature is covered."
    )
    business_value_notes: str | None = strawberry.field(
        default=UNSET, description="Clarified business value."
    )
    technical_assumptions: str | None = strawberry.field(
        default=UNSET, description="Technical assumptions."
    )
    benefit_hypothesis: str | None = strawberry.field(
        default=UNSET, description="Benefit hypothesis."
    )
    acceptance_criteria: list[str] | None = strawberry.field(
        default=UNSET, description="Replaces the acceptance criteria."
    )
    user_business_value: int | None = strawberry.field(default=UNSET, description=WSJF)
    time_criticality: int | None = strawberry.field(default=UNSET, description=WSJF)
    risk_reduction: int | None = strawberry.field(
        default=UNSET, name="riskReductionOpportunityEnablement", description=WSJF
    )
    job_size: int | None = strawberry.field(default=UNSET, description=WSJF)
    dependencies_identified: bool | None = strawberry.field(
        default=UNSET, description="true once its dependencies (possibly none) are recorded."
    )
    owning_team_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="The owning team."
    )
    component_ids: list[strawberry.ID] | None = strawberry.field(
        default=UNSET, description="Replaces the components it changes."
    )
    state: e.FeatureState | None = strawberry.field(
        default=UNSET, description="New state, e.g. BACKLOG once it meets the Definition of Ready."
    )

    def changes(self) -> FeatureChanges:
        """The change to the feature (the fields given; ids decoded)."""
        return FeatureChanges(
            business_value_notes=maybe(self.business_value_notes),
            technical_assumptions=maybe(self.technical_assumptions),
            benefit_hypothesis=maybe(self.benefit_hypothesis),
            acceptance_criteria=maybe(self.acceptance_criteria),
            user_business_value=maybe(self.user_business_value),
            time_criticality=maybe(self.time_criticality),
            risk_reduction=maybe(self.risk_reduction),
            job_size=maybe(self.job_size),
            dependencies_identified=maybe(self.dependencies_identified),
            owning_team_id=maybe_id(self.owning_team_id, Team, "owningTeamId"),
            component_ids=maybe_ids(self.component_ids, Component, "componentIds"),
            state=maybe(self.state),
        )


@strawberry.input(description="Mark an agenda item covered without changing it.")
class CoverAgendaItemInput:
    session_id: strawberry.ID = strawberry.field(description="The running session.")
    version: int = strawberry.field(description="The session's version you read.")
    item_id: strawberry.ID = strawberry.field(description="The story or feature on its agenda.")


@strawberry.input(
    description="Flag a story or feature BLOCKED or INCOMPLETE, or record an open QUESTION, "
    "with a follow-up owner and due date."
)
class FlagRefinementItemInput:
    item_id: strawberry.ID = strawberry.field(description="The story or feature.")
    session_id: strawberry.ID | None = strawberry.field(
        default=None, description="The open session it is flagged in (it must be on its agenda)."
    )
    kind: e.FollowUpKind = strawberry.field(description="BLOCKED, INCOMPLETE or QUESTION.")
    note: str = strawberry.field(description="What is needed.")
    owner_id: strawberry.ID = strawberry.field(description="Who follows it up.")
    due_on: dt.date = strawberry.field(description="When it is due (today or later).")

    def draft(self, story_id: int | None, feature_id: int | None) -> FlagDraft:
        """The flag on the story or feature `item_id` names (the other ids decoded)."""
        return FlagDraft(
            story_id=story_id,
            feature_id=feature_id,
            session_id=optional_id(self.session_id, RefinementSession, "sessionId"),
            kind=self.kind,
            note=self.note,
            owner_id=node_id(self.owner_id, Person, "ownerId"),
            due_on=self.due_on,
        )


@strawberry.input(description="Resolve a follow-up.")
class ResolveFollowUpInput:
    id: strawberry.ID = strawberry.field(description="The follow-up.")
    version: int = strawberry.field(description=VERSION)
    resolution: str = strawberry.field(description="How it was resolved.")


@strawberry.input(
    description="A spike for an unknown: a time-boxed, sized SPIKE story linked to the story "
    "whose unknown it resolves, or an exploration spike of a feature."
)
class CreateSpikeInput:
    item_id: strawberry.ID = strawberry.field(description="The story or feature it unblocks.")
    session_id: strawberry.ID | None = strawberry.field(
        default=None, description="The open session it is created in."
    )
    team_id: strawberry.ID | None = strawberry.field(
        default=None, description="The team running it (default: the story's / feature's owner)."
    )
    key: str = strawberry.field(description="Key, unique in the team.")
    title: str = strawberry.field(description="What it finds out.")
    spike_timebox_days: int | None = strawberry.field(
        default=UNSET, description="Required: its timebox, 1 to 10 working days."
    )
    points: int | None = strawberry.field(default=UNSET, description=POINTS)
    tshirt_size: e.TShirtSize | None = strawberry.field(
        default=UNSET, description="T-shirt size (instead of points)."
    )
    description: str | None = strawberry.field(default=UNSET, description="Description.")
    acceptance_criteria: list[str] | None = strawberry.field(
        default=UNSET, description="What it must answer."
    )
    iteration_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Planned iteration."
    )

    def draft(self, story_id: int | None, feature_id: int | None) -> SpikeDraft:
        """The spike for the story or feature `item_id` names (the other ids decoded)."""
        team_id = optional_id(self.team_id, Team, "teamId")
        iteration_id = maybe_id(self.iteration_id, Iteration, "iterationId")
        return SpikeDraft(
            story_id=story_id,
            feature_id=feature_id,
            session_id=optional_id(self.session_id, RefinementSession, "sessionId"),
            team_id=team_id,
            key=self.key,
            title=self.title,
            spike_timebox_days=maybe(self.spike_timebox_days),
            points=maybe(self.points),
            tshirt_size=maybe(self.tshirt_size),
            description=maybe(self.description),
            acceptance_criteria=maybe(self.acceptance_criteria),
            iteration_id=iteration_id,
        )

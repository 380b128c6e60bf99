"""A session's prep pack in the API: what to read before discussing each agenda item
(services.refinement.prep)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from schema.kit.context import Context
from schema.kit.relay import optional_reference, reference
from schema.refinement import types as refinement
from schema.refinement.nodes import (
    ComponentT,
    DependencyT,
    FeatureT,
    StoryT,
    TeamT,
    WorkItemT,
    node_type,
)
from schema.refinement.readiness import ReadinessFailure, failures
from services.core.enums import WorkItemType
from services.refinement import prep as packs

if TYPE_CHECKING:
    from schema.refinement.types import FollowUp
    from services.analysis.results import Health

_types = strawberry.lazy("schema.refinement.types")
FollowUpT = Annotated["FollowUp", _types]
# The enum as schema.analysis.items registers it for the API (with its description): named
# lazily, since that module imports the org and work types, which import this one.
HealthT = Annotated["Health", strawberry.lazy("schema.analysis.items")]
Info_ = Info[Context, None]


def _item(info: Info_, end: packs.ItemEnd) -> WorkItemT:
    if end.kind is WorkItemType.STORY:
        return reference(info, node_type("Story"), end.id)
    return reference(info, node_type("Feature"), end.id)


@strawberry.type(description="A dependency of an agenda item, with its health on the board.")
class PrepDependency:
    row: strawberry.Private[packs.PrepDependency]
    health: HealthT | None = strawberry.field(
        description="RED, AMBER, GREEN or DONE (null for a RELATES link the board ignores)."
    )
    reason: str = strawberry.field(description="Why, in words.")

    @classmethod
    def of(cls, row: packs.PrepDependency) -> PrepDependency:
        return cls(row=row, health=row.health, reason=row.reason)

    @strawberry.field(description="The dependency.")
    def dependency(self, info: Info_) -> DependencyT:
        return reference(info, node_type("Dependency"), self.row.dependency_id)

    @strawberry.field(description="The agenda item's own end (the story or its feature).")
    def holder(self, info: Info_) -> WorkItemT:
        return _item(info, self.row.holder)

    @strawberry.field(description="The other end.")
    def other(self, info: Info_) -> WorkItemT:
        return _item(info, self.row.other)

    @strawberry.field(description="The team of the other end.")
    def other_team(self, info: Info_) -> TeamT | None:
        return optional_reference(info, node_type("Team"), self.row.other.team_id)


@strawberry.type(description="A component an agenda item touches, and who owns it.")
class TouchedComponent:
    row: strawberry.Private[packs.TouchedComponent]

    @strawberry.field(description="The component.")
    def component(self, info: Info_) -> ComponentT:
        return reference(info, node_type("Component"), self.row.component_id)

    @strawberry.field(description="The team that owns it.")
    def owning_team(self, info: Info_) -> TeamT | None:
        return optional_reference(info, node_type("Team"), self.row.owning_team_id)


@strawberry.type(description="What to read before discussing one agenda item.")
class PrepItem:
    row: strawberry.Private[packs.PrepItem]
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
        return optional_reference(info, node_type("Story"), self.row.story_id)

    @strawberry.field(description="The feature (of the story, or the agenda feature).")
    def feature(self, info: Info_) -> FeatureT:
        return reference(info, node_type("Feature"), self.row.feature_id)

    @strawberry.field(description="Open questions on it.")
    def questions(self, info: Info_) -> list[FollowUpT]:
        return [reference(info, refinement.FollowUp, q.follow_up_id) for q in self.row.questions]

    @strawberry.field(description="Open blocked / incomplete follow-ups on it.")
    def follow_ups(self, info: Info_) -> list[FollowUpT]:
        return [reference(info, refinement.FollowUp, q.follow_up_id) for q in self.row.flags]


def prep_items(pack: packs.PrepPack) -> list[PrepItem]:
    return [
        PrepItem(
            row=i,
            position=i.position,
            acceptance_criteria=list(i.acceptance_criteria),
            upstream=[PrepDependency.of(d) for d in i.upstream],
            downstream=[PrepDependency.of(d) for d in i.downstream],
            components=[TouchedComponent(row=c) for c in i.components],
            failures=failures(i.failures),
        )
        for i in pack.items
    ]

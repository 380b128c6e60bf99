"""The domain enums, exposed under stable GraphQL names with descriptions."""

from __future__ import annotations

import enum

import strawberry

from services import enums

Role = strawberry.enum(
    enums.Role,
    description="A person's role: ART roles (RTE, PRODUCT_MANAGER, SYSTEM_ARCHITECT, "
    "BUSINESS_OWNER) or team roles (SCRUM_MASTER, PRODUCT_OWNER, DEVELOPER, TECH_LEAD, "
    "TESTER, SME).",
)
IterationKind = strawberry.enum(
    enums.IterationKind,
    description="REGULAR development iteration, or IP (Innovation & Planning: no feature work).",
)
FeatureKind = strawberry.enum(
    enums.FeatureKind, description="BUSINESS feature, or ENABLER (with its enabler type)."
)
EnablerType = strawberry.enum(enums.EnablerType, description="What kind of enabler a feature is.")
FeatureState = strawberry.enum(
    enums.FeatureState,
    description="ART Kanban state: FUNNEL, ANALYZING, BACKLOG (refined, ready to plan), "
    "IMPLEMENTING, VALIDATING, DEPLOYING, RELEASING, DONE.",
)
StoryKind = strawberry.enum(
    enums.StoryKind, description="USER_STORY, ENABLER story, or SPIKE (time-boxed exploration)."
)
StoryStatus = strawberry.enum(enums.StoryStatus, description="Where a story is in its team's flow.")
TShirtSize = strawberry.enum(
    enums.TShirtSize, description="T-shirt estimate, mapped to points by the team's scale."
)
ComponentKind = strawberry.enum(
    enums.ComponentKind, description="What an architecture component is."
)
DependencyType = strawberry.enum(
    enums.DependencyType,
    description="BLOCKS: the prerequisite must be delivered first. RELATES: informational link.",
)
MilestoneKind = strawberry.enum(enums.MilestoneKind, description="What a milestone marks.")


@strawberry.enum(description="Sort direction.")
class SortDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"

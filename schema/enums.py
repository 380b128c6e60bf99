"""The domain enums, exposed under stable GraphQL names with descriptions."""

from __future__ import annotations

import enum

import strawberry

from services import enums
from services.enums import (
    ComponentKind,
    DependencyType,
    EnablerType,
    FeatureKind,
    FeatureState,
    IterationKind,
    MilestoneKind,
    Role,
    StoryKind,
    StoryStatus,
    TShirtSize,
)

strawberry.enum(
    enums.Role,
    description="A person's role: ART roles (RTE, PRODUCT_MANAGER, SYSTEM_ARCHITECT, "
    "BUSINESS_OWNER) or team roles (SCRUM_MASTER, PRODUCT_OWNER, DEVELOPER, TECH_LEAD, "
    "TESTER, SME).",
)
strawberry.enum(
    enums.IterationKind,
    description="REGULAR development iteration, or IP (Innovation & Planning: no feature work).",
)
strawberry.enum(
    enums.FeatureKind, description="BUSINESS feature, or ENABLER (with its enabler type)."
)
strawberry.enum(enums.EnablerType, description="What kind of enabler a feature is.")
strawberry.enum(
    enums.FeatureState,
    description="ART Kanban state: FUNNEL, ANALYZING, BACKLOG (refined, ready to plan), "
    "IMPLEMENTING, VALIDATING, DEPLOYING, RELEASING, DONE.",
)
strawberry.enum(
    enums.StoryKind, description="USER_STORY, ENABLER story, or SPIKE (time-boxed exploration)."
)
strawberry.enum(enums.StoryStatus, description="Where a story is in its team's flow.")
strawberry.enum(
    enums.TShirtSize, description="T-shirt estimate, mapped to points by the team's scale."
)
strawberry.enum(enums.ComponentKind, description="What an architecture component is.")
strawberry.enum(
    enums.DependencyType,
    description="BLOCKS: the prerequisite must be delivered first. RELATES: informational link.",
)
strawberry.enum(enums.MilestoneKind, description="What a milestone marks.")


@strawberry.enum(description="Sort direction.")
class SortDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


__all__ = [
    "ComponentKind",
    "DependencyType",
    "EnablerType",
    "FeatureKind",
    "FeatureState",
    "IterationKind",
    "MilestoneKind",
    "Role",
    "SortDirection",
    "StoryKind",
    "StoryStatus",
    "TShirtSize",
]

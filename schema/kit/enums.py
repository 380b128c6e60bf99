"""The domain enums, exposed under stable GraphQL names with descriptions."""

from __future__ import annotations

import enum

import strawberry

from services.core import enums
from services.core.enums import (
    AgendaStep,
    ComponentKind,
    DependencyType,
    EnablerType,
    FeatureKind,
    FeatureState,
    FollowUpKind,
    IterationKind,
    MilestoneKind,
    ReadyRule,
    RefinementEventKind,
    Role,
    SessionStatus,
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
strawberry.enum(
    enums.SessionStatus,
    description="A refinement session is SCHEDULED, IN_PROGRESS, CLOSED (held) or CANCELLED.",
)
strawberry.enum(
    enums.AgendaStep,
    description="The steps of refining an agenda item: CLARIFY business value and technical "
    "assumptions, update ACCEPTANCE_CRITERIA, ESTIMATE, record TECHNICAL_DETAILS, FLAG "
    "blocked or incomplete, create a SPIKE for an unknown.",
)
strawberry.enum(
    enums.FollowUpKind,
    description="Why an item was flagged: BLOCKED, INCOMPLETE, or an open QUESTION.",
)
strawberry.enum(
    enums.ReadyRule,
    description="A rule of a Definition of Ready (feature rules and story rules; see "
    "Art.definitionOfReady for each ART's choice).",
)
strawberry.enum(enums.RefinementEventKind, description="What happened in a refinement session.")


@strawberry.enum(description="Sort direction.")
class SortDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


__all__ = [
    "AgendaStep",
    "ComponentKind",
    "DependencyType",
    "EnablerType",
    "FeatureKind",
    "FeatureState",
    "FollowUpKind",
    "IterationKind",
    "MilestoneKind",
    "ReadyRule",
    "RefinementEventKind",
    "Role",
    "SessionStatus",
    "SortDirection",
    "StoryKind",
    "StoryStatus",
    "TShirtSize",
]

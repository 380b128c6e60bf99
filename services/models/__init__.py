"""SQLAlchemy 2 typed models of the planning model (no relationships: reads are explicit)."""

from services.core.base import Base, Editable, utcnow
from services.models.access import ApiToken, HistoryEntry, SignInFailure, WebSession
from services.models.org import Art, Membership, Person, Team
from services.models.planning import Iteration, Milestone, PlanningInterval
from services.models.refinement import (
    AgendaItem,
    FollowUp,
    RefinementEvent,
    RefinementSchedule,
    RefinementSession,
    SessionParticipant,
)
from services.models.work import (
    Component,
    Dependency,
    Feature,
    FeatureComponent,
    Story,
    StoryComponent,
    TeamCapacity,
    node_of,
)

__all__ = [
    "AgendaItem",
    "ApiToken",
    "Art",
    "Base",
    "Component",
    "Dependency",
    "Editable",
    "Feature",
    "FeatureComponent",
    "FollowUp",
    "HistoryEntry",
    "Iteration",
    "Membership",
    "Milestone",
    "Person",
    "PlanningInterval",
    "RefinementEvent",
    "RefinementSchedule",
    "RefinementSession",
    "SessionParticipant",
    "SignInFailure",
    "Story",
    "StoryComponent",
    "Team",
    "TeamCapacity",
    "WebSession",
    "node_of",
    "utcnow",
]

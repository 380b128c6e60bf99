"""SQLAlchemy 2 typed models of the planning model (no relationships: reads are explicit)."""

from services.models.base import Base, Editable, utcnow
from services.models.org import Art, Membership, Person, Team
from services.models.planning import Iteration, Milestone, PlanningInterval
from services.models.work import (
    Component,
    Dependency,
    Feature,
    FeatureComponent,
    Story,
    StoryComponent,
)

__all__ = [
    "Art",
    "Base",
    "Component",
    "Dependency",
    "Editable",
    "Feature",
    "FeatureComponent",
    "Iteration",
    "Membership",
    "Milestone",
    "Person",
    "PlanningInterval",
    "Story",
    "StoryComponent",
    "Team",
    "utcnow",
]

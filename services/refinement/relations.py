"""Refinement's nested lists: sessions, their events and follow-ups."""

from __future__ import annotations

from services.core.relations import Relation, by
from services.models import (
    FollowUp,
    RefinementEvent,
    RefinementSession,
)
from services.refinement import reads as refinement

ART_REFINEMENT_SESSIONS = Relation(
    "art.refinementSessions",
    RefinementSession,
    by(RefinementSession.art_id),
    refinement.session_conditions,
)


TEAM_REFINEMENT_SESSIONS = Relation(
    "team.refinementSessions",
    RefinementSession,
    by(RefinementSession.team_id),
    refinement.session_conditions,
)


SESSION_EVENTS = Relation(
    "refinementSession.events",
    RefinementEvent,
    by(RefinementEvent.session_id),
    refinement.event_conditions,
)


ART_FOLLOW_UPS = Relation(
    "art.followUps", FollowUp, by(FollowUp.art_id), refinement.follow_up_conditions
)


TEAM_FOLLOW_UPS = Relation(
    "team.followUps", FollowUp, by(FollowUp.team_id), refinement.follow_up_conditions
)


SESSION_FOLLOW_UPS = Relation(
    "refinementSession.followUps",
    FollowUp,
    by(FollowUp.session_id),
    refinement.follow_up_conditions,
)

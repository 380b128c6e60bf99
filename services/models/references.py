"""Which recorded field refers to which row. The history keeps a change's values as they were
written, references as database ids; the API shows each as the global id of the node it names
(schema/history/types.py), old entries included. Every foreign key of an editable (audited)
model is listed here, and a test fails when one is missing or names another table
(tests/schema/history/test_references.py), so a new reference cannot leak a raw id.
"""

from __future__ import annotations

from services.core.base import Base
from services.models.org import Art, Person, Team
from services.models.planning import Iteration, PlanningInterval
from services.models.refinement import FollowUp, RefinementSchedule, RefinementSession
from services.models.work import Component, Feature, Story

# Field (column, or a change noted beside the row's columns) -> the model of the row it names.
REFERENCES: dict[str, type[Base]] = {
    "art_id": Art,
    "person_id": Person,
    "team_id": Team,
    "owning_team_id": Team,
    "owner_id": Person,
    "facilitator_id": Person,
    "planning_interval_id": PlanningInterval,
    "iteration_id": Iteration,
    "needed_by_iteration_id": Iteration,
    "feature_id": Feature,
    "story_id": Story,
    "spike_for_story_id": Story,
    "dependent_feature_id": Feature,
    "dependent_story_id": Story,
    "prerequisite_feature_id": Feature,
    "prerequisite_story_id": Story,
    "dependent_art_id": Art,
    "prerequisite_art_id": Art,
    "schedule_id": RefinementSchedule,
    "session_id": RefinementSession,
    # Lists of ids: the components an item touches (noted by services/work/components.py),
    # the people invited to a team's refinement.
    "component_ids": Component,
    "invitee_ids": Person,
    # Noted on a refinement session (services/refinement/): who takes part, its agenda in
    # order and what it covered, stories at team level and features at the ART's.
    "participant_ids": Person,
    "agenda_story_ids": Story,
    "agenda_feature_ids": Feature,
    "covered_story_ids": Story,
    "covered_feature_ids": Feature,
}

# A closed refinement session's summary (services/refinement/closing.py): entry -> the model
# its ids name; None for the session's items, stories at team level and features at the ART's.
SUMMARY_REFERENCES: dict[str, type[Base] | None] = {
    "agenda": None,
    "covered": None,
    "estimated": None,
    "became_ready": None,
    "flagged": None,
    "left_over": None,
    "spikes_created": Story,
    "follow_ups": FollowUp,
    "rolled_to_session": RefinementSession,
}

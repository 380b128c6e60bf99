"""The guard rails of a refinement session (services/DOMAIN.md, from the article's pitfalls)."""

from __future__ import annotations

from services.core.enums import Role

# A team's technical refinement is time-boxed to 60-90 minutes; the ART's program backlog
# refinement (several teams' worth of features) may take up to three hours.
TEAM_TIMEBOX = (60, 90)
ART_TIMEBOX = (60, 180)
# 5-8 stories per session; more needs an override with a reason.
AGENDA_SIZE = (5, 8)
# Time a story takes to refine, for the proposed agenda: 60 minutes hold 6, 90 hold 8.
MINUTES_PER_ITEM = 10
# Whoever of these attends makes a team session technically represented.
TECHNICAL_ROLES = frozenset({Role.DEVELOPER, Role.TECH_LEAD})
# A team without a held session in this many days is flagged as skipping refinement.
SKIP_DAYS = 7


def proposed_size(timebox_minutes: int) -> int:
    low, high = AGENDA_SIZE
    return max(low, min(high, timebox_minutes // MINUTES_PER_ITEM))

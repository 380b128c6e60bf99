"""How refinement lists are sorted and filtered when the API pages through them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement

from services.core import filters
from services.core.enums import FollowUpKind, SessionStatus
from services.core.filters import Match
from services.core.pagination import Ordering
from services.models import FollowUp, RefinementEvent, RefinementSession

# Newest first: the next session, then the ones held before it.
SESSION_ORDER = Ordering(
    "refinement_session_start_desc",
    ((RefinementSession.starts_at, True), (RefinementSession.id, True)),
)
EVENT_ORDER = Ordering("refinement_event", ((RefinementEvent.id, False),))
FOLLOW_UP_ORDER = Ordering("follow_up_due", ((FollowUp.due_on, False), (FollowUp.id, False)))


@dataclass(frozen=True, slots=True)
class SessionFilter:
    status: Match[SessionStatus] | None = None
    # True: the ART's program backlog refinement only; False: teams' sessions only.
    art_level: bool | None = None
    archived: bool | None = False


@dataclass(frozen=True, slots=True)
class FollowUpFilter:
    open: bool | None = True
    kind: Match[FollowUpKind] | None = None
    archived: bool | None = False


def session_conditions(f: SessionFilter | None) -> list[ColumnElement[bool]]:
    f = f or SessionFilter()
    out = [
        *filters.match(RefinementSession.status, f.status, "status"),
        *filters.archived(RefinementSession.archived_at, f.archived),
    ]
    if f.art_level is not None:
        team = RefinementSession.team_id
        out.append(team.is_(None) if f.art_level else team.is_not(None))
    return out


def follow_up_conditions(f: FollowUpFilter | None) -> list[ColumnElement[bool]]:
    f = f or FollowUpFilter()
    out = [
        *filters.match(FollowUp.kind, f.kind, "kind"),
        *filters.archived(FollowUp.archived_at, f.archived),
    ]
    if f.open is not None:
        out.append(FollowUp.done_at.is_(None) if f.open else FollowUp.done_at.is_not(None))
    return out


def event_conditions(_: object) -> list[ColumnElement[bool]]:
    return []

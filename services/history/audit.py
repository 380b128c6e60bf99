"""The change history: every write to an editable row records who, when, which fields, old
and new values. A session listener does it for every flush, so no use case can forget; a
write from a session without a bound actor is refused.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, event, insert, inspect, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction

from services.core.enums import HistoryAction
from services.core.filters import Match, match
from services.core.pagination import Ordering
from services.models import (
    Art,
    Component,
    Dependency,
    Editable,
    Feature,
    FollowUp,
    HistoryEntry,
    Iteration,
    Membership,
    Milestone,
    PlanningInterval,
    RefinementSchedule,
    RefinementSession,
    Story,
    Team,
    TeamCapacity,
)

ACTOR_KEY = "trainyard_actor"
EXTRA_KEY = "trainyard_extra_changes"
REASON_KEY = "trainyard_change_reasons"
# Bookkeeping columns that change on every write and say nothing about the change.
SKIPPED = frozenset(
    {
        "id",
        "created_at",
        "updated_at",
        "version",
        "archived_at",
        "wsjf_sort",
        "plan_version",
        "dependent_node",
        "prerequisite_node",
    }
)
SECRET = frozenset({"password_hash"})
# Rows that are not part of the plan: writing them leaves the plan version (and the cached
# analyses) alone.
NOT_PLAN = frozenset({"RefinementSchedule", "RefinementSession", "FollowUp"})
HISTORY_ORDER = Ordering("history_desc", ((HistoryEntry.id, True),))


class Attributed(Protocol):
    """Whom a write is attributed to: the request's actor (services.access.permissions.Actor)
    has these, so the history needs nothing else of access."""

    @property
    def person_id(self) -> int | None: ...

    @property
    def token_id(self) -> int | None: ...

    @property
    def label(self) -> str: ...


class UnattributedWriteError(RuntimeError):
    """A session wrote plan data without saying on whose behalf."""


def bind(session: AsyncSession, actor: Attributed) -> None:
    """Attribute every later write of this session (transaction) to `actor`."""
    session.info[ACTOR_KEY] = actor


def note(session: AsyncSession, row: Editable, field: str, old: Any, new: Any) -> None:
    """A change the ORM cannot see on the row itself (e.g. the components it touches)."""
    if old != new:
        extra = session.info.setdefault(EXTRA_KEY, {})
        extra.setdefault((type(row), row.id), {})[field] = {"old": _json(old), "new": _json(new)}


def give_reason(session: AsyncSession, row: Editable, reason: str) -> None:
    """Why the row's next recorded change is made (e.g. a feature moved back on the ART
    Kanban); the history entry of that change keeps it."""
    session.info.setdefault(REASON_KEY, {})[(type(row), row.id)] = reason


def _json(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    return value


def _scope(session: Session, row: Editable) -> tuple[int | None, int | None]:
    """(ART, team) a row belongs to, for the ART-wide activity feed and its filters."""
    if isinstance(row, Art):
        return row.id, None
    if isinstance(row, Feature):
        return row.art_id, row.owning_team_id
    if isinstance(row, Story):
        team = session.get(Team, row.team_id)
        return (team.art_id if team else None), row.team_id
    if isinstance(row, Team):
        return row.art_id, row.id
    if isinstance(row, PlanningInterval):
        return row.art_id, None
    if isinstance(row, Iteration | Milestone):
        pi = session.get(PlanningInterval, row.planning_interval_id)
        return (pi.art_id if pi else None), None
    if isinstance(row, Component):
        return row.art_id, row.owning_team_id
    if isinstance(row, Dependency):
        return row.dependent_art_id, None
    if isinstance(row, TeamCapacity):
        team = session.get(Team, row.team_id)
        return (team.art_id if team else None), row.team_id
    if isinstance(row, RefinementSchedule):
        team = session.get(Team, row.team_id)
        return (team.art_id if team else None), row.team_id
    if isinstance(row, RefinementSession | FollowUp):
        return row.art_id, row.team_id
    if isinstance(row, Membership):
        if row.team_id is not None:
            team = session.get(Team, row.team_id)
            return (team.art_id if team else None), row.team_id
        return row.art_id, None
    art_id = getattr(row, "art_id", None)
    return art_id, None


def _changes(row: Editable, created: bool) -> tuple[HistoryAction, dict[str, Any]]:
    state = inspect(row)
    changes: dict[str, Any] = {}
    action = HistoryAction.CREATE if created else HistoryAction.UPDATE
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in SKIPPED:
            if key == "archived_at" and not created:
                history = state.attrs[key].history
                if history.added and history.added[0] is not None:
                    action = HistoryAction.ARCHIVE
            continue
        if created:
            value = getattr(row, key)
            if value is not None and value != "" and value != [] and value != {}:
                changes[key] = {"old": None, "new": "(set)" if key in SECRET else _json(value)}
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old != new:
            if key in SECRET:
                changes[key] = {"old": "(hidden)", "new": "(changed)"}
            else:
                changes[key] = {"old": _json(old), "new": _json(new)}
    return action, changes


@event.listens_for(Session, "after_flush")
def _record(session: Session, _flush: UOWTransaction) -> None:
    written = [r for r in (*session.new, *session.dirty) if isinstance(r, Editable)]
    if not written:
        return
    actor: Attributed | None = session.info.get(ACTOR_KEY)
    if actor is None:
        raise UnattributedWriteError(
            "a write without a bound actor; call services.history.audit.bind(session, actor) first"
        )
    extra: dict[tuple[type, int], dict[str, Any]] = session.info.pop(EXTRA_KEY, {})
    # Left in place for rows this flush does not write: their change is still to come.
    reasons: dict[tuple[type, int], str] = session.info.get(REASON_KEY, {})
    rows: list[dict[str, Any]] = []
    now = dt.datetime.now(dt.UTC)
    for row in written:
        created = row in session.new
        action, changes = _changes(row, created)
        changes.update(extra.pop((type(row), row.id), {}))
        if not changes and action is HistoryAction.UPDATE:
            continue
        reason = reasons.pop((type(row), row.id), None)
        art_id, team_id = _scope(session, row)
        rows.append(
            {
                "at": now,
                "actor_id": actor.person_id,
                "token_id": actor.token_id,
                "actor_label": actor.label,
                "entity_type": type(row).__name__,
                "entity_id": row.id,
                "art_id": art_id,
                "team_id": team_id,
                "action": action,
                "version": row.version,
                "changes": changes,
                "reason": reason,
            }
        )
    if rows:
        session.connection().execute(insert(HistoryEntry), rows)
        # Every ART whose plan changed (both ends of a cross-ART dependency) gets a new plan
        # version: analyses are cached per version (services.analysis.plans).
        arts = {
            r["art_id"]
            for r in rows
            if r["art_id"] is not None and r["entity_type"] not in NOT_PLAN
        }
        arts |= {w.prerequisite_art_id for w in written if isinstance(w, Dependency)}
        if arts:
            # Bookkeeping, not a change of the ART: its updated_at (an onupdate column) stays.
            session.connection().execute(
                update(Art)
                .where(Art.id.in_(sorted(arts)))
                .values(plan_version=Art.plan_version + 1, updated_at=Art.updated_at)
            )


@dataclass(frozen=True, slots=True)
class ActivityFilter:
    """The activity feed's filter: who changed it, the item's team and type (e.g. Story),
    and when."""

    person: Match[int] | None = None
    team: Match[int] | None = None
    item_type: Match[str] | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def activity_conditions(f: ActivityFilter) -> list[ColumnElement[bool]]:
    out = [
        *match(HistoryEntry.actor_id, f.person, "person"),
        *match(HistoryEntry.team_id, f.team, "team"),
        *match(HistoryEntry.entity_type, f.item_type, "item_type"),
    ]
    if f.since is not None:
        out.append(HistoryEntry.at >= f.since)
    if f.until is not None:
        out.append(HistoryEntry.at < f.until)
    return out


async def entries_of(
    session: AsyncSession, entity_type: str, entity_ids: Sequence[int]
) -> list[HistoryEntry]:
    return list(
        await session.scalars(
            select(HistoryEntry)
            .where(HistoryEntry.entity_type == entity_type, HistoryEntry.entity_id.in_(entity_ids))
            .order_by(HistoryEntry.id)
        )
    )

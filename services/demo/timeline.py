"""Writing demo history through the use cases as if it happened in the past.

The use cases stamp their rows with the time they run. A Timeline runs the demo's steps in the
order of their (past) times and remembers, per step, which timestamps the step wrote; at the
end it moves each of them, the log entries and the change history of the step, to the step's
time. The rows, the session log and the audit history then tell the same story, in order.

Moving is done with plain UPDATE statements (and the loaded objects told so), so it neither
bumps row versions nor writes history of its own.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from sqlalchemy import Table, and_, bindparam, case, event, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.attributes import set_committed_value

from services.core.enums import HistoryAction
from services.models import (
    AgendaItem,
    Art,
    Component,
    Dependency,
    Feature,
    FollowUp,
    HistoryEntry,
    Iteration,
    Membership,
    Milestone,
    Person,
    PlanningInterval,
    RefinementEvent,
    RefinementSchedule,
    RefinementSession,
    Story,
    Team,
    utcnow,
)

Step = Callable[[], Awaitable[None]]  # one thing that happened, written through the use cases
# The columns the use cases stamp with the time they run, per model.
STAMPED: dict[type[Any], tuple[str, ...]] = {
    RefinementSchedule: ("created_at", "updated_at"),
    RefinementSession: ("created_at", "updated_at", "started_at", "closed_at"),
    AgendaItem: ("discussion_started_at", "covered_at"),
    RefinementEvent: ("at",),
    FollowUp: ("created_at", "updated_at", "done_at"),
    Story: ("created_at", "updated_at", "first_ready_at"),
    Feature: ("updated_at", "refined_at", "dependencies_identified_at"),
}
PLAN_MODELS = (
    Art,
    Team,
    Person,
    Membership,
    PlanningInterval,
    Iteration,
    Milestone,
    Component,
    Feature,
    Story,
    Dependency,
)


class Timeline:
    """Steps at past times, run in time order (steps at the same time in the order given)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.started = utcnow()
        self._steps: list[tuple[dt.datetime, int, Step]] = []  # a heap
        self._added = 0
        self._touched: dict[int, object] = {}
        self._seen: dict[tuple[type[Any], int, str], dt.datetime] = {}
        self._past: dict[str, str] = {}  # a stamp as the history records it: its past time
        self._moved: dict[tuple[type[Any], int], dict[str, dt.datetime]] = {}
        self._ran_until: list[tuple[dt.datetime, dt.datetime]] = []  # (real end, its time)
        self._history: tuple[int, int] = (0, 0)  # ids of the history entries the steps wrote

    def at(self, when: dt.datetime, step: Step) -> None:
        """Run `step` at `when` (a step may add later steps)."""
        if self._ran_until and when < self._ran_until[-1][1]:
            raise ValueError(f"a step at {when} is added after the timeline passed it")
        heapq.heappush(self._steps, (when, self._added, step))
        self._added += 1

    def _collect(self, session: Session, _flush: UOWTransaction) -> None:
        for row in (*session.new, *session.dirty):
            if type(row) in STAMPED:
                self._touched[id(row)] = row

    async def run(self) -> None:
        """Run every step; then move what each stamped, and its history, to the step's time."""
        before = await last_history_id(self.session)
        sync = self.session.sync_session
        event.listen(sync, "after_flush", self._collect)
        try:
            while self._steps:
                when, _, step = heapq.heappop(self._steps)
                await step()
                await self.session.flush()
                self._record(when)
        finally:
            event.remove(sync, "after_flush", self._collect)
        self._history = (before, await last_history_id(self.session))
        await self._move_rows()
        await self._move_history()

    def _record(self, when: dt.datetime) -> None:
        now = utcnow()  # what the use cases stamped lies between the start and now
        for row in self._touched.values():
            model = type(row)
            state: dict[str, Any] = row.__dict__
            for column in STAMPED[model]:
                value = state.get(column)
                key = (model, state["id"], column)
                if value is None or not self.started <= value <= now:
                    continue
                if self._seen.get(key) != value:
                    self._seen[key] = value
                    self._past[value.isoformat()] = when.isoformat()
                    self._moved.setdefault((model, state["id"]), {})[column] = when
        self._touched.clear()
        if self._ran_until and self._ran_until[-1][1] == when:
            self._ran_until[-1] = (now, when)  # one window for steps at the same time
        else:
            self._ran_until.append((now, when))

    async def _move_rows(self) -> None:
        by_columns: dict[tuple[type[Any], tuple[str, ...]], list[dict[str, Any]]] = {}
        for (model, row_id), columns in self._moved.items():
            names = tuple(sorted(columns))
            by_columns.setdefault((model, names), []).append({"row_id": row_id, **columns})
        for (model, names), rows in by_columns.items():
            await set_columns(self.session, model, names, rows)

    async def _move_history(self) -> None:
        """Each history entry a step wrote gets the step's time."""
        if not self._ran_until:
            return
        windows = []
        since = self.started
        for real_end, when in self._ran_until:
            window = and_(HistoryEntry.at >= since, HistoryEntry.at <= real_end)
            windows.append((window, literal(when, HistoryEntry.at.type)))
            since = real_end
        first, last = self._history
        await self.session.execute(
            update(HistoryEntry)
            .where(HistoryEntry.id > first, HistoryEntry.id <= last)
            .values(at=case(*windows, else_=HistoryEntry.at)),
            execution_options={"synchronize_session": False},
        )

    async def rewrite_history(self, values: dict[tuple[str, int, str], Any]) -> None:
        """Put the past times, and the given new values of (entity type, id, field), into the
        changes the steps' history entries record."""

        def fix(value: Any) -> Any:
            return self._past.get(value, value) if isinstance(value, str) else value

        first, last = self._history
        rows = []
        for entry_id, entity_type, entity_id, changes in await self.session.execute(
            select(
                HistoryEntry.id,
                HistoryEntry.entity_type,
                HistoryEntry.entity_id,
                HistoryEntry.changes,
            ).where(HistoryEntry.id > first, HistoryEntry.id <= last)
        ):
            fixed = {
                name: {
                    "old": fix(change["old"]),
                    "new": values.get((entity_type, entity_id, name), fix(change["new"])),
                }
                for name, change in changes.items()
            }
            if fixed != changes:
                rows.append({"row_id": entry_id, "changes": fixed})
        if rows:
            await set_columns(self.session, HistoryEntry, ("changes",), rows)


async def set_columns(
    session: AsyncSession, model: type[Any], names: Iterable[str], rows: list[dict[str, Any]]
) -> None:
    """Set columns of rows by id, without a version bump or history; loaded objects follow."""
    names = tuple(names)
    table: Table = model.__table__
    stmt = (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({name: bindparam(f"v_{name}") for name in names})
    )
    connection = await session.connection()
    await connection.execute(
        stmt, [{"row_id": r["row_id"], **{f"v_{n}": r[n] for n in names}} for r in rows]
    )
    rows_loaded: Iterable[Any] = session.identity_map.values()
    loaded = {row.id: row for row in rows_loaded if type(row) is model}
    for values in rows:
        row = loaded.get(values["row_id"])
        if row is not None:
            for name in names:
                set_committed_value(row, name, values[name])


async def last_history_id(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.max(HistoryEntry.id))) or 0)


async def backdate_plan(
    session: AsyncSession, after_history_id: int, since: dt.datetime, at: dt.datetime
) -> None:
    """Date the rows the seed created since `since` (its history, after the given entry, names
    them) and that history to `at`."""
    await session.execute(
        update(HistoryEntry)
        .where(HistoryEntry.id > after_history_id, HistoryEntry.at >= since)
        .values(at=at),
        execution_options={"synchronize_session": False},
    )
    created = (
        select(HistoryEntry.entity_type, HistoryEntry.entity_id)
        .where(HistoryEntry.id > after_history_id, HistoryEntry.action == HistoryAction.CREATE)
        .where(HistoryEntry.entity_type.in_([m.__name__ for m in PLAN_MODELS]))
    )
    by_model: dict[str, list[dict[str, Any]]] = {}
    for entity_type, entity_id in await session.execute(created):
        by_model.setdefault(entity_type, []).append(
            {"row_id": entity_id, "created_at": at, "updated_at": at}
        )
    for model in PLAN_MODELS:
        if model.__name__ in by_model:
            await set_columns(
                session, model, ("created_at", "updated_at"), by_model[model.__name__]
            )

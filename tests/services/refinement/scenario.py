"""The refinement part of the permission-matrix scenario: sessions of team ATL and of the ART
PAY in each state a row needs, and one spare of each per actor column."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from services.core.enums import FollowUpKind
from services.models import utcnow
from services.refinement import agenda, followups, sessions
from services.refinement import run as running
from services.refinement.followups import FlagDraft
from services.refinement.sessions import SessionDraft

if TYPE_CHECKING:
    from services.access.permissions import Actor
    from tests.services.access.permission_scenario import Scenario

WHEN = dt.datetime(2027, 1, 12, 9, 0, tzinfo=dt.UTC)


async def _session(
    s: AsyncSession, actor: Actor, sc: Scenario, name: str, *, team: bool, start: bool
) -> None:
    draft = SessionDraft(
        team_id=sc.ids["ATL"] if team else None,
        art_id=None if team else sc.ids["PAY"],
        starts_at=WHEN,
        timebox_minutes=60,
    )
    made = await sessions.create_session(s, actor, draft)
    item = sc.ids["S_ATL"] if team else sc.ids["F"]
    made = await agenda.set_agenda(s, actor, made.id, made.version, [item], None)
    if start:
        made = await running.start_session(s, actor, made.id, made.version)
    sc.add(name, "RefinementSession", made.id)


async def add(s: AsyncSession, actor: Actor, sc: Scenario, columns: int) -> None:
    await _session(s, actor, sc, "SESSION_ATL", team=True, start=False)
    await _session(s, actor, sc, "RUN_ATL", team=True, start=True)
    await _session(s, actor, sc, "RUN_ART", team=False, start=True)
    for i in range(columns):
        await _session(s, actor, sc, f"SESSION_ATL_{i}", team=True, start=False)
        await _session(s, actor, sc, f"RUN_ATL_{i}", team=True, start=True)
        await _session(s, actor, sc, f"SESSION_ART_{i}", team=False, start=False)
        draft = FlagDraft(
            story_id=sc.ids["S_ATL"],
            kind=FollowUpKind.QUESTION,
            note="Which API?",
            owner_id=sc.ids["T"],
            due_on=utcnow().date() + dt.timedelta(days=30),
        )
        follow_up = await followups.flag_item(s, actor, draft)
        sc.add(f"FOLLOW_UP_{i}", "FollowUp", follow_up.id)

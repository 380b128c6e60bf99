"""ARTs: create, update, archive, and the filters of the ART list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import filters, records, validation
from services.core.errors import ErrorCode, Problems
from services.core.pagination import Ordering
from services.models import Art, Feature, PlanningInterval, Team

ART_ORDER = Ordering("art_key", ((Art.key, False), (Art.id, False)))
FIELDS = frozenset({"key", "name", "description"})


async def _clean(
    session: AsyncSession, values: Mapping[str, Any], current: Art | None
) -> dict[str, Any]:
    assert set(values) <= FIELDS, f"unexpected fields {set(values) - FIELDS}"
    problems = Problems()
    out: dict[str, Any] = {}
    if "key" in values or current is None:
        key = validation.text(problems, "key", values.get("key"), max_len=10, required=True)
        key = validation.pattern(
            problems,
            "key",
            key,
            validation.ART_KEY_RE,
            "2-10 capital letters or digits, starting with a letter (e.g. PAY)",
        )
        if key is not None and (current is None or key != current.key):
            if await session.scalar(select(Art.id).where(Art.key == key)) is not None:
                problems.add(
                    ErrorCode.DUPLICATE_KEY, f"An ART with key {key} already exists.", "key"
                )
        out["key"] = key
    if "name" in values or current is None:
        out["name"] = validation.text(
            problems, "name", values.get("name"), max_len=validation.NAME_MAX, required=True
        )
    if "description" in values:
        out["description"] = validation.text(
            problems, "description", values["description"] or "", max_len=validation.LONG_TEXT_MAX
        )
    problems.raise_if_any()
    return out


async def create_art(session: AsyncSession, actor: Actor, values: Mapping[str, Any]) -> Art:
    permissions.require(actor, Action.CREATE_ART)
    cleaned = await _clean(session, values, None)
    art = Art(**{"description": "", **cleaned})
    session.add(art)
    await records.flush(session, art, "ART")
    return art


async def update_art(
    session: AsyncSession, actor: Actor, art_id: int, version: int, values: Mapping[str, Any]
) -> Art:
    permissions.require_write(actor)
    art = await records.load(session, Art, art_id, "ART")
    permissions.require(actor, Action.UPDATE_ART, art_id=art.id, where=f"in ART {art.key}")
    records.check_version(art, version, "ART")
    for name, value in (await _clean(session, values, art)).items():
        setattr(art, name, value)
    await records.flush(session, art, "ART")
    return art


async def archive_art(session: AsyncSession, actor: Actor, art_id: int, version: int) -> Art:
    permissions.require(actor, Action.ARCHIVE_ART)
    art = await records.load(session, Art, art_id, "ART")
    records.check_version(art, version, "ART")
    records.ensure_unused(
        [
            (await records.count_active(session, Team, Team.art_id == art_id), "teams"),
            (await records.count_active(session, Feature, Feature.art_id == art_id), "features"),
            (
                await records.count_active(
                    session, PlanningInterval, PlanningInterval.art_id == art_id
                ),
                "planning intervals",
            ),
        ],
        f"ART {art.key}",
    )
    await records.archive(session, art, version, "ART")
    return art


def art_conditions(archived: bool | None = False) -> list[ColumnElement[bool]]:
    return filters.archived(Art.archived_at, archived)

"""ARTs: create, update, archive, and the filters of the ART list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import filters, reads, records, validation
from services.core.errors import ErrorCode, Problems
from services.core.inputs import UNSET, Maybe
from services.core.pagination import Ordering
from services.models import Art, Feature, PlanningInterval, Team

ART_ORDER = Ordering("art_key", ((Art.key, False), (Art.id, False)))


@dataclass(frozen=True, slots=True)
class ArtDraft:
    """A new ART."""

    key: str
    name: str
    description: Maybe[str | None] = UNSET


@dataclass(frozen=True, slots=True)
class ArtChanges:
    """Changes to an ART; UNSET fields stay as they are."""

    key: Maybe[str | None] = UNSET
    name: Maybe[str | None] = UNSET
    description: Maybe[str | None] = UNSET


async def _clean(
    session: AsyncSession, changes: ArtChanges, current: Art | None
) -> dict[str, object]:
    problems = Problems()
    out: dict[str, object] = {}
    if changes.key is not UNSET:
        key = validation.text(problems, "key", changes.key, max_len=10, required=True)
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
    if changes.name is not UNSET:
        out["name"] = validation.text(
            problems, "name", changes.name, max_len=validation.NAME_MAX, required=True
        )
    if changes.description is not UNSET:
        out["description"] = validation.text(
            problems, "description", changes.description or "", max_len=validation.LONG_TEXT_MAX
        )
    problems.raise_if_any()
    return out


async def create_art(session: AsyncSession, actor: Actor, draft: ArtDraft) -> Art:
    permissions.require(actor, Action.CREATE_ART)
    changes = ArtChanges(key=draft.key, name=draft.name, description=draft.description)
    cleaned = await _clean(session, changes, None)
    art = Art(**{"description": "", **cleaned})
    session.add(art)
    await records.flush(session, art, "ART")
    return art


async def update_art(
    session: AsyncSession, actor: Actor, art_id: int, version: int, changes: ArtChanges
) -> Art:
    permissions.require_write(actor)
    art = await records.load(session, Art, art_id, "ART")
    permissions.require(actor, Action.UPDATE_ART, art_id=art.id, where=f"in ART {art.key}")
    records.check_version(art, version, "ART")
    for name, value in (await _clean(session, changes, art)).items():
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


@dataclass(frozen=True, slots=True)
class ArtFilter:
    key: filters.Match[str] | None = None
    name: filters.Match[str] | None = None
    archived: bool | None = False


def art_list_conditions(f: ArtFilter) -> list[ColumnElement[bool]]:
    """The portfolio's list of ARTs, filtered."""
    return [
        *filters.match(Art.key, f.key, "key"),
        *filters.match(Art.name, f.name, "name"),
        *art_conditions(f.archived),
    ]


async def art_row_by_key(session: AsyncSession, key: str) -> Row[Any] | None:
    """The ART with this key (surrounding blanks ignored), as a row of all its columns; none
    for a key no ART can have (services.core.validation.storable)."""
    if not validation.storable(key):
        return None
    stmt = select(*reads.columns_of(Art)).where(Art.key == key.strip())
    return (await session.execute(stmt)).first()

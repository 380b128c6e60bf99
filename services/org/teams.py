"""Teams of an ART: create, update, archive, list filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import filters, records, refs, validation
from services.core.enums import TShirtSize
from services.core.errors import ErrorCode, Problems
from services.core.pagination import Ordering
from services.core.scales import STORY_POINT_SCALE, scale_text
from services.models import Art, Component, Feature, Story, Team

TEAM_ORDER = Ordering("team_key", ((Team.key, False), (Team.id, False)))
FIELDS = frozenset({"key", "name", "description", "is_shared_services", "tshirt_points"})


@dataclass(frozen=True, slots=True)
class TeamFilter:
    key: filters.Match[str] | None = None
    name: filters.Match[str] | None = None
    is_shared_services: bool | None = None
    archived: bool | None = False


def team_conditions(f: TeamFilter) -> list[ColumnElement[bool]]:
    out = [
        *filters.match(Team.key, f.key, "key"),
        *filters.match(Team.name, f.name, "name"),
        *filters.archived(Team.archived_at, f.archived),
    ]
    if f.is_shared_services is not None:
        out.append(Team.is_shared_services == f.is_shared_services)
    return out


def _clean_tshirt(problems: Problems, raw: Mapping[str, int] | None) -> dict[str, int] | None:
    """A team's t-shirt scale: every size mapped to points, growing with the size."""
    if raw is None:
        return {}
    sizes = [s.value for s in TShirtSize]
    if set(raw) != set(sizes):
        problems.add(
            ErrorCode.INVALID_VALUE,
            f"tshirtPoints must map exactly the sizes {', '.join(sizes)}.",
            "tshirt_points",
        )
        return None
    ordered = [raw[s] for s in sizes]
    if any(p not in STORY_POINT_SCALE for p in ordered) or ordered != sorted(set(ordered)):
        problems.add(
            ErrorCode.OUT_OF_SCALE,
            "tshirtPoints must use story points from "
            f"{scale_text(STORY_POINT_SCALE)}, strictly growing from XS to XL.",
            "tshirt_points",
        )
        return None
    return {s: raw[s] for s in sizes}


async def _clean(
    session: AsyncSession, art_id: int, values: Mapping[str, Any], current: Team | None
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
            "2-10 capital letters or digits, starting with a letter (e.g. ATL)",
        )
        if key is not None and (current is None or key != current.key):
            taken = await session.scalar(
                select(Team.id).where(Team.art_id == art_id, Team.key == key)
            )
            if taken is not None:
                problems.add(
                    ErrorCode.DUPLICATE_KEY, f"This ART already has a team with key {key}.", "key"
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
    if "is_shared_services" in values:
        out["is_shared_services"] = bool(values["is_shared_services"])
    if "tshirt_points" in values:
        out["tshirt_points"] = _clean_tshirt(problems, values["tshirt_points"])
    problems.raise_if_any()
    return out


async def create_team(
    session: AsyncSession, actor: Actor, art_id: int, values: Mapping[str, Any]
) -> Team:
    permissions.require_write(actor)
    problems = Problems()
    art = await refs.resolve(session, problems, Art, art_id, "ART", "art_id")
    problems.raise_if_any()
    assert art is not None
    permissions.require(actor, Action.MANAGE_TEAMS, art_id=art.id, where=f"in ART {art.key}")
    cleaned = await _clean(session, art_id, values, None)
    team = Team(
        art_id=art_id,
        **{"description": "", "is_shared_services": False, "tshirt_points": {}, **cleaned},
    )
    session.add(team)
    await records.flush(session, team, "Team")
    return team


async def update_team(
    session: AsyncSession, actor: Actor, team_id: int, version: int, values: Mapping[str, Any]
) -> Team:
    permissions.require_write(actor)
    team = await records.load(session, Team, team_id, "team")
    permissions.require(actor, Action.MANAGE_TEAMS, art_id=team.art_id, where=f"(team {team.key})")
    records.check_version(team, version, "Team")
    for name, value in (await _clean(session, team.art_id, values, team)).items():
        setattr(team, name, value)
    await records.flush(session, team, "Team")
    return team


async def archive_team(session: AsyncSession, actor: Actor, team_id: int, version: int) -> Team:
    permissions.require_write(actor)
    team = await records.load(session, Team, team_id, "team")
    permissions.require(actor, Action.MANAGE_TEAMS, art_id=team.art_id, where=f"(team {team.key})")
    records.check_version(team, version, "Team")
    records.ensure_unused(
        [
            (await records.count_active(session, Story, Story.team_id == team_id), "stories"),
            (
                await records.count_active(session, Feature, Feature.owning_team_id == team_id),
                "owned features",
            ),
            (
                await records.count_active(session, Component, Component.owning_team_id == team_id),
                "owned components",
            ),
        ],
        f"Team {team.key}",
    )
    await records.archive(session, team, version, "Team")
    return team

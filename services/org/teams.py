"""Teams of an ART: create, update, archive, list filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import filters, records, refs, validation
from services.core.enums import TShirtSize
from services.core.errors import ErrorCode, Problems
from services.core.inputs import UNSET, Maybe
from services.core.pagination import Ordering
from services.core.scales import STORY_POINT_SCALE, scale_text
from services.models import Art, Component, Feature, Story, Team

TEAM_ORDER = Ordering("team_key", ((Team.key, False), (Team.id, False)))


@dataclass(frozen=True, slots=True)
class TeamDraft:
    """A new team of an ART; without a t-shirt scale (or with None) it uses the default one."""

    key: str
    name: str
    description: Maybe[str | None] = UNSET
    is_shared_services: Maybe[bool | None] = UNSET
    tshirt_points: Maybe[Mapping[str, int] | None] = UNSET


@dataclass(frozen=True, slots=True)
class TeamChanges:
    """Changes to a team; UNSET fields stay as they are, a None t-shirt scale restores the
    default one."""

    key: Maybe[str | None] = UNSET
    name: Maybe[str | None] = UNSET
    description: Maybe[str | None] = UNSET
    is_shared_services: Maybe[bool | None] = UNSET
    tshirt_points: Maybe[Mapping[str, int] | None] = UNSET


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
    """A team's t-shirt scale: every size mapped to points, growing with the size.

    The messages say `tshirtPoints`, as clients have always read them: that is the name of no
    input field (the API's is tshirtScale, the domain's tshirt_points), so it stays text."""
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
    session: AsyncSession, art_id: int, changes: TeamChanges, current: Team | None
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
    if changes.name is not UNSET:
        out["name"] = validation.text(
            problems, "name", changes.name, max_len=validation.NAME_MAX, required=True
        )
    if changes.description is not UNSET:
        out["description"] = validation.text(
            problems, "description", changes.description or "", max_len=validation.LONG_TEXT_MAX
        )
    if changes.is_shared_services is not UNSET:
        out["is_shared_services"] = bool(changes.is_shared_services)
    if changes.tshirt_points is not UNSET:
        out["tshirt_points"] = _clean_tshirt(problems, changes.tshirt_points)
    problems.raise_if_any()
    return out


async def create_team(session: AsyncSession, actor: Actor, art_id: int, draft: TeamDraft) -> Team:
    permissions.require_write(actor)
    problems = Problems()
    art = await refs.resolve(session, problems, Art, art_id, "ART", "art_id")
    problems.raise_if_any()
    assert art is not None
    permissions.require(actor, Action.MANAGE_TEAMS, art_id=art.id, where=f"in ART {art.key}")
    changes = TeamChanges(
        key=draft.key,
        name=draft.name,
        description=draft.description,
        is_shared_services=draft.is_shared_services,
        tshirt_points=draft.tshirt_points,
    )
    cleaned = await _clean(session, art_id, changes, None)
    defaults = {"description": "", "is_shared_services": False, "tshirt_points": {}}
    team = Team(art_id=art_id, **{**defaults, **cleaned})
    session.add(team)
    await records.flush(session, team, "Team")
    return team


async def update_team(
    session: AsyncSession, actor: Actor, team_id: int, version: int, changes: TeamChanges
) -> Team:
    permissions.require_write(actor)
    team = await records.load(session, Team, team_id, "team")
    permissions.require(actor, Action.MANAGE_TEAMS, art_id=team.art_id, where=f"(team {team.key})")
    records.check_version(team, version, "Team")
    for name, value in (await _clean(session, team.art_id, changes, team)).items():
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

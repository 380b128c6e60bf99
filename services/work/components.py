"""Architecture components (ART-scoped or portfolio-wide) and which items touch them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import filters, records, refs, validation
from services.core.enums import ComponentKind
from services.core.errors import ErrorCode, Problems, at
from services.core.inputs import UNSET, Maybe
from services.core.pagination import Ordering
from services.history import audit
from services.models import Art, Component, Feature, FeatureComponent, Story, StoryComponent, Team

COMPONENT_ORDER = Ordering("component_name", ((Component.name, False), (Component.id, False)))
MAX_COMPONENTS_PER_ITEM = 20


@dataclass(frozen=True, slots=True, kw_only=True)
class ComponentDraft:
    """A new architecture component."""

    name: str
    kind: ComponentKind
    description: Maybe[str | None] = UNSET
    owning_team_id: Maybe[int | None] = UNSET


@dataclass(frozen=True, slots=True, kw_only=True)
class ComponentChanges:
    """Changes to a component; what is UNSET stays as it is."""

    name: Maybe[str | None] = UNSET
    kind: Maybe[ComponentKind | None] = UNSET
    description: Maybe[str | None] = UNSET
    owning_team_id: Maybe[int | None] = UNSET


@dataclass(frozen=True, slots=True)
class ComponentFilter:
    kind: filters.Match[ComponentKind] | None = None
    name: filters.Match[str] | None = None
    owning_team: filters.Match[int] | None = None
    archived: bool | None = False


def component_conditions(f: ComponentFilter) -> list[ColumnElement[bool]]:
    return [
        *filters.match(Component.kind, f.kind, "kind"),
        *filters.match(Component.name, f.name, "name"),
        *filters.match(Component.owning_team_id, f.owning_team, "owning_team"),
        *filters.archived(Component.archived_at, f.archived),
    ]


def portfolio_component_conditions(f: ComponentFilter) -> list[ColumnElement[bool]]:
    """The portfolio-wide components (an ART's own ones hang off the ART), filtered."""
    return [Component.art_id.is_(None), *component_conditions(f)]


def visible_to_art(art_id: int) -> ColumnElement[bool]:
    """An ART sees its own components and the portfolio-wide ones."""
    return or_(Component.art_id == art_id, Component.art_id.is_(None))


async def _clean(
    session: AsyncSession,
    problems: Problems,
    art_id: int | None,
    c: ComponentDraft | ComponentChanges,
    current: Component | None,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if c.name is not UNSET or current is None:
        name = validation.text(
            problems,
            "name",
            None if c.name is UNSET else c.name,
            max_len=validation.NAME_MAX,
            required=True,
        )
        if name and (current is None or name != current.name):
            scope = Component.art_id.is_(None) if art_id is None else Component.art_id == art_id
            taken = await session.scalar(
                select(Component.id).where(scope, func.lower(Component.name) == name.lower())
            )
            if taken is not None:
                where = "portfolio-wide" if art_id is None else "in this ART"
                problems.add(
                    ErrorCode.DUPLICATE_KEY,
                    f"A component named {name} already exists {where}.",
                    "name",
                )
        out["name"] = name
    if c.kind is not UNSET or current is None:
        kind = None if c.kind is UNSET else c.kind
        if kind is None:
            problems.add(ErrorCode.REQUIRED, "A component needs a kind.", "kind")
        out["kind"] = kind
    if c.description is not UNSET:
        out["description"] = validation.text(
            problems, "description", c.description or "", max_len=validation.LONG_TEXT_MAX
        )
    if c.owning_team_id is not UNSET:
        team = await refs.resolve(
            session, problems, Team, c.owning_team_id, "team", "owning_team_id"
        )
        if team is not None and art_id is not None:
            refs.same_art(
                problems,
                "owning_team_id",
                "team",
                team.art_id,
                art_id,
                "an ART's component is owned by one of its own teams",
            )
        out["owning_team_id"] = c.owning_team_id
    return out


def _require(actor: Actor, art_id: int | None) -> None:
    if art_id is None:
        permissions.require(actor, Action.EDIT_PORTFOLIO_COMPONENT)
    else:
        permissions.require(actor, Action.EDIT_ART_COMPONENT, art_id=art_id, where="in this ART")


async def create_component(
    session: AsyncSession, actor: Actor, art_id: int | None, draft: ComponentDraft
) -> Component:
    permissions.require_write(actor)
    problems = Problems()
    art = await refs.resolve(session, problems, Art, art_id, "ART", "art_id")
    if art is not None or art_id is None:
        _require(actor, art_id)
    cleaned = await _clean(session, problems, art_id, draft, None)
    problems.raise_if_any()
    component = Component(art_id=art_id, **{"description": "", **cleaned})
    session.add(component)
    await records.flush(session, component, "Component")
    return component


async def update_component(
    session: AsyncSession,
    actor: Actor,
    component_id: int,
    version: int,
    changes: ComponentChanges,
) -> Component:
    permissions.require_write(actor)
    component = await records.load(session, Component, component_id, "component")
    _require(actor, component.art_id)
    records.check_version(component, version, "Component")
    problems = Problems()
    cleaned = await _clean(session, problems, component.art_id, changes, component)
    problems.raise_if_any()
    for name, value in cleaned.items():
        setattr(component, name, value)
    await records.flush(session, component, "Component")
    return component


async def archive_component(
    session: AsyncSession, actor: Actor, component_id: int, version: int
) -> Component:
    permissions.require_write(actor)
    component = await records.load(session, Component, component_id, "component")
    _require(actor, component.art_id)
    records.check_version(component, version, "Component")
    features = await session.scalar(
        select(func.count())
        .select_from(FeatureComponent)
        .where(FeatureComponent.component_id == component_id)
    )
    stories = await session.scalar(
        select(func.count())
        .select_from(StoryComponent)
        .where(StoryComponent.component_id == component_id)
    )
    records.ensure_unused(
        [(features or 0, "features"), (stories or 0, "stories")], f"Component {component.name}"
    )
    await records.archive(session, component, version, "Component")
    return component


async def check_touched(
    session: AsyncSession, problems: Problems, art_id: int, component_ids: Sequence[int], field: str
) -> list[int] | None:
    """Components an item of ``art_id`` may touch: live, and of its ART or portfolio-wide."""
    unique = list(dict.fromkeys(component_ids))
    if len(unique) > MAX_COMPONENTS_PER_ITEM:
        problems.add(
            ErrorCode.TOO_LONG,
            f"{len(unique)} components given; an item touches at most {MAX_COMPONENTS_PER_ITEM}.",
            field,
        )
        return None
    found = {
        c.id: c for c in await session.scalars(select(Component).where(Component.id.in_(unique)))
    }
    ok = True
    for component_id in unique:
        component = found.get(component_id)
        if component is None:
            problems.add(
                ErrorCode.NOT_FOUND, at(field, ": no component with that id exists."), field
            )
            ok = False
        elif component.archived_at is not None:
            problems.add(
                ErrorCode.ARCHIVED, at(field, f": component {component.name} is archived."), field
            )
            ok = False
        elif component.art_id is not None and component.art_id != art_id:
            problems.add(
                ErrorCode.WRONG_ART,
                at(
                    field,
                    f": component {component.name} belongs to another ART; an item touches "
                    "components of its own ART or portfolio-wide ones.",
                ),
                field,
            )
            ok = False
    return unique if ok else None


async def set_feature_components(
    session: AsyncSession, feature: Feature, component_ids: Iterable[int]
) -> bool:
    """Replace the components a feature touches, noting the change in its history; False
    when they were these already (nothing written)."""
    new = sorted(set(component_ids))
    link = FeatureComponent
    old = sorted(
        await session.scalars(select(link.component_id).where(link.feature_id == feature.id))
    )
    if old == new:
        return False
    await session.execute(delete(link).where(link.feature_id == feature.id))
    session.add_all(link(feature_id=feature.id, component_id=c) for c in new)
    audit.note(session, feature, "component_ids", old, new)
    return True


async def set_story_components(
    session: AsyncSession, story: Story, component_ids: Iterable[int]
) -> bool:
    """Replace the components a story touches, noting the change in its history; False
    when they were these already (nothing written)."""
    new = sorted(set(component_ids))
    link = StoryComponent
    old = sorted(await session.scalars(select(link.component_id).where(link.story_id == story.id)))
    if old == new:
        return False
    await session.execute(delete(link).where(link.story_id == story.id))
    session.add_all(link(story_id=story.id, component_id=c) for c in new)
    audit.note(session, story, "component_ids", old, new)
    return True


async def component_ids_by_feature(
    session: AsyncSession, feature_ids: Sequence[int]
) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    stmt = (
        select(FeatureComponent.feature_id, FeatureComponent.component_id)
        .where(FeatureComponent.feature_id.in_(list(feature_ids)))
        .order_by(FeatureComponent.feature_id, FeatureComponent.component_id)
    )
    for feature_id, component_id in (await session.execute(stmt)).all():
        out[feature_id].append(component_id)
    return out


async def component_ids_by_story(
    session: AsyncSession, story_ids: Sequence[int]
) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    stmt = (
        select(StoryComponent.story_id, StoryComponent.component_id)
        .where(StoryComponent.story_id.in_(list(story_ids)))
        .order_by(StoryComponent.story_id, StoryComponent.component_id)
    )
    for story_id, component_id in (await session.execute(stmt)).all():
        out[story_id].append(component_id)
    return out

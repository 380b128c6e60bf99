"""The prep pack of a refinement session: per agenda item, in agenda order, what the room needs
in front of it. For a team session each story with its feature; for the ART's program backlog
refinement each feature with its stories: their acceptance criteria, what they need and what
waits on them (with the board's dependency health), the components they touch and who owns
them, open follow-ups (questions apart from blocked or incomplete items) and what the
Definition of Ready still lacks.

A fixed number of statements for any agenda; dependency health comes from the cached analysis
of the ART's plan (services.analysis.plans), the same one the board shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from graph import health
from graph.model import Health
from services.analysis import analyses
from services.analysis.plans import AnalysisCache
from services.core import records
from services.core.enums import DependencyType, FollowUpKind, WorkItemType
from services.models import (
    AgendaItem,
    Component,
    Dependency,
    Feature,
    FeatureComponent,
    FollowUp,
    RefinementSession,
    Story,
    StoryComponent,
    Team,
)
from services.work.readiness import Failure, Readiness, feature_readiness, story_readiness

FEATURE, STORY = WorkItemType.FEATURE, WorkItemType.STORY
Ref = tuple[WorkItemType, int]


@dataclass(frozen=True, slots=True)
class ItemEnd:
    kind: WorkItemType
    id: int
    key: str
    team_id: int | None  # a story's team, a feature's owning team
    team_key: str | None


@dataclass(frozen=True, slots=True)
class PrepDependency:
    dependency_id: int
    type: DependencyType
    # Which of the item's own holds it: the item, a story's feature or a feature's story.
    holder: ItemEnd
    other: ItemEnd  # upstream: the prerequisite; downstream: the dependent
    health: Health | None  # None when the plan analysis does not hold it (an end archived)
    reason: str


@dataclass(frozen=True, slots=True)
class TouchedComponent:
    component_id: int
    name: str
    owning_team_id: int | None
    owning_team_key: str | None


@dataclass(frozen=True, slots=True)
class PrepFollowUp:
    follow_up_id: int
    kind: FollowUpKind
    note: str
    owner_id: int
    due_on: dt.date


@dataclass(frozen=True, slots=True)
class PrepItem:
    agenda_item_id: int
    position: int
    kind: WorkItemType  # STORY in a team session, FEATURE in the ART's
    story_id: int | None
    feature_id: int
    key: str
    title: str
    acceptance_criteria: tuple[str, ...]
    upstream: tuple[PrepDependency, ...]  # what it (and its feature / stories) needs
    downstream: tuple[PrepDependency, ...]  # what waits on it (and its feature / stories)
    components: tuple[TouchedComponent, ...]  # a feature's own and its stories'
    questions: tuple[PrepFollowUp, ...]  # open QUESTION follow-ups, due first
    flags: tuple[PrepFollowUp, ...]  # open BLOCKED and INCOMPLETE follow-ups, due first
    failures: tuple[Failure, ...]  # Definition of Ready rules it fails


@dataclass(frozen=True, slots=True)
class PrepPack:
    session_id: int
    art_id: int
    team_id: int | None
    title: str
    starts_at: dt.datetime
    items: tuple[PrepItem, ...]


async def dependency_health(
    session: AsyncSession, cache: AnalysisCache, art_id: int
) -> dict[int, health.DependencyHealth]:
    """The board's dependency health of the ART's plan, by dependency id: the same cached
    analysis as the board's (one per plan version)."""
    _, found = await analyses.cached_dependency_health(session, cache, art_id)
    return {int(h.dependency[1:]): h for h in found}


async def _ends(
    session: AsyncSession, story_ids: Iterable[int], feature_ids: Iterable[int]
) -> dict[Ref, ItemEnd]:
    out: dict[Ref, ItemEnd] = {}
    for r in await session.execute(
        select(Story.id, Story.key, Story.team_id, Team.key.label("team_key"))
        .join(Team, Team.id == Story.team_id)
        .where(Story.id.in_(sorted(set(story_ids))))
    ):
        out[STORY, r.id] = ItemEnd(STORY, r.id, r.key, r.team_id, r.team_key)
    for f in await session.execute(
        select(Feature.id, Feature.key, Feature.owning_team_id, Team.key.label("team_key"))
        .outerjoin(Team, Team.id == Feature.owning_team_id)
        .where(Feature.id.in_(sorted(set(feature_ids))))
    ):
        out[FEATURE, f.id] = ItemEnd(FEATURE, f.id, f.key, f.owning_team_id, f.team_key)
    return out


async def _components(
    session: AsyncSession, story_ids: list[int], feature_ids: list[int]
) -> dict[Ref, list[TouchedComponent]]:
    columns = (Component.id, Component.name, Component.owning_team_id, Team.key)
    out: dict[Ref, list[TouchedComponent]] = {}
    for link, owner, kind, ids in (
        (StoryComponent, StoryComponent.story_id, STORY, story_ids),
        (FeatureComponent, FeatureComponent.feature_id, FEATURE, feature_ids),
    ):
        for item_id, component_id, name, team_id, team_key in await session.execute(
            select(owner, *columns)
            .join(Component, Component.id == link.component_id)
            .outerjoin(Team, Team.id == Component.owning_team_id)
            .where(owner.in_(ids), Component.archived_at.is_(None))
            .order_by(Component.name, Component.id)
        ):
            out.setdefault((kind, item_id), []).append(
                TouchedComponent(component_id, name, team_id, team_key)
            )
    return out


Items = dict[Ref, tuple[int, str, str, list[str]]]  # ref -> feature id, key, title, criteria


async def _items(
    session: AsyncSession, team_session: bool, agenda: list[AgendaItem]
) -> tuple[Items, dict[Ref, list[Ref]], dict[int, Readiness]]:
    """The agenda's stories (team session) or features (ART session); per item the refs whose
    dependencies count as its own (a story and its feature, a feature and its stories); and
    their readiness."""
    items: Items = {}
    own: dict[Ref, list[Ref]] = {}
    if team_session:
        ids = [a.story_id for a in agenda if a.story_id is not None]
        for s in await session.execute(
            select(
                Story.id, Story.feature_id, Story.key, Story.title, Story.acceptance_criteria
            ).where(Story.id.in_(ids))
        ):
            items[STORY, s.id] = (s.feature_id, s.key, s.title, s.acceptance_criteria)
            own[STORY, s.id] = [(STORY, s.id), (FEATURE, s.feature_id)]
        return items, own, await story_readiness(session, ids)
    ids = [a.feature_id for a in agenda if a.feature_id is not None]
    for f in await session.execute(
        select(Feature.id, Feature.key, Feature.title, Feature.acceptance_criteria).where(
            Feature.id.in_(ids)
        )
    ):
        items[FEATURE, f.id] = (f.id, f.key, f.title, f.acceptance_criteria)
        own[FEATURE, f.id] = [(FEATURE, f.id)]
    for story_id, feature_id in await session.execute(
        select(Story.id, Story.feature_id)
        .where(Story.feature_id.in_(ids), Story.archived_at.is_(None))
        .order_by(Story.id)
    ):
        own[FEATURE, feature_id].append((STORY, story_id))
    return items, own, await feature_readiness(session, ids)


async def prep_pack(session: AsyncSession, session_id: int, cache: AnalysisCache) -> PrepPack:
    """The session's prep pack; NOT_FOUND when there is no such session."""
    refinement = await records.load(
        session, RefinementSession, session_id, "refinement session", allow_archived=True
    )
    agenda = list(
        await session.scalars(
            select(AgendaItem)
            .where(AgendaItem.session_id == refinement.id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )
    team_session = refinement.team_id is not None
    items, own, readiness = await _items(session, team_session, agenda)
    ids = [item_id for _, item_id in items]
    mine = {ref for refs in own.values() for ref in refs}
    stories = [i for kind, i in mine if kind is STORY]
    features = [i for kind, i in mine if kind is FEATURE]
    dependencies = list(
        await session.scalars(
            select(Dependency)
            .where(
                Dependency.archived_at.is_(None),
                or_(
                    Dependency.dependent_story_id.in_(stories),
                    Dependency.dependent_feature_id.in_(features),
                    Dependency.prerequisite_story_id.in_(stories),
                    Dependency.prerequisite_feature_id.in_(features),
                ),
            )
            .order_by(Dependency.id)
        )
    )
    edges = [
        (
            d,
            _ref(d.dependent_feature_id, d.dependent_story_id),
            _ref(d.prerequisite_feature_id, d.prerequisite_story_id),
        )
        for d in dependencies
    ]
    every = mine | {ref for _, a, b in edges for ref in (a, b)}
    ends = await _ends(
        session, (i for k, i in every if k is STORY), (i for k, i in every if k is FEATURE)
    )
    healths = await dependency_health(session, cache, refinement.art_id)
    touched = await _components(session, stories, [] if team_session else features)
    follow_ups: dict[Ref, list[FollowUp]] = {}
    column = FollowUp.story_id if team_session else FollowUp.feature_id
    for f in await session.scalars(
        select(FollowUp)
        .where(column.in_(ids), FollowUp.done_at.is_(None), FollowUp.archived_at.is_(None))
        .order_by(FollowUp.due_on, FollowUp.id)
    ):
        item_id = f.story_id if team_session else f.feature_id
        assert item_id is not None
        follow_ups.setdefault((STORY if team_session else FEATURE, item_id), []).append(f)

    def linked(ref: Ref, upstream: bool) -> tuple[PrepDependency, ...]:
        inside = set(own[ref])
        out = []
        for d, dependent, prerequisite in edges:
            holder, other = (dependent, prerequisite) if upstream else (prerequisite, dependent)
            if holder in inside and other not in inside:
                found = healths.get(d.id)
                out.append(
                    PrepDependency(
                        dependency_id=d.id,
                        type=d.type,
                        holder=ends[holder],
                        other=ends[other],
                        health=found.health if found else None,
                        reason=found.reason if found else "",
                    )
                )
        return tuple(out)

    pack = []
    for a in agenda:
        ref = (STORY, a.story_id) if a.story_id is not None else (FEATURE, a.feature_id or 0)
        if ref not in items:
            continue
        feature_id, key, title, criteria = items[ref]
        # A story's own components; a feature's and those of its stories.
        refs = own[ref] if ref[0] is FEATURE else [ref]
        components = {c.component_id: c for r in refs for c in touched.get(r, ())}
        open_items = [_follow_up(f) for f in follow_ups.get(ref, ())]
        pack.append(
            PrepItem(
                agenda_item_id=a.id,
                position=a.position,
                kind=ref[0],
                story_id=a.story_id,
                feature_id=feature_id,
                key=key,
                title=title,
                acceptance_criteria=tuple(criteria),
                upstream=linked(ref, True),
                downstream=linked(ref, False),
                components=tuple(
                    sorted(components.values(), key=lambda c: (c.name, c.component_id))
                ),
                questions=tuple(f for f in open_items if f.kind is FollowUpKind.QUESTION),
                flags=tuple(f for f in open_items if f.kind is not FollowUpKind.QUESTION),
                failures=readiness[ref[1]].failures if ref[1] in readiness else (),
            )
        )
    return PrepPack(
        session_id=refinement.id,
        art_id=refinement.art_id,
        team_id=refinement.team_id,
        title=refinement.title,
        starts_at=refinement.starts_at,
        items=tuple(pack),
    )


def _ref(feature_id: int | None, story_id: int | None) -> Ref:
    return (FEATURE, feature_id) if feature_id is not None else (STORY, story_id or 0)


def _follow_up(f: FollowUp) -> PrepFollowUp:
    return PrepFollowUp(f.id, f.kind, f.note, f.owner_id, f.due_on)

"""The demo ART: a realistic online-shop release train, seeded through the use cases.

Every row goes through the same service functions (and so the same validation) as the API.
The plan is built in memory first from ``services.demo_data`` and a fixed random seed, so the
demo is the same on every run apart from its dates, which follow today.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services import (
    arts,
    audit,
    components,
    dependencies,
    features,
    milestones,
    people,
    planning,
    stories,
    teams,
)
from services import demo_data as data
from services.access import system_actor
from services.db import create_engine, create_sessionmaker
from services.dependencies import ItemRef
from services.enums import (
    ComponentKind,
    DependencyType,
    EnablerType,
    FeatureKind,
    FeatureState,
    IterationKind,
    MilestoneKind,
    Role,
    StoryKind,
    StoryStatus,
    TShirtSize,
    WorkItemType,
)
from services.models import (
    Art,
    Component,
    Dependency,
    Feature,
    FeatureComponent,
    Iteration,
    Membership,
    Milestone,
    Person,
    PlanningInterval,
    Story,
    StoryComponent,
    Team,
)
from services.settings import Settings

SEED_ACTOR = system_actor("demo seed")
IP_INDEX = 5  # four regular iterations, then the IP iteration
DEPENDENCY_TARGET = 60
STORY_CONFLICTS = 2
MIXED_DEPENDENCIES = 3  # of each direction: story -> feature and feature -> story
F, S = WorkItemType.FEATURE, WorkItemType.STORY
Item = tuple[WorkItemType, int]  # a feature or a story of the plan, by its index there


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What the demo ART holds; ``created`` tells whether this run seeded it."""

    art_key: str
    created: bool
    teams: int
    people: int
    features: int
    stories: int
    spikes: int
    components: int
    dependencies: int
    cross_team_dependencies: int
    conflicting_dependencies: int
    milestones: int


@dataclass(slots=True)
class FeaturePlan:
    title: str
    team: str
    state: FeatureState
    iteration: int | None
    wsjf: tuple[int, ...]
    components: tuple[str, ...]
    enabler_type: EnablerType | None
    hypothesis: str = ""
    criteria: list[str] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    spikes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class StoryPlan:
    feature: int
    team: str
    key: str
    title: str
    kind: StoryKind
    iteration: int | None
    status: StoryStatus
    components: tuple[str, ...]
    points: int | None = None
    tshirt: TShirtSize | None = None
    timebox: int | None = None
    criteria: list[str] = field(default_factory=list)
    tag: str | None = None
    blocked_reason: str = ""


@dataclass(frozen=True, slots=True)
class DependencyPlan:
    dependent: Item
    prerequisite: Item
    type: DependencyType
    needed_by: int | None
    note: str


def parse_features(text: str) -> list[FeaturePlan]:
    plans: list[FeaturePlan] = []
    for line in text.strip().splitlines():
        marker, _, rest = line.partition(" ")
        parts = [part.strip() for part in rest.split(" | ")]
        if marker == ">":
            plans[-1].hypothesis = rest.strip()
        elif marker in {"-", "*", "?"}:
            lists = {"-": plans[-1].criteria, "*": plans[-1].stories, "?": plans[-1].spikes}
            lists[marker].extend(parts)
        else:
            head, _, title = line.partition(" | ")
            team, state, iteration, wsjf, codes, *enabler = head.split()
            plans.append(
                FeaturePlan(
                    title=title.strip(),
                    team=team,
                    state=FeatureState[state],
                    iteration=None if iteration == "-" else int(iteration),
                    wsjf=tuple(int(v) for v in wsjf.split("/")),
                    components=() if codes == "-" else tuple(codes.split(",")),
                    enabler_type=EnablerType[enabler[0]] if enabler else None,
                )
            )
    return plans


def _window(f: FeaturePlan) -> list[int | None]:
    """The iterations a feature's stories run in, ending with the feature's own iteration."""
    if f.iteration is None:
        return [None]
    first = {FeatureState.IMPLEMENTING: f.iteration - 2, FeatureState.BACKLOG: f.iteration}
    return list(range(max(1, first.get(f.state, 1)), f.iteration + 1))


def _status(f: FeaturePlan, iteration: int | None, rng: random.Random) -> StoryStatus:
    if f.state in {FeatureState.DONE, FeatureState.VALIDATING}:
        return StoryStatus.DONE
    if f.state is not FeatureState.IMPLEMENTING or iteration is None or iteration > 3:
        return StoryStatus.BACKLOG
    weights = {1: (9, 1, 0, 0), 2: (3, 2, 4, 2), 3: (0, 0, 1, 5)}[iteration]
    order = (StoryStatus.DONE, StoryStatus.IN_REVIEW, StoryStatus.IN_PROGRESS, StoryStatus.BACKLOG)
    return rng.choices(order, weights)[0]


def _estimate(story: StoryPlan, rng: random.Random, feature_unplanned: bool) -> None:
    spike = story.kind is StoryKind.SPIKE
    late = story.iteration is None or story.iteration >= 4
    if not spike and story.status is StoryStatus.BACKLOG and late and rng.random() < 0.35:
        story.tag = data.REFINEMENT_TAG  # not estimated yet: up for the next refinement
        return
    if story.team in data.TSHIRT_TEAMS or (late and rng.random() < 0.25):
        sizes = ("XS", "S", "M") if spike else ("XS", "S", "M", "M", "L", "XL")
        story.tshirt = TShirtSize[rng.choice(sizes)]
    else:
        story.points = rng.choice((1, 2, 3, 5) if spike else (1, 2, 3, 3, 5, 5, 8, 13))
    story.criteria = rng.sample(data.STORY_CRITERIA[story.kind.value], 2)
    if story.status is StoryStatus.BACKLOG and (feature_unplanned or rng.random() < 0.1):
        story.tag = data.REFINEMENT_TAG


def plan_stories(plans: list[FeaturePlan], rng: random.Random) -> list[StoryPlan]:
    owner = {code: team for code, _, _, team, _, _ in data.COMPONENTS}
    counters = {key: 100 for key, *_ in data.TEAMS}
    out: list[StoryPlan] = []
    for index, f in enumerate(plans):
        own_kind = StoryKind.USER_STORY if f.enabler_type is None else StoryKind.ENABLER
        titled = [(StoryKind.SPIKE, f"Spike: {t}") for t in f.spikes]
        titled += [(own_kind, t) for t in f.stories]
        if f.iteration is not None:
            extra = rng.sample(data.SUPPORTING_STORIES, rng.choice((2, 3, 4, 4, 5)))
            titled += [(StoryKind[kind], f"{f.title}: {suffix}") for kind, suffix in extra]
        window = _window(f)
        helpers = list(dict.fromkeys(owner[c] for c in f.components if owner[c] != f.team))
        for position, (kind, title) in enumerate(titled):
            own = len(f.spikes) <= position < len(f.spikes) + len(f.stories)
            supporting = position >= len(f.spikes) + len(f.stories)
            iteration = window[position * len(window) // len(titled)]  # spikes first
            if kind is StoryKind.ENABLER and iteration == 4 and rng.random() < 0.3:
                iteration = IP_INDEX  # technical work may use the IP iteration
            elif f.state is FeatureState.BACKLOG and supporting and rng.random() < 0.4:
                iteration = None  # not planned yet
            team = f.team
            if own and helpers and rng.random() < 0.25:
                team = rng.choice(helpers)
            counters[team] += 1
            touched = tuple(c for c in f.components if owner[c] == team) or f.components[:1]
            story = StoryPlan(
                feature=index,
                team=team,
                key=f"{team}-{counters[team]}",
                title=title,
                kind=kind,
                iteration=iteration,
                status=_status(f, iteration, rng),
                components=() if kind is StoryKind.SPIKE else touched,
                timebox=rng.choice((2, 3, 5)) if kind is StoryKind.SPIKE else None,
            )
            _estimate(story, rng, f.iteration is None)
            out.append(story)
    open_work = {StoryStatus.IN_PROGRESS, StoryStatus.BACKLOG}
    for title, reason in data.BLOCKED_REASONS:
        story = rng.choice(
            [
                s
                for s in out
                if plans[s.feature].title == title
                and s.status in open_work
                and s.iteration in {2, 3}
                and s.title in plans[s.feature].stories  # one of the feature's own stories
            ]
        )
        story.blocked_reason = reason
    return out


def _reaches(graph: dict[Item, list[Item]], start: Item, goal: Item) -> bool:
    seen, todo = {start}, [start]
    while todo:
        for nxt in graph.get(todo.pop(), []):
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return start == goal


def plan_dependencies(
    plans: list[FeaturePlan], story_plans: list[StoryPlan], rng: random.Random
) -> list[DependencyPlan]:
    """Hand-picked feature dependencies, then story ones between items touching one component."""
    team_names = {key: name for key, name, *_ in data.TEAMS}
    component_names = {code: name for code, name, *_ in data.COMPONENTS}
    graph: dict[Item, list[Item]] = {}
    out: list[DependencyPlan] = []

    def at(item: Item) -> int | None:
        kind, i = item
        return plans[i].iteration if kind is F else story_plans[i].iteration

    def info(item: Item) -> tuple[str, int, tuple[str, ...]]:
        kind, i = item
        if kind is F:
            return plans[i].team, i, plans[i].components
        return story_plans[i].team, story_plans[i].feature, story_plans[i].components

    def add(dep: Item, pre: Item, kind: DependencyType, note: str, needed: int | None) -> bool:
        if info(dep)[1] == info(pre)[1] or pre in graph.get(dep, []) or _reaches(graph, pre, dep):
            return False  # same feature family, a duplicate, or a cycle
        graph.setdefault(dep, []).append(pre)
        out.append(DependencyPlan(dep, pre, kind, needed, note))
        return True

    by_title = {f.title: (F, i) for i, f in enumerate(plans)}
    for dependent, prerequisite, kind_name, note in data.FEATURE_DEPENDENCIES:
        kind = DependencyType[kind_name]
        dep = by_title[dependent]
        needed = at(dep) if kind is DependencyType.BLOCKS else None
        if not add(dep, by_title[prerequisite], kind, note, needed):
            raise AssertionError(f"demo dependency {dependent} -> {prerequisite} is refused")

    def fits(dep: Item, pre: Item, conflict: bool) -> bool:
        if not set(info(pre)[2]) & set(info(dep)[2]):
            return False  # only work on a common component is related
        if conflict:  # planned later, by another team: a red string on the board
            late = (at(dep) or 0) < (at(pre) or 0) < IP_INDEX
            return late and info(pre)[0] != info(dep)[0]
        return (at(pre) or 0) <= (at(dep) or 0)

    def pick(dependents: list[Item], prerequisites: list[Item], count: int, conflict: bool) -> None:
        for _ in range(1000 * count):
            if count == 0:
                return
            dep = rng.choice(dependents)
            pool = [p for p in prerequisites if fits(dep, p, conflict)]
            other_teams = [p for p in pool if info(p)[0] != info(dep)[0]]
            if other_teams and rng.random() < 0.5:
                pool = other_teams  # the board is about work between teams: favour it
            if not pool:
                continue
            pre = rng.choice(pool)
            pre_team, _, pre_components = info(pre)
            cross = pre_team != info(dep)[0]
            shared = next(c for c in pre_components if c in info(dep)[2])
            blocks = conflict or rng.random() < 0.8
            kind = DependencyType.BLOCKS if blocks else DependencyType.RELATES
            if conflict:
                note = data.CONFLICT_NOTE.format(
                    team=team_names[pre_team], late=at(pre), early=at(dep)
                )
            elif rng.random() < 0.6:
                notes = data.DEPENDENCY_NOTES + (data.CROSS_TEAM_NOTES if cross else ())
                note = rng.choice(notes).format(
                    component=component_names[shared], team=team_names[pre_team]
                )
            else:
                note = ""
            needed = at(dep) if blocks and (conflict or rng.random() < 0.5) else None
            if add(dep, pre, kind, note, needed):
                count -= 1
        raise AssertionError("not enough candidates for the demo dependencies")

    planned_features = [(F, i) for i, f in enumerate(plans) if f.iteration is not None]
    planned = [(S, i) for i, s in enumerate(story_plans) if s.iteration is not None]
    later = [item for item in planned if (at(item) or 0) >= 2]
    started = [
        item
        for item in later
        if (at(item) or 0) <= 3 and story_plans[item[1]].status is not StoryStatus.DONE
    ]
    waiting = [item for item in planned if story_plans[item[1]].status is StoryStatus.BACKLOG]
    pick(started, waiting, STORY_CONFLICTS, True)
    pick(later, planned_features, MIXED_DEPENDENCIES, False)
    pick(planned_features, planned, MIXED_DEPENDENCIES, False)
    pick(later, planned, DEPENDENCY_TARGET - len(out), False)
    return out


def _email(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return f"{ascii_name.lower().replace(' ', '.')}@{data.EMAIL_DOMAIN}"


async def _person(session: AsyncSession, name: str) -> int:
    """The person with the demo address, created unless someone already has it."""
    email = _email(name)
    found = await session.scalar(select(Person.id).where(Person.email == email))
    if found is not None:
        return found
    return (await people.create_person(session, SEED_ACTOR, {"name": name, "email": email})).id


async def _seed_organisation(session: AsyncSession, art_id: int) -> dict[str, int]:
    team_ids: dict[str, int] = {}
    for key, name, shared, description in data.TEAMS:
        values: dict[str, Any] = {"key": key, "name": name, "description": description}
        values["is_shared_services"] = shared
        if data.TSHIRT_TEAMS.get(key):
            values["tshirt_points"] = data.TSHIRT_TEAMS[key]
        team = await teams.create_team(session, SEED_ACTOR, art_id, values)
        team_ids[key] = team.id
    for art_role, name in data.ART_PEOPLE:
        person_id = await _person(session, name)
        await people.create_membership(session, SEED_ACTOR, person_id, art_id, None, Role[art_role])
    for line in data.TEAM_PEOPLE.strip().splitlines():
        team_key, *members = line.split(" | ")
        for member in members:
            code, name = member.split(" ", 1)
            role = Role[data.ROLE_CODES[code]]
            person_id = await _person(session, name)
            await people.create_membership(
                session, SEED_ACTOR, person_id, None, team_ids[team_key], role
            )
    return team_ids


def iteration_dates(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Two-week iterations (Monday to Friday) from the Monday three weeks before today."""
    start = today - dt.timedelta(days=today.weekday() + 21)
    return [
        (start + dt.timedelta(days=14 * i), start + dt.timedelta(days=14 * i + 11))
        for i in range(IP_INDEX)
    ]


async def _seed_pi(session: AsyncSession, art_id: int, today: dt.date) -> tuple[int, list[int]]:
    dates = iteration_dates(today)
    start, end = dates[0][0], dates[-1][1]
    specs = [
        planning.IterationSpec(
            first, last, IterationKind.IP if i == IP_INDEX else IterationKind.REGULAR
        )
        for i, (first, last) in enumerate(dates, 1)
    ]
    name = f"PI {start.year}.{(start.month - 1) // 3 + 1}"
    pi = await planning.create_planning_interval(
        session, SEED_ACTOR, art_id, {"name": name, "start_date": start, "end_date": end}, specs
    )
    for title, kind, day, description in data.MILESTONES:
        date = start + dt.timedelta(days=day)
        values = {"name": title, "kind": MilestoneKind[kind], "date": date}
        await milestones.create_milestone(
            session, SEED_ACTOR, pi.id, {**values, "description": description}
        )
    iteration_ids = await session.scalars(
        select(Iteration.id)
        .where(Iteration.planning_interval_id == pi.id)
        .order_by(Iteration.index)
    )
    return pi.id, list(iteration_ids)


async def _seed_components(
    session: AsyncSession, art_id: int, team_ids: dict[str, int]
) -> dict[str, int]:
    ids: dict[str, int] = {}
    for code, name, kind, team, portfolio_wide, description in data.COMPONENTS:
        scope = Component.art_id.is_(None) if portfolio_wide else Component.art_id == art_id
        found = await session.scalar(
            select(Component.id).where(
                scope, Component.name == name, Component.archived_at.is_(None)
            )
        )
        if found is None:
            values = {"name": name, "kind": ComponentKind[kind], "description": description}
            values["owning_team_id"] = team_ids[team]
            scope_id = None if portfolio_wide else art_id
            found = (await components.create_component(session, SEED_ACTOR, scope_id, values)).id
        ids[code] = found
    return ids


async def _seed_work(
    session: AsyncSession,
    art_id: int,
    pi_id: int,
    iteration_ids: list[int],
    team_ids: dict[str, int],
    component_ids: dict[str, int],
) -> None:
    rng = random.Random(data.RANDOM_SEED)
    plans = parse_features(data.FEATURES)
    story_plans = plan_stories(plans, rng)
    dependency_plans = plan_dependencies(plans, story_plans, rng)

    def iteration_id(index: int | None) -> int | None:
        return None if index is None else iteration_ids[index - 1]

    by_wsjf = sorted(range(len(plans)), key=lambda i: (-_wsjf(plans[i]), i))
    ranks = {index: rank for rank, index in enumerate(by_wsjf, 1)}
    feature_ids: list[int] = []
    for i, f in enumerate(plans):
        value, criticality, risk, size = f.wsjf
        feature = await features.create_feature(
            session,
            SEED_ACTOR,
            art_id,
            {
                "key": f"{data.ART_KEY}-{101 + i}",
                "title": f.title,
                "kind": FeatureKind.BUSINESS if f.enabler_type is None else FeatureKind.ENABLER,
                "enabler_type": f.enabler_type,
                "state": f.state,
                "benefit_hypothesis": f.hypothesis,
                "acceptance_criteria": f.criteria,
                "user_business_value": value,
                "time_criticality": criticality,
                "risk_reduction": risk,
                "job_size": size,
                "rank": ranks[i],
                "owning_team_id": team_ids[f.team],
                "planning_interval_id": None if f.iteration is None else pi_id,
                "iteration_id": iteration_id(f.iteration),
                "component_ids": [component_ids[c] for c in f.components],
            },
        )
        feature_ids.append(feature.id)
    story_ids: list[int] = []
    for s in story_plans:
        story = await stories.create_story(
            session,
            SEED_ACTOR,
            {
                "feature_id": feature_ids[s.feature],
                "team_id": team_ids[s.team],
                "key": s.key,
                "title": s.title,
                "kind": s.kind,
                "acceptance_criteria": s.criteria,
                "points": s.points,
                "tshirt_size": s.tshirt,
                "status": s.status,
                "is_blocked": bool(s.blocked_reason),
                "blocked_reason": s.blocked_reason,
                "iteration_id": iteration_id(s.iteration),
                "refinement_tag": s.tag,
                "spike_timebox_days": s.timebox,
                "component_ids": [component_ids[c] for c in s.components],
            },
        )
        story_ids.append(story.id)
    ids = {F: feature_ids, S: story_ids}
    for d in dependency_plans:
        await dependencies.create_dependency(
            session,
            SEED_ACTOR,
            ItemRef(d.dependent[0], ids[d.dependent[0]][d.dependent[1]]),
            ItemRef(d.prerequisite[0], ids[d.prerequisite[0]][d.prerequisite[1]]),
            {"type": d.type, "needed_by_iteration_id": iteration_id(d.needed_by), "note": d.note},
        )


def _wsjf(f: FeaturePlan) -> float:
    value, criticality, risk, size = f.wsjf
    return (value + criticality + risk) / size


async def seed_demo_into(session: AsyncSession, *, today: dt.date | None = None) -> DemoSummary:
    """Seed the demo ART in the caller's transaction (flushes only); a second run writes nothing."""
    existing = await session.scalar(select(Art).where(Art.key == data.ART_KEY))
    if existing is not None:
        return await summarize(session, existing, created=False)
    audit.bind(session, SEED_ACTOR)
    art = await arts.create_art(
        session,
        SEED_ACTOR,
        {"key": data.ART_KEY, "name": data.ART_NAME, "description": data.ART_DESCRIPTION},
    )
    team_ids = await _seed_organisation(session, art.id)
    pi_id, iteration_ids = await _seed_pi(session, art.id, today or dt.date.today())
    component_ids = await _seed_components(session, art.id, team_ids)
    await _seed_work(session, art.id, pi_id, iteration_ids, team_ids, component_ids)
    return await summarize(session, art, created=True)


async def summarize(session: AsyncSession, art: Art, *, created: bool) -> DemoSummary:
    """What the ART holds, counted from the database (live rows only)."""
    team_ids = select(Team.id).where(Team.art_id == art.id, Team.archived_at.is_(None))
    slots = {
        iteration_id: (start, index)
        for iteration_id, index, start in await session.execute(
            select(Iteration.id, Iteration.index, PlanningInterval.start_date)
            .join(PlanningInterval, PlanningInterval.id == Iteration.planning_interval_id)
            .where(PlanningInterval.art_id == art.id)
        )
    }
    items: dict[Item, tuple[int | None, tuple[dt.date, int] | None, bool]] = {}
    for fid, team, iteration, state in await session.execute(
        select(Feature.id, Feature.owning_team_id, Feature.iteration_id, Feature.state).where(
            Feature.art_id == art.id, Feature.archived_at.is_(None)
        )
    ):
        slot = None if iteration is None else slots.get(iteration)
        items[(F, fid)] = (team, slot, state is FeatureState.DONE)
    spikes = 0
    for sid, team, iteration, status, kind in await session.execute(
        select(Story.id, Story.team_id, Story.iteration_id, Story.status, Story.kind)
        .join(Feature, Feature.id == Story.feature_id)
        .where(Feature.art_id == art.id, Story.archived_at.is_(None))
    ):
        slot = None if iteration is None else slots.get(iteration)
        items[(S, sid)] = (team, slot, status is StoryStatus.DONE)
        spikes += kind is StoryKind.SPIKE
    links = list(
        await session.scalars(
            select(Dependency).where(dependencies.of_art(art.id), Dependency.archived_at.is_(None))
        )
    )
    cross = conflicts = 0
    for link in links:
        dependent = items.get(_end(link.dependent_feature_id, link.dependent_story_id))
        prerequisite = items.get(_end(link.prerequisite_feature_id, link.prerequisite_story_id))
        if dependent is None or prerequisite is None:
            continue
        cross += dependent[0] != prerequisite[0]
        d_slot, p_slot = dependent[1], prerequisite[1]
        if d_slot is not None and not prerequisite[2]:
            conflicts += p_slot is None or p_slot > d_slot
    touched_by_features = (
        select(FeatureComponent.component_id)
        .join(Feature, Feature.id == FeatureComponent.feature_id)
        .where(Feature.art_id == art.id)
    )
    touched_by_stories = (
        select(StoryComponent.component_id)
        .join(Story, Story.id == StoryComponent.story_id)
        .join(Feature, Feature.id == Story.feature_id)
        .where(Feature.art_id == art.id)
    )

    async def count(stmt: Select[Any]) -> int:
        return int(await session.scalar(stmt) or 0)

    return DemoSummary(
        art_key=art.key,
        created=created,
        teams=await count(select(func.count()).select_from(team_ids.subquery())),
        people=await count(
            select(func.count(func.distinct(Membership.person_id))).where(
                Membership.archived_at.is_(None),
                or_(Membership.art_id == art.id, Membership.team_id.in_(team_ids)),
            )
        ),
        features=sum(1 for kind, _ in items if kind is F),
        stories=sum(1 for kind, _ in items if kind is S),
        spikes=spikes,
        components=await count(
            select(func.count())
            .select_from(Component)
            .where(
                Component.archived_at.is_(None),
                or_(
                    Component.art_id == art.id,
                    Component.id.in_(touched_by_features),
                    Component.id.in_(touched_by_stories),
                ),
            )
        ),
        dependencies=len(links),
        cross_team_dependencies=cross,
        conflicting_dependencies=conflicts,
        milestones=await count(
            select(func.count())
            .select_from(Milestone)
            .join(PlanningInterval, PlanningInterval.id == Milestone.planning_interval_id)
            .where(PlanningInterval.art_id == art.id, Milestone.archived_at.is_(None))
        ),
    )


def _end(feature_id: int | None, story_id: int | None) -> Item:
    return (F, feature_id) if feature_id is not None else (S, story_id or 0)


def describe(summary: DemoSummary, settings: Settings) -> str:
    s = summary
    head = (
        f"Seeded the demo ART {s.art_key}:"
        if s.created
        else f"The demo ART {s.art_key} is already there; nothing was added. It has"
    )
    return (
        f"{head} {s.teams} teams, {s.people} people, {s.features} features, "
        f"{s.stories} stories ({s.spikes} spikes), {s.components} components, "
        f"{s.dependencies} dependencies ({s.cross_team_dependencies} cross-team, "
        f"{s.conflicting_dependencies} in conflict), {s.milestones} milestones.\n"
        f"Open http://{settings.host}:{settings.port}/graphql"
    )


async def seed_demo(settings: Settings) -> str:
    """Seed the demo ART into the configured database in one transaction; a summary for people."""
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine).begin() as session:
            summary = await seed_demo_into(session)
    finally:
        await engine.dispose()
    return describe(summary, settings)

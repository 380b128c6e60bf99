"""The demo plan in memory: features from the data table, then stories and dependencies drawn
with a fixed random seed, so the demo holds the same items on every run.

Nothing here touches the database; services.demo.seed writes the plan through the use cases.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from services.core.enums import (
    DependencyType,
    EnablerType,
    FeatureState,
    StoryKind,
    StoryStatus,
    TShirtSize,
    WorkItemType,
)
from services.demo import data

IP_INDEX = 5  # four regular iterations, then the IP iteration
DEPENDENCY_TARGET = 60
STORY_CONFLICTS = 2
MIXED_DEPENDENCIES = 3  # of each direction: story -> feature and feature -> story
F, S = WorkItemType.FEATURE, WorkItemType.STORY
Item = tuple[WorkItemType, int]  # a feature or a story of the plan, by its index there


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


@dataclass(frozen=True, slots=True)
class DemoPlan:
    features: list[FeaturePlan]
    stories: list[StoryPlan]
    dependencies: list[DependencyPlan]


def make_plan() -> DemoPlan:
    """The whole demo plan; the same on every call."""
    rng = random.Random(data.RANDOM_SEED)
    plans = parse_features(data.FEATURES)
    story_plans = plan_stories(plans, rng)
    return DemoPlan(plans, story_plans, plan_dependencies(plans, story_plans, rng))

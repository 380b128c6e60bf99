"""Definition of Ready of features and stories (services/DOMAIN.md), per ART, with the reason of
each rule that fails.

Readiness is computed when asked, from a handful of statements for any number of items, so it
is always current (a prerequisite planned earlier by another team makes a story ready at once).
A write that leaves a story ready stamps ``Story.first_ready_at``: later changes to its
acceptance criteria or estimate count as rework.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from graph.model import Slot
from services.core.enums import (
    DEFAULT_FEATURE_READY,
    DEFAULT_STORY_READY,
    ReadyRule,
    StoryKind,
    StoryStatus,
)
from services.core.errors import ErrorCode, Problems
from services.core.scales import story_points
from services.models import (
    Art,
    Feature,
    FeatureComponent,
    FollowUp,
    Story,
    StoryComponent,
    Team,
    utcnow,
)
from services.work import blockers

RULE_TITLES: dict[ReadyRule, str] = {
    ReadyRule.BENEFIT_HYPOTHESIS: "a benefit hypothesis",
    ReadyRule.FEATURE_ACCEPTANCE_CRITERIA: "acceptance criteria",
    ReadyRule.WSJF_SCORED: "WSJF scored (all four inputs)",
    ReadyRule.OWNING_TEAM: "an owning team",
    ReadyRule.DEPENDENCIES_IDENTIFIED: "dependencies identified",
    ReadyRule.NO_OPEN_FEATURE_SPIKE: "no open spike",
    ReadyRule.COMPONENTS_IDENTIFIED: "architecture components named",
    ReadyRule.NO_OPEN_FEATURE_FOLLOW_UP: "no open follow-up",
    ReadyRule.STORY_ACCEPTANCE_CRITERIA: "acceptance criteria",
    ReadyRule.ESTIMATED: "an estimate",
    ReadyRule.NO_BLOCKING_DEPENDENCY: "no unresolved blocking dependency",
    ReadyRule.NO_OPEN_STORY_SPIKE: "no open spike it waits on",
    ReadyRule.NOT_FLAGGED_BLOCKED: "not flagged blocked",
    ReadyRule.TEST_APPROACH: "a test approach",
}


@dataclass(frozen=True, slots=True)
class Failure:
    rule: ReadyRule
    message: str


@dataclass(frozen=True, slots=True)
class Readiness:
    rules: tuple[ReadyRule, ...]  # the rules checked (the ART's Definition of Ready)
    failures: tuple[Failure, ...]

    @property
    def ready(self) -> bool:
        return not self.failures

    def text(self) -> str:
        return " ".join(f.message for f in self.failures)


def rules_of(names: Sequence[str] | None, default: Sequence[ReadyRule]) -> tuple[ReadyRule, ...]:
    if names is None:
        return tuple(default)
    return tuple(ReadyRule(n) for n in names)


def feature_rules(art: Art) -> tuple[ReadyRule, ...]:
    return rules_of(art.feature_ready_rules, DEFAULT_FEATURE_READY)


def story_rules(art: Art) -> tuple[ReadyRule, ...]:
    return rules_of(art.story_ready_rules, DEFAULT_STORY_READY)


def check_rules(
    problems: Problems, field: str, rules: Sequence[ReadyRule], allowed: Sequence[ReadyRule]
) -> list[str]:
    """A Definition of Ready as given by a client: known rules of the right kind, no repeats."""
    wrong = [r for r in rules if r not in allowed]
    if wrong:
        problems.add(
            ErrorCode.INVALID_VALUE,
            f"{', '.join(r.value for r in wrong)} cannot be part of this Definition of Ready; "
            f"choose from {', '.join(r.value for r in allowed)}.",
            field,
        )
    if len(set(rules)) != len(rules):
        problems.add(ErrorCode.INVALID_VALUE, "Name each rule once.", field)
    return [r.value for r in rules]


async def _art_rules(
    session: AsyncSession, art_ids: Iterable[int]
) -> dict[int, tuple[tuple[ReadyRule, ...], tuple[ReadyRule, ...]]]:
    arts = await session.scalars(select(Art).where(Art.id.in_(sorted(set(art_ids)))))
    return {a.id: (feature_rules(a), story_rules(a)) for a in arts}


async def _open_spikes(
    session: AsyncSession, column: InstrumentedAttribute[int | None], ids: Sequence[int]
) -> dict[int, list[str]]:
    """Open spikes by what they belong to: `column` is the story's feature or target story."""
    rows = await session.execute(
        select(column, Story.key)
        .where(
            column.in_(ids),
            Story.kind == StoryKind.SPIKE,
            Story.status != StoryStatus.DONE,
            Story.archived_at.is_(None),
        )
        .order_by(Story.key)
    )
    out: dict[int, list[str]] = {}
    for owner, key in rows:
        if owner is not None:  # never: the rows were chosen by their owner
            out.setdefault(owner, []).append(key)
    return out


async def feature_readiness(
    session: AsyncSession, feature_ids: Sequence[int]
) -> dict[int, Readiness]:
    """Readiness of features against their ART's Definition of Ready (five statements)."""
    ids = sorted(set(feature_ids))
    if not ids:
        return {}
    features = list(await session.scalars(select(Feature).where(Feature.id.in_(ids))))
    rules = await _art_rules(session, (f.art_id for f in features))
    spikes = await _open_spikes(session, Story.feature_id, ids)
    with_components = set(
        await session.scalars(
            select(FeatureComponent.feature_id).where(FeatureComponent.feature_id.in_(ids))
        )
    ) | set(
        await session.scalars(
            select(Story.feature_id)
            .join(StoryComponent, StoryComponent.story_id == Story.id)
            .where(Story.feature_id.in_(ids), Story.archived_at.is_(None))
        )
    )
    follow_ups: dict[int, int] = {
        feature_id: count
        for feature_id, count in (
            await session.execute(
                select(FollowUp.feature_id, func.count())
                .where(
                    FollowUp.feature_id.in_(ids),
                    FollowUp.done_at.is_(None),
                    FollowUp.archived_at.is_(None),
                )
                .group_by(FollowUp.feature_id)
            )
        ).all()
        if feature_id is not None
    }
    out = {}
    for f in features:
        checked = rules[f.art_id][0]
        failures = []
        for rule in checked:
            message = _feature_failure(rule, f, spikes, with_components, follow_ups)
            if message:
                failures.append(Failure(rule, message))
        out[f.id] = Readiness(checked, tuple(failures))
    return out


def _feature_failure(
    rule: ReadyRule,
    f: Feature,
    spikes: dict[int, list[str]],
    with_components: set[int],
    follow_ups: dict[int, int],
) -> str | None:
    if rule is ReadyRule.BENEFIT_HYPOTHESIS and not f.benefit_hypothesis.strip():
        return "No benefit hypothesis: say what the feature should achieve and how to tell."
    if rule is ReadyRule.FEATURE_ACCEPTANCE_CRITERIA and not f.acceptance_criteria:
        return "No acceptance criteria."
    if rule is ReadyRule.WSJF_SCORED and f.wsjf is None:
        missing = [
            name
            for name, value in (
                ("user-business value", f.user_business_value),
                ("time criticality", f.time_criticality),
                ("risk reduction / opportunity enablement", f.risk_reduction),
                ("job size", f.job_size),
            )
            if value is None
        ]
        return f"WSJF is not scored: {', '.join(missing)} missing."
    if rule is ReadyRule.OWNING_TEAM and f.owning_team_id is None:
        return "No owning team named."
    if rule is ReadyRule.DEPENDENCIES_IDENTIFIED and f.dependencies_identified_at is None:
        return (
            "Dependencies are not identified: record them, or that there are none "
            "(dependenciesIdentified: true)."
        )
    if rule is ReadyRule.NO_OPEN_FEATURE_SPIKE and f.id in spikes:
        return f"Open spike {', '.join(spikes[f.id])}: finish it first."
    if rule is ReadyRule.COMPONENTS_IDENTIFIED and f.id not in with_components:
        return "No architecture component named."
    if rule is ReadyRule.NO_OPEN_FEATURE_FOLLOW_UP and follow_ups.get(f.id):
        return f"{follow_ups[f.id]} open follow-up(s)."
    return None


async def story_readiness(session: AsyncSession, story_ids: Sequence[int]) -> dict[int, Readiness]:
    """Readiness of stories against their ART's Definition of Ready (about six statements)."""
    ids = sorted(set(story_ids))
    if not ids:
        return {}
    rows = (
        await session.execute(
            select(Story, Team.name, Team.art_id, Team.tshirt_points)
            .join(Team, Team.id == Story.team_id)
            .where(Story.id.in_(ids))
        )
    ).all()
    rules = await _art_rules(session, (r.art_id for r in rows))
    spikes = await _open_spikes(session, Story.spike_for_story_id, ids)
    waits = await blockers.blocking_prerequisites(session, ids)
    iteration_ids = {r.Story.iteration_id for r in rows if r.Story.iteration_id} | {
        end.iteration_id for found in waits.values() for _, end in found if end.iteration_id
    }
    slots = await blockers.slots(session, iteration_ids) if iteration_ids else {}
    out = {}
    for r in rows:
        story: Story = r.Story
        checked = rules[r.art_id][1]
        failures = []
        for rule in checked:
            message = _story_failure(
                rule, story, r.name, r.tshirt_points, spikes, waits.get(story.id, []), slots
            )
            if message:
                failures.append(Failure(rule, message))
        out[story.id] = Readiness(checked, tuple(failures))
    return out


def _story_failure(
    rule: ReadyRule,
    story: Story,
    team: str,
    scale: dict[str, int],
    spikes: dict[int, list[str]],
    waits: list[tuple[int, blockers.Prerequisite]],
    slots: dict[int, Slot],
) -> str | None:
    if rule is ReadyRule.STORY_ACCEPTANCE_CRITERIA and not story.acceptance_criteria:
        return "No acceptance criteria."
    if rule is ReadyRule.ESTIMATED and story_points(story.points, story.tshirt_size, scale) is None:
        return "No estimate: give story points or a t-shirt size."
    if rule is ReadyRule.NO_BLOCKING_DEPENDENCY:
        unresolved = [
            reason
            for dependency_id, end in waits
            if (reason := blockers.unresolved(story, team, dependency_id, end, slots)) is not None
        ]
        if unresolved:
            return " ".join(unresolved)
    if rule is ReadyRule.NO_OPEN_STORY_SPIKE and story.id in spikes:
        return f"Waits on open spike {', '.join(spikes[story.id])}."
    if rule is ReadyRule.NOT_FLAGGED_BLOCKED and story.is_blocked:
        return f"Flagged blocked: {story.blocked_reason}"
    if rule is ReadyRule.TEST_APPROACH and not story.test_approach.strip():
        return "No test approach recorded."
    return None


async def stamp_ready(session: AsyncSession, story_ids: Sequence[int]) -> list[int]:
    """Stamp ``first_ready_at`` on the stories a write left ready; the ids newly stamped."""
    found = await story_readiness(session, story_ids)
    stamped = []
    now: dt.datetime = utcnow()
    for story in await session.scalars(
        select(Story).where(Story.id.in_(sorted(found)), Story.first_ready_at.is_(None))
    ):
        if found[story.id].ready:
            story.first_ready_at = now
            stamped.append(story.id)
    return stamped

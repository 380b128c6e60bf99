"""The RTE's view of refinement across the ART: the teams' figures rolled up, how many features
program backlog refinement finished per week, the features still waiting for it, the teams
that need attention first, and stories reworked after they were ready."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.core import records
from services.core.enums import FeatureState, HistoryAction
from services.models import Art, Feature, HistoryEntry, Story, Team
from services.refinement import queue
from services.refinement.attendance import WEEK, week_index, week_starts
from services.refinement.health import TeamRefinementHealth, team_refinement_health
from services.work.readiness import Failure

# A change to these after a story was first ready is rework (HistoryEntry.changes keys).
REWORK_FIELDS = ("acceptance_criteria", "points", "tshirt_size")
# Attention score: each concern outweighs everything after it. Counts are capped at 9 so a
# lower concern never adds up to a higher one.
SKIPPING_WEIGHT = 10_000
SHALLOW_WEIGHT = 1_000
OVERDUE_WEIGHT = 100
NO_TECH_WEIGHT = 10
OVERLOADED_WEIGHT = 1
COUNT_CAP = 9


@dataclass(frozen=True, slots=True)
class RefinementTotals:
    ready_stories: int
    ready_points: int
    held_sessions: int
    skipping_teams: int
    overloaded_sessions: int
    sessions_without_tech: int
    open_follow_ups: int
    overdue_follow_ups: int
    open_spikes: int


@dataclass(frozen=True, slots=True)
class WeekCount:
    week_start: dt.date  # the window is [week_start, week_start + 7 days), ending at `now`
    count: int


@dataclass(frozen=True, slots=True)
class WaitingFeature:
    feature_id: int
    key: str
    title: str
    state: FeatureState
    wsjf: float | None
    rank: int
    failures: tuple[Failure, ...]  # what its Definition of Ready still lacks


@dataclass(frozen=True, slots=True)
class TeamAttention:
    team_id: int
    team_key: str
    score: int  # see attention_score
    reasons: tuple[str, ...]  # most urgent first


@dataclass(frozen=True, slots=True)
class ReworkChange:
    history_id: int
    at: dt.datetime
    fields: tuple[str, ...]  # of REWORK_FIELDS, in that order


@dataclass(frozen=True, slots=True)
class ReworkedStory:
    story_id: int
    story_key: str
    team_id: int
    first_ready_at: dt.datetime
    changes: tuple[ReworkChange, ...]  # oldest first


@dataclass(frozen=True, slots=True)
class ArtRefinementHealth:
    art_id: int
    teams: tuple[TeamRefinementHealth, ...]  # by team key
    totals: RefinementTotals
    features_refined_per_week: tuple[WeekCount, ...]  # oldest first, empty weeks included
    features_waiting: tuple[WaitingFeature, ...]  # WSJF high to low (unscored last), then rank
    attention: tuple[TeamAttention, ...]  # highest score first; teams without concerns left out
    rework: tuple[ReworkedStory, ...]  # latest change first


def attention_score(team: TeamRefinementHealth) -> int:
    """Skipping refinement first, then a ready backlog under one iteration, then overdue
    follow-ups, sessions without a developer or tech lead, overloaded agendas (by count)."""
    shallow = team.depth_iterations is not None and team.depth_iterations < 1
    return (
        SKIPPING_WEIGHT * team.skipping
        + SHALLOW_WEIGHT * shallow
        + OVERDUE_WEIGHT * min(COUNT_CAP, team.overdue_follow_ups)
        + NO_TECH_WEIGHT * min(COUNT_CAP, len(team.sessions_without_tech))
        + OVERLOADED_WEIGHT * min(COUNT_CAP, len(team.overloaded_sessions))
    )


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def attention_reasons(team: TeamRefinementHealth, now: dt.datetime) -> tuple[str, ...]:
    reasons = []
    if team.skipping:
        if team.last_held_at is None:
            reasons.append("No refinement held yet")
        else:
            reasons.append(f"No refinement held in {(now - team.last_held_at).days} days")
    if team.depth_iterations is not None and team.depth_iterations < 1:
        reasons.append(f"Ready backlog covers {team.depth_iterations:.1f} iterations")
    if team.overdue_follow_ups:
        reasons.append(f"{_plural(team.overdue_follow_ups, 'follow-up', 'follow-ups')} overdue")
    if without := len(team.sessions_without_tech):
        reasons.append(
            f"{_plural(without, 'session', 'sessions')} without a developer or tech lead"
        )
    if overloaded := len(team.overloaded_sessions):
        what = _plural(overloaded, "session", "sessions")
        reasons.append(f"{what} with more than 8 items on the agenda")
    return tuple(reasons)


def _totals(teams: list[TeamRefinementHealth]) -> RefinementTotals:
    return RefinementTotals(
        ready_stories=sum(t.ready_stories for t in teams),
        ready_points=sum(t.ready_points for t in teams),
        held_sessions=sum(len(t.held_session_ids) for t in teams),
        skipping_teams=sum(1 for t in teams if t.skipping),
        overloaded_sessions=sum(len(t.overloaded_sessions) for t in teams),
        sessions_without_tech=sum(len(t.sessions_without_tech) for t in teams),
        open_follow_ups=sum(len(t.open_follow_ups) for t in teams),
        overdue_follow_ups=sum(t.overdue_follow_ups for t in teams),
        open_spikes=sum(len(t.open_spikes) for t in teams),
    )


async def art_refinement_health(
    session: AsyncSession, art_id: int, now: dt.datetime, weeks: int = 8
) -> ArtRefinementHealth:
    """The ART's refinement view over its live teams; `weeks` 7-day windows ending at `now`
    bound the refined-per-week counts and the rework considered. NOT_FOUND for no ART."""
    await records.load(session, Art, art_id, "ART", field="art_id", allow_archived=True)
    team_ids = list(
        await session.scalars(
            select(Team.id).where(Team.art_id == art_id, Team.archived_at.is_(None))
        )
    )
    found = await team_refinement_health(session, team_ids, now)
    teams = sorted(found.values(), key=lambda t: (t.team_key, t.team_id))
    scored = [(attention_score(t), t) for t in teams]
    attention = tuple(
        TeamAttention(t.team_id, t.team_key, score, attention_reasons(t, now))
        for score, t in sorted(scored, key=lambda st: (-st[0], st[1].team_key, st[1].team_id))
        if score
    )
    return ArtRefinementHealth(
        art_id=art_id,
        teams=tuple(teams),
        totals=_totals(teams),
        features_refined_per_week=await _refined_per_week(session, art_id, now, weeks),
        features_waiting=await _waiting(session, art_id),
        attention=attention,
        rework=await _rework(session, art_id, now - WEEK * weeks, now),
    )


async def _refined_per_week(
    session: AsyncSession, art_id: int, now: dt.datetime, weeks: int
) -> tuple[WeekCount, ...]:
    counts = [0] * weeks
    for at in await session.scalars(
        select(Feature.refined_at).where(
            Feature.art_id == art_id,
            Feature.archived_at.is_(None),
            Feature.refined_at.between(now - WEEK * weeks, now),
        )
    ):
        if at is not None and (k := week_index(at, now, weeks)) is not None:
            counts[k] += 1
    return tuple(
        WeekCount(start.date(), n) for start, n in zip(week_starts(now, weeks), counts, strict=True)
    )


async def _waiting(session: AsyncSession, art_id: int) -> tuple[WaitingFeature, ...]:
    return tuple(
        WaitingFeature(f.id, f.key, f.title, f.state, f.wsjf, f.rank, ready.failures)
        for f, ready in await queue.waiting_features(session, art_id)
    )


async def _rework(
    session: AsyncSession, art_id: int, since: dt.datetime, now: dt.datetime
) -> tuple[ReworkedStory, ...]:
    rows = (
        await session.execute(
            select(
                HistoryEntry.id,
                HistoryEntry.at,
                HistoryEntry.changes,
                Story.id.label("story_id"),
                Story.key,
                Story.team_id,
                Story.first_ready_at,
            )
            .join(
                Story,
                # entity_type is the model's class name (services.history.audit).
                and_(HistoryEntry.entity_type == "Story", HistoryEntry.entity_id == Story.id),
            )
            .join(Team, Team.id == Story.team_id)
            .where(
                Team.art_id == art_id,
                Story.archived_at.is_(None),
                Story.first_ready_at.is_not(None),
                HistoryEntry.action == HistoryAction.UPDATE,
                HistoryEntry.at > Story.first_ready_at,
                HistoryEntry.at.between(since, now),
            )
            .order_by(HistoryEntry.at, HistoryEntry.id)
        )
    ).all()
    stories: dict[int, ReworkedStory] = {}
    for r in rows:
        fields = tuple(f for f in REWORK_FIELDS if f in r.changes)
        if not fields:
            continue
        change = ReworkChange(r.id, r.at, fields)
        before = stories.get(r.story_id)
        stories[r.story_id] = ReworkedStory(
            story_id=r.story_id,
            story_key=r.key,
            team_id=r.team_id,
            first_ready_at=r.first_ready_at,
            changes=(*before.changes, change) if before else (change,),
        )
    return tuple(
        sorted(stories.values(), key=lambda s: (s.changes[-1].at, s.story_id), reverse=True)
    )

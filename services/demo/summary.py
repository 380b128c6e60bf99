"""What the demo holds and how to use it: counted from the database, described for people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.core.enums import FeatureState, SessionStatus, StoryKind, StoryStatus
from services.core.settings import Settings
from services.demo import data
from services.demo.plan import F, Item, S
from services.models import (
    Art,
    Component,
    Dependency,
    Feature,
    FeatureComponent,
    FollowUp,
    Iteration,
    Membership,
    Milestone,
    PlanningInterval,
    RefinementSession,
    Story,
    StoryComponent,
    Team,
)
from services.work import dependencies

CURL_QUERY = '{"query": "{ arts { nodes { key name } } }"}'


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """Someone to sign in as (with the demo password), and the role they show."""

    email: str
    role: str


@dataclass(frozen=True, slots=True)
class SeededAccounts:
    """The demo accounts; ``added`` tells whether this run created them. The token secret is
    there only in the run that created the token: only its hash is stored."""

    accounts: tuple[DemoAccount, ...]
    added: bool
    token_secret: str | None


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
    held_refinements: int  # closed refinement sessions, the ART's and the teams'
    open_follow_ups: int
    accounts: tuple[DemoAccount, ...]
    accounts_added: bool
    token_secret: str | None  # the read-only API token, when this run created it


async def summarize(
    session: AsyncSession, art: Art, *, created: bool, seeded: SeededAccounts
) -> DemoSummary:
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
        held_refinements=await count(
            select(func.count())
            .select_from(RefinementSession)
            .where(
                RefinementSession.art_id == art.id,
                RefinementSession.status == SessionStatus.CLOSED,
                RefinementSession.archived_at.is_(None),
            )
        ),
        open_follow_ups=await count(
            select(func.count())
            .select_from(FollowUp)
            .where(
                FollowUp.art_id == art.id,
                FollowUp.done_at.is_(None),
                FollowUp.archived_at.is_(None),
            )
        ),
        accounts=seeded.accounts,
        accounts_added=seeded.added,
        token_secret=seeded.token_secret,
    )


def _end(feature_id: int | None, story_id: int | None) -> Item:
    return (F, feature_id) if feature_id is not None else (S, story_id or 0)


def describe(summary: DemoSummary, settings: Settings) -> str:
    s = summary
    if s.created:
        head = f"Seeded the demo ART {s.art_key}:"
    elif s.accounts_added:
        head = f"The demo ART {s.art_key} was already there; added its demo accounts. It has"
    else:
        head = f"The demo ART {s.art_key} is already there; nothing was added. It has"
    base = f"http://{settings.host}:{settings.port}"
    counts = (
        f"{head} {s.teams} teams, {s.people} people, {s.features} features, "
        f"{s.stories} stories ({s.spikes} spikes), {s.components} components, "
        f"{s.dependencies} dependencies ({s.cross_team_dependencies} cross-team, "
        f"{s.conflicting_dependencies} in conflict), {s.milestones} milestones, "
        f"{s.held_refinements} refinement sessions held, {s.open_follow_ups} open follow-ups."
    )
    return "\n".join(
        [counts, "", *_sign_in(s, base), "", *_token(s, base), "", f"Open {base}/graphql"]
    )


def _sign_in(s: DemoSummary, base: str) -> list[str]:
    width = max((len(a.email) for a in s.accounts), default=0)
    return [
        f"Sign in at {base}/ as any of these, with the password {data.DEMO_PASSWORD}:",
        *(f"  {a.email:<{width}}  {a.role}" for a in s.accounts),
    ]


def _token(s: DemoSummary, base: str) -> list[str]:
    def curl(token: str) -> str:
        return (
            f"  curl -H 'Authorization: Bearer {token}' -H 'Content-Type: application/json' "
            f"-d '{CURL_QUERY}' {base}/graphql"
        )

    if s.token_secret is not None:
        return [
            f"Read-only API token of {data.ADMIN_EMAIL} for ART {s.art_key} "
            "(shown only now: just its hash is stored):",
            f"  {s.token_secret}",
            curl(s.token_secret),
        ]
    return [
        f"The read-only API token ({data.TOKEN_NAME}) was printed by the first seed; "
        "only its hash is stored. Make another with:",
        f"  trainyard token create --email {data.ADMIN_EMAIL} --scope read --art {s.art_key}",
        curl("<token>"),
    ]

"""The demo's refinement sessions as timeline steps: each team's weekly technical refinement
and the ART's program backlog refinement, walked through the refinement use cases
(schedule, agenda, start, refine, flag, spike, close, cancel, resolve)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from services.core.enums import FeatureState, FollowUpKind, TShirtSize
from services.core.inputs import UNSET
from services.demo import data
from services.demo.accounts import SEED_ACTOR
from services.demo.plan import FeaturePlan, StoryPlan
from services.demo.refinement_plan import (
    ZONE,
    FollowUpPlan,
    Item,
    TeamSeries,
    art_sessions,
    at,
    follow_ups,
    items,
    next_art_day,
    team_days,
    working_days,
)
from services.demo.timeline import Step, Timeline
from services.models import Feature, FollowUp, RefinementSchedule, RefinementSession, Story, Team
from services.refinement import agenda, closing, followups, queue, run, schedules, sessions
from services.refinement.followups import FlagDraft, SpikeDraft
from services.refinement.rules import proposed_size
from services.refinement.schedules import ScheduleDraft
from services.refinement.sessions import SessionChanges, SessionDraft
from services.work import stories
from services.work.features import FeatureChanges
from services.work.stories import StoryChanges

INVITED = "SM PO TL DEV"  # the team roles invited to a team's refinement
MINUTE, HOUR, DAY = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)


@dataclass(slots=True)
class Context:
    """The demo ART as the sessions need it: rows by key, people by name, the plan."""

    session: AsyncSession
    art_id: int
    today: dt.date
    timeline: Timeline
    stories: dict[str, Story]
    features: dict[str, Feature]
    teams: dict[str, Team]
    people: dict[str, int]
    roles: dict[str, list[tuple[str, str]]]  # team key -> (role code, name)
    story_plans: dict[str, StoryPlan]
    feature_plans: dict[str, FeaturePlan]
    held: list[RefinementSession] = field(default_factory=list)
    follow_ups: dict[str, FollowUpPlan] = field(default_factory=follow_ups)

    def invited(self, team: str, roles: str = INVITED) -> list[int]:
        return [self.people[name] for code, name in self.roles[team] if code in roles.split()]

    async def follow_up(self, refinement: RefinementSession, key: str, when: dt.datetime) -> None:
        """Flag the item as data.FOLLOW_UPS says (due never before the session's day), and
        resolve it three working days later when it was resolved."""
        plan = self.follow_ups.get(key)
        if plan is None:
            return
        story, day = self.stories.get(key), when.astimezone(ZONE).date()
        draft = FlagDraft(
            session_id=refinement.id,
            kind=FollowUpKind[plan.kind],
            note=plan.note or (story.blocked_reason if story else ""),
            owner_id=self.people[plan.owner],
            due_on=max(day, self.today + dt.timedelta(days=plan.due_in_days)),
            story_id=story.id if story else None,
            feature_id=None if story else self.features[key].id,
        )
        flagged = await followups.flag_item(self.session, SEED_ACTOR, draft, today=day)
        if plan.resolution:
            self.timeline.at(working_days(when, 3) + HOUR, self._resolve(flagged, plan.resolution))

    def _resolve(self, follow_up: FollowUp, resolution: str) -> Step:
        async def step() -> None:
            await followups.resolve_follow_up(
                self.session, SEED_ACTOR, follow_up.id, follow_up.version, resolution
            )

        return step


def _estimate(value: int | str | TShirtSize | None) -> StoryChanges:
    """Points or a t-shirt size, the other cleared."""
    if isinstance(value, TShirtSize | str):
        return StoryChanges(points=None, tshirt_size=TShirtSize(value))
    return StoryChanges(points=value, tshirt_size=None)


class TeamRefinement:
    """One team's weekly technical refinement over the last four weeks, and the next session
    with its proposed agenda."""

    def __init__(self, ctx: Context, series: TeamSeries) -> None:
        self.ctx, self.series = ctx, series
        self.team = ctx.teams[series.team]
        self.current: RefinementSession | None = None  # the team's next session
        self.drafted = {k for w in series.weeks for m, k in w.items if m == "^"}
        self.drafted |= set(data.CRITERIA_COMPLETED_LATER)

    def add_steps(self) -> None:
        s, timeline = self.series, self.ctx.timeline
        days = team_days(s.ago, self.ctx.today)
        starts = [at(day, s.start) for day in days]
        first = next(i for i, w in enumerate(s.weeks) if w.status != "-")
        timeline.at(starts[first] - 7 * DAY, self._schedule(days[0].weekday(), starts[first]))
        for index in range(first, len(s.weeks)):
            week, start, following = s.weeks[index], starts[index], starts[index + 1]
            if week.status == "C":
                last = start - 2 * HOUR  # called off that morning
                timeline.at(last, self._cancel(week.reason, following))
                continue
            key = (s.team, index + 1)
            minutes = data.SESSION_OVERRUNS.get(key, s.minutes - 5 * (1 + index % 3))
            agenda = s.agenda(index)
            day_before = at(working_days(start, -1).astimezone(ZONE).date(), dt.time(16))
            timeline.at(day_before, self._prepare(key, week.items))
            timeline.at(start, self._start())
            for n, (marker, story) in enumerate(agenda):
                if marker != "~":
                    when = start + MINUTE * (2 + round(n * (minutes - 5) / len(agenda)))
                    timeline.at(when, self._refine(marker, story, when))
            last = start + minutes * MINUTE
            timeline.at(last, self._close(following))
        timeline.at(last + HOUR / 2, self._propose())

    async def _following(self, starts_at: dt.datetime) -> RefinementSession:
        """The next session of the series, scheduled now."""
        assert self.current is not None
        assert self.current.schedule_id is not None
        schedule = await self.ctx.session.get(RefinementSchedule, self.current.schedule_id)
        assert schedule is not None
        return await schedules.schedule_occurrence(
            self.ctx.session, SEED_ACTOR, schedule, starts_at
        )

    def _schedule(self, weekday: int, first: dt.datetime) -> Step:
        async def step() -> None:
            draft = ScheduleDraft(
                weekday=weekday,
                start_time=self.series.start,
                timezone=data.REFINEMENT_TIMEZONE,
                timebox_minutes=self.series.minutes,
                invitee_ids=self.ctx.invited(self.series.team),
            )
            _, self.current = await schedules.schedule_team_refinement(
                self.ctx.session, SEED_ACTOR, self.team.id, draft, now=first - MINUTE
            )

        return step

    def _cancel(self, reason: str, following: dt.datetime) -> Step:
        async def step() -> None:
            assert self.current is not None
            await closing.cancel_session(
                self.ctx.session, SEED_ACTOR, self.current.id, self.current.version, reason
            )
            self.current = await self._following(following)

        return step

    def _prepare(self, key: tuple[str, int], new: tuple[Item, ...]) -> Step:
        """The scrum master sets the agenda the day before: leftovers first, then `new`."""

        async def step() -> None:
            ctx, refinement = self.ctx, self.current
            assert refinement is not None
            if key in data.REFINEMENT_ATTENDANCE:
                roles, notes = data.REFINEMENT_ATTENDANCE[key]
                changes = SessionChanges(participant_ids=ctx.invited(key[0], roles), notes=notes)
                await sessions.update_session(
                    ctx.session, SEED_ACTOR, refinement.id, refinement.version, changes
                )
            carried = self.series.carried_into(key[1] - 1)
            story_ids = [ctx.stories[k].id for _, k in (*carried, *new)]
            await agenda.set_agenda(
                ctx.session,
                SEED_ACTOR,
                refinement.id,
                refinement.version,
                story_ids,
                data.AGENDA_OVERRIDES.get(key),
            )

        return step

    def _start(self) -> Step:
        async def step() -> None:
            assert self.current is not None
            await run.start_session(
                self.ctx.session, SEED_ACTOR, self.current.id, self.current.version
            )

        return step

    def _refine(self, marker: str, key: str, when: dt.datetime) -> Step:
        async def step() -> None:
            ctx, refinement = self.ctx, self.current
            assert refinement is not None
            story, plan = ctx.stories[key], ctx.story_plans[key]
            await run.refine_story(
                ctx.session,
                SEED_ACTOR,
                refinement.id,
                story.id,
                story.version,
                self._changes(marker, plan),
                covered=True,
            )
            if marker == "" and key in data.REFINEMENT_SPIKES:
                await self._spike(refinement, story)
            await ctx.follow_up(refinement, key, when)
            if key in data.CRITERIA_COMPLETED_LATER:
                later = working_days(when, data.CRITERIA_COMPLETED_LATER[key]) + 2 * HOUR
                ctx.timeline.at(later, self._complete_criteria(story, plan))

        return step

    def _changes(self, marker: str, plan: StoryPlan) -> StoryChanges:
        """What the team agreed on the story: "^" the final criteria and estimate, "?" (or no
        estimate in the plan) the value and draft criteria, a spike's story the unknown;
        otherwise criteria, estimate (both drafts when reworked later) and technical details."""
        estimate = plan.points if plan.points is not None else plan.tshirt
        if marker == "^":
            return dataclasses.replace(_estimate(estimate), acceptance_criteria=plan.criteria)
        feature = f"{data.ART_KEY}-{101 + plan.feature}"
        why = f"Needed for {feature}: {self.ctx.feature_plans[feature].hypothesis}"
        if marker == "?" or estimate is None:
            criteria = list(data.STORY_CRITERIA[plan.kind.value][:2])
            return StoryChanges(business_value_notes=why, acceptance_criteria=criteria)
        if plan.key in data.REFINEMENT_SPIKES:
            unknown = data.REFINEMENT_SPIKES[plan.key][0].removeprefix("Spike: ")
            return StoryChanges(technical_assumptions=f"Open until a spike answers it: {unknown}")
        nfrs, tests = data.STORY_NOTES[plan.kind.value]
        touched = " and the ".join(n for c, n, *_ in data.COMPONENTS if c in plan.components)
        return dataclasses.replace(
            _estimate(data.DRAFT_ESTIMATES.get(plan.key, estimate)),
            acceptance_criteria=plan.criteria[:1] if plan.key in self.drafted else plan.criteria,
            architecture_impact=f"Changes the {touched}." if touched else "None.",
            nfrs=nfrs,
            test_approach=tests,
            business_value_notes=why if plan.kind.value == "USER_STORY" else UNSET,
        )

    async def _spike(self, refinement: RefinementSession, story: Story) -> None:
        title, days, points = data.REFINEMENT_SPIKES[story.key]
        prefix = f"{self.series.team}-"
        number = 1 + max(
            int(k.removeprefix(prefix)) for k in self.ctx.stories if k.startswith(prefix)
        )
        draft = SpikeDraft(
            session_id=refinement.id,
            story_id=story.id,
            key=f"{prefix}{number}",
            title=title,
            points=points,
            spike_timebox_days=days,
            acceptance_criteria=list(data.STORY_CRITERIA["SPIKE"]),
        )
        spike = await followups.create_spike(self.ctx.session, SEED_ACTOR, draft)
        self.ctx.stories[spike.key] = spike

    def _complete_criteria(self, story: Story, plan: StoryPlan) -> Step:
        """The product owner completes a ready story's criteria between sessions (rework)."""

        async def step() -> None:
            await stories.update_story(
                self.ctx.session,
                SEED_ACTOR,
                story.id,
                story.version,
                StoryChanges(acceptance_criteria=plan.criteria),
            )

        return step

    def _close(self, following: dt.datetime) -> Step:
        """Close the session once the next one is scheduled: its leftovers go there."""

        async def step() -> None:
            refinement = self.current
            assert refinement is not None
            self.current = await self._following(following)
            await closing.close_session(
                self.ctx.session, SEED_ACTOR, refinement.id, refinement.version
            )
            self.ctx.held.append(refinement)

        return step

    def _propose(self) -> Step:
        """The next session's agenda: the leftovers, then the team's refinement queue (stories
        not ready first) up to what its timebox holds."""

        async def step() -> None:
            ctx, refinement = self.ctx, self.current
            assert refinement is not None
            carried = [
                a.story_id
                for a in await agenda.items(ctx.session, refinement.id)
                if a.story_id is not None
            ]
            entries = await queue.team_queue(ctx.session, self.team.id)
            fresh = [e for e in entries if e.story_id not in carried]
            picks = [e.story_id for e in fresh if not e.readiness.ready]
            picks += [e.story_id for e in fresh if e.readiness.ready]
            room = max(0, proposed_size(refinement.timebox_minutes) - len(carried))
            await agenda.set_agenda(
                ctx.session,
                SEED_ACTOR,
                refinement.id,
                refinement.version,
                [*carried, *picks[:room]],
                None,
            )

        return step


class ArtRefinement:
    """The ART's program backlog refinement in the PI's first weeks, and the next session."""

    def __init__(self, ctx: Context, pi_start: dt.date) -> None:
        self.ctx, self.pi_start = ctx, pi_start
        self.rte = next(ctx.people[name] for role, name in data.ART_PEOPLE if role == "RTE")
        self.attendees = [
            ctx.people[name]
            for role, name in data.ART_PEOPLE
            if role in {"RTE", "PRODUCT_MANAGER", "SYSTEM_ARCHITECT"}
        ]

    def add_steps(self) -> None:
        timeline, time = self.ctx.timeline, dt.time.fromisoformat(data.ART_REFINEMENT_TIME)
        held = art_sessions()
        following: list[RefinementSession] = []
        for index, (day, features) in enumerate(held, 1):
            start = at(self.pi_start + day * DAY, time)
            made: list[RefinementSession] = []
            timeline.at(start - 7 * DAY, self._create(start, made))
            timeline.at(start - DAY, self._agenda(made, features))
            timeline.at(start, self._start(made))
            for n, (marker, key) in enumerate(features):
                if marker != "~":
                    when = start + (5 + 25 * n) * MINUTE
                    timeline.at(when, self._refine(made, marker, key, when))
            closed = start + (data.ART_REFINEMENT_MINUTES - 30 + 5 * len(features)) * MINUTE
            if index == len(held):  # the next one is scheduled first: leftovers roll there
                upcoming = at(next_art_day(self.ctx.today), time)
                timeline.at(closed, self._create(upcoming, following))
                timeline.at(closed + HOUR, self._agenda(following, items(list(data.ART_NEXT))))
            timeline.at(closed, self._close(made))

    def _create(self, start: dt.datetime, made: list[RefinementSession]) -> Step:
        async def step() -> None:
            draft = SessionDraft(
                art_id=self.ctx.art_id,
                starts_at=start,
                timebox_minutes=data.ART_REFINEMENT_MINUTES,
                participant_ids=self.attendees,
                facilitator_id=self.rte,
            )
            made.append(await sessions.create_session(self.ctx.session, SEED_ACTOR, draft))

        return step

    def _agenda(self, made: list[RefinementSession], features: tuple[Item, ...]) -> Step:
        async def step() -> None:
            ids = [self.ctx.features[key].id for _, key in features]
            await agenda.set_agenda(
                self.ctx.session, SEED_ACTOR, made[0].id, made[0].version, ids, None
            )

        return step

    def _start(self, made: list[RefinementSession]) -> Step:
        async def step() -> None:
            await run.start_session(self.ctx.session, SEED_ACTOR, made[0].id, made[0].version)

        return step

    def _refine(
        self, made: list[RefinementSession], marker: str, key: str, when: dt.datetime
    ) -> Step:
        """Business value and technical assumptions; for a planned feature its dependencies
        identified; "+" also criteria and WSJF, out of analysis into its planned state."""

        async def step() -> None:
            ctx, feature, plan = self.ctx, self.ctx.features[key], self.ctx.feature_plans[key]
            notes, assumptions = data.FEATURE_NOTES[key]
            analysed = plan.state not in {FeatureState.FUNNEL, FeatureState.ANALYZING}
            changes = FeatureChanges(
                business_value_notes=notes,
                technical_assumptions=assumptions,
                dependencies_identified=True if analysed else UNSET,
            )
            if marker == "+":
                value, criticality, risk, size = plan.wsjf
                changes = dataclasses.replace(
                    changes,
                    acceptance_criteria=plan.criteria,
                    user_business_value=value,
                    time_criticality=criticality,
                    risk_reduction=risk,
                    job_size=size,
                    state=plan.state,
                )
            await run.refine_feature(
                ctx.session, SEED_ACTOR, made[0].id, feature.id, feature.version, changes, True
            )
            await ctx.follow_up(made[0], key, when)

        return step

    def _close(self, made: list[RefinementSession]) -> Step:
        async def step() -> None:
            await closing.close_session(self.ctx.session, SEED_ACTOR, made[0].id, made[0].version)
            self.ctx.held.append(made[0])

        return step

"""A session's agenda: the team's stories or the ART's features in order, the steps recorded
on each, and the leftovers a closed session hands to the next one."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access.permissions import Actor
from services.core import records, validation
from services.core.enums import AgendaStep, RefinementEventKind, StoryStatus
from services.core.errors import DomainError, ErrorCode, Field, Problems, at
from services.history import audit
from services.models import AgendaItem, Feature, RefinementSession, Story, Team, utcnow
from services.refinement import events
from services.refinement.rules import AGENDA_SIZE
from services.refinement.sessions import check_open, require_run


async def items(session: AsyncSession, session_id: int) -> list[AgendaItem]:
    """The session's agenda, in order."""
    return list(
        await session.scalars(
            select(AgendaItem)
            .where(AgendaItem.session_id == session_id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )


async def _check_stories(
    session: AsyncSession, problems: Problems, team_id: int, ids: Sequence[int]
) -> None:
    rows = {
        r.id: r
        for r in await session.execute(
            select(Story.id, Story.key, Story.team_id, Story.status, Story.archived_at).where(
                Story.id.in_(ids)
            )
        )
    }
    team = await session.get(Team, team_id)
    assert team is not None
    for i in ids:
        row = rows.get(i)
        if row is None or row.archived_at is not None:
            problems.add(
                ErrorCode.NOT_FOUND, at("item_ids", ": a story does not exist."), "item_ids"
            )
        elif row.team_id != team.id:
            problems.add(
                ErrorCode.WRONG_TEAM,
                at(
                    "item_ids",
                    f": {row.key} belongs to another team; a team's refinement agenda holds only "
                    f"stories of team {team.key}.",
                ),
                "item_ids",
            )
        elif row.status is StoryStatus.DONE:
            problems.add(
                ErrorCode.INVALID_VALUE, at("item_ids", f": {row.key} is done already."), "item_ids"
            )


async def _check_features(
    session: AsyncSession, problems: Problems, art_id: int, ids: Sequence[int]
) -> None:
    features = {
        r.id: r
        for r in await session.execute(
            select(Feature.id, Feature.key, Feature.art_id, Feature.archived_at).where(
                Feature.id.in_(ids)
            )
        )
    }
    for i in ids:
        feature = features.get(i)
        if feature is None or feature.archived_at is not None:
            problems.add(
                ErrorCode.NOT_FOUND, at("item_ids", ": a feature does not exist."), "item_ids"
            )
        elif feature.art_id != art_id:
            problems.add(
                ErrorCode.WRONG_ART,
                at("item_ids", f": {feature.key} belongs to another ART."),
                "item_ids",
            )


async def set_agenda(
    session: AsyncSession,
    actor: Actor,
    session_id: int,
    version: int,
    item_ids: Sequence[int],
    override_reason: str | None,
) -> RefinementSession:
    """The agenda, in order: stories of the team (team session) or features of the ART.
    More than 8 items needs an override reason; items already covered keep their record."""
    refinement = await records.load(session, RefinementSession, session_id, "refinement session")
    await require_run(session, actor, refinement)
    records.check_version(refinement, version, "Refinement session")
    check_open(refinement, "change its agenda")
    problems = Problems()
    if len(set(item_ids)) != len(item_ids):
        problems.add(ErrorCode.INVALID_VALUE, at("item_ids", ": name each item once."), "item_ids")
    if refinement.team_id is not None:
        await _check_stories(session, problems, refinement.team_id, item_ids)
    else:
        await _check_features(session, problems, refinement.art_id, item_ids)
    reason = validation.text(
        problems, "override_reason", override_reason or "", max_len=validation.SHORT_TEXT_MAX
    )
    high = AGENDA_SIZE[1]
    if len(item_ids) > high and not reason:
        problems.add(
            ErrorCode.AGENDA_OVERLOADED,
            (
                Field("item_ids"),
                f": {len(item_ids)} items overload a session (5-8 keep it focused); give an ",
                Field("override_reason"),
                " to hold more.",
            ),
            "item_ids",
        )
    problems.raise_if_any()
    team_session = refinement.team_id is not None
    before = await items(session, refinement.id)
    current = {(a.story_id if team_session else a.feature_id): a for a in before}
    override = (reason or "") if len(item_ids) > high else ""
    if list(current) == list(item_ids) and override == refinement.agenda_override_reason:
        return refinement  # the agenda it has: nothing to write
    for item_id, item in current.items():
        if item_id not in item_ids:
            await session.delete(item)
    for position, item_id in enumerate(item_ids, 1):
        if item_id in current:
            current[item_id].position = position
        elif team_session:
            session.add(
                AgendaItem(session_id=refinement.id, position=position, steps=[], story_id=item_id)
            )
        else:
            session.add(
                AgendaItem(
                    session_id=refinement.id, position=position, steps=[], feature_id=item_id
                )
            )
    refinement.agenda_override_reason = override
    _note_agenda(session, refinement, list(current), list(item_ids))
    await records.flush(session, refinement, "Refinement session")
    await events.log(
        session,
        refinement,
        actor,
        RefinementEventKind.AGENDA_CHANGED,
        f"Agenda set: {len(item_ids)} item(s).",
        detail={"items": list(item_ids)},
    )
    return refinement


async def carry_over(
    session: AsyncSession,
    actor: Actor,
    following: RefinementSession,
    source: RefinementSession,
    leftovers: Sequence[AgendaItem],
) -> None:
    """Put a closed session's leftovers first on the next session's agenda, in their order,
    ahead of the items it had; a leftover it had already moves up among them."""
    current = await items(session, following.id)
    have = {(a.story_id, a.feature_id): a for a in current}
    moved = []
    for position, left in enumerate(leftovers, 1):
        item = have.pop((left.story_id, left.feature_id), None)
        if item is None:
            item = AgendaItem(
                session_id=following.id,
                story_id=left.story_id,
                feature_id=left.feature_id,
                steps=[],
            )
            session.add(item)
        if item.carried_from_id is None:
            item.carried_from_id = source.id
        item.position = position
        moved.append(item)
    for offset, item in enumerate(have.values(), len(moved) + 1):
        item.position = offset
    _note_agenda(
        session,
        following,
        [subject_id(i) for i in current],
        [subject_id(i) for i in (*moved, *have.values())],
    )
    await records.flush(session, following, "Refinement session")
    await events.log(
        session,
        following,
        actor,
        RefinementEventKind.AGENDA_CHANGED,
        f"{len(moved)} item(s) left over from {source.title} ({source.starts_at:%Y-%m-%d}) "
        "put first on the agenda.",
        detail={"carried_from": source.id, "items": [i.story_id or i.feature_id for i in moved]},
    )


def subject_id(item: AgendaItem) -> int | None:
    """The story's (team session) or the feature's (ART session) id."""
    return item.story_id if item.story_id is not None else item.feature_id


def _note_agenda(
    session: AsyncSession,
    refinement: RefinementSession,
    before: Sequence[int | None],
    after: Sequence[int | None],
) -> None:
    """A new agenda is a change of its session: its history keeps the items in order before
    and after, and its version goes up."""
    if list(before) != list(after):
        field = "agenda_story_ids" if refinement.team_id is not None else "agenda_feature_ids"
        audit.note(session, refinement, field, list(before), list(after))
        records.touch(refinement)


async def item_on(
    session: AsyncSession,
    refinement: RefinementSession,
    story_id: int | None,
    feature_id: int | None,
) -> AgendaItem:
    """The agenda item of the story (or else the feature) on the session's agenda."""
    column = AgendaItem.story_id if story_id is not None else AgendaItem.feature_id
    item = await session.scalar(
        select(AgendaItem).where(
            AgendaItem.session_id == refinement.id, column == (story_id or feature_id)
        )
    )
    if item is None:
        raise DomainError.single(
            ErrorCode.INVALID_VALUE,
            "That item is not on this session's agenda; add it to the agenda first.",
            "story_id" if story_id is not None else "feature_id",
        )
    return item


def mark(item: AgendaItem, steps: set[AgendaStep], covered: bool | None) -> None:
    """Record steps done on an agenda item (its discussion starts with the first one)."""
    now = utcnow()
    if item.discussion_started_at is None:
        item.discussion_started_at = now
    item.steps = sorted(set(item.steps) | {s.value for s in steps})
    if covered is True and item.covered_at is None:
        item.covered_at = now
    elif covered is False:
        item.covered_at = None

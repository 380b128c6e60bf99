"""The ART Kanban of features (services/DOMAIN.md, The ART Kanban): which moves a feature may
make, the reason a move back needs, the admin's reopen of a DONE feature, and each ART's WIP
limits per state.

Every change of a feature's state goes through here: `updateFeature` (and what calls it:
program backlog refinement, the demo seed) checks `check_move` and `check_wip`;
`createFeature` only `check_wip`, since a feature may be created directly in a later state
(an import) as long as it meets its Definition of Ready.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import records, validation
from services.core.enums import FeatureState
from services.core.errors import DomainError, ErrorCode, Field, Problems, at, joined
from services.history import audit
from services.models import Art, Feature, utcnow

FLOW: tuple[FeatureState, ...] = tuple(FeatureState)
# FUNNEL takes every idea that comes in, and DONE is finished work, not work in progress.
UNLIMITED = frozenset({FeatureState.FUNNEL, FeatureState.DONE})
LIMITED: tuple[FeatureState, ...] = tuple(s for s in FLOW if s not in UNLIMITED)
LIMIT_RANGE = (1, 1000)
REASON_MAX = validation.SHORT_TEXT_MAX
REOPENERS = "a portfolio admin or the ART's RTE"


def _names(states: Iterable[FeatureState]) -> str:
    return ", ".join(s.value for s in states)


def forward_of(state: FeatureState) -> FeatureState | None:
    """The one state a feature in `state` may move forward to (None from DONE)."""
    position = FLOW.index(state)
    return FLOW[position + 1] if position + 1 < len(FLOW) else None


def earlier_than(state: FeatureState) -> tuple[FeatureState, ...]:
    return FLOW[: FLOW.index(state)]


def allowed_moves(state: FeatureState) -> str:
    """What a feature in `state` (not DONE) may move to, in words for a refusal."""
    forward = forward_of(state)
    assert forward is not None  # only DONE has none
    text = f"a feature in {state.value} moves forward to {forward.value}"
    earlier = earlier_than(state)
    if earlier:
        text += f", or back to an earlier state ({_names(earlier)}) with a reason"
    return text + "."


def reason_given(problems: Problems, field: str, value: str | None) -> str | None:
    """A reason as given: trimmed, None when blank."""
    return validation.text(problems, field, value, max_len=REASON_MAX) or None


def check_move(
    problems: Problems,
    key: str,
    before: FeatureState,
    after: FeatureState | None,
    reason: str | None,
) -> None:
    """Forward one state at a time; back only with a reason; never out of DONE (reopen).
    `after` None: the state is not being changed."""
    if after is None or after is before:
        if reason is not None:
            problems.add(
                ErrorCode.INVALID_VALUE,
                joined(
                    at("state_reason", " goes with a change of state, and "),
                    f"{key} stays in {before.value}.",
                ),
                "state_reason",
            )
        return
    if before is FeatureState.DONE:
        problems.add(
            ErrorCode.FORBIDDEN_TRANSITION,
            f"{key} is DONE, which is final: only {REOPENERS} reopens a feature "
            "(reopenFeature, with a reason).",
            "state",
        )
    elif FLOW.index(after) > FLOW.index(before) + 1:
        problems.add(
            ErrorCode.FORBIDDEN_TRANSITION,
            f"{key} cannot skip from {before.value} to {after.value}: {allowed_moves(before)}",
            "state",
        )
    elif FLOW.index(after) < FLOW.index(before) and reason is None:
        problems.add(
            ErrorCode.FORBIDDEN_TRANSITION,
            (
                f"{key} goes back from {before.value} to {after.value} only with a reason "
                f"(give it in ",
                Field("state_reason"),
                f"): {allowed_moves(before)}",
            ),
            "state_reason",
        )


async def state_counts(
    session: AsyncSession, art_ids: Iterable[int]
) -> dict[int, dict[FeatureState, int]]:
    """How many live (non-archived) features each ART has in each state: one statement."""
    rows = await session.execute(
        select(Feature.art_id, Feature.state, func.count())
        .where(Feature.art_id.in_(sorted(set(art_ids))), Feature.archived_at.is_(None))
        .group_by(Feature.art_id, Feature.state)
    )
    out: dict[int, dict[FeatureState, int]] = {}
    for art_id, state, count in rows.all():
        out.setdefault(art_id, {})[state] = int(count)
    return out


async def check_wip(
    session: AsyncSession, art: Art, key: str, state: FeatureState, feature_id: int | None
) -> None:
    """A move into (or creation in) a state at its WIP limit is refused, naming the limit;
    the feature itself (`feature_id`; None for a new one) is not counted."""
    limit = (art.wip_limits or {}).get(state.value)
    if limit is None:
        return
    stmt = select(func.count()).where(
        Feature.art_id == art.id, Feature.state == state, Feature.archived_at.is_(None)
    )
    if feature_id is not None:
        stmt = stmt.where(Feature.id != feature_id)
    count = int(await session.scalar(stmt) or 0)
    if count >= limit:
        verb = "be created in" if feature_id is None else "move to"
        raise DomainError.single(
            ErrorCode.WIP_LIMIT_REACHED,
            f"{key} cannot {verb} {state.value}: {state.value} is at its WIP limit of {limit} "
            f"in ART {art.key} (it holds {count}). Move a feature out of {state.value} "
            "first, or have the RTE raise the limit (setWipLimit).",
            "state",
        )


async def reopen_feature(
    session: AsyncSession,
    actor: Actor,
    feature_id: int,
    version: int,
    state: FeatureState,
    reason: str | None,
) -> Feature:
    """Move a DONE feature back to an earlier state, with a reason its history keeps."""
    permissions.require_write(actor)
    feature = await records.load(session, Feature, feature_id, "feature")
    art = await records.load(session, Art, feature.art_id, "ART", allow_archived=True)
    permissions.require(
        actor, Action.REOPEN_FEATURE, art_id=art.id, where=f"({feature.key} of ART {art.key})"
    )
    records.check_version(feature, version, "Feature")
    problems = Problems()
    if feature.state is not FeatureState.DONE:
        problems.add(
            ErrorCode.FORBIDDEN_TRANSITION,
            f"{feature.key} is in {feature.state.value}, not DONE: only a DONE feature is "
            "reopened; move it with updateFeature.",
            "id",
        )
    elif state is FeatureState.DONE:
        problems.add(
            ErrorCode.INVALID_VALUE,
            f"Reopening moves {feature.key} back from DONE to an earlier state: one of "
            f"{_names(earlier_than(FeatureState.DONE))}.",
            "state",
        )
    text = validation.text(problems, "reason", reason, max_len=REASON_MAX, required=True)
    problems.raise_if_any()
    assert text is not None
    await check_wip(session, art, feature.key, state, feature.id)
    audit.give_reason(session, feature, text)
    feature.state = state
    feature.updated_at = utcnow()
    await records.flush(session, feature, "Feature")
    return feature


@dataclass(frozen=True, slots=True)
class WipLimit:
    state: FeatureState
    limit: int
    count: int  # live features in the state now


def wip_limits_of(
    limits: Mapping[str, int] | None, counts: Mapping[FeatureState, int]
) -> list[WipLimit]:
    """An ART's WIP limits in flow order, each with how many features are in its state."""
    given = limits or {}
    return [WipLimit(s, given[s.value], counts.get(s, 0)) for s in LIMITED if s.value in given]


async def set_wip_limit(
    session: AsyncSession,
    actor: Actor,
    art_id: int,
    version: int,
    state: FeatureState,
    limit: int | None,
) -> Art:
    """Set (or with None remove) the ART's WIP limit of one state. A limit below what the
    state holds now is allowed: no feature moves in until it is below the limit again."""
    permissions.require_write(actor)
    art = await records.load(session, Art, art_id, "ART", field="art_id")
    permissions.require(actor, Action.SET_WIP_LIMITS, art_id=art.id, where=f"(ART {art.key})")
    records.check_version(art, version, "ART")
    problems = Problems()
    if state in UNLIMITED:
        why = "it takes every new idea" if state is FeatureState.FUNNEL else "it is finished work"
        problems.add(
            ErrorCode.INVALID_VALUE,
            f"{state.value} has no WIP limit ({why}); limits go on {_names(LIMITED)}.",
            "state",
        )
    validation.in_range(problems, "limit", limit, *LIMIT_RANGE, "features")
    problems.raise_if_any()
    limits = dict(art.wip_limits or {})
    if limit is None:
        limits.pop(state.value, None)
    else:
        limits[state.value] = limit
    ordered: dict[str, int] = {s.value: limits[s.value] for s in LIMITED if s.value in limits}
    art.wip_limits = ordered or None
    art.updated_at = utcnow()
    await records.flush(session, art, "ART")
    return art

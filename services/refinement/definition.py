"""Each ART's Definition of Ready: which rules a feature and a story must meet
(services/DOMAIN.md gives the default; an ART may drop rules or add the optional ones)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.access import permissions
from services.access.permissions import Action, Actor
from services.core import records
from services.core.enums import (
    DEFAULT_FEATURE_READY,
    DEFAULT_STORY_READY,
    FEATURE_READY_RULES,
    STORY_READY_RULES,
    ReadyRule,
)
from services.core.errors import Problems
from services.models import Art, utcnow
from services.work import readiness


async def set_definition_of_ready(
    session: AsyncSession,
    actor: Actor,
    art_id: int,
    version: int,
    feature_rules: Sequence[ReadyRule] | None,
    story_rules: Sequence[ReadyRule] | None,
) -> Art:
    """Replace the ART's feature and/or story Definition of Ready (None keeps one as it is;
    an empty list means no rule). Readiness is computed when asked, so it follows at once."""
    permissions.require_write(actor)
    art = await records.load(session, Art, art_id, "ART", field="art_id")
    permissions.require(
        actor, Action.SET_DEFINITION_OF_READY, art_id=art.id, where=f"(ART {art.key})"
    )
    records.check_version(art, version, "ART")
    problems = Problems()
    features = stories = None
    if feature_rules is not None:
        features = readiness.check_rules(
            problems, "feature_rules", feature_rules, FEATURE_READY_RULES
        )
    if story_rules is not None:
        stories = readiness.check_rules(problems, "story_rules", story_rules, STORY_READY_RULES)
    problems.raise_if_any()
    if features is not None:
        # The default is stored as NULL so that an ART follows services/DOMAIN.md's default.
        default = [r.value for r in DEFAULT_FEATURE_READY]
        art.feature_ready_rules = None if features == default else features
    if stories is not None:
        default = [r.value for r in DEFAULT_STORY_READY]
        art.story_ready_rules = None if stories == default else stories
    art.updated_at = utcnow()
    await records.flush(session, art, "ART")
    return art

"""The Definition of Ready in the API: an ART's rules, and whether an item meets them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import strawberry

from schema.kit import enums as e
from services.core.enums import (
    DEFAULT_FEATURE_READY,
    DEFAULT_STORY_READY,
    FEATURE_READY_RULES,
    STORY_READY_RULES,
    ReadyRule,
)
from services.work.readiness import RULE_TITLES, Failure, Readiness, rules_of


@strawberry.type(description="One rule of a Definition of Ready that an item does not meet.")
class ReadinessFailure:
    rule: e.ReadyRule = strawberry.field(description="The rule.")
    title: str = strawberry.field(description="What the rule asks for, in words.")
    message: str = strawberry.field(description="Why this item does not meet it.")


def failures(found: Iterable[Failure]) -> list[ReadinessFailure]:
    return [
        ReadinessFailure(rule=f.rule, title=RULE_TITLES[f.rule], message=f.message) for f in found
    ]


@strawberry.type(description="Whether an item meets its ART's Definition of Ready, and why not.")
class ReadinessReport:
    ready: bool = strawberry.field(description="True when every rule is met.")
    rules: list[e.ReadyRule] = strawberry.field(description="The rules checked (the ART's).")
    failures: list[ReadinessFailure] = strawberry.field(
        description="The rules not met, each with its reason; empty when ready."
    )

    @classmethod
    def of(cls, found: Readiness) -> ReadinessReport:
        return cls(ready=found.ready, rules=list(found.rules), failures=failures(found.failures))


@strawberry.type(description="A rule an ART's Definition of Ready can hold.")
class ReadyRuleChoice:
    rule: e.ReadyRule = strawberry.field(description="The rule.")
    title: str = strawberry.field(description="What it asks for, in words.")
    selected: bool = strawberry.field(description="True when the ART's definition holds it.")


@strawberry.type(description="An ART's Definition of Ready for features and for stories.")
class DefinitionOfReady:
    feature_rules: list[e.ReadyRule] = strawberry.field(
        description="What a feature needs before it may move to BACKLOG."
    )
    story_rules: list[e.ReadyRule] = strawberry.field(
        description="What a story needs to be ready for planning."
    )
    is_default: bool = strawberry.field(
        description="True when the ART follows the default (benefit hypothesis, acceptance "
        "criteria, WSJF, owning team, dependencies, no open spike; stories: acceptance "
        "criteria, estimate, no blocking dependency, no open spike, not blocked)."
    )
    feature_choices: list[ReadyRuleChoice] = strawberry.field(
        description="Every feature rule, and whether the ART holds it."
    )
    story_choices: list[ReadyRuleChoice] = strawberry.field(
        description="Every story rule, and whether the ART holds it."
    )


def _choices(allowed: tuple[ReadyRule, ...], held: tuple[ReadyRule, ...]) -> list[ReadyRuleChoice]:
    return [ReadyRuleChoice(rule=r, title=RULE_TITLES[r], selected=r in held) for r in allowed]


def definition_of_ready(
    feature_ready_rules: Sequence[str] | None, story_ready_rules: Sequence[str] | None
) -> DefinitionOfReady:
    """An ART's Definition of Ready from the rules it stores (None: the default)."""
    features = rules_of(feature_ready_rules, DEFAULT_FEATURE_READY)
    stories = rules_of(story_ready_rules, DEFAULT_STORY_READY)
    return DefinitionOfReady(
        feature_rules=list(features),
        story_rules=list(stories),
        is_default=feature_ready_rules is None and story_ready_rules is None,
        feature_choices=_choices(FEATURE_READY_RULES, features),
        story_choices=_choices(STORY_READY_RULES, stories),
    )

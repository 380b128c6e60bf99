"""Dependency health on the board (services/DOMAIN.md), with the reason in words.

For "A depends on B", compared at A's slot (or at the dependency's needed-by iteration, the
date A actually needs B by):

- DONE: B is done.
- RED: B is planned later, or in a later planning interval, or not planned while A is.
- AMBER: both in the same iteration; also when A itself is not planned yet (nothing holds B
  to a date, so the dependency is at risk rather than healthy).
- GREEN: B is planned in an earlier iteration.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.model import Dependency, Health, Plan, worst


@dataclass(frozen=True, slots=True)
class DependencyHealth:
    dependency: str
    dependent: str
    prerequisite: str
    health: Health
    reason: str


def assess(
    plan: Plan, dependency: Dependency, described: dict[str, str] | None = None
) -> DependencyHealth:
    """One dependency's health; `described` caches "KEY (Team, Iteration n)" across calls."""
    a = plan.by_id[dependency.dependent]
    b = plan.by_id[dependency.prerequisite]
    labels = plan.slot_labels
    if described is None:
        described = {}
    if (a_text := described.get(a.id)) is None:
        a_text = described[a.id] = f"{a.key} ({a.where(labels)})"
    if (b_text := described.get(b.id)) is None:
        b_text = described[b.id] = f"{b.key} ({b.where(labels)})"
    needs = f"{a_text} needs {b_text}"
    deadline = dependency.needed_by or a.slot
    by = ""
    if dependency.needed_by is not None:
        by = f" by {labels.get(dependency.needed_by) or f'iteration {dependency.needed_by[1]}'}"
    if b.done:
        health, why = Health.DONE, f"{b.key} is done"
    elif deadline is None:
        health = Health.AMBER
        why = f"{a.key} is not planned yet" if b.slot else "neither is planned yet"
    elif b.slot is None:
        health, why = Health.RED, f"{b.key} is not planned" + (f" but is needed{by}" if by else "")
    elif b.slot[0] > deadline[0]:
        health, why = Health.RED, f"{b.key} is planned in a later planning interval"
    elif b.slot > deadline:
        health, why = Health.RED, f"{b.key} comes later than it is needed{by}"
    elif b.slot == deadline:
        health, why = Health.AMBER, f"both land in the same iteration{by}"
    else:
        health, why = Health.GREEN, f"{b.key} comes first{by}"
    return DependencyHealth(dependency.id, a.id, b.id, health, f"{needs}: {why}.")


def dependency_health(
    plan: Plan, dependencies: Iterable[Dependency] | None = None
) -> list[DependencyHealth]:
    """Health of every dependency whose two ends are in the plan."""
    ids = plan.by_id
    chosen = plan.dependencies if dependencies is None else dependencies
    described: dict[str, str] = {}
    return [
        assess(plan, d, described) for d in chosen if d.dependent in ids and d.prerequisite in ids
    ]


@dataclass(frozen=True, slots=True)
class FeatureHealth:
    feature: str
    health: Health
    reason: str
    dependencies: tuple[str, ...]  # the dependencies that decide it (the worst ones)


def feature_health(plan: Plan, healths: Iterable[DependencyHealth]) -> list[FeatureHealth]:
    """A feature's health: the worst of the blocking dependencies of the feature and of its
    stories (what it waits for)."""
    blocking = {d.id for d in plan.dependencies if d.blocks}
    by_feature: dict[str, list[DependencyHealth]] = {}
    for h in healths:
        if h.dependency not in blocking:
            continue
        item = plan.by_id[h.dependent]
        feature = item.id if item.parent is None else item.parent
        by_feature.setdefault(feature, []).append(h)
    out = []
    for feature, found in sorted(by_feature.items()):
        if feature not in plan.by_id:
            continue
        health = worst(h.health for h in found)
        assert health is not None
        deciding = [h for h in found if h.health is health]
        reason = (
            deciding[0].reason
            if len(deciding) == 1
            else (f"{len(deciding)} dependencies are {health.value}, e.g. {deciding[0].reason}")
        )
        out.append(FeatureHealth(feature, health, reason, tuple(h.dependency for h in deciding)))
    return out

"""How tightly teams are coupled: cross-team dependencies, and features needing many teams."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from graph.model import Plan


@dataclass(frozen=True, slots=True)
class Pair:
    dependent_team: str  # the team that waits
    prerequisite_team: str  # the team it waits for
    dependencies: int
    cross_art: bool


@dataclass(frozen=True, slots=True)
class MultiTeamFeature:
    feature: str
    teams: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Coupling:
    pairs: tuple[Pair, ...]  # the non-zero cells of the team x team matrix
    teams: tuple[str, ...]
    features: int
    multi_team: tuple[MultiTeamFeature, ...]  # features needing more than two teams

    @property
    def multi_team_share(self) -> float:
        return len(self.multi_team) / self.features if self.features else 0.0


def coupling(plan: Plan) -> Coupling:
    """Cells count dependencies (all types) between items of two different teams."""
    by_id = plan.by_id
    cells: Counter[tuple[str, str, bool]] = Counter()
    for d in plan.dependencies:
        a, b = by_id.get(d.dependent), by_id.get(d.prerequisite)
        if a is None or b is None or not a.team or not b.team or a.team == b.team:
            continue
        cells[(a.team, b.team, a.art != b.art)] += 1
    pairs = tuple(Pair(a, b, n, cross) for (a, b, cross), n in sorted(cells.items()))
    needs: dict[str, set[str]] = {}
    for item in plan.items:
        feature = item.id if item.parent is None else item.parent
        if item.team:
            needs.setdefault(feature, set()).add(item.team)
    for d in plan.dependencies:
        a, b = by_id.get(d.dependent), by_id.get(d.prerequisite)
        if a is not None and b is not None and b.team:
            needs.setdefault(a.id if a.parent is None else a.parent, set()).add(b.team)
    features = [i for i in plan.items if i.parent is None]
    multi = tuple(
        MultiTeamFeature(f.id, tuple(sorted(needs.get(f.id, ()))))
        for f in sorted(features, key=lambda f: f.key)
        if len(needs.get(f.id, ())) > 2
    )
    teams = sorted({t for i in plan.items if (t := i.team)})
    return Coupling(pairs, tuple(teams), len(features), multi)

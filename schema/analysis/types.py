"""GraphQL views of the dependency-graph analyses; every result says why, in words."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.kit.context import Context
from schema.kit.relay import reference
from schema.org.types import Team
from schema.planning.types import Iteration, Milestone
from schema.work.types import Component, Dependency, Feature, Story, WorkItem
from services.analysis import analyses
from services.analysis.plans import LoadedPlan
from services.analysis.results import Health, Slot
from services.analysis.results import coupling as g_coupling
from services.analysis.results import critical as g_critical
from services.analysis.results import cycles as g_cycles
from services.analysis.results import display as g_display
from services.analysis.results import health as g_health
from services.analysis.results import hotspots as g_hotspots
from services.analysis.results import impact as g_impact
from services.analysis.results import planner as g_planner

strawberry.enum(
    Health,
    description="Dependency health (DOMAIN.md): RED conflict, AMBER at risk, GREEN healthy, "
    "DONE delivered.",
)
Info_ = Info[Context, None]


def item(info: Info_, item_id: str) -> WorkItem:
    kind, pk = LoadedPlan.row(item_id)
    return reference(info, Feature, pk) if kind == "Feature" else reference(info, Story, pk)


def feature(info: Info_, item_id: str) -> Feature:
    return reference(info, Feature, LoadedPlan.row(item_id)[1])


def team(info: Info_, loaded: LoadedPlan, label: str | None) -> Team | None:
    team_id = loaded.team_ids.get(label) if label else None
    return None if team_id is None else reference(info, Team, team_id)


def teams(info: Info_, loaded: LoadedPlan, labels: tuple[str, ...] | list[str]) -> list[Team]:
    return [t for label in labels if (t := team(info, loaded, label)) is not None]


def iteration(info: Info_, loaded: LoadedPlan, slot: Slot | None) -> Iteration | None:
    iteration_id = loaded.iteration_of_slot.get(slot) if slot else None
    return None if iteration_id is None else reference(info, Iteration, iteration_id)


@strawberry.type(description="The health of one dependency and why.")
class DependencyHealth:
    result: strawberry.Private[g_health.DependencyHealth]

    @strawberry.field(description="The dependency.")
    def dependency(self, info: Info_) -> Dependency:
        return reference(info, Dependency, int(self.result.dependency[1:]))

    @strawberry.field(description="RED, AMBER, GREEN or DONE.")
    def health(self) -> Health:
        return self.result.health

    @strawberry.field(
        description="Why, e.g. 'PAY-12 (Team Atlas, Iteration 2) needs PAY-31 (Team Nova, "
        "Iteration 4): PAY-31 comes later than it is needed.'"
    )
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="A feature's health: the worst of what it and its stories wait for.")
class FeatureHealth:
    result: strawberry.Private[g_health.FeatureHealth]

    @strawberry.field(description="The feature.")
    def feature(self, info: Info_) -> Feature:
        return feature(info, self.result.feature)

    @strawberry.field(description="RED, AMBER, GREEN or DONE.")
    def health(self) -> Health:
        return self.result.health

    @strawberry.field(description="Why.")
    def reason(self) -> str:
        return self.result.reason

    @strawberry.field(description="The dependencies that decide it (the worst ones).")
    def dependencies(self, info: Info_) -> list[Dependency]:
        return [reference(info, Dependency, int(d[1:])) for d in self.result.dependencies]


@strawberry.type(description="Items that depend on each other in a circle: an error to fix.")
class Cycle:
    result: strawberry.Private[g_cycles.Cycle]
    keys: strawberry.Private[dict[str, str]]

    @strawberry.field(
        description="One cycle: each item depends on the next, the last on the first."
    )
    def items(self, info: Info_) -> list[WorkItem]:
        return [item(info, i) for i in self.result.items]

    @strawberry.field(description="Every item caught in the same knot of dependencies.")
    def members(self, info: Info_) -> list[WorkItem]:
        return [item(info, i) for i in self.result.members]

    @strawberry.field(description="The cycle in words, e.g. 'PAY-1 -> PAY-2 -> PAY-1'.")
    def text(self) -> str:
        return self.result.text(self.keys)


def cycles_of(
    loaded: LoadedPlan, found: list[g_cycles.Cycle] | tuple[g_cycles.Cycle, ...]
) -> list[Cycle]:
    keys = {i.id: i.key for i in loaded.plan.items}
    return [Cycle(result=c, keys=keys) for c in found]


@strawberry.type(
    description="How many iterations an item may slip without moving the end of the critical path."
)
class ItemSlack:
    item_id: strawberry.Private[str]
    slack: int = strawberry.field(description="Iterations of slack (0 on the critical path).")

    @strawberry.field(description="The item.")
    def item(self, info: Info_) -> WorkItem:
        return item(info, self.item_id)


@strawberry.type(description="The longest chain of dependent items of a planning interval.")
class CriticalPath:
    result: strawberry.Private[g_critical.CriticalPath]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The chain, from the first prerequisite to the last dependent.")
    def items(self, info: Info_) -> list[WorkItem]:
        return [item(info, i) for i in self.result.items]

    @strawberry.field(description="The teams along it, in order.")
    def teams(self, info: Info_) -> list[Team]:
        return teams(info, self.loaded, self.result.teams)

    @strawberry.field(
        description="Its length in iterations (a feature spans its stories' iterations)."
    )
    def length(self) -> int:
        return self.result.length

    @strawberry.field(description="The story points along it.")
    def points(self) -> int:
        return self.result.points

    @strawberry.field(description="The chain in words.")
    def text(self) -> str:
        keys = [self.loaded.plan.by_id[i].key for i in self.result.items]
        if not keys:
            return "No chain: the planning interval has no planned items, or has cycles."
        return (
            f"{' -> '.join(keys)}: {self.result.length} iteration(s), {self.result.points} "
            f"points, across {', '.join(self.result.teams) or 'no team'}."
        )

    @strawberry.field(description="Slack of every item of the interval, least first.")
    def slack(self) -> list[ItemSlack]:
        ordered = sorted(
            self.result.slack.items(), key=lambda kv: (kv[1], self.loaded.plan.by_id[kv[0]].key)
        )
        return [ItemSlack(item_id=k, slack=v) for k, v in ordered]

    @strawberry.field(description="Cycles that prevent a critical path (then the chain is empty).")
    def cycles(self) -> list[Cycle]:
        return cycles_of(self.loaded, self.result.cycles)


@strawberry.input(
    description="Move an item, for a what-if: to an iteration, or out of the interval."
)
class WhatIfMove:
    item_id: strawberry.ID = strawberry.field(description="The Feature or Story.")
    iteration_id: strawberry.ID | None = strawberry.field(
        default=None, description="Where to; null takes it out of the planning interval."
    )


@strawberry.type(description="An item that would finish later, and what pushes it.")
class Slip:
    result: strawberry.Private[g_impact.Slip]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The item.")
    def item(self, info: Info_) -> WorkItem:
        return item(info, self.result.item)

    @strawberry.field(description="When it could finish before (null: not in the interval).")
    def was(self, info: Info_) -> Iteration | None:
        return iteration(info, self.loaded, self.result.was)

    @strawberry.field(description="When it could finish now (null: not in the interval).")
    def now(self, info: Info_) -> Iteration | None:
        return iteration(info, self.loaded, self.result.now)

    @strawberry.field(description="The item that pushes it.")
    def cause(self, info: Info_) -> WorkItem:
        return item(info, self.result.cause)

    @strawberry.field(description="Why, in words.")
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="A feature that would finish after its planned iteration.")
class LateFeature:
    result: strawberry.Private[g_impact.LateFeature]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The feature.")
    def feature(self, info: Info_) -> Feature:
        return feature(info, self.result.feature)

    @strawberry.field(description="When it is planned to land.")
    def planned(self, info: Info_) -> Iteration | None:
        return iteration(info, self.loaded, self.result.planned)

    @strawberry.field(description="When it would land (null: after the planning interval).")
    def finishes(self, info: Info_) -> Iteration | None:
        return iteration(info, self.loaded, self.result.finishes)

    @strawberry.field(description="Why, in words.")
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="A milestone that would miss features planned for it.")
class LateMilestone:
    result: strawberry.Private[g_impact.LateMilestone]

    @strawberry.field(description="The milestone.")
    def milestone(self, info: Info_) -> Milestone:
        return reference(info, Milestone, int(self.result.milestone[1:]))

    @strawberry.field(description="The features it would miss.")
    def features(self, info: Info_) -> list[Feature]:
        return [feature(info, f) for f in self.result.features]

    @strawberry.field(description="Why, in words.")
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="What moving items would break (nothing is written).")
class WhatIf:
    result: strawberry.Private[g_impact.Impact]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="Dependencies that would turn RED.")
    def turned_red(self) -> list[DependencyHealth]:
        return [DependencyHealth(result=h) for h in self.result.turned_red]

    @strawberry.field(description="Items that would finish later because of the moves.")
    def slipped(self) -> list[Slip]:
        return [Slip(result=s, loaded=self.loaded) for s in self.result.slipped]

    @strawberry.field(description="Features that would become late.")
    def late_features(self) -> list[LateFeature]:
        return [LateFeature(result=f, loaded=self.loaded) for f in self.result.late_features]

    @strawberry.field(description="Milestones that would miss features.")
    def late_milestones(self) -> list[LateMilestone]:
        return [LateMilestone(result=m) for m in self.result.late_milestones]

    @strawberry.field(description="Teams whose work would slip.")
    def teams_hit(self, info: Info_) -> list[Team]:
        return teams(info, self.loaded, self.result.teams_hit)

    @strawberry.field(
        description="User-business value (WSJF input) of the features that would be late."
    )
    def value_at_risk(self) -> int:
        return self.result.value_at_risk


@strawberry.type(
    description="One cell of the team x team matrix: dependencies from one team on another."
)
class CouplingCell:
    result: strawberry.Private[g_coupling.Pair]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The team that waits.")
    def dependent_team(self, info: Info_) -> Team | None:
        return team(info, self.loaded, self.result.dependent_team)

    @strawberry.field(description="The team it waits for.")
    def prerequisite_team(self, info: Info_) -> Team | None:
        return team(info, self.loaded, self.result.prerequisite_team)

    @strawberry.field(description="How many dependencies.")
    def dependencies(self) -> int:
        return self.result.dependencies

    @strawberry.field(description="True when the two teams are in different ARTs.")
    def cross_art(self) -> bool:
        return self.result.cross_art


@strawberry.type(description="A feature that needs more than two teams.")
class MultiTeamFeature:
    result: strawberry.Private[g_coupling.MultiTeamFeature]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The feature.")
    def feature(self, info: Info_) -> Feature:
        return feature(info, self.result.feature)

    @strawberry.field(description="The teams it needs (own, stories', prerequisites').")
    def teams(self, info: Info_) -> list[Team]:
        return teams(info, self.loaded, self.result.teams)


@strawberry.type(description="How tightly teams are coupled by dependencies.")
class Coupling:
    result: strawberry.Private[g_coupling.Coupling]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The non-zero cells of the team x team matrix.")
    def cells(self) -> list[CouplingCell]:
        return [CouplingCell(result=p, loaded=self.loaded) for p in self.result.pairs]

    @strawberry.field(description="Number of features considered.")
    def feature_count(self) -> int:
        return self.result.features

    @strawberry.field(description="Features needing more than two teams.")
    def multi_team_features(self) -> list[MultiTeamFeature]:
        return [MultiTeamFeature(result=f, loaded=self.loaded) for f in self.result.multi_team]

    @strawberry.field(description="Share of features needing more than two teams (0 to 1).")
    def multi_team_share(self) -> float:
        return round(self.result.multi_team_share, 4)


@strawberry.type(description="A component several teams change in the same iteration.")
class Hotspot:
    result: strawberry.Private[g_hotspots.Hotspot]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The component.")
    def component(self, info: Info_) -> Component:
        return reference(info, Component, int(self.result.component[1:]))

    @strawberry.field(description="The iteration.")
    def iteration(self, info: Info_) -> Iteration | None:
        return iteration(info, self.loaded, self.result.slot)

    @strawberry.field(description="The teams changing it then.")
    def teams(self, info: Info_) -> list[Team]:
        return teams(info, self.loaded, self.result.teams)

    @strawberry.field(description="The items changing it then.")
    def items(self, info: Info_) -> list[WorkItem]:
        return [item(info, i) for i in self.result.items]

    @strawberry.field(description="Why, in words.")
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="How central a component is among the teams.")
class ComponentCentrality:
    result: strawberry.Private[g_hotspots.Centrality]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The component.")
    def component(self, info: Info_) -> Component:
        return reference(info, Component, int(self.result.component[1:]))

    @strawberry.field(description="Teams that change it.")
    def teams(self, info: Info_) -> list[Team]:
        return teams(info, self.loaded, self.result.teams)

    @strawberry.field(description="Degree centrality: the share of all teams that change it.")
    def degree(self) -> float:
        return self.result.degree

    @strawberry.field(description="Blast radius: how many plan items change it.")
    def items(self) -> int:
        return self.result.items


@strawberry.type(
    description="A feature that changes a component whose owning team has no story in it."
)
class MissingEnabler:
    result: strawberry.Private[g_hotspots.MissingEnabler]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The feature.")
    def feature(self, info: Info_) -> Feature:
        return feature(info, self.result.feature)

    @strawberry.field(description="The component.")
    def component(self, info: Info_) -> Component:
        return reference(info, Component, int(self.result.component[1:]))

    @strawberry.field(description="The component's owning team.")
    def owning_team(self, info: Info_) -> Team | None:
        return team(info, self.loaded, self.result.owner)

    @strawberry.field(description="Why, in words.")
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="Architecture hotspots of an ART.")
class Hotspots:
    result: strawberry.Private[g_hotspots.Hotspots]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(
        description="Components changed by several teams in one iteration, most teams first."
    )
    def hotspots(self) -> list[Hotspot]:
        return [Hotspot(result=h, loaded=self.loaded) for h in self.result.hotspots]

    @strawberry.field(description="Every changed component, most central first.")
    def centrality(self) -> list[ComponentCentrality]:
        return [ComponentCentrality(result=c, loaded=self.loaded) for c in self.result.centrality]

    @strawberry.field(description="Features missing their component owner's enabler story.")
    def missing_enablers(self) -> list[MissingEnabler]:
        return [MissingEnabler(result=m, loaded=self.loaded) for m in self.result.missing_enablers]


@strawberry.type(description="A move the proposed plan makes, and why.")
class ProposedMove:
    result: strawberry.Private[g_planner.PlanMove]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The item to move.")
    def item(self, info: Info_) -> WorkItem:
        return item(info, self.result.item)

    @strawberry.field(description="Where it is now (null: not planned).")
    def from_iteration(self, info: Info_) -> Iteration | None:
        return iteration(info, self.loaded, self.result.was)

    @strawberry.field(description="Where it goes.")
    def to_iteration(self, info: Info_) -> Iteration | None:
        return iteration(info, self.loaded, self.result.to)

    @strawberry.field(description="Why there.")
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="An item the proposed plan cannot place, and why.")
class UnplacedItem:
    result: strawberry.Private[g_planner.Unplaced]

    @strawberry.field(description="The item.")
    def item(self, info: Info_) -> WorkItem:
        return item(info, self.result.item)

    @strawberry.field(description="Why not.")
    def reason(self) -> str:
        return self.result.reason


@strawberry.type(description="A team's load in an iteration, after the proposed moves.")
class TeamLoad:
    label: strawberry.Private[str]
    slot: strawberry.Private[Slot]
    loaded: strawberry.Private[LoadedPlan]
    points: int = strawberry.field(description="Points planned.")
    capacity: int = strawberry.field(description="Points the team can take on.")

    @strawberry.field(description="The team.")
    def team(self, info: Info_) -> Team | None:
        return team(info, self.loaded, self.label)

    @strawberry.field(description="The iteration.")
    def iteration(self, info: Info_) -> Iteration | None:
        return iteration(info, self.loaded, self.slot)


@strawberry.type(
    description="A capacity-aware draft plan of the interval, as moves (nothing is written)."
)
class ProposedPlan:
    result: strawberry.Private[g_planner.ProposedPlan]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(
        description="The moves, in program-backlog order. Apply them with applyPlanMoves."
    )
    def moves(self) -> list[ProposedMove]:
        return [ProposedMove(result=m, loaded=self.loaded) for m in self.result.moves]

    @strawberry.field(description="Stories it cannot place, with the reason.")
    def unplaced(self) -> list[UnplacedItem]:
        return [UnplacedItem(result=u) for u in self.result.unplaced]

    @strawberry.field(description="Each team's load and capacity per iteration after the moves.")
    def load(self) -> list[TeamLoad]:
        keys = sorted(set(self.result.capacity) | set(self.result.load))
        return [
            TeamLoad(
                label=label, slot=slot, loaded=self.loaded,
                points=self.result.load.get((label, slot), 0),
                capacity=self.result.capacity.get((label, slot), 0),
            )
            for label, slot in keys
        ]  # fmt: skip


@strawberry.type(description="An item on the board: its team lane and iteration column.")
class BoardNode:
    result: strawberry.Private[g_display.BoardNode]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="The item.")
    def item(self, info: Info_) -> WorkItem:
        return item(info, self.result.item)

    @strawberry.field(description="Its lane (null: no team).")
    def team(self, info: Info_) -> Team | None:
        return team(info, self.loaded, self.result.lane)

    @strawberry.field(description="Its column (null: the 'not planned' column).")
    def iteration(self, info: Info_) -> Iteration | None:
        return iteration(info, self.loaded, self.result.column)

    @strawberry.field(
        description="The worst health of what it waits for (null: waits for nothing)."
    )
    def health(self) -> Health | None:
        return self.result.health


@strawberry.type(description="A dependency string on the board.")
class BoardEdge:
    result: strawberry.Private[g_display.BoardEdge]

    @strawberry.field(description="The dependency.")
    def dependency(self, info: Info_) -> Dependency:
        return reference(info, Dependency, int(self.result.dependency[1:]))

    @strawberry.field(description="Its health (the colour of the string).")
    def health(self) -> Health:
        return self.result.health

    @strawberry.field(
        description="Implied by a longer chain (transitive reduction): draw it faintly, or not "
        "at all."
    )
    def redundant(self) -> bool:
        return self.result.redundant


@strawberry.type(description="A layout-ready planning board: team lanes x iteration columns.")
class Board:
    result: strawberry.Private[g_display.Board]
    loaded: strawberry.Private[LoadedPlan]

    @strawberry.field(description="Lanes, one per team (in name order).")
    def lanes(self, info: Info_) -> list[Team]:
        return teams(info, self.loaded, self.result.lanes)

    @strawberry.field(description="Columns, one per iteration (the IP one last).")
    def columns(self, info: Info_) -> list[Iteration]:
        return [
            i for s in self.result.columns if (i := iteration(info, self.loaded, s)) is not None
        ]

    @strawberry.field(description="The items.")
    def nodes(self) -> list[BoardNode]:
        return [BoardNode(result=n, loaded=self.loaded) for n in self.result.nodes]

    @strawberry.field(description="The dependency strings.")
    def edges(self) -> list[BoardEdge]:
        return [BoardEdge(result=e) for e in self.result.edges]


@strawberry.type(description="Analyses across every ART you can see (all of them for an admin).")
class Portfolio:
    @strawberry.field(description="Cycles among blocking dependencies, across ARTs.")
    async def cycles(self, info: Info_) -> list[Cycle]:
        context = info.context
        async with context.sessionmaker() as session:
            scope = analyses.portfolio_scope(context.actor)
            loaded, found = await analyses.find_cycles(session, context.actor, context.cache, scope)
        return cycles_of(loaded, found)

    @strawberry.field(description="Team x team coupling across ARTs.")
    async def coupling(self, info: Info_) -> Coupling:
        context = info.context
        async with context.sessionmaker() as session:
            scope = analyses.portfolio_scope(context.actor)
            loaded, found = await analyses.team_coupling(
                session, context.actor, context.cache, scope
            )
        return Coupling(result=found, loaded=loaded)

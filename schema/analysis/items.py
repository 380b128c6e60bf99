"""What analysis results name, as the API shows it: engine ids (F12, S7, D3, C2, M4), team
labels and iteration slots as references the request's loaders resolve (the Health enum is
registered in schema/analysis/filters.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

# Re-exported: other slices name the enum here, lazily (schema/refinement/prep.py).
from schema.analysis.filters import Health as Health
from schema.kit.context import Context
from schema.kit.relay import reference
from schema.org import types as org
from schema.planning import types as planning
from schema.work import types as work
from services.analysis.plans import LoadedPlan
from services.analysis.results import Slot

if TYPE_CHECKING:
    from schema.org.types import Team
    from schema.planning.types import Iteration, Milestone
    from schema.work.types import Component, Dependency, Feature, WorkItem

# The ART and PI types refer to the analyses, and the analyses to them: both sides lazily.
WorkItemT = Annotated["WorkItem", strawberry.lazy("schema.work.types")]
FeatureT = Annotated["Feature", strawberry.lazy("schema.work.types")]
ComponentT = Annotated["Component", strawberry.lazy("schema.work.types")]
DependencyT = Annotated["Dependency", strawberry.lazy("schema.work.types")]
TeamT = Annotated["Team", strawberry.lazy("schema.org.types")]
IterationT = Annotated["Iteration", strawberry.lazy("schema.planning.types")]
MilestoneT = Annotated["Milestone", strawberry.lazy("schema.planning.types")]

Info_ = Info[Context, None]


def _row_id(engine_id: str) -> int:
    """The database id in an engine id: its letter says the kind (D3 -> 3)."""
    return int(engine_id[1:])


def item(info: Info_, item_id: str) -> WorkItem:
    kind, pk = LoadedPlan.row(item_id)
    if kind == "Feature":
        return reference(info, work.Feature, pk)
    return reference(info, work.Story, pk)


def feature(info: Info_, item_id: str) -> Feature:
    return reference(info, work.Feature, LoadedPlan.row(item_id)[1])


def dependency(info: Info_, dependency_id: str) -> Dependency:
    return reference(info, work.Dependency, _row_id(dependency_id))


def component(info: Info_, component_id: str) -> Component:
    return reference(info, work.Component, _row_id(component_id))


def milestone(info: Info_, milestone_id: str) -> Milestone:
    return reference(info, planning.Milestone, _row_id(milestone_id))


def team(info: Info_, loaded: LoadedPlan, label: str | None) -> Team | None:
    team_id = loaded.team_ids.get(label) if label else None
    return None if team_id is None else reference(info, org.Team, team_id)


def teams(info: Info_, loaded: LoadedPlan, labels: tuple[str, ...] | list[str]) -> list[Team]:
    return [t for label in labels if (t := team(info, loaded, label)) is not None]


def iteration(info: Info_, loaded: LoadedPlan, slot: Slot | None) -> Iteration | None:
    iteration_id = loaded.iteration_of_slot.get(slot) if slot else None
    return None if iteration_id is None else reference(info, planning.Iteration, iteration_id)

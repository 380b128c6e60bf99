"""The dependency health filter, and the Health enum it and the analyses' results use.

This module imports no other slice's types, so the ART type (schema/org/types.py) takes the
filter directly while the analysis result types stay lazy there."""

from __future__ import annotations

import strawberry

from schema.kit.filters import IDFilter, id_match, value_match
from services.analysis import filters
from services.analysis.results import Health

strawberry.enum(
    Health,
    description="Dependency health (services/DOMAIN.md, Dependency health): RED conflict, "
    "AMBER at risk, GREEN healthy, DONE delivered.",
)


@strawberry.input(description="Match a Health value.")
class HealthFilter:
    eq: Health | None = strawberry.field(default=None, description="Equal to this value.")
    in_: list[Health] | None = strawberry.field(
        default=None, name="in", description="Any of these values (at most 100)."
    )


@strawberry.input(description="Filter dependency healths; every part given must match.")
class DependencyHealthFilter:
    health: HealthFilter | None = strawberry.field(
        default=None, description="RED, AMBER, GREEN or DONE."
    )
    team: IDFilter | None = strawberry.field(
        default=None,
        description="Either end belongs to the team (a story's team, a feature's owning team).",
    )
    planning_interval: IDFilter | None = strawberry.field(
        default=None,
        description="Either end is planned in the planning interval (in one of its iterations, "
        "or a feature in it without an iteration yet).",
    )
    cross_team_only: bool | None = strawberry.field(
        default=None,
        description="true: only dependencies between two different teams (both ends have a "
        "team); false or null: all.",
    )


def dependency_health_filter(
    f: DependencyHealthFilter | None,
) -> filters.DependencyHealthFilter:
    if f is None:
        return filters.DependencyHealthFilter()
    return filters.DependencyHealthFilter(
        health=value_match(f.health),
        team=id_match(f.team, "Team", "filter.team"),
        planning_interval=id_match(
            f.planning_interval, "PlanningInterval", "filter.planningInterval"
        ),
        cross_team_only=bool(f.cross_team_only),
    )


__all__ = ["DependencyHealthFilter", "Health", "HealthFilter", "dependency_health_filter"]

"""The org and work nodes refinement's types point to, reached by type name.

schema.org.types and schema.work.types inherit refinement's fields (schema.refinement.fields),
so they import this package while they are being defined: no module here may import them
back, not even as a module (importing it would run it half-way). Their classes are named in
lazy annotations, and reached at run time through the registry of node types by name
(schema.kit.relay.NODE_TYPES_BY_NAME, filled as each node class is defined); `node_type` says
which class each name stands for, so mypy checks every use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, overload

import strawberry

from schema.kit.relay import NODE_TYPES_BY_NAME, RowNode

if TYPE_CHECKING:
    from schema.org.types import Art, Person, Team
    from schema.work.types import Component, Dependency, Feature, Story, WorkItem

_org = strawberry.lazy("schema.org.types")
_work = strawberry.lazy("schema.work.types")
ArtT = Annotated["Art", _org]
TeamT = Annotated["Team", _org]
PersonT = Annotated["Person", _org]
FeatureT = Annotated["Feature", _work]
StoryT = Annotated["Story", _work]
WorkItemT = Annotated["WorkItem", _work]
ComponentT = Annotated["Component", _work]
DependencyT = Annotated["Dependency", _work]


@overload
def node_type(name: Literal["Art"]) -> type[Art]: ...
@overload
def node_type(name: Literal["Team"]) -> type[Team]: ...
@overload
def node_type(name: Literal["Person"]) -> type[Person]: ...
@overload
def node_type(name: Literal["Feature"]) -> type[Feature]: ...
@overload
def node_type(name: Literal["Story"]) -> type[Story]: ...
@overload
def node_type(name: Literal["Component"]) -> type[Component]: ...
@overload
def node_type(name: Literal["Dependency"]) -> type[Dependency]: ...
def node_type(name: str) -> type[RowNode]:
    """The node class of that name (defined by the time any resolver runs)."""
    return NODE_TYPES_BY_NAME[name]

"""Root query fields."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Annotated, Any

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types import Info

from schema.access.types import Viewer
from schema.analysis.types import Portfolio
from schema.history.types import HistoryEntry
from schema.kit import filters as f
from schema.kit.context import Context
from schema.kit.errors import ClientError
from schema.kit.ordering import FeatureOrder, feature_order
from schema.kit.relay import (
    AFTER,
    FILTER,
    FIRST,
    ORDER,
    Connection,
    IdError,
    N,
    Node,
    connection_from_page,
    decode_id,
)
from schema.kit.selection import wants_page
from schema.org import filters as org_filters
from schema.org.types import Art, Membership, Person, Team
from schema.planning.types import Iteration, Milestone, PlanningInterval
from schema.refinement.types import FollowUp, RefinementEvent, RefinementSchedule, RefinementSession
from schema.work import filters as work_filters
from schema.work.types import Component, Dependency, Feature, Story
from services.access import permissions
from services.access import reads as visible_reads
from services.core.pagination import Ordering, Page, page_request
from services.org import arts, people
from services.work import components, features

Info_ = Info[Context, None]
MAX_NODES = 100
NODE_TYPES = (
    Art,
    Team,
    Person,
    Membership,
    PlanningInterval,
    Iteration,
    Milestone,
    Feature,
    Story,
    Component,
    Dependency,
    HistoryEntry,
    RefinementSession,
    RefinementSchedule,
    RefinementEvent,
    FollowUp,
)
NODE_TYPES_BY_NAME = {t.__name__: t for t in NODE_TYPES}


@strawberry.input(description="Filter ARTs.")
class ArtFilter:
    key: f.StringFilter | None = strawberry.field(default=None, description="ART key.")
    name: f.StringFilter | None = strawberry.field(default=None, description="ART name.")
    archived: bool | None = strawberry.field(default=False, description=f.ARCHIVED_HELP)


async def root_connection(
    info: Info_,
    node_type: type[N],
    where: Sequence[ColumnElement[bool]],
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Connection[N]:
    """A root list: one page, of the rows matching `where` that the reader may see."""
    permissions.require_signed_in(info.context.actor)
    request = page_request(ordering, first, after)
    sessionmaker = info.context.sessionmaker
    visible = info.context.loaders.visible_arts
    if wants_page(info):  # full rows: a root list is one page, not one per parent
        async with sessionmaker() as session:
            page = await visible_reads.root_page(
                session, node_type.model, where, ordering, request, visible
            )
    else:
        page = Page.empty(ordering, after is not None)

    async def counter() -> int:
        async with sessionmaker() as session:
            return await visible_reads.root_count(session, node_type.model, where, visible)

    return connection_from_page(node_type, page, counter)


async def _resolve_nodes(info: Info_, ids: Sequence[str]) -> list[Any]:
    """Rows of any node types, one batched load per type, in the order asked; null for rows
    of ARTs the viewer has no role in, as for rows that do not exist."""
    permissions.require_signed_in(info.context.actor)
    decoded = []
    for value in ids:
        try:
            type_name, number = decode_id(value, NODE_TYPES, "id")
        except IdError as exc:
            raise ClientError(str(exc)) from None
        decoded.append((NODE_TYPES_BY_NAME[type_name], number))
    rows = await asyncio.gather(
        *(info.context.loaders.row(t.model).load(number) for t, number in decoded)
    )
    return [
        None if row is None else t.from_row(row) for (t, _), row in zip(decoded, rows, strict=True)
    ]


@strawberry.type(description="Read the planning model of the portfolio.")
class Query:
    @strawberry.field(description="Analyses across ARTs: cycles, team coupling.")
    def portfolio(self) -> Portfolio:
        return Portfolio()

    @strawberry.field(description="Who is asking: person, roles, teams, API tokens.")
    def viewer(self) -> Viewer:
        return Viewer()

    @strawberry.field(description="Any object by its global id; null when it does not exist.")
    async def node(
        self,
        info: Info_,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global id.")],
    ) -> Node | None:
        node: Node | None = (await _resolve_nodes(info, [id]))[0]
        return node

    @strawberry.field(
        description="Several objects by their global ids (at most 100), in the order asked; "
        "null where one does not exist."
    )
    async def nodes(
        self,
        info: Info_,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global ids.")],
    ) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise ClientError(f"nodes takes at most {MAX_NODES} ids; {len(ids)} were given.")
        return await _resolve_nodes(info, ids)

    @strawberry.field(description="The ARTs of the portfolio, by key.")
    async def arts(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[ArtFilter | None, FILTER] = None,
    ) -> Connection[Art]:
        flt = filter or ArtFilter()
        where = arts.art_list_conditions(
            arts.ArtFilter(f.text_match(flt.key), f.text_match(flt.name), flt.archived)
        )
        return await root_connection(info, Art, where, arts.ART_ORDER, first, after)

    @strawberry.field(description="One ART by its key (e.g. PAY); null when there is none.")
    async def art(
        self, info: Info_, key: Annotated[str, strawberry.argument(description="The ART key.")]
    ) -> Art | None:
        actor = info.context.actor
        permissions.require_signed_in(actor)
        async with info.context.sessionmaker() as session:
            row = await arts.art_row_by_key(session, key)
        if row is None:
            return None
        permissions.require_read_art(actor, row.id, row.key)
        return Art.from_row(row)

    @strawberry.field(description="People, by name.")
    async def people(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[org_filters.PersonFilter | None, FILTER] = None,
    ) -> Connection[Person]:
        where = people.person_conditions(org_filters.person_filter(filter))
        return await root_connection(info, Person, where, people.PERSON_ORDER, first, after)

    @strawberry.field(
        description="Features of every ART you can see, with the filter and sort of "
        "Art.features. By default highest WSJF first; WSJF compares only within one ART "
        "(services/DOMAIN.md, WSJF), so across ARTs that order merges backlogs, it does not rank."
    )
    async def features(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[work_filters.FeatureFilter | None, FILTER] = None,
        order_by: Annotated[FeatureOrder | None, ORDER] = None,
    ) -> Connection[Feature]:
        where = features.feature_conditions(work_filters.feature_filter(filter))
        return await root_connection(info, Feature, where, feature_order(order_by), first, after)

    @strawberry.field(
        description="Portfolio-wide components (an ART's own ones are on Art.components)."
    )
    async def components(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[work_filters.ComponentFilter | None, FILTER] = None,
    ) -> Connection[Component]:
        where = components.portfolio_component_conditions(work_filters.component_filter(filter))
        return await root_connection(
            info, Component, where, components.COMPONENT_ORDER, first, after
        )

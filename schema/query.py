"""Root query fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import strawberry
from sqlalchemy import ColumnElement, select
from strawberry import relay
from strawberry.types import Info

from schema import filters as f
from schema.context import Context
from schema.errors import ClientError
from schema.relay import Connection, N, RowNode, connection_from_page
from schema.types.org import AFTER, FILTER, FIRST, ORDER, Art, Person
from schema.types.work import Component
from services import arts, components, filters, people, reads
from services import models as m
from services.pagination import Ordering, PageRequest, check_first, count_rows, fetch_page

Info_ = Info[Context, None]
MAX_NODES = 100


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
    request = PageRequest(check_first(first), after)
    sessionmaker = info.context.sessionmaker
    model: Any = node_type.model
    async with sessionmaker() as session:
        page = await fetch_page(session, reads.columns_of(model), where, ordering, request)

    async def counter() -> int:
        async with sessionmaker() as session:
            return await count_rows(session, model, where)

    return connection_from_page(node_type, page, counter)


@strawberry.type(description="Read the planning model of the portfolio.")
class Query:
    node: relay.Node | None = relay.node(description="Any object by its global id.")

    @strawberry.field(description="Several objects by their global ids (at most 100), in order.")
    async def nodes(
        self, info: Info_, ids: Annotated[list[relay.GlobalID], strawberry.argument(description="Global ids.")]
    ) -> list[relay.Node | None]:
        if len(ids) > MAX_NODES:
            raise ClientError(f"nodes takes at most {MAX_NODES} ids; {len(ids)} were given.")
        out: list[relay.Node | None] = []
        for gid in ids:
            node_type = gid.resolve_type(info)
            if not issubclass(node_type, RowNode):
                raise ClientError(f"{gid.type_name} is not a type with ids.")
            resolved = await node_type.resolve_nodes(info=info, node_ids=[gid.node_id])
            out.append(resolved[0])
        return out

    @strawberry.field(description="The ARTs of the portfolio, by key.")
    async def arts(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[ArtFilter | None, FILTER] = None,
    ) -> Connection[Art]:
        flt = filter or ArtFilter()
        where = [
            *filters.match(m.Art.key, f.text_match(flt.key), "key"),
            *filters.match(m.Art.name, f.text_match(flt.name), "name"),
            *arts.art_conditions(flt.archived),
        ]
        return await root_connection(info, Art, where, arts.ART_ORDER, first, after)

    @strawberry.field(description="One ART by its key (e.g. PAY); null when there is none.")
    async def art(
        self, info: Info_, key: Annotated[str, strawberry.argument(description="The ART key.")]
    ) -> Art | None:
        async with info.context.sessionmaker() as session:
            row = (
                await session.execute(select(*reads.columns_of(m.Art)).where(m.Art.key == key.strip()))
            ).first()
        return Art.from_row(row) if row else None

    @strawberry.field(description="People, by name.")
    async def people(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[f.PersonFilter | None, FILTER] = None,
    ) -> Connection[Person]:
        where = people.person_conditions(f.person_filter(filter))
        return await root_connection(info, Person, where, people.PERSON_ORDER, first, after)

    @strawberry.field(
        description="Portfolio-wide components (an ART's own ones are on Art.components)."
    )
    async def components(
        self,
        info: Info_,
        first: Annotated[int | None, FIRST] = 50,
        after: Annotated[str | None, AFTER] = None,
        filter: Annotated[f.ComponentFilter | None, FILTER] = None,
    ) -> Connection[Component]:
        where = [
            m.Component.art_id.is_(None),
            *components.component_conditions(f.component_filter(filter)),
        ]
        return await root_connection(info, Component, where, components.COMPONENT_ORDER, first, after)

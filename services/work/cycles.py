"""The guard against cycles among blocking dependencies: one recursive query from the new
prerequisite, and the cycle named when the dependent is reachable from it."""

from __future__ import annotations

import functools
import json
from typing import Any

from sqlalchemy import BigInteger, and_, bindparam, exists, func, literal, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.sql.expression import CTE, ColumnElement, Join, Select

from graph.cycles import closing_cycle
from services.core.enums import DependencyType
from services.core.errors import ErrorCode, Problems
from services.models import Dependency, Feature, Story


def _steps(
    reach: CTE, dialect: str
) -> tuple[Join, ColumnElement[int] | InstrumentedAttribute[int]]:
    """The live blocking edges out of each node of `reach`: (from clause, prerequisite column).

    On PostgreSQL as a LATERAL subquery kept apart by OFFSET 0, so each node's edges are one
    lookup in the walk index; left to itself the planner estimates the walk at a few rows
    and scans the whole table at every step of the recursion."""
    edge = aliased(Dependency)
    # The type inline (not a bound parameter), so the partial walk index matches every plan.
    blocks = literal(DependencyType.BLOCKS, edge.type.type, literal_execute=True)
    live = (edge.archived_at.is_(None), edge.type == blocks)
    if dialect == "postgresql":
        step = (
            select(edge.prerequisite_node)
            .where(edge.dependent_node == reach.c.node, *live)
            .offset(0)
            .lateral("step")
        )
        return reach.join(step, true()), step.c.prerequisite_node
    return reach.join(
        edge, and_(edge.dependent_node == reach.c.node, *live)
    ), edge.prerequisite_node


@functools.cache
def _closing_walk(dialect: str) -> Select[tuple[Any]]:
    """One query: walk what :prerequisite (transitively) depends on, stopping as soon as it
    reaches :dependent; when it does, the edges of the whole walk as one JSON array of
    [from, to] pairs (to name the cycle), else nothing.

    The walk is a recursive CTE read twice, so it is computed once; the edges are only read
    when the (one-time) hit test passes. Built once per dialect."""
    start = bindparam("prerequisite", type_=BigInteger)
    reach = select(start.label("node")).cte("reach", recursive=True)
    joined, step = _steps(reach, dialect)
    reach = reach.union(select(step).select_from(joined))
    hit = (
        select(reach.c.node)
        .where(reach.c.node == bindparam("dependent", type_=BigInteger))
        .limit(1)
        .cte("hit")
    )
    joined, step = _steps(reach, dialect)
    pair = (func.json_build_array if dialect == "postgresql" else func.json_array)(
        reach.c.node, step
    )
    edges = func.json_agg(pair) if dialect == "postgresql" else func.json_group_array(pair)
    return select(edges).select_from(joined).where(exists(select(hit.c.node)))


async def check_no_cycle(
    session: AsyncSession, problems: Problems, dependent_node: int, prerequisite_node: int
) -> None:
    """Refuse a blocking dependency that would close a cycle, naming the whole cycle.

    Local: one recursive query walks what the new prerequisite already depends on, and stops
    as soon as it reaches the dependent; only then does it return the edges of that walk, and
    the (shortest) cycle is named from them."""
    dialect = session.get_bind().dialect.name
    found = await session.scalar(
        _closing_walk(dialect), {"dependent": dependent_node, "prerequisite": prerequisite_node}
    )
    pairs = json.loads(found) if isinstance(found, str) else found
    if not pairs:  # PostgreSQL aggregates nothing to NULL, SQLite to []
        return
    cycle = closing_cycle(((int(a), int(b)) for a, b in pairs), dependent_node, prerequisite_node)
    assert cycle is not None
    keys = await _keys(session, cycle)
    names = [keys[n] for n in cycle]
    problems.add(
        ErrorCode.CYCLE,
        f"{names[0]} cannot depend on {names[1]}: that would close the cycle "
        f"{' -> '.join([*names, names[0]])}.",
        "prerequisite_id",
    )


# The keys of dependency ends by node number, in one statement built once.
_KEYS = union_all(
    select((Feature.id * 2).label("node"), Feature.key).where(
        Feature.id.in_(bindparam("features", expanding=True))
    ),
    select((Story.id * 2 + 1).label("node"), Story.key).where(
        Story.id.in_(bindparam("stories", expanding=True))
    ),
)


async def _keys(session: AsyncSession, nodes: list[int]) -> dict[int, str]:
    features = [n // 2 for n in nodes if n % 2 == 0]
    stories = [n // 2 for n in nodes if n % 2 == 1]
    rows = await session.execute(_KEYS, {"features": features, "stories": stories})
    return {node: key for node, key in rows.all()}  # noqa: C416 (rows, not pairs)

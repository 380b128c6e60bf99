"""The permission matrix of services/PERMISSIONS.md as the tests read it: its rows and cells,
the operation each row exercises, the requests the rows send, and the payload selection that
reads back every reference a write's result holds."""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.build import build_schema
from services.models import Base
from tests.services.access.permission_scenario import ACTORS, Scenario

DOC = Path(__file__).resolve().parents[3] / "services" / "PERMISSIONS.md"
QUERY_ROW = re.compile(r"query (\w+)")


def read_matrix() -> dict[str, dict[str, bool]]:
    """Every row of the document's table: label -> actor column -> allowed."""
    lines = [line for line in DOC.read_text().splitlines() if line.startswith("| ")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header[1:] == ACTORS, "the document's columns are the actors of the scenario"
    matrix: dict[str, dict[str, bool]] = {}
    for line in lines[1:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert len(cells) == len(ACTORS) + 1, (
            f"{line}\n  has {len(cells) - 1} cells; the columns are {', '.join(ACTORS)}"
        )
        assert set(cells[1:]) <= {"yes", "no"}, line
        assert cells[0] not in matrix, f"the row {cells[0]!r} is in the document twice"
        matrix[cells[0]] = {a: c == "yes" for a, c in zip(ACTORS, cells[1:], strict=True)}
    return matrix


def operation_of(label: str) -> tuple[str, str]:
    """The root field a row exercises, as (Mutation or Query, field): a mutation row starts
    with the mutation's name, a query row with `query` and the root field it reads."""
    found = QUERY_ROW.match(label)
    if found:
        return "Query", found.group(1)
    return "Mutation", label.split(" ", 1)[0]


Request = tuple[str, dict[str, Any], str]  # query, variables, top-level field
Version = Callable[[str, str], Awaitable[int]]


@dataclass(frozen=True)
class Row:
    needs: frozenset[str]
    request: Callable[[Scenario, int, Version], Awaitable[Request]]
    is_query: bool = False
    # For a read the ART limit hides rather than refuses: what the answer holds when the
    # reader sees the thing (a refused cell must answer without it and without an error).
    seen: Callable[[Any], bool] | None = None


ROWS: dict[str, Row] = {}


def define(
    label: str, needs: str = "", *, query: bool = False, seen: Callable[[Any], bool] | None = None
) -> Callable[[Any], Any]:
    def register(fn: Any) -> Any:
        assert label not in ROWS, f"the row {label!r} is defined twice"
        ROWS[label] = Row(frozenset(needs.split()), fn, query or seen is not None, seen)
        return fn

    return register


@functools.cache
def graphql_schema() -> GraphQLSchema:
    # strawberry keeps the graphql-core schema it built as `_schema`.
    built: GraphQLSchema = build_schema()._schema
    return built


def _is_node(type_: GraphQLOutputType | GraphQLNamedType) -> bool:
    schema = graphql_schema()
    node = schema.get_type("Node")
    named = get_named_type(type_)
    if isinstance(named, GraphQLObjectType):
        return node in named.interfaces
    if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
        return named is node or any(node in t.interfaces for t in schema.get_possible_types(named))
    return False


def _reference(field: GraphQLField) -> bool:
    """A to-one reference to another node, readable without arguments."""
    type_ = field.type.of_type if is_non_null_type(field.type) else field.type
    needs_arguments = any(is_non_null_type(a.type) for a in field.args.values())
    return _is_node(field.type) and not is_list_type(type_) and not needs_arguments


REFERENCE = "{ __typename ... on Node { id } }"


def _entity(type_: GraphQLOutputType) -> str:
    named = get_named_type(type_)
    parts = ["__typename"] + (["... on Node { id }"] if _is_node(named) else [])
    objects = (
        [named]
        if isinstance(named, GraphQLObjectType)
        else list(graphql_schema().get_possible_types(named))  # type: ignore[arg-type]  # a union or interface here
    )
    for object_type in objects:
        # Aliased per type: a field of two types in one selection must have one shape, and an
        # interface's nullable field may be non-null on one of them (WorkItem.team).
        alias = "" if object_type is named else f"{object_type.name}_"
        references = [
            f"{alias}{n}: {n} {REFERENCE}" if alias else f"{n} {REFERENCE}"
            for n, f in object_type.fields.items()
            if _reference(f)
        ]
        if references and object_type is named:
            parts.extend(references)
        elif references:
            parts.append(f"... on {object_type.name} {{ {' '.join(references)} }}")
    return "{ " + " ".join(parts) + " }"


@functools.cache
def payload_selection(mutation: str) -> str:
    """The payload of `mutation` (without errors) with every to-one reference of what it
    returns: a write must answer what it wrote, readable by whoever was allowed to write it."""
    mutation_type = graphql_schema().mutation_type
    assert mutation_type is not None
    payload = get_named_type(mutation_type.fields[mutation].type)
    assert isinstance(payload, GraphQLObjectType)
    parts = []
    for name, field in payload.fields.items():
        if name == "errors":
            continue
        leaf = is_leaf_type(get_named_type(field.type))
        parts.append(name if leaf else f"{name} {_entity(field.type)}")
    return " ".join(parts)


def mutation(
    name: str, input_type: str, selection: str = ""
) -> Callable[[dict[str, Any]], Request]:
    def make(input_: dict[str, Any]) -> Request:
        wanted = selection or payload_selection(name)
        query = (
            f"mutation($input: {input_type}!) {{ {name}(input: $input) "
            f"{{ {wanted} errors {{ code message field }} }} }}"
        )
        return query, {"input": input_}, name

    return make


def create(name: str) -> Callable[[dict[str, Any]], Request]:
    return mutation(name, name[0].upper() + name[1:] + "Input")


def update(name: str) -> Callable[[dict[str, Any]], Request]:
    return mutation(name, name[0].upper() + name[1:] + "Input")


def archive(name: str) -> Callable[[dict[str, Any]], Request]:
    return mutation(name, "ArchiveInput")


async def snapshot(engine: AsyncEngine) -> dict[str, tuple[int, int, int]]:
    """Rows, sum of versions and revocations of every table: any write changes it."""
    out = {}
    async with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            version, revoked = table.c.get("version"), table.c.get("revoked_at")
            stmt = select(
                func.count(),
                func.coalesce(func.sum(version), 0) if version is not None else text("0"),
                func.count(revoked) if revoked is not None else text("0"),
            ).select_from(table)
            count, versions, revocations = (await conn.execute(stmt)).one()
            out[table.name] = (int(count), int(versions), int(revocations))
    return out

"""The committed SDL is current, names are stable, and everything public is described."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_schema,
)

from schema.build import SDL_PATH, export_sdl

STABLE_TYPES = [
    "Art",
    "Team",
    "Person",
    "PlanningInterval",
    "Iteration",
    "Feature",
    "Story",
    "Component",
    "Dependency",
    "Milestone",
]


def test_committed_sdl_is_current() -> None:
    assert SDL_PATH.read_text() == export_sdl(), "schema/schema.graphql is stale: run `make schema`"


def test_stable_names_and_relay_nodes() -> None:
    schema = build_schema(SDL_PATH.read_text())
    node = schema.get_type("Node")
    assert isinstance(node, GraphQLInterfaceType)
    for name in STABLE_TYPES:
        type_ = schema.get_type(name)
        assert isinstance(type_, GraphQLObjectType), name
        assert "Node" in [i.name for i in type_.interfaces], name
        assert schema.get_type(f"{name}Connection") is not None or name in {"Iteration"}
    query = schema.query_type
    assert query is not None
    assert {"node", "nodes", "arts", "art"} <= set(query.fields)


def test_every_public_type_field_and_argument_has_a_description() -> None:
    schema = build_schema(SDL_PATH.read_text())
    missing: list[str] = []
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not type_.description:
            missing.append(name)
        if isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field_name, field in type_.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(type_, GraphQLEnumType):
            assert all(v.isupper() or "_" in v for v in type_.values), name
    assert missing == []

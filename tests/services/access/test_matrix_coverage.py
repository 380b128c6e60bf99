"""The permission matrix covers the API as built, not a list of its own: every mutation and every
root query field of the schema (schema/build.py) has at least one row in
services/PERMISSIONS.md, and every row names an operation that exists."""

from __future__ import annotations

from tests.services.access.matrix import graphql_schema, operation_of, read_matrix
from tests.services.access.permission_scenario import ACTORS

HOW = (
    "Add its rows to the table of services/PERMISSIONS.md, one cell per column ({}), e.g. "
    "`| {} | yes | no | ... |` (one row per case where who may depends on it, e.g. "
    "`createStory (own team)`), and the request each row sends with @define(...) in "
    "tests/services/access/test_permissions.py; a query row reads `query <field> ...`."
)


def schema_operations() -> set[tuple[str, str]]:
    schema = graphql_schema()
    assert schema.mutation_type is not None
    return {("Mutation", name) for name in schema.mutation_type.fields} | {
        ("Query", name)
        for name in schema.query_type.fields  # type: ignore[union-attr]  # the schema has a query type
    }


def test_every_operation_of_the_schema_has_a_row() -> None:
    documented = {operation_of(label) for label in read_matrix()}
    missing = sorted(schema_operations() - documented)
    names = ", ".join(f"{kind}.{name}" for kind, name in missing)
    example = missing[0][1] if missing else ""
    assert missing == [], f"No row in services/PERMISSIONS.md for {names}. " + HOW.format(
        ", ".join(ACTORS), example
    )


def test_every_row_names_an_operation_of_the_schema() -> None:
    operations = schema_operations()
    unknown = [label for label in read_matrix() if operation_of(label) not in operations]
    assert unknown == [], (
        f"Rows of services/PERMISSIONS.md that name no operation of the schema: {unknown}. "
        "A row starts with the mutation's name, or with `query` and the root field it reads."
    )


def test_a_row_names_its_operation_by_its_first_word() -> None:
    assert [
        operation_of(label)
        for label in (
            "createStory (own team)",
            "updatePerson (oneself)",
            "query art(key) of another ART",
            "query viewer",
        )
    ] == [
        ("Mutation", "createStory"),
        ("Mutation", "updatePerson"),
        ("Query", "art"),
        ("Query", "viewer"),
    ]

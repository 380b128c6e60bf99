"""GraphQL requests generated from the committed SDL (hypothesis-graphql), one strategy per
root field of Query and Mutation.

Values mix the plausible and the hostile: `ID` inputs are real global ids of the seeded train
(often of the type the field names: `teamId` gets a team's), well-formed ids of rows that do
not exist, or malformed ones; `after` gets cursors the API issued, or forged ones; strings,
dates and times are often plausible and sometimes not.
Arguments are inline or lifted into variables (at any depth), and now and then a variable's
value has the wrong shape; mutations always read their payload's errors.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import graphql
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from schema.build import SDL_PATH
from schema.kit.relay import to_global_id

SCHEMA = graphql.build_schema(SDL_PATH.read_text())
assert SCHEMA.query_type is not None
assert SCHEMA.mutation_type is not None
ROOTS = {"query": SCHEMA.query_type, "mutation": SCHEMA.mutation_type}
# (kind, root field): every operation a client can send over HTTP (subscriptions run over a
# WebSocket and are not generated here). Those that end an item's life run last, so that the
# others meet the seeded train still alive.
ENDING = ("archive", "revoke", "cancel", "close")
OPERATIONS = sorted(
    ((kind, name) for kind, root in ROOTS.items() for name in root.fields),
    key=lambda operation: operation[1].startswith(ENDING),
)
_NODE = SCHEMA.type_map["Node"]
assert isinstance(_NODE, graphql.GraphQLInterfaceType)
NODE_TYPE_NAMES = sorted(t.name for t in SCHEMA.get_implementations(_NODE).objects)
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
# Id fields whose name does not say the node type they take.
ID_FIELD_TYPES = {
    "facilitator": ("Person",),
    "participant": ("Person",),
    "invitee": ("Person",),
    "dependent": ("Feature", "Story"),
    "prerequisite": ("Feature", "Story"),
    "item": ("Feature", "Story"),
}


@dataclass(frozen=True)
class Pool:
    """Real values of the seeded train that generated inputs pick from."""

    ids: dict[str, tuple[str, ...]]  # node type -> global ids
    strings: tuple[str, ...]
    cursors: dict[str, tuple[str, ...]]  # connection field -> cursors it issued

    def cursors_for(self, field_name: str) -> tuple[str, ...]:
        """Cursors of that connection field, or of any when it issued none."""
        return self.cursors.get(field_name) or tuple(c for cs in self.cursors.values() for c in cs)

    def all_ids(self) -> tuple[str, ...]:
        return tuple(i for ids in self.ids.values() for i in ids)


@dataclass(frozen=True)
class FuzzRequest:
    operation: str
    query: str
    variables: dict[str, Any]
    accept: str
    method: str = "POST"

    def body(self) -> dict[str, Any]:
        return {"query": self.query, "variables": self.variables}

    def shown(self) -> str:
        shown = {"method": self.method, "accept": self.accept, **self.body()}
        return json.dumps(shown, ensure_ascii=True, indent=1)


def _words(name: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name))


def id_types(field_name: str, context: tuple[str, ...]) -> tuple[str, ...]:
    """The node types an id field most likely takes, from its name (`owningTeamId`: Team), or
    for a bare `id` from the names around it (`UpdateFeatureInput`, `archiveStory`); empty when
    nothing says."""
    base = re.sub(r"Ids?$", "", field_name)
    if base in ID_FIELD_TYPES:
        return ID_FIELD_TYPES[base]
    names = (base,) if base not in ("", "id") else context
    for name in names:
        words = _words(name)
        found = [
            t
            for t in NODE_TYPE_NAMES
            if any(words[i : i + len(_words(t))] == _words(t) for i in range(len(words)))
        ]
        if found:
            return (max(found, key=lambda t: len(_words(t))),)
    if words := _words(base):  # `sessionId`: a RefinementSession
        return tuple(t for t in NODE_TYPE_NAMES if _words(t)[-1] == words[-1])
    return ()


def _malformed_ids() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=12),
        st.builds(
            lambda kind, raw: base64.b64encode(f"{kind}:{raw}".encode()).decode(),
            st.sampled_from([*NODE_TYPE_NAMES, "Nope", ""]),
            st.one_of(st.text(max_size=6), st.integers().map(str)),
        ),
    )


def scalar_strategies(pool: Pool) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Value nodes for the scalars of the schema."""
    ids = st.one_of(
        st.sampled_from(pool.all_ids()),
        st.builds(to_global_id, st.sampled_from(NODE_TYPE_NAMES), st.integers(1, 60)),
        _malformed_ids(),
    ).map(nodes.String)
    strings = st.one_of(
        st.sampled_from(pool.strings),
        st.from_regex(r"[A-Z]{2,5}(-[1-9][0-9]?)?", fullmatch=True),
        st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.[a-z]{2,4}", fullmatch=True),
        st.text(max_size=40),
        # Lone surrogates reach the server through JSON escapes (\ud800).
        st.text(st.characters(categories=["Cs"]) | st.characters(), min_size=1, max_size=6),
    ).map(nodes.String)
    ints = st.one_of(
        st.integers(-2, 12),
        st.sampled_from([0, 1, 13, 20, 40, 50, 100, 101, 2**31 - 1, -(2**31)]),
        st.integers(-(2**31), 2**31 - 1),
    ).map(nodes.Int)
    day = st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)).map(dt.date.isoformat)
    any_day = st.dates().map(dt.date.isoformat)
    zones = st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5))])
    start, end = dt.datetime(2026, 1, 1), dt.datetime(2028, 12, 31)
    # Naive ones too: a client may leave out the offset.
    moment = st.datetimes(start, end, timezones=zones) | st.datetimes(start, end)
    any_moment = st.datetimes(timezones=zones) | st.datetimes()
    junk = st.text(max_size=12)
    return {
        "ID": ids,
        "String": strings,
        "Int": ints,
        "Date": st.one_of(day, day, day, any_day, junk).map(nodes.String),
        "DateTime": st.one_of(
            *[moment.map(dt.datetime.isoformat)] * 3, any_moment.map(dt.datetime.isoformat), junk
        ).map(nodes.String),
        "Time": st.one_of(st.times().map(dt.time.isoformat), junk).map(nodes.String),
    }


def documents(kind: str, root_field: str, pool: Pool) -> st.SearchStrategy[graphql.DocumentNode]:
    """Valid operations (positive mode) selecting only `root_field`, as documents."""
    build = queries if kind == "query" else mutations
    strategy: st.SearchStrategy[graphql.DocumentNode] = build(
        SCHEMA,
        fields=[root_field],
        custom_scalars=scalar_strategies(pool),
        print_ast=lambda document: document,
    )
    return strategy


def _forge(cursor: str, index: int, value: Any) -> str:
    """An issued cursor with one of its sort key values replaced."""
    decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    decoded[1 + index % (len(decoded) - 1)] = value
    raw = json.dumps(decoded, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@lru_cache
def cursor_values(cursors: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Cursors the API issued, and forged ones: a sort key of another type or out of range."""
    keys = st.one_of(
        st.integers(),
        st.integers(min_value=2**31),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=8),
        st.booleans(),
    )
    return st.sampled_from(cursors) | st.builds(
        _forge, st.sampled_from(cursors), st.integers(0, 3), keys
    )


JSON_JUNK: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _corrupt(draw: st.DrawFn, value: Any) -> Any:
    """A variable value of the wrong shape: itself replaced, or one field of it (at any depth)."""
    if isinstance(value, dict) and value and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(value)))
        return {**value, key: _corrupt(draw, value[key])}
    if isinstance(value, list) and value and draw(st.booleans()):
        index = draw(st.integers(0, len(value) - 1))
        return [*value[:index], _corrupt(draw, value[index]), *value[index + 1 :]]
    return draw(JSON_JUNK)


@dataclass
class Rewrite:
    """One document's rewrite: real ids aimed at id fields, arguments lifted into variables."""

    draw: st.DrawFn
    pool: Pool
    lift: bool
    variables: dict[str, Any]
    definitions: list[graphql.VariableDefinitionNode]

    def value(
        self,
        node: graphql.ValueNode,
        type_: graphql.GraphQLInputType,
        name: str,
        context: tuple[str, ...],
    ) -> graphql.ValueNode:
        """The value of the input field or argument `name`, inside `context` (the names of
        the input types and fields around it, innermost first)."""
        named = graphql.get_nullable_type(type_)
        if isinstance(named, graphql.GraphQLList) and isinstance(node, graphql.ListValueNode):
            return graphql.ListValueNode(
                values=tuple(self.value(v, named.of_type, name, context) for v in node.values)
            )
        if isinstance(named, graphql.GraphQLInputObjectType) and isinstance(
            node, graphql.ObjectValueNode
        ):
            inner = (named.name, *context)
            return graphql.ObjectValueNode(
                fields=tuple(
                    graphql.ObjectFieldNode(
                        name=f.name,
                        value=self.value(
                            f.value, named.fields[f.name.value].type, f.name.value, inner
                        ),
                    )
                    for f in node.fields
                )
            )
        cursors = self.pool.cursors_for(context[0])
        if name == "after" and named is graphql.GraphQLString and cursors:
            if self.draw(st.sampled_from((True,) * 7 + (False,))):
                return nodes.String(self.draw(cursor_values(cursors)))
        aimed = [i for t in id_types(name, context) for i in self.pool.ids.get(t, ())]
        if named is graphql.GraphQLID and aimed and not isinstance(node, graphql.NullValueNode):
            if self.draw(st.sampled_from((True,) * 7 + (False,))):
                return nodes.String(self.draw(st.sampled_from(aimed)))
        return node

    def argument(
        self,
        argument: graphql.ArgumentNode,
        field_def: graphql.GraphQLField,
        context: tuple[str, ...],
    ) -> graphql.ArgumentNode:
        name = argument.name.value
        type_ = field_def.args[name].type
        value = self.value(argument.value, type_, name, context)
        if not self.lift or not self.draw(st.booleans()):
            return graphql.ArgumentNode(name=argument.name, value=value)
        variable = graphql.VariableNode(
            name=graphql.NameNode(value=f"v{len(self.definitions)}_{name}")
        )
        self.definitions.append(
            graphql.VariableDefinitionNode(variable=variable, type=graphql.parse_type(str(type_)))
        )
        given = graphql.value_from_ast_untyped(value)
        if not self.draw(st.integers(0, 7)):
            given = _corrupt(self.draw, given)
        self.variables[variable.name.value] = given
        return graphql.ArgumentNode(name=argument.name, value=variable)

    def selections(
        self, parent: graphql.GraphQLNamedType, selections: tuple[graphql.SelectionNode, ...]
    ) -> tuple[graphql.SelectionNode, ...]:
        out: list[graphql.SelectionNode] = []
        for selection in selections:
            if isinstance(selection, graphql.InlineFragmentNode):
                target = parent
                if selection.type_condition is not None:
                    target = SCHEMA.type_map[selection.type_condition.name.value]
                inner = self.selections(target, selection.selection_set.selections)
                out.append(
                    graphql.InlineFragmentNode(
                        type_condition=selection.type_condition,
                        directives=selection.directives,
                        selection_set=graphql.SelectionSetNode(selections=inner),
                    )
                )
                continue
            assert isinstance(selection, graphql.FieldNode)
            field_def = getattr(parent, "fields", {})[selection.name.value]
            context = (selection.name.value, parent.name)
            children = None
            if selection.selection_set is not None:
                children = graphql.SelectionSetNode(
                    selections=self.selections(
                        graphql.get_named_type(field_def.type), selection.selection_set.selections
                    )
                )
            out.append(
                graphql.FieldNode(
                    alias=selection.alias,
                    name=selection.name,
                    arguments=tuple(
                        self.argument(a, field_def, context) for a in selection.arguments or ()
                    ),
                    directives=selection.directives,
                    selection_set=children,
                )
            )
        return tuple(out)


_ERRORS = graphql.parse("{ errors { code message field } }").definitions[0]
assert isinstance(_ERRORS, graphql.OperationDefinitionNode)
PAYLOAD_ERRORS = _ERRORS.selection_set.selections


def _with_payload_errors(selection: graphql.SelectionNode) -> graphql.SelectionNode:
    """A mutation's selection that reads the payload's errors, so that the figures tell a
    write from a refusal and every refusal's message is rendered."""
    assert isinstance(selection, graphql.FieldNode)
    assert selection.selection_set is not None
    chosen = selection.selection_set.selections
    if any(isinstance(s, graphql.FieldNode) and s.name.value == "errors" for s in chosen):
        return selection
    return graphql.FieldNode(
        alias=selection.alias,
        name=selection.name,
        arguments=selection.arguments,
        directives=selection.directives,
        selection_set=graphql.SelectionSetNode(selections=(*chosen, *PAYLOAD_ERRORS)),
    )


@st.composite
def requests(
    draw: st.DrawFn,
    kind: str,
    root_field: str,
    pool: Pool,
    generated: st.SearchStrategy[graphql.DocumentNode],
) -> FuzzRequest:
    """A request for `root_field`, rewritten from a document that `generated` draws (see
    documents(), built once per operation: building it is slow)."""
    document = draw(generated)
    operation = document.definitions[0]
    assert isinstance(operation, graphql.OperationDefinitionNode)
    selections = operation.selection_set.selections
    if kind == "mutation":
        selections = tuple(_with_payload_errors(s) for s in selections)
    rewrite = Rewrite(draw, pool, lift=draw(st.booleans()), variables={}, definitions=[])
    selections = rewrite.selections(ROOTS[kind], selections)
    operation = graphql.OperationDefinitionNode(
        operation=operation.operation,
        variable_definitions=tuple(rewrite.definitions),
        selection_set=graphql.SelectionSetNode(selections=selections),
    )
    accept = draw(st.sampled_from(["application/json", GRAPHQL_RESPONSE_JSON]))
    query = graphql.print_ast(graphql.DocumentNode(definitions=(operation,)))
    # Queries also go as GET (a URL carries no lone surrogate: those go as POST).
    method = "POST"
    if kind == "query" and _encodable(query) and draw(st.booleans()):
        method = "GET"
    return FuzzRequest(f"{kind} {root_field}", query, rewrite.variables, accept, method)


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True

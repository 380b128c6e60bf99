"""Variables that do not coerce: request errors the client can fix, shown as they are.

graphql-core reports a variable that does not coerce (`"x"` for an Int, `2147483648`, a Date
that does not exist, null for a non-null type) with the scalar's own error as the
`original_error`, and the error mask (schema.kit.errors.should_mask_error) would hide every
such error as "Internal error.". Nothing has run when they happen, so they are handed on as
plain request errors (no `data`; 400 under application/graphql-response+json) that name the
variable and its declared type.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, VariableDefinitionNode, print_ast
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


def readable_variable_error(error: GraphQLError) -> GraphQLError:
    """The same error without its original error, naming the variable's declared type."""
    node = error.nodes[0] if error.nodes else None
    message = error.message
    if isinstance(node, VariableDefinitionNode):
        name = node.variable.name.value
        said = f"Variable '${name}' has invalid value"
        if message.startswith(said):
            message = (
                f"Variable '${name}' of type '{print_ast(node.type)}' has an invalid value"
                f"{message[len(said) :]}"
            )
    return GraphQLError(message, error.nodes, extensions=error.extensions)


class ReadableVariableErrors(StrawberryGraphQLCoreExecutionContext):
    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        # A list instead of an executor: the operation could not start (here, its variables).
        built = super().build(*args, **kwargs)
        if isinstance(built, list):
            return [readable_variable_error(e) for e in built]
        return built

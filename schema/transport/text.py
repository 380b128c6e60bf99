"""Requests whose text is not Unicode: lone UTF-16 surrogates.

JSON may escape a surrogate on its own (`"\\udfff"`), and Python's JSON parser turns it into a
string that no UTF-8 encoder accepts: the database driver, the response encoder and the
logs would all fail on it much later. Both transports refuse such a request as it arrives,
naming where the surrogate is. A GraphQL escape of one in a string literal (`"\\udfff"`
written in the document itself) is the GraphQL parser's to refuse, as a syntax error at
its position.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
VALID_UNICODE = "text must be valid Unicode"


def shown(text: str) -> str:
    """Text safe to put in a message: surrogates as escapes."""
    return text.encode("utf-8", "backslashreplace").decode()


def _surrogate_in(value: Any, path: str) -> tuple[str, str] | None:
    """(where, the surrogate) of the first lone surrogate in a JSON value, keys included.
    A loop, not recursion: a deeply nested value must not overflow the stack."""
    pending: list[tuple[Any, str]] = [(value, path)]
    while pending:
        item, where = pending.pop()
        if isinstance(item, str):
            found = _LONE_SURROGATE.search(item)
            if found is not None:
                return where, found.group()
        elif isinstance(item, Mapping):
            children = [(k, v, f"{where}.{shown(str(k))}") for k, v in item.items()]
            for key, _, inner in children:
                found = _LONE_SURROGATE.search(key) if isinstance(key, str) else None
                if found is not None:
                    return inner, found.group()
            pending.extend((v, inner) for _, v, inner in reversed(children))
        elif isinstance(item, list):
            pending.extend((v, f"{where}[{i}]") for i, v in reversed(list(enumerate(item))))
    return None


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def lone_surrogate_problem(
    query: object, variables: object, operation_name: object, extensions: object
) -> str | None:
    """Why the request's text is not Unicode, or None when it is."""
    if isinstance(query, str):
        found = _LONE_SURROGATE.search(query)
        if found is not None:
            line = query.count("\n", 0, found.start()) + 1
            column = found.start() - (query.rfind("\n", 0, found.start()) + 1) + 1
            return (
                f"The query has a lone UTF-16 surrogate ({_code_point(found.group())}) at line "
                f"{line}, column {column}: {VALID_UNICODE}."
            )
    if isinstance(variables, Mapping):
        for name, value in variables.items():
            label = shown(str(name))
            found = _LONE_SURROGATE.search(name) if isinstance(name, str) else None
            hit = ("", found.group()) if found is not None else _surrogate_in(value, "")
            if hit is not None:
                at = f" at {hit[0]}" if hit[0] else ""
                return (
                    f"Variable '${label}'{at} has a lone UTF-16 surrogate "
                    f"({_code_point(hit[1])}): {VALID_UNICODE}."
                )
    for label, value in (("operationName", operation_name), ("extensions", extensions)):
        hit = _surrogate_in(value, "")
        if hit is not None:
            where, char = hit
            at = f" at {where}" if where else ""
            surrogate = _code_point(char)
            return f"`{label}`{at} has a lone UTF-16 surrogate ({surrogate}): {VALID_UNICODE}."
    return None

"""Typed inputs of the use cases: what a caller leaves out of a change is UNSET, not None
(None is a value: "clear it")."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, TypeAlias, TypeVar

T = TypeVar("T")


class Unset(enum.Enum):
    """The type of UNSET: a field the caller did not give."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset.UNSET

# A field of a change: a value (None included) or UNSET.
Maybe: TypeAlias = T | Unset


def given(changes: Any) -> dict[str, Any]:
    """The fields of a change dataclass that the caller gave, by name."""
    return {
        f.name: getattr(changes, f.name)
        for f in dataclasses.fields(changes)
        if getattr(changes, f.name) is not UNSET
    }

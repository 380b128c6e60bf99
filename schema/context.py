"""The per-request context: settings, the sessionmaker and the request's loaders (never a session)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.settings import Settings

if TYPE_CHECKING:
    from schema.loaders import Loaders


@dataclass(slots=True)
class Context:
    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    loaders: Loaders
    extras: dict[str, Any] = field(default_factory=dict)

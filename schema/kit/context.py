"""The per-request context: settings, the sessionmaker and the loaders (never a session)."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schema.kit.broker import Broker
from schema.kit.loaders import Loaders
from services.access.permissions import ANONYMOUS, Actor
from services.analysis.plans import AnalysisCache
from services.core.settings import Settings

N = TypeVar("N")


@dataclass(slots=True)
class Context:
    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    loaders: Loaders
    actor: Actor = ANONYMOUS
    # The app's cache of plans and analyses (services.analysis.plans), shared by its requests.
    cache: AnalysisCache = field(default_factory=AnalysisCache)
    nodes: NodeCache = field(init=False)
    # Per-request cache of connection selections (see schema.kit.selection), by field node.
    selections: dict[Any, Any] = field(default_factory=dict)
    # The app's publish/subscribe of refinement events (mutations publish, subscriptions read).
    broker: Broker = field(default_factory=Broker)
    # A WebSocket's `connection_init` payload (Strawberry's protocol handler sets it).
    connection_params: dict[str, object] | None = None

    def __post_init__(self) -> None:
        self.nodes = NodeCache(self)

    def refresh(self) -> None:
        """Forget every row read so far. A WebSocket's context lives as long as the connection
        and each subscription event is executed with it: without this, nested fields would be
        served the rows the first event loaded."""
        self.loaders = Loaders(self.sessionmaker, self.actor.visible_art_ids())
        self.nodes = NodeCache(self)
        self.selections = {}


class NodeCache:
    """One node object per (type, id) per request; later references resolve synchronously."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self._nodes: dict[tuple[type, int], Any] = {}

    def peek(self, node_type: type[Any], pk: int) -> Any:
        """The node if this request already built it, else None."""
        return self._nodes.get((node_type, pk))

    def get(self, node_type: type[N], pk: int) -> N | Awaitable[N | None]:
        node = self._nodes.get((node_type, pk))
        if node is not None:
            return cast(N, node)
        return self._load(node_type, pk)

    async def fetch(self, node_type: type[N], pk: int) -> N | None:
        found = self.get(node_type, pk)
        return found if not isinstance(found, Awaitable) else await found

    async def _load(self, node_type: type[N], pk: int) -> N | None:
        """None when the row does not exist or lies in an ART the viewer cannot see."""
        row_node: Any = node_type  # a schema.kit.relay.RowNode subclass
        row = await self._context.loaders.row(row_node.model).load(pk)
        if row is None:
            return None
        node = self._nodes.get((node_type, pk))
        if node is None:
            node = self._nodes[(node_type, pk)] = row_node.from_row(row)
        return cast(N, node)

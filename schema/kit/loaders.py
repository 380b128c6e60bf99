"""Per-request DataLoaders. Each batch opens its own short session (sessions are not shared
between concurrently resolving fields) and runs one statement for all of its keys."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from services.access import reads as visible_reads
from services.core.base import Base, utcnow
from services.core.enums import FeatureState
from services.core.pagination import Ordering, Page, PageRequest
from services.core.relations import Relation
from services.models import AgendaItem
from services.refinement import batches
from services.refinement.health import TeamRefinementHealth, team_refinement_health
from services.refinement.warnings import SessionWarning
from services.work import components, kanban, readiness
from services.work.readiness import Readiness


class Loaders:
    """Batched reads, limited to the ARTs `visible_arts` (None: every ART, for an admin)."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        visible_arts: frozenset[int] | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._visible = visible_arts
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    @property
    def visible_arts(self) -> frozenset[int] | None:
        return self._visible

    def visible(self, model: type[Base]) -> list[ColumnElement[bool]]:
        return visible_reads.visible(model, self._visible)

    def _get(self, key: Hashable, factory: Any) -> DataLoader[Any, Any]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(load_fn=factory)
        return loader

    def row(self, model: type[Base]) -> DataLoader[int, Row[Any] | None]:
        async def load(ids: Sequence[int]) -> list[Row[Any] | None]:
            async with self._sessionmaker() as session:
                found = await visible_reads.rows_by_id(session, model, ids, self._visible)
            return [found.get(i) for i in ids]

        return self._get(("row", model), load)

    def page(
        self,
        relation: Relation,
        filter_: Hashable,
        ordering: Ordering,
        request: PageRequest,
        columns: tuple[str, ...],
    ) -> DataLoader[int, Page]:
        """One page of ``relation``'s children per parent id, reading only ``columns``."""

        async def load(parent_ids: Sequence[int]) -> list[Page]:
            async with self._sessionmaker() as session:
                pages = await visible_reads.child_pages(
                    session,
                    relation,
                    filter_,
                    parent_ids,
                    ordering,
                    request,
                    columns,
                    self._visible,
                )
            return [pages.get(p, request.after is not None) for p in parent_ids]

        return self._get(("page", relation, filter_, ordering.name, request, columns), load)

    def count(self, relation: Relation, filter_: Hashable) -> DataLoader[int, int]:
        async def load(parent_ids: Sequence[int]) -> list[int]:
            async with self._sessionmaker() as session:
                counts = await visible_reads.child_counts(session, relation, filter_, parent_ids)
            return [counts.get(p, 0) for p in parent_ids]

        return self._get(("count", relation, filter_), load)

    def all_children(
        self, relation: Relation, ordering: Ordering
    ) -> DataLoader[int, list[Row[Any]]]:
        async def load(parent_ids: Sequence[int]) -> list[list[Row[Any]]]:
            async with self._sessionmaker() as session:
                grouped = await visible_reads.all_children(
                    session, relation, parent_ids, ordering, self._visible
                )
            return [grouped.get(p, []) for p in parent_ids]

        return self._get(("all", relation, ordering.name), load)

    def feature_components(self) -> DataLoader[int, list[int]]:
        async def load(ids: Sequence[int]) -> list[list[int]]:
            async with self._sessionmaker() as session:
                found = await components.component_ids_by_feature(session, ids)
            return [found.get(i, []) for i in ids]

        return self._get("feature_components", load)

    def story_components(self) -> DataLoader[int, list[int]]:
        async def load(ids: Sequence[int]) -> list[list[int]]:
            async with self._sessionmaker() as session:
                found = await components.component_ids_by_story(session, ids)
            return [found.get(i, []) for i in ids]

        return self._get("story_components", load)

    def feature_state_counts(self) -> DataLoader[int, dict[FeatureState, int]]:
        """Each ART's live features per Kanban state (its WIP)."""

        async def load(ids: Sequence[int]) -> list[dict[FeatureState, int]]:
            async with self._sessionmaker() as session:
                found = await kanban.state_counts(session, ids)
            return [found.get(i, {}) for i in ids]

        return self._get("feature_state_counts", load)

    def story_readiness(self) -> DataLoader[int, Readiness | None]:
        async def load(ids: Sequence[int]) -> list[Readiness | None]:
            async with self._sessionmaker() as session:
                found = await readiness.story_readiness(session, ids)
            return [found.get(i) for i in ids]

        return self._get("story_readiness", load)

    def feature_readiness(self) -> DataLoader[int, Readiness | None]:
        async def load(ids: Sequence[int]) -> list[Readiness | None]:
            async with self._sessionmaker() as session:
                found = await readiness.feature_readiness(session, ids)
            return [found.get(i) for i in ids]

        return self._get("feature_readiness", load)

    def agenda(self) -> DataLoader[int, list[AgendaItem]]:
        """Each session's agenda items, in order."""

        async def load(ids: Sequence[int]) -> list[list[AgendaItem]]:
            async with self._sessionmaker() as session:
                grouped = await batches.agendas(session, ids)
            return [grouped.get(i, []) for i in ids]

        return self._get("agenda", load)

    def participants(self) -> DataLoader[int, list[int]]:
        """Each session's participants (person ids)."""

        async def load(ids: Sequence[int]) -> list[list[int]]:
            async with self._sessionmaker() as session:
                grouped = await batches.participants(session, ids)
            return [grouped.get(i, []) for i in ids]

        return self._get("participants", load)

    def session_warnings(self) -> DataLoader[int, list[SessionWarning]]:
        """Each session's warnings (overloaded agenda, no technical representation, ...)."""

        async def load(ids: Sequence[int]) -> list[list[SessionWarning]]:
            async with self._sessionmaker() as session:
                found = await batches.warnings(session, ids)
            return [found.get(i, []) for i in ids]

        return self._get("session_warnings", load)

    def team_refinement_health(self) -> DataLoader[int, TeamRefinementHealth | None]:
        """How refinement is going in each team, as of now (one batch for all teams asked)."""

        async def load(ids: Sequence[int]) -> list[TeamRefinementHealth | None]:
            async with self._sessionmaker() as session:
                found = await team_refinement_health(session, ids, utcnow())
            return [found.get(i) for i in ids]

        return self._get("team_refinement_health", load)

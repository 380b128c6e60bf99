"""The migrations create exactly the models and fill new columns of existing rows; the app
refuses an un-migrated database."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from litestar.testing import TestClient
from sqlalchemy import Connection, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.transport.app import create_app
from services.core.db import (
    DatabaseNotMigratedError,
    alembic_config,
    create_engine,
    create_sessionmaker,
    head_revision,
    upgrade_to_head,
)
from services.core.settings import load_settings
from services.demo import seed_demo_into
from services.models import Base, Dependency
from services.models.work import node_of
from tests.conftest import BACKENDS, fresh_database_url


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_migrated_schema_matches_the_models(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(_diff) == []
        version = await connection.exec_driver_sql("SELECT version_num FROM alembic_version")
        assert version.scalar_one() == head_revision()


@pytest.mark.parametrize("backend", BACKENDS)
def test_app_refuses_to_start_on_an_unmigrated_database(backend: str, tmp_path: Path) -> None:
    url, drop = fresh_database_url(backend, tmp_path)
    try:
        app = create_app(load_settings({}, database_url=url))
        refused: list[BaseException] = []
        try:
            with TestClient(app):
                pytest.fail("the app started on an un-migrated database")
        except* DatabaseNotMigratedError as group:  # the test client's task group wraps it
            refused = list(group.exceptions)
        assert len(refused) == 1
        assert str(refused[0]).endswith(
            "has no Trainyard schema yet. Run `trainyard migrate` (with the same "
            "TRAINYARD_DATABASE_URL) and start again."
        )
    finally:
        drop()


async def _seed_and_read_nodes(url: str) -> list[tuple[int, int, int]]:
    settings = load_settings({}, database_url=url)
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine).begin() as session:
            if await session.scalar(select(func.count()).select_from(Dependency)) == 0:
                await seed_demo_into(session, today=dt.date(2027, 3, 10))
            rows = await session.execute(
                select(
                    Dependency.id,
                    Dependency.dependent_node,
                    Dependency.prerequisite_node,
                    Dependency.dependent_feature_id,
                    Dependency.dependent_story_id,
                    Dependency.prerequisite_feature_id,
                    Dependency.prerequisite_story_id,
                ).order_by(Dependency.id)
            )
            out = []
            for id_, dep_node, pre_node, df, ds, pf, ps in rows:
                assert dep_node == node_of(df, ds)
                assert pre_node == node_of(pf, ps)
                out.append((id_, dep_node, pre_node))
            return out
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_0003_fills_the_dependency_ends_of_existing_rows(backend: str, tmp_path: Path) -> None:
    """Down to 0002 and up again on a seeded database: the walk columns are backfilled with
    exactly what new rows get, and nothing else changes."""
    url, drop = fresh_database_url(backend, tmp_path)
    try:
        upgrade_to_head(url)
        before = asyncio.run(_seed_and_read_nodes(url))
        assert len(before) == 60
        config = alembic_config(url)
        command.downgrade(config, "0002")
        command.upgrade(config, "head")
        assert asyncio.run(_seed_and_read_nodes(url)) == before
    finally:
        drop()

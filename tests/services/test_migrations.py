"""The migration creates exactly the models, and the app refuses an un-migrated database."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from litestar.testing import TestClient
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.app import create_app
from services.db import DatabaseNotMigratedError, head_revision
from services.models import Base
from services.settings import load_settings
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

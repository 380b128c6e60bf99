"""Settings come from TRAINYARD_* variables, once, into a frozen object."""

from __future__ import annotations

import dataclasses

import pytest

from schema.transport.app import create_app
from services.core.settings import DEFAULT_DATABASE_URL, Settings, SettingsError, load_settings


def test_defaults() -> None:
    settings = load_settings({})
    assert settings == Settings()
    assert settings.database_url == DEFAULT_DATABASE_URL == "sqlite+aiosqlite:///./trainyard.db"
    assert (settings.host, settings.port, settings.graphiql) == ("127.0.0.1", 8000, True)


def test_environment_and_overrides() -> None:
    settings = load_settings(
        {
            "TRAINYARD_DATABASE_URL": "postgresql+asyncpg://app:s3cret@db:5432/trainyard",
            "TRAINYARD_PORT": "9000",
            "TRAINYARD_GRAPHIQL": "off",
            "TRAINYARD_MAX_REQUEST_BODY_BYTES": "2048",
            "UNRELATED": "x",
        },
        port=9100,
    )
    assert settings.port == 9100
    assert settings.graphiql is False
    assert settings.max_request_body_bytes == 2048
    assert not settings.is_sqlite
    assert settings.redacted_database_url() == "postgresql+asyncpg://app:***@db:5432/trainyard"
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.port = 1  # type: ignore[misc]  # the point: assigning to a frozen field fails


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "TRAINYARD_PORT",
            "70000",
            "TRAINYARD_PORT='70000' is not valid: expected a port number between 1 and 65535",
        ),
        (
            "TRAINYARD_PORT",
            "eighty",
            "TRAINYARD_PORT='eighty' is not valid: invalid literal for int() with base 10: 'eighty'",
        ),
        (
            "TRAINYARD_DEBUG",
            "maybe",
            "TRAINYARD_DEBUG='maybe' is not valid: expected one of 1/0, true/false, yes/no, on/off",
        ),
        (
            "TRAINYARD_DATABASE_URL",
            "mysql://x",
            "TRAINYARD_DATABASE_URL='mysql://x' is not valid: expected a sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db URL",
        ),
    ],
)
def test_bad_values_name_the_variable_and_what_is_allowed(
    name: str, value: str, message: str
) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({name: value})
    assert str(error.value) == message


def test_creating_the_app_does_not_connect() -> None:
    # Nothing listens on port 1: building the app must still succeed (it connects on start).
    app = create_app(load_settings({}, database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none"))
    assert app.state.settings.database_url.endswith(":1/none")

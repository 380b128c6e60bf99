"""Settings: one frozen object built from ``TRAINYARD_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./trainyard.db"


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    debug: bool = False
    db_echo: bool = False
    db_pool_size: int = 10
    graphiql: bool = True
    # Body size the HTTP layer accepts before reading a request (bytes).
    max_request_body_bytes: int = 1_000_000
    # Where the built web app lives; served at / when present.
    frontend_dist: str = "frontend/dist"
    # Send the session cookie only over HTTPS (browsers accept it on http://localhost too).
    cookie_secure: bool = True
    introspection: bool = True
    # Query limits (see schema/kit/limits.py).
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5_000
    max_cost: int = 250_000

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def redacted_database_url(self) -> str:
        """The database URL with any password hidden, for messages and logs."""
        scheme, sep, rest = self.database_url.partition("://")
        if not sep or "@" not in rest:
            return self.database_url
        credentials, _, location = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{location}" if ":" in credentials else self.database_url


def _parse_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected one of 1/0, true/false, yes/no, on/off")


def _parse_positive_int(raw: str) -> int:
    value = int(raw.strip())
    if value <= 0:
        raise ValueError("expected a positive whole number")
    return value


def _parse_port(raw: str) -> int:
    value = int(raw.strip())
    if not 1 <= value <= 65535:
        raise ValueError("expected a port number between 1 and 65535")
    return value


def _parse_database_url(raw: str) -> str:
    url = raw.strip()
    allowed = ("sqlite+aiosqlite://", "postgresql+asyncpg://")
    if not url.startswith(allowed):
        raise ValueError(
            "expected a sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db URL"
        )
    return url


_PARSERS: dict[str, Callable[[str], Any]] = {
    "database_url": _parse_database_url,
    "host": str.strip,
    "port": _parse_port,
    "debug": _parse_bool,
    "db_echo": _parse_bool,
    "db_pool_size": _parse_positive_int,
    "graphiql": _parse_bool,
    "max_request_body_bytes": _parse_positive_int,
    "frontend_dist": str.strip,
    "cookie_secure": _parse_bool,
    "introspection": _parse_bool,
    "max_depth": _parse_positive_int,
    "max_aliases": _parse_positive_int,
    "max_tokens": _parse_positive_int,
    "max_cost": _parse_positive_int,
}


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build the settings from ``TRAINYARD_<FIELD>`` variables; explicit overrides win."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for field in fields(Settings):
        name = f"TRAINYARD_{field.name.upper()}"
        if name in env and env[name] != "":
            try:
                values[field.name] = _PARSERS[field.name](env[name])
            except ValueError as exc:
                raise SettingsError(f"{name}={env[name]!r} is not valid: {exc}") from None
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)

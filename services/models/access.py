"""Sign-in sessions, API tokens, sign-in failures (rate limiting) and the change history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.core.base import Base, JSONDocument, utcnow
from services.core.enums import HistoryAction, TokenScope


class WebSession(Base):
    """A signed-in browser: the cookie holds a random secret, only its hash is stored."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class ApiToken(Base):
    """A token for a portfolio tool or a script, shown once; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    name: Mapped[str] = mapped_column(String(120))
    # The first characters of the token, so people can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[TokenScope] = mapped_column(Enum(TokenScope, native_enum=False, length=8))
    # The ARTs the token is limited to (ids); empty: every ART its person has a role in.
    art_ids: Mapped[list[int]] = mapped_column(JSONDocument, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    expires_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class SignInFailure(Base):
    """A failed sign-in, counted to rate-limit guessing (per email and per client)."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_client_at", "client", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class HistoryEntry(Base):
    """One change to one row: who, when, what (field -> {old, new}), at which version."""

    __tablename__ = "history"
    __table_args__ = (
        Index("ix_history_entity", "entity_type", "entity_id", "id"),
        Index("ix_history_art", "art_id", "id"),
        Index("ix_history_team", "team_id", "id"),
        Index("ix_history_actor", "actor_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    # Who acted when no person did (the demo seed, a migration script).
    actor_label: Mapped[str] = mapped_column(String(120), default="")
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    art_id: Mapped[int | None] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[HistoryAction] = mapped_column(Enum(HistoryAction, native_enum=False, length=8))
    version: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    # Why, for a change that needs one (a feature moved back on the ART Kanban, or reopened).
    reason: Mapped[str | None] = mapped_column(Text, default=None)

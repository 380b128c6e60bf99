"""The organisation: ARTs, teams, people and their roles."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.core.base import Base, Editable, JSONDocument
from services.core.enums import Role


class Art(Editable, Base):
    __tablename__ = "arts"

    key: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # Bumped by every recorded change to the ART's plan: analyses are cached per version.
    plan_version: Mapped[int] = mapped_column(Integer, default=0)
    # The ART's Definition of Ready (ReadyRule names); NULL: services/DOMAIN.md's default.
    feature_ready_rules: Mapped[list[str] | None] = mapped_column(JSONDocument, default=None)
    story_ready_rules: Mapped[list[str] | None] = mapped_column(JSONDocument, default=None)
    # WIP limits of the ART Kanban ({"IMPLEMENTING": 3, ...}, in flow order); NULL: none.
    wip_limits: Mapped[dict[str, int] | None] = mapped_column(JSONDocument, default=None)


class Team(Editable, Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("art_id", "key"),)

    art_id: Mapped[int] = mapped_column(ForeignKey("arts.id"), index=True)
    key: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    is_shared_services: Mapped[bool] = mapped_column(Boolean, default=False)
    # The team's t-shirt scale in points ({"XS": 1, ...}); services/DOMAIN.md's default when empty.
    tshirt_points: Mapped[dict[str, int]] = mapped_column(JSONDocument, default=dict)


class Person(Editable, Base):
    """A person; with a password they can sign in, as portfolio admin when flagged."""

    __tablename__ = "people"

    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # argon2id hash (argon2-cffi); NULL: the person cannot sign in with a password.
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)


class Membership(Editable, Base):
    """A person's role in exactly one ART or one team."""

    __tablename__ = "memberships"
    __table_args__ = (
        CheckConstraint("(art_id IS NULL) <> (team_id IS NULL)", name="exactly_one_scope"),
        Index("ix_memberships_person_scope_role", "person_id", "art_id", "team_id", "role"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    art_id: Mapped[int | None] = mapped_column(ForeignKey("arts.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))

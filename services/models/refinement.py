"""Refinement: teams' weekly sessions and the ART's program backlog refinement, their agendas,
what was recorded in them, and the follow-ups they leave."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.core.base import Base, Editable, JSONDocument, utcnow
from services.core.enums import FollowUpKind, RefinementEventKind, SessionStatus


class RefinementSchedule(Editable, Base):
    """A team's weekly recurring refinement: the day, time and timebox of its sessions, and
    who is invited by default."""

    __tablename__ = "refinement_schedules"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        # One live schedule per team; archiving it stops the series.
        Index(
            "uq_refinement_schedules_team_live",
            "team_id",
            unique=True,
            postgresql_where=text("archived_at IS NULL"),
            sqlite_where=text("archived_at IS NULL"),
        ),
    )

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 Monday .. 6 Sunday
    start_time: Mapped[dt.time] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    timebox_minutes: Mapped[int] = mapped_column(Integer)
    invitee_ids: Mapped[list[int]] = mapped_column(JSONDocument, default=list)


class RefinementSession(Editable, Base):
    """One refinement session: a team's technical refinement (``team_id`` set) or the ART's
    program backlog refinement (``team_id`` NULL)."""

    __tablename__ = "refinement_sessions"
    __table_args__ = (
        Index("ix_refinement_sessions_team_start", "team_id", "starts_at"),
        Index("ix_refinement_sessions_art_start", "art_id", "starts_at"),
    )

    art_id: Mapped[int] = mapped_column(ForeignKey("arts.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("refinement_schedules.id"))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[dt.datetime] = mapped_column()
    timebox_minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[SessionStatus] = mapped_column(
        Enum(SessionStatus, native_enum=False, length=12), default=SessionStatus.SCHEDULED
    )
    started_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    closed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    # Why the agenda holds more than 8 items (required then).
    agenda_override_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Written when the session closes: what it covered, estimated, made ready, flagged...
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument, default=None)


class SessionParticipant(Base):
    """Someone invited to a session."""

    __tablename__ = "refinement_participants"

    session_id: Mapped[int] = mapped_column(ForeignKey("refinement_sessions.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True, index=True)


class AgendaItem(Base):
    """A story (team session) or a feature (ART session) on a session's agenda."""

    __tablename__ = "refinement_agenda_items"
    __table_args__ = (
        CheckConstraint("(feature_id IS NULL) <> (story_id IS NULL)", name="one_item"),
        UniqueConstraint("session_id", "feature_id", "story_id"),
        Index("ix_refinement_agenda_items_session_position", "session_id", "position"),
        Index("ix_refinement_agenda_items_story", "story_id"),
        Index("ix_refinement_agenda_items_feature", "feature_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("refinement_sessions.id"))
    position: Mapped[int] = mapped_column(Integer)
    feature_id: Mapped[int | None] = mapped_column(ForeignKey("features.id"))
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"))
    # The earlier session it was left over from (rolled to this one when that one closed).
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("refinement_sessions.id"))
    ready_at_start: Mapped[bool | None] = mapped_column(default=None)
    discussion_started_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    covered_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    steps: Mapped[list[str]] = mapped_column(JSONDocument, default=list)  # AgendaStep names


class FollowUp(Editable, Base):
    """Something to chase after a session: a blocked or incomplete item, an open question."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        CheckConstraint("(feature_id IS NULL) <> (story_id IS NULL)", name="one_item"),
        Index("ix_follow_ups_art_open", "art_id", "done_at"),
        Index("ix_follow_ups_team_open", "team_id", "done_at"),
        Index("ix_follow_ups_story", "story_id"),
        Index("ix_follow_ups_feature", "feature_id"),
    )

    art_id: Mapped[int] = mapped_column(ForeignKey("arts.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    feature_id: Mapped[int | None] = mapped_column(ForeignKey("features.id"))
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("refinement_sessions.id"))
    kind: Mapped[FollowUpKind] = mapped_column(Enum(FollowUpKind, native_enum=False, length=12))
    note: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    due_on: Mapped[dt.date] = mapped_column(Date)
    done_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    resolution: Mapped[str] = mapped_column(Text, default="")


class RefinementEvent(Base):
    """The log of a session: what happened, to which item, by whom. Summaries are computed
    from it and live subscribers are sent each entry."""

    __tablename__ = "refinement_events"
    __table_args__ = (Index("ix_refinement_events_session", "session_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("refinement_sessions.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[RefinementEventKind] = mapped_column(
        Enum(RefinementEventKind, native_enum=False, length=16)
    )
    feature_id: Mapped[int | None] = mapped_column(ForeignKey("features.id"))
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)

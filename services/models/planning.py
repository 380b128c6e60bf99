"""Planning intervals, their iterations, and milestones on the board."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.core.base import Base, Editable
from services.core.enums import IterationKind, MilestoneKind


class PlanningInterval(Editable, Base):
    __tablename__ = "planning_intervals"
    __table_args__ = (
        UniqueConstraint("art_id", "name"),
        CheckConstraint("start_date <= end_date", name="dates_ordered"),
    )

    art_id: Mapped[int] = mapped_column(ForeignKey("arts.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)


class Iteration(Editable, Base):
    __tablename__ = "iterations"
    __table_args__ = (
        UniqueConstraint("planning_interval_id", "index"),
        CheckConstraint("start_date <= end_date", name="dates_ordered"),
    )

    planning_interval_id: Mapped[int] = mapped_column(
        ForeignKey("planning_intervals.id"), index=True
    )
    index: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[IterationKind] = mapped_column(Enum(IterationKind, native_enum=False, length=10))


class Milestone(Editable, Base):
    __tablename__ = "milestones"

    planning_interval_id: Mapped[int] = mapped_column(
        ForeignKey("planning_intervals.id"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[MilestoneKind] = mapped_column(Enum(MilestoneKind, native_enum=False, length=20))
    description: Mapped[str] = mapped_column(Text, default="")

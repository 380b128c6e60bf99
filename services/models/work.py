"""Plan items: features, stories, the components they touch, and dependencies between them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.core.base import Base, Editable, JSONDocument
from services.core.enums import (
    ComponentKind,
    DependencyType,
    EnablerType,
    FeatureKind,
    FeatureState,
    StoryKind,
    StoryStatus,
    TShirtSize,
)


class Feature(Editable, Base):
    __tablename__ = "features"
    __table_args__ = (
        UniqueConstraint("art_id", "key"),
        CheckConstraint(
            "(kind = 'ENABLER') = (enabler_type IS NOT NULL)", name="enabler_type_iff_enabler"
        ),
        Index("ix_features_art_wsjf", "art_id", "wsjf_sort", "rank", "id"),
        Index("ix_features_art_rank", "art_id", "rank", "id"),
    )

    art_id: Mapped[int] = mapped_column(ForeignKey("arts.id"))
    key: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[FeatureKind] = mapped_column(Enum(FeatureKind, native_enum=False, length=10))
    enabler_type: Mapped[EnablerType | None] = mapped_column(
        Enum(EnablerType, native_enum=False, length=20)
    )
    state: Mapped[FeatureState] = mapped_column(
        Enum(FeatureState, native_enum=False, length=20), index=True
    )
    benefit_hypothesis: Mapped[str] = mapped_column(Text, default="")
    acceptance_criteria: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    user_business_value: Mapped[int | None] = mapped_column(Integer)
    time_criticality: Mapped[int | None] = mapped_column(Integer)
    risk_reduction: Mapped[int | None] = mapped_column(Integer)
    job_size: Mapped[int | None] = mapped_column(Integer)
    # Derived on every write from the four inputs (services/DOMAIN.md, WSJF); stored for sorting.
    cost_of_delay: Mapped[int | None] = mapped_column(Integer)
    wsjf: Mapped[float | None] = mapped_column(Float)
    # WSJF with "not scored" as -1, so keyset pagination never compares NULLs.
    wsjf_sort: Mapped[float] = mapped_column(Float, default=-1.0)
    rank: Mapped[int] = mapped_column(Integer)
    owning_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    planning_interval_id: Mapped[int | None] = mapped_column(
        ForeignKey("planning_intervals.id"), index=True
    )
    iteration_id: Mapped[int | None] = mapped_column(ForeignKey("iterations.id"), index=True)
    # Program backlog refinement: what was clarified, and when.
    business_value_notes: Mapped[str] = mapped_column(Text, default="")
    technical_assumptions: Mapped[str] = mapped_column(Text, default="")
    # Set when refinement confirmed the dependencies are identified (possibly none).
    dependencies_identified_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    # When the feature first entered BACKLOG (refined): features refined per week.
    refined_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class Story(Editable, Base):
    __tablename__ = "stories"
    __table_args__ = (
        UniqueConstraint("team_id", "key"),
        CheckConstraint(
            "NOT (points IS NOT NULL AND tshirt_size IS NOT NULL)", name="one_estimate"
        ),
        CheckConstraint(
            "(kind = 'SPIKE') = (spike_timebox_days IS NOT NULL)", name="timebox_iff_spike"
        ),
        Index("ix_stories_feature_rank", "feature_id", "rank", "id"),
        Index("ix_stories_team_rank", "team_id", "rank", "id"),
    )

    feature_id: Mapped[int] = mapped_column(ForeignKey("features.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    key: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[StoryKind] = mapped_column(Enum(StoryKind, native_enum=False, length=12))
    acceptance_criteria: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    points: Mapped[int | None] = mapped_column(Integer)
    tshirt_size: Mapped[TShirtSize | None] = mapped_column(
        Enum(TShirtSize, native_enum=False, length=4)
    )
    status: Mapped[StoryStatus] = mapped_column(
        Enum(StoryStatus, native_enum=False, length=12), index=True
    )
    is_blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked_reason: Mapped[str] = mapped_column(Text, default="")
    iteration_id: Mapped[int | None] = mapped_column(ForeignKey("iterations.id"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    refinement_tag: Mapped[str | None] = mapped_column(String(60), index=True)
    spike_timebox_days: Mapped[int | None] = mapped_column(Integer)
    # Technical refinement: what the team clarified and recorded.
    business_value_notes: Mapped[str] = mapped_column(Text, default="")
    technical_assumptions: Mapped[str] = mapped_column(Text, default="")
    architecture_impact: Mapped[str] = mapped_column(Text, default="")
    nfrs: Mapped[str] = mapped_column(Text, default="")  # non-functional requirements
    test_approach: Mapped[str] = mapped_column(Text, default="")
    # A spike: the story whose unknown it resolves (that story waits for it).
    spike_for_story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"), index=True)
    # When a write first found the story ready (Definition of Ready): later changes to its
    # acceptance criteria or estimate count as rework.
    first_ready_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class Component(Editable, Base):
    """A shared architecture component; ``art_id`` is NULL for a portfolio-wide one."""

    __tablename__ = "components"
    __table_args__ = (
        Index("uq_components_art_name", "art_id", "name", unique=True),
        # NULLs are distinct in a unique index, so portfolio-wide names need their own.
        Index(
            "uq_components_portfolio_name",
            "name",
            unique=True,
            postgresql_where=text("art_id IS NULL"),
            sqlite_where=text("art_id IS NULL"),
        ),
    )

    art_id: Mapped[int | None] = mapped_column(ForeignKey("arts.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[ComponentKind] = mapped_column(Enum(ComponentKind, native_enum=False, length=20))
    description: Mapped[str] = mapped_column(Text, default="")
    owning_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)


class FeatureComponent(Base):
    """A feature touches (changes) a component."""

    __tablename__ = "feature_components"

    feature_id: Mapped[int] = mapped_column(ForeignKey("features.id"), primary_key=True)
    component_id: Mapped[int] = mapped_column(
        ForeignKey("components.id"), primary_key=True, index=True
    )


class StoryComponent(Base):
    """A story touches (changes) a component."""

    __tablename__ = "story_components"

    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), primary_key=True)
    component_id: Mapped[int] = mapped_column(
        ForeignKey("components.id"), primary_key=True, index=True
    )


LIVE_BLOCKING = "archived_at IS NULL AND type = 'BLOCKS'"


class Dependency(Editable, Base):
    """ "Dependent depends on prerequisite": the prerequisite must be delivered first.

    Each end is a feature or a story, so each end has two nullable columns of which exactly
    one is set; foreign keys keep both ends real.
    """

    __tablename__ = "dependencies"
    __table_args__ = (
        CheckConstraint(
            "(dependent_feature_id IS NULL) <> (dependent_story_id IS NULL)",
            name="one_dependent",
        ),
        CheckConstraint(
            "(prerequisite_feature_id IS NULL) <> (prerequisite_story_id IS NULL)",
            name="one_prerequisite",
        ),
        Index("ix_dependencies_dependent_feature", "dependent_feature_id"),
        Index("ix_dependencies_dependent_story", "dependent_story_id"),
        Index("ix_dependencies_prerequisite_feature", "prerequisite_feature_id"),
        Index("ix_dependencies_prerequisite_story", "prerequisite_story_id"),
        # The cycle guard's walk: live blocking edges only, read from the index alone.
        Index(
            "ix_dependencies_blocking_walk",
            "dependent_node",
            "prerequisite_node",
            postgresql_where=text(LIVE_BLOCKING),
            sqlite_where=text(LIVE_BLOCKING),
        ),
    )

    dependent_feature_id: Mapped[int | None] = mapped_column(ForeignKey("features.id"))
    dependent_story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"))
    prerequisite_feature_id: Mapped[int | None] = mapped_column(ForeignKey("features.id"))
    prerequisite_story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"))
    # The ARTs of both ends, fixed at creation (items never change ART), so an ART's
    # dependency list is one indexed lookup instead of a four-way join.
    dependent_art_id: Mapped[int] = mapped_column(ForeignKey("arts.id"), index=True)
    prerequisite_art_id: Mapped[int] = mapped_column(ForeignKey("arts.id"), index=True)
    # Each end as one number (feature id * 2, story id * 2 + 1), fixed at creation, so the
    # cycle guard walks "depends on" edges with one indexed recursive query.
    dependent_node: Mapped[int] = mapped_column(BigInteger)
    prerequisite_node: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[DependencyType] = mapped_column(Enum(DependencyType, native_enum=False, length=10))
    needed_by_iteration_id: Mapped[int | None] = mapped_column(ForeignKey("iterations.id"))
    note: Mapped[str] = mapped_column(Text, default="")


def node_of(feature_id: int | None, story_id: int | None) -> int:
    """The number of a dependency end (see Dependency.dependent_node)."""
    if feature_id is not None:
        return feature_id * 2
    assert story_id is not None
    return story_id * 2 + 1


class TeamCapacity(Editable, Base):
    """Story points a team can take on in an iteration, when it differs from the default
    (8 points per team member: SAFe's normalised start)."""

    __tablename__ = "team_capacities"
    __table_args__ = (UniqueConstraint("team_id", "iteration_id"),)

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    iteration_id: Mapped[int] = mapped_column(ForeignKey("iterations.id"), index=True)
    points: Mapped[int] = mapped_column(Integer)

"""refinement

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 23:18:04.222480

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Refinement: schedules, sessions, participants, agendas, follow-ups, the session log;
    what refinement records on features and stories; each ART's Definition of Ready."""
    op.create_table(
        "refinement_schedules",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("timebox_minutes", sa.Integer(), nullable=False),
        sa.Column(
            "invitee_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "weekday BETWEEN 0 AND 6", name=op.f("ck_refinement_schedules_weekday_range")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_refinement_schedules_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refinement_schedules")),
    )
    with op.batch_alter_table("refinement_schedules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refinement_schedules_team_id"), ["team_id"], unique=False
        )
        batch_op.create_index(
            "uq_refinement_schedules_team_live",
            ["team_id"],
            unique=True,
            postgresql_where=sa.text("archived_at IS NULL"),
            sqlite_where=sa.text("archived_at IS NULL"),
        )

    op.create_table(
        "refinement_sessions",
        sa.Column("art_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timebox_minutes", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "SCHEDULED",
                "IN_PROGRESS",
                "CLOSED",
                "CANCELLED",
                name="sessionstatus",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("facilitator_id", sa.Integer(), nullable=True),
        sa.Column("agenda_override_reason", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "summary",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["art_id"], ["arts.id"], name=op.f("fk_refinement_sessions_art_id_arts")
        ),
        sa.ForeignKeyConstraint(
            ["facilitator_id"],
            ["people.id"],
            name=op.f("fk_refinement_sessions_facilitator_id_people"),
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["refinement_schedules.id"],
            name=op.f("fk_refinement_sessions_schedule_id_refinement_schedules"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_refinement_sessions_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refinement_sessions")),
    )
    with op.batch_alter_table("refinement_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_refinement_sessions_art_start", ["art_id", "starts_at"], unique=False
        )
        batch_op.create_index(
            "ix_refinement_sessions_team_start", ["team_id", "starts_at"], unique=False
        )

    op.create_table(
        "refinement_participants",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_refinement_participants_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["refinement_sessions.id"],
            name=op.f("fk_refinement_participants_session_id_refinement_sessions"),
        ),
        sa.PrimaryKeyConstraint("session_id", "person_id", name=op.f("pk_refinement_participants")),
    )
    with op.batch_alter_table("refinement_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refinement_participants_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "follow_ups",
        sa.Column("art_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("feature_id", sa.Integer(), nullable=True),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "BLOCKED",
                "INCOMPLETE",
                "QUESTION",
                name="followupkind",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(feature_id IS NULL) <> (story_id IS NULL)", name=op.f("ck_follow_ups_one_item")
        ),
        sa.ForeignKeyConstraint(["art_id"], ["arts.id"], name=op.f("fk_follow_ups_art_id_arts")),
        sa.ForeignKeyConstraint(
            ["feature_id"], ["features.id"], name=op.f("fk_follow_ups_feature_id_features")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name=op.f("fk_follow_ups_owner_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["refinement_sessions.id"],
            name=op.f("fk_follow_ups_session_id_refinement_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_follow_ups_story_id_stories")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_follow_ups_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index("ix_follow_ups_art_open", ["art_id", "done_at"], unique=False)
        batch_op.create_index("ix_follow_ups_feature", ["feature_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_ups_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_follow_ups_story", ["story_id"], unique=False)
        batch_op.create_index("ix_follow_ups_team_open", ["team_id", "done_at"], unique=False)

    op.create_table(
        "refinement_agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("feature_id", sa.Integer(), nullable=True),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("carried_from_id", sa.Integer(), nullable=True),
        sa.Column("ready_at_start", sa.Boolean(), nullable=True),
        sa.Column("discussion_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("covered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "steps",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(feature_id IS NULL) <> (story_id IS NULL)",
            name=op.f("ck_refinement_agenda_items_one_item"),
        ),
        sa.ForeignKeyConstraint(
            ["carried_from_id"],
            ["refinement_sessions.id"],
            name=op.f("fk_refinement_agenda_items_carried_from_id_refinement_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["feature_id"],
            ["features.id"],
            name=op.f("fk_refinement_agenda_items_feature_id_features"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["refinement_sessions.id"],
            name=op.f("fk_refinement_agenda_items_session_id_refinement_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_refinement_agenda_items_story_id_stories")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refinement_agenda_items")),
        sa.UniqueConstraint(
            "session_id",
            "feature_id",
            "story_id",
            name=op.f("uq_refinement_agenda_items_session_id_feature_id_story_id"),
        ),
    )
    with op.batch_alter_table("refinement_agenda_items", schema=None) as batch_op:
        batch_op.create_index("ix_refinement_agenda_items_feature", ["feature_id"], unique=False)
        batch_op.create_index(
            "ix_refinement_agenda_items_session_position", ["session_id", "position"], unique=False
        )
        batch_op.create_index("ix_refinement_agenda_items_story", ["story_id"], unique=False)

    op.create_table(
        "refinement_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "SCHEDULED",
                "CHANGED",
                "AGENDA_CHANGED",
                "STARTED",
                "ITEM_REFINED",
                "ESTIMATED",
                "FLAGGED",
                "SPIKE_CREATED",
                "ITEM_COVERED",
                "BECAME_READY",
                "CLOSED",
                "CANCELLED",
                name="refinementeventkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("feature_id", sa.Integer(), nullable=True),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column(
            "detail",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["people.id"], name=op.f("fk_refinement_events_actor_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["feature_id"], ["features.id"], name=op.f("fk_refinement_events_feature_id_features")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["refinement_sessions.id"],
            name=op.f("fk_refinement_events_session_id_refinement_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_refinement_events_story_id_stories")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refinement_events")),
    )
    with op.batch_alter_table("refinement_events", schema=None) as batch_op:
        batch_op.create_index("ix_refinement_events_session", ["session_id", "id"], unique=False)

    with op.batch_alter_table("arts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "feature_ready_rules",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column(
                "story_ready_rules",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )

    with op.batch_alter_table("features", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("business_value_notes", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("technical_assumptions", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("dependencies_identified_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("refined_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("business_value_notes", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("technical_assumptions", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("architecture_impact", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("nfrs", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("test_approach", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("spike_for_story_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("first_ready_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_stories_spike_for_story_id"), ["spike_for_story_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_stories_spike_for_story_id_stories"),
            "stories",
            ["spike_for_story_id"],
            ["id"],
        )


def downgrade() -> None:
    """Drop the refinement tables and columns."""
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_stories_spike_for_story_id_stories"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_stories_spike_for_story_id"))
        batch_op.drop_column("first_ready_at")
        batch_op.drop_column("spike_for_story_id")
        batch_op.drop_column("test_approach")
        batch_op.drop_column("nfrs")
        batch_op.drop_column("architecture_impact")
        batch_op.drop_column("technical_assumptions")
        batch_op.drop_column("business_value_notes")

    with op.batch_alter_table("features", schema=None) as batch_op:
        batch_op.drop_column("refined_at")
        batch_op.drop_column("dependencies_identified_at")
        batch_op.drop_column("technical_assumptions")
        batch_op.drop_column("business_value_notes")

    with op.batch_alter_table("arts", schema=None) as batch_op:
        batch_op.drop_column("story_ready_rules")
        batch_op.drop_column("feature_ready_rules")

    with op.batch_alter_table("refinement_events", schema=None) as batch_op:
        batch_op.drop_index("ix_refinement_events_session")

    op.drop_table("refinement_events")
    with op.batch_alter_table("refinement_agenda_items", schema=None) as batch_op:
        batch_op.drop_index("ix_refinement_agenda_items_story")
        batch_op.drop_index("ix_refinement_agenda_items_session_position")
        batch_op.drop_index("ix_refinement_agenda_items_feature")

    op.drop_table("refinement_agenda_items")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_ups_team_open")
        batch_op.drop_index("ix_follow_ups_story")
        batch_op.drop_index(batch_op.f("ix_follow_ups_owner_id"))
        batch_op.drop_index("ix_follow_ups_feature")
        batch_op.drop_index("ix_follow_ups_art_open")

    op.drop_table("follow_ups")
    with op.batch_alter_table("refinement_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refinement_participants_person_id"))

    op.drop_table("refinement_participants")
    with op.batch_alter_table("refinement_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_refinement_sessions_team_start")
        batch_op.drop_index("ix_refinement_sessions_art_start")

    op.drop_table("refinement_sessions")
    with op.batch_alter_table("refinement_schedules", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_refinement_schedules_team_live",
            postgresql_where=sa.text("archived_at IS NULL"),
            sqlite_where=sa.text("archived_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_refinement_schedules_team_id"))

    op.drop_table("refinement_schedules")

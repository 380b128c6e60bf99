"""planning model

Revision ID: 0001
Revises:
Create Date: 2026-11-23 19:54:27.261690

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the planning model."""
    op.create_table(
        "arts",
        sa.Column("key", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arts")),
        sa.UniqueConstraint("key", name=op.f("uq_arts_key")),
    )
    op.create_table(
        "people",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("email", name=op.f("uq_people_email")),
    )
    op.create_table(
        "planning_intervals",
        sa.Column("art_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "start_date <= end_date", name=op.f("ck_planning_intervals_dates_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["art_id"], ["arts.id"], name=op.f("fk_planning_intervals_art_id_arts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_intervals")),
        sa.UniqueConstraint("art_id", "name", name=op.f("uq_planning_intervals_art_id_name")),
    )
    with op.batch_alter_table("planning_intervals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planning_intervals_art_id"), ["art_id"], unique=False)

    op.create_table(
        "teams",
        sa.Column("art_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_shared_services", sa.Boolean(), nullable=False),
        sa.Column(
            "tshirt_points",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["art_id"], ["arts.id"], name=op.f("fk_teams_art_id_arts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("art_id", "key", name=op.f("uq_teams_art_id_key")),
    )
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_teams_art_id"), ["art_id"], unique=False)

    op.create_table(
        "components",
        sa.Column("art_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "SERVICE",
                "LIBRARY",
                "PLATFORM",
                "INTEGRATION_LAYER",
                "DATA_STORE",
                name="componentkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owning_team_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["art_id"], ["arts.id"], name=op.f("fk_components_art_id_arts")),
        sa.ForeignKeyConstraint(
            ["owning_team_id"], ["teams.id"], name=op.f("fk_components_owning_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_components")),
    )
    with op.batch_alter_table("components", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_components_art_id"), ["art_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_components_owning_team_id"), ["owning_team_id"], unique=False
        )
        batch_op.create_index("uq_components_art_name", ["art_id", "name"], unique=True)
        batch_op.create_index(
            "uq_components_portfolio_name",
            ["name"],
            unique=True,
            postgresql_where=sa.text("art_id IS NULL"),
            sqlite_where=sa.text("art_id IS NULL"),
        )

    op.create_table(
        "iterations",
        sa.Column("planning_interval_id", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("REGULAR", "IP", name="iterationkind", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("start_date <= end_date", name=op.f("ck_iterations_dates_ordered")),
        sa.ForeignKeyConstraint(
            ["planning_interval_id"],
            ["planning_intervals.id"],
            name=op.f("fk_iterations_planning_interval_id_planning_intervals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iterations")),
        sa.UniqueConstraint(
            "planning_interval_id", "index", name=op.f("uq_iterations_planning_interval_id_index")
        ),
    )
    with op.batch_alter_table("iterations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_iterations_planning_interval_id"), ["planning_interval_id"], unique=False
        )

    op.create_table(
        "memberships",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("art_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "RTE",
                "PRODUCT_MANAGER",
                "SYSTEM_ARCHITECT",
                "BUSINESS_OWNER",
                "SCRUM_MASTER",
                "PRODUCT_OWNER",
                "DEVELOPER",
                "TECH_LEAD",
                "TESTER",
                "SME",
                name="role",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(art_id IS NULL) <> (team_id IS NULL)", name=op.f("ck_memberships_exactly_one_scope")
        ),
        sa.ForeignKeyConstraint(["art_id"], ["arts.id"], name=op.f("fk_memberships_art_id_arts")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_memberships_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_memberships_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_memberships_art_id"), ["art_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_memberships_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            "ix_memberships_person_scope_role",
            ["person_id", "art_id", "team_id", "role"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_memberships_team_id"), ["team_id"], unique=False)

    op.create_table(
        "milestones",
        sa.Column("planning_interval_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "RELEASE",
                "SYSTEM_DEMO",
                "PI_PLANNING",
                "EXTERNAL_DEADLINE",
                "OTHER",
                name="milestonekind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["planning_interval_id"],
            ["planning_intervals.id"],
            name=op.f("fk_milestones_planning_interval_id_planning_intervals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
    )
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestones_planning_interval_id"), ["planning_interval_id"], unique=False
        )

    op.create_table(
        "features",
        sa.Column("art_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=24), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("BUSINESS", "ENABLER", name="featurekind", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column(
            "enabler_type",
            sa.Enum(
                "EXPLORATION",
                "ARCHITECTURAL",
                "INFRASTRUCTURE",
                "COMPLIANCE",
                name="enablertype",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "FUNNEL",
                "ANALYZING",
                "BACKLOG",
                "IMPLEMENTING",
                "VALIDATING",
                "DEPLOYING",
                "RELEASING",
                "DONE",
                name="featurestate",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("benefit_hypothesis", sa.Text(), nullable=False),
        sa.Column(
            "acceptance_criteria",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("user_business_value", sa.Integer(), nullable=True),
        sa.Column("time_criticality", sa.Integer(), nullable=True),
        sa.Column("risk_reduction", sa.Integer(), nullable=True),
        sa.Column("job_size", sa.Integer(), nullable=True),
        sa.Column("cost_of_delay", sa.Integer(), nullable=True),
        sa.Column("wsjf", sa.Float(), nullable=True),
        sa.Column("wsjf_sort", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("owning_team_id", sa.Integer(), nullable=True),
        sa.Column("planning_interval_id", sa.Integer(), nullable=True),
        sa.Column("iteration_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'ENABLER') = (enabler_type IS NOT NULL)",
            name=op.f("ck_features_enabler_type_iff_enabler"),
        ),
        sa.ForeignKeyConstraint(["art_id"], ["arts.id"], name=op.f("fk_features_art_id_arts")),
        sa.ForeignKeyConstraint(
            ["iteration_id"], ["iterations.id"], name=op.f("fk_features_iteration_id_iterations")
        ),
        sa.ForeignKeyConstraint(
            ["owning_team_id"], ["teams.id"], name=op.f("fk_features_owning_team_id_teams")
        ),
        sa.ForeignKeyConstraint(
            ["planning_interval_id"],
            ["planning_intervals.id"],
            name=op.f("fk_features_planning_interval_id_planning_intervals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_features")),
        sa.UniqueConstraint("art_id", "key", name=op.f("uq_features_art_id_key")),
    )
    with op.batch_alter_table("features", schema=None) as batch_op:
        batch_op.create_index("ix_features_art_rank", ["art_id", "rank", "id"], unique=False)
        batch_op.create_index(
            "ix_features_art_wsjf", ["art_id", "wsjf_sort", "rank", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_features_iteration_id"), ["iteration_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_features_owning_team_id"), ["owning_team_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_features_planning_interval_id"), ["planning_interval_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_features_state"), ["state"], unique=False)

    op.create_table(
        "feature_components",
        sa.Column("feature_id", sa.Integer(), nullable=False),
        sa.Column("component_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["component_id"],
            ["components.id"],
            name=op.f("fk_feature_components_component_id_components"),
        ),
        sa.ForeignKeyConstraint(
            ["feature_id"], ["features.id"], name=op.f("fk_feature_components_feature_id_features")
        ),
        sa.PrimaryKeyConstraint("feature_id", "component_id", name=op.f("pk_feature_components")),
    )
    with op.batch_alter_table("feature_components", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feature_components_component_id"), ["component_id"], unique=False
        )

    op.create_table(
        "stories",
        sa.Column("feature_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=24), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "USER_STORY", "ENABLER", "SPIKE", name="storykind", native_enum=False, length=12
            ),
            nullable=False,
        ),
        sa.Column(
            "acceptance_criteria",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("points", sa.Integer(), nullable=True),
        sa.Column(
            "tshirt_size",
            sa.Enum("XS", "S", "M", "L", "XL", name="tshirtsize", native_enum=False, length=4),
            nullable=True,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "BACKLOG",
                "IN_PROGRESS",
                "IN_REVIEW",
                "DONE",
                name="storystatus",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("is_blocked", sa.Boolean(), nullable=False),
        sa.Column("blocked_reason", sa.Text(), nullable=False),
        sa.Column("iteration_id", sa.Integer(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("refinement_tag", sa.String(length=60), nullable=True),
        sa.Column("spike_timebox_days", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'SPIKE') = (spike_timebox_days IS NOT NULL)",
            name=op.f("ck_stories_timebox_iff_spike"),
        ),
        sa.CheckConstraint(
            "NOT (points IS NOT NULL AND tshirt_size IS NOT NULL)",
            name=op.f("ck_stories_one_estimate"),
        ),
        sa.ForeignKeyConstraint(
            ["feature_id"], ["features.id"], name=op.f("fk_stories_feature_id_features")
        ),
        sa.ForeignKeyConstraint(
            ["iteration_id"], ["iterations.id"], name=op.f("fk_stories_iteration_id_iterations")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_stories_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
        sa.UniqueConstraint("team_id", "key", name=op.f("uq_stories_team_id_key")),
    )
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.create_index("ix_stories_feature_rank", ["feature_id", "rank", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stories_iteration_id"), ["iteration_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_stories_refinement_tag"), ["refinement_tag"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_stories_status"), ["status"], unique=False)
        batch_op.create_index("ix_stories_team_rank", ["team_id", "rank", "id"], unique=False)

    op.create_table(
        "dependencies",
        sa.Column("dependent_feature_id", sa.Integer(), nullable=True),
        sa.Column("dependent_story_id", sa.Integer(), nullable=True),
        sa.Column("prerequisite_feature_id", sa.Integer(), nullable=True),
        sa.Column("prerequisite_story_id", sa.Integer(), nullable=True),
        sa.Column("dependent_art_id", sa.Integer(), nullable=False),
        sa.Column("prerequisite_art_id", sa.Integer(), nullable=False),
        sa.Column(
            "type",
            sa.Enum("BLOCKS", "RELATES", name="dependencytype", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("needed_by_iteration_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(dependent_feature_id IS NULL) <> (dependent_story_id IS NULL)",
            name=op.f("ck_dependencies_one_dependent"),
        ),
        sa.CheckConstraint(
            "(prerequisite_feature_id IS NULL) <> (prerequisite_story_id IS NULL)",
            name=op.f("ck_dependencies_one_prerequisite"),
        ),
        sa.ForeignKeyConstraint(
            ["dependent_art_id"], ["arts.id"], name=op.f("fk_dependencies_dependent_art_id_arts")
        ),
        sa.ForeignKeyConstraint(
            ["dependent_feature_id"],
            ["features.id"],
            name=op.f("fk_dependencies_dependent_feature_id_features"),
        ),
        sa.ForeignKeyConstraint(
            ["dependent_story_id"],
            ["stories.id"],
            name=op.f("fk_dependencies_dependent_story_id_stories"),
        ),
        sa.ForeignKeyConstraint(
            ["needed_by_iteration_id"],
            ["iterations.id"],
            name=op.f("fk_dependencies_needed_by_iteration_id_iterations"),
        ),
        sa.ForeignKeyConstraint(
            ["prerequisite_art_id"],
            ["arts.id"],
            name=op.f("fk_dependencies_prerequisite_art_id_arts"),
        ),
        sa.ForeignKeyConstraint(
            ["prerequisite_feature_id"],
            ["features.id"],
            name=op.f("fk_dependencies_prerequisite_feature_id_features"),
        ),
        sa.ForeignKeyConstraint(
            ["prerequisite_story_id"],
            ["stories.id"],
            name=op.f("fk_dependencies_prerequisite_story_id_stories"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dependencies")),
    )
    with op.batch_alter_table("dependencies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dependencies_dependent_art_id"), ["dependent_art_id"], unique=False
        )
        batch_op.create_index(
            "ix_dependencies_dependent_feature", ["dependent_feature_id"], unique=False
        )
        batch_op.create_index(
            "ix_dependencies_dependent_story", ["dependent_story_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_dependencies_prerequisite_art_id"), ["prerequisite_art_id"], unique=False
        )
        batch_op.create_index(
            "ix_dependencies_prerequisite_feature", ["prerequisite_feature_id"], unique=False
        )
        batch_op.create_index(
            "ix_dependencies_prerequisite_story", ["prerequisite_story_id"], unique=False
        )

    op.create_table(
        "story_components",
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("component_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["component_id"],
            ["components.id"],
            name=op.f("fk_story_components_component_id_components"),
        ),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_story_components_story_id_stories")
        ),
        sa.PrimaryKeyConstraint("story_id", "component_id", name=op.f("pk_story_components")),
    )
    with op.batch_alter_table("story_components", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_story_components_component_id"), ["component_id"], unique=False
        )


def downgrade() -> None:
    """Drop the planning model."""
    with op.batch_alter_table("story_components", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_story_components_component_id"))

    op.drop_table("story_components")
    with op.batch_alter_table("dependencies", schema=None) as batch_op:
        batch_op.drop_index("ix_dependencies_prerequisite_story")
        batch_op.drop_index("ix_dependencies_prerequisite_feature")
        batch_op.drop_index(batch_op.f("ix_dependencies_prerequisite_art_id"))
        batch_op.drop_index("ix_dependencies_dependent_story")
        batch_op.drop_index("ix_dependencies_dependent_feature")
        batch_op.drop_index(batch_op.f("ix_dependencies_dependent_art_id"))

    op.drop_table("dependencies")
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_index("ix_stories_team_rank")
        batch_op.drop_index(batch_op.f("ix_stories_status"))
        batch_op.drop_index(batch_op.f("ix_stories_refinement_tag"))
        batch_op.drop_index(batch_op.f("ix_stories_iteration_id"))
        batch_op.drop_index("ix_stories_feature_rank")

    op.drop_table("stories")
    with op.batch_alter_table("feature_components", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feature_components_component_id"))

    op.drop_table("feature_components")
    with op.batch_alter_table("features", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_features_state"))
        batch_op.drop_index(batch_op.f("ix_features_planning_interval_id"))
        batch_op.drop_index(batch_op.f("ix_features_owning_team_id"))
        batch_op.drop_index(batch_op.f("ix_features_iteration_id"))
        batch_op.drop_index("ix_features_art_wsjf")
        batch_op.drop_index("ix_features_art_rank")

    op.drop_table("features")
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestones_planning_interval_id"))

    op.drop_table("milestones")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memberships_team_id"))
        batch_op.drop_index("ix_memberships_person_scope_role")
        batch_op.drop_index(batch_op.f("ix_memberships_person_id"))
        batch_op.drop_index(batch_op.f("ix_memberships_art_id"))

    op.drop_table("memberships")
    with op.batch_alter_table("iterations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_iterations_planning_interval_id"))

    op.drop_table("iterations")
    with op.batch_alter_table("components", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_components_portfolio_name",
            postgresql_where=sa.text("art_id IS NULL"),
            sqlite_where=sa.text("art_id IS NULL"),
        )
        batch_op.drop_index("uq_components_art_name")
        batch_op.drop_index(batch_op.f("ix_components_owning_team_id"))
        batch_op.drop_index(batch_op.f("ix_components_art_id"))

    op.drop_table("components")
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teams_art_id"))

    op.drop_table("teams")
    with op.batch_alter_table("planning_intervals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planning_intervals_art_id"))

    op.drop_table("planning_intervals")
    op.drop_table("people")
    op.drop_table("arts")

"""graph analyses

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 21:34:31.458296

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Team capacities per iteration, a plan version per ART, dependency ends as nodes."""
    op.create_table(
        "team_capacities",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("iteration_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["iteration_id"],
            ["iterations.id"],
            name=op.f("fk_team_capacities_iteration_id_iterations"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_capacities_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_capacities")),
        sa.UniqueConstraint(
            "team_id", "iteration_id", name=op.f("uq_team_capacities_team_id_iteration_id")
        ),
    )
    with op.batch_alter_table("team_capacities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_capacities_iteration_id"), ["iteration_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_team_capacities_team_id"), ["team_id"], unique=False)

    with op.batch_alter_table("arts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("plan_version", sa.Integer(), nullable=False, server_default="0")
        )

    with op.batch_alter_table("dependencies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dependent_node", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("prerequisite_node", sa.BigInteger(), nullable=True))
    # Existing dependencies: feature id * 2, story id * 2 + 1 (services.models.node_of).
    op.execute(
        "UPDATE dependencies SET "
        "dependent_node = COALESCE(dependent_feature_id * 2, dependent_story_id * 2 + 1), "
        "prerequisite_node = COALESCE(prerequisite_feature_id * 2, prerequisite_story_id * 2 + 1)"
    )
    with op.batch_alter_table("dependencies", schema=None) as batch_op:
        batch_op.alter_column("dependent_node", existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column("prerequisite_node", existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_index(
            "ix_dependencies_walk", ["dependent_node", "prerequisite_node"], unique=False
        )


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("dependencies", schema=None) as batch_op:
        batch_op.drop_index("ix_dependencies_walk")
        batch_op.drop_column("prerequisite_node")
        batch_op.drop_column("dependent_node")

    with op.batch_alter_table("arts", schema=None) as batch_op:
        batch_op.drop_column("plan_version")

    with op.batch_alter_table("team_capacities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_capacities_team_id"))
        batch_op.drop_index(batch_op.f("ix_team_capacities_iteration_id"))

    op.drop_table("team_capacities")

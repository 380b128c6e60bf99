"""blocking walk index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 23:40:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE_BLOCKING = "archived_at IS NULL AND type = 'BLOCKS'"


def upgrade() -> None:
    """The cycle guard walks live blocking edges only: a partial index it reads alone."""
    with op.batch_alter_table("dependencies", schema=None) as batch_op:
        batch_op.drop_index("ix_dependencies_walk")
        batch_op.create_index(
            "ix_dependencies_blocking_walk",
            ["dependent_node", "prerequisite_node"],
            unique=False,
            postgresql_where=sa.text(LIVE_BLOCKING),
            sqlite_where=sa.text(LIVE_BLOCKING),
        )


def downgrade() -> None:
    """Back to the plain walk index."""
    with op.batch_alter_table("dependencies", schema=None) as batch_op:
        batch_op.drop_index("ix_dependencies_blocking_walk")
        batch_op.create_index(
            "ix_dependencies_walk", ["dependent_node", "prerequisite_node"], unique=False
        )

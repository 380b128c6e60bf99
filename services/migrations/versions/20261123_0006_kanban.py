"""kanban

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 09:12:40.118302

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The ART Kanban: each ART's WIP limits per state, and the reason a history entry keeps
    (a feature moved back to an earlier state, or reopened). Both start empty."""
    with op.batch_alter_table("arts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "wip_limits",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop the WIP limits and the history's reasons."""
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.drop_column("reason")
    with op.batch_alter_table("arts", schema=None) as batch_op:
        batch_op.drop_column("wip_limits")

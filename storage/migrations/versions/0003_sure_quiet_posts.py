"""scheduled posts that are sure and quiet: delivery outcome, per-channel pacing

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    # Rows failed before outcomes were kept were all retried: they stay retryable.
    op.execute("UPDATE deliveries SET outcome = 'transient' WHERE status = 'failed'")
    op.create_table(
        "channel_pace",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("channel_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("next_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("held_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "channel_id", name="uq_channel_pace"),
    )


def downgrade() -> None:
    op.drop_table("channel_pace")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("outcome")

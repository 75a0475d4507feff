"""daily construction log (施工日志): the project's log time, the day's log and its typed lines

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "log_time", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False, server_default="18:00"
            )
        )
    op.create_table(
        "daily_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("log_date", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("confirmed_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("confirmed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("confirmed_refs", sa.Text(), nullable=True),
        sa.Column("slack_channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("slack_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "log_date", name="uq_daily_log"),
    )
    with op.batch_alter_table("daily_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_daily_logs_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_daily_logs_project_id"), ["project_id"], unique=False)
    op.create_table(
        "daily_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("log_date", sa.Date(), nullable=False),
        sa.Column("section", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("slack_channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("slack_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("file_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("file_url", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("void", sa.Boolean(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("daily_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_daily_entries_team_id"), ["team_id"], unique=False)
        batch_op.create_index("ix_daily_entry_day", ["project_id", "log_date"], unique=False)
        batch_op.create_index("ix_daily_entry_msg", ["team_id", "slack_channel", "slack_ts"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("daily_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_daily_entry_msg")
        batch_op.drop_index("ix_daily_entry_day")
        batch_op.drop_index(batch_op.f("ix_daily_entries_team_id"))
    op.drop_table("daily_entries")
    with op.batch_alter_table("daily_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_daily_logs_project_id"))
        batch_op.drop_index(batch_op.f("ix_daily_logs_team_id"))
    op.drop_table("daily_logs")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("log_time")

"""wages and funds: fund records (receipts, advances, wages paid) and wage-sheet confirmations

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fund_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("worker_id", sa.Integer(), sa.ForeignKey("workers.id"), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("slack_channel", sa.String(length=32), nullable=True),
        sa.Column("slack_ts", sa.String(length=32), nullable=True),
        sa.Column("logged_by", sa.String(length=32), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("void", sa.Boolean(), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "number", name="uq_fund_number"),
    )
    op.create_index("ix_fund_records_team_id", "fund_records", ["team_id"])
    op.create_index("ix_fund_project_date", "fund_records", ["project_id", "paid_on"])
    op.create_index("ix_fund_slack_msg", "fund_records", ["team_id", "slack_channel", "slack_ts"])
    op.create_table(
        "wage_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("slack_channel", sa.String(length=32), nullable=True),
        sa.Column("slack_ts", sa.String(length=32), nullable=True),
        sa.Column("sent_by", sa.String(length=32), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "month", name="uq_wage_sheet"),
    )
    op.create_index("ix_wage_sheets_team_id", "wage_sheets", ["team_id"])
    op.create_table(
        "wage_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("sheet_id", sa.Integer(), sa.ForeignKey("wage_sheets.id"), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("line", sa.String(length=400), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changed", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sheet_id", "user_id", name="uq_wage_confirmation"),
    )
    op.create_index("ix_wage_confirmations_team_id", "wage_confirmations", ["team_id"])
    op.create_index("ix_wage_confirmations_sheet_id", "wage_confirmations", ["sheet_id"])


def downgrade() -> None:
    op.drop_table("wage_confirmations")
    op.drop_table("wage_sheets")
    op.drop_table("fund_records")

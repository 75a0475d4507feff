"""project revisions (what a request reads of its project is cached per process, checked by one number);
indexes for the ack path's per-request reads

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

Every write that changes a project's row, members, workers, crews, tasks, pay rates or approved weeks bumps
the project's revision in the same transaction (bot/services/cache.py); a process's cached copy is used
while the revision it was read at is still the stored one.

Indexes: the next per-project number (max over every row, voided ones included, which the partial unique
indexes of 0009 cannot answer) and one person's hours on a day (the 24-hour check) were read by scanning
the project's rows; each is now one index search.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


INDEXES = (
    ("ix_labor_number", "labor_entries", ["project_id", "number"]),
    ("ix_labor_user_day", "labor_entries", ["project_id", "user_id", "work_date"]),
    ("ix_labor_worker_day", "labor_entries", ["project_id", "worker_id", "work_date"]),
    ("ix_expense_number", "expenses", ["project_id", "number"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    op.create_table(
        "project_revs",
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), primary_key=True),
        sa.Column("rev", sa.BigInteger(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("project_revs")
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)

"""one person's day is found by its own index again, which also carries what the 24 h check reads

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28

Since 0011 widened (project, date) to (project, date, void, …), SQLite's planner saw three equal columns in
it and in (project, user, date) and took the former for the 24-hour check: the whole day of the project
was read for each new entry (thousands of rows on a busy site). With `void` the person's index matches
one column more, so it is chosen; with the hours columns it answers from the index alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOURS = ["void", "hours_each", "overtime_hours", "headcount"]
INDEXES = {
    "ix_labor_user_day": (["project_id", "user_id", "work_date"], "worker_id"),
    "ix_labor_worker_day": (["project_id", "worker_id", "work_date"], "user_id"),
}


def upgrade() -> None:
    for name, (columns, other) in INDEXES.items():
        op.drop_index(name, table_name="labor_entries")
        op.create_index(name, "labor_entries", [*columns, *HOURS, other])


def downgrade() -> None:
    for name, (columns, _) in INDEXES.items():
        op.drop_index(name, table_name="labor_entries")
        op.create_index(name, "labor_entries", columns)

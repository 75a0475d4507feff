"""per-project numbers for labor entries and expenses (`L-<n>`, `E-<n>` numbered in each project)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Existing rows are numbered per project in the order they were stored (their old global id order), so
each project's first entry becomes L-1. A live record's number is unique within its project; a voided
record keeps its number (a message edit gives the replacement the number of the record it replaces).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (("labor_entries", "uq_labor_number_live"), ("expenses", "uq_expense_number_live"))


def _backfill(table: str) -> None:
    op.execute(
        f"UPDATE {table} SET number = (SELECT COUNT(*) FROM {table} AS o "
        f"WHERE o.project_id = {table}.project_id AND o.id <= {table}.id)"
    )


def upgrade() -> None:
    for table, unique in TABLES:
        op.add_column(table, sa.Column("number", sa.Integer(), nullable=True))
        _backfill(table)
        with op.batch_alter_table(table) as batch:
            batch.alter_column("number", existing_type=sa.Integer(), nullable=False)
        op.create_index(
            unique,
            table,
            ["project_id", "number"],
            unique=True,
            sqlite_where=sa.text("NOT void"),
            postgresql_where=sa.text("NOT void"),
        )


def downgrade() -> None:
    for table, unique in TABLES:
        op.drop_index(unique, table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("number")

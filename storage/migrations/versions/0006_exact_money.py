"""exact money and hours: integer minor units instead of NUMERIC (REAL on SQLite)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

Also: dated pay rates (users, role defaults, crews, workers), exchange rates, overtime after N hours.

Money is stored as integer cents and hours (and project factors) as integer thousandths, so that every
database stores, compares and sums them exactly. SQLite kept NUMERIC columns as binary floating point:
each value is read back through its shortest decimal form (what was written) and rounded half up to the
column's places; a value that had more places than that is listed in the audit log, so no change is silent.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, decimal places, nullable, numeric precision before)
COLUMNS: list[tuple[str, str, int, bool, int]] = [
    ("projects", "budget", 2, False, 16),
    ("projects", "hours_per_day", 3, False, 12),
    ("projects", "overtime_multiplier", 3, False, 12),
    ("budget_lines", "amount", 2, False, 16),
    ("crews", "rate", 2, True, 16),
    ("workers", "rate", 2, True, 16),
    ("labor_entries", "hours_each", 3, False, 12),
    ("labor_entries", "man_hours", 3, False, 12),
    ("labor_entries", "overtime_hours", 3, False, 12),
    ("labor_entries", "rate", 2, True, 16),
    ("labor_entries", "cost", 2, True, 16),
    ("expenses", "amount", 2, False, 16),
]


def _exact(value: object) -> Decimal:
    # repr() of a float is the shortest decimal that reads back as it: the value that was written.
    return value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else str(value))


def _sqlite_upgrade(table: str, column: str, places: int, nullable: bool) -> None:
    conn = op.get_bind()
    step = Decimal(1).scaleb(-places)
    tmp = f"{column}__exact"
    default = "" if nullable else " NOT NULL DEFAULT 0"
    op.execute(f"ALTER TABLE {table} ADD COLUMN {tmp} BIGINT{default}")
    project_col = "id" if table == "projects" else "project_id"
    team_col = "team_id"
    rows = conn.execute(sa.text(f"SELECT id, {project_col}, {team_col}, {column} FROM {table}")).fetchall()
    for row_id, project_id, team_id, raw in rows:
        if raw is None:
            continue
        exact = _exact(raw)
        kept = exact.quantize(step, rounding=ROUND_HALF_UP)
        conn.execute(
            sa.text(f"UPDATE {table} SET {tmp} = :v WHERE id = :id"),
            {"v": int(kept.scaleb(places)), "id": row_id},
        )
        if kept != exact:
            conn.execute(
                sa.text(
                    "INSERT INTO audit_log (team_id, project_id, actor, action, entity, entity_id, before, after, at)"
                    " VALUES (:team, :project, 'migration', 'exact_money', :entity, :eid, :before, :after,"
                    " CURRENT_TIMESTAMP)"
                ),
                {
                    "team": team_id,
                    "project": project_id,
                    "entity": table,
                    "eid": str(row_id),
                    "before": json.dumps({column: str(exact)}),
                    "after": json.dumps({column: str(kept)}),
                },
            )
    op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.execute(f"ALTER TABLE {table} RENAME COLUMN {tmp} TO {column}")


def _books_tables() -> None:
    op.add_column("projects", sa.Column("overtime_after", sa.BigInteger(), nullable=True))
    op.add_column("labor_entries", sa.Column("start_time", sa.String(length=5), nullable=True))
    op.add_column("labor_entries", sa.Column("end_time", sa.String(length=5), nullable=True))

    def _common() -> list[sa.Column]:  # type: ignore[type-arg]
        return [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("team_id", sa.String(length=32), nullable=False),
            sa.Column("project_id", sa.Integer(), nullable=False),
        ]
    op.create_table(
        "pay_rates",
        *_common(),
        sa.Column("subject_kind", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("unit", sa.String(length=4), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_pay_rates_team_id", "pay_rates", ["team_id"])
    op.create_index("ix_pay_rate_subject", "pay_rates", ["project_id", "subject_kind", "subject"])
    op.create_table(
        "fx_rates",
        *_common(),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.BigInteger(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_fx_rates_team_id", "fx_rates", ["team_id"])
    op.create_index("ix_fx_rate_currency", "fx_rates", ["project_id", "currency"])


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _books_tables()
    for table, column, places, nullable, _precision in COLUMNS:
        if dialect == "sqlite":
            _sqlite_upgrade(table, column, places, nullable)
        else:
            # numeric(p, s) already holds exactly `places` digits, so the conversion is exact.
            op.execute(
                f"ALTER TABLE {table} ALTER COLUMN {column} TYPE BIGINT"
                f" USING round({column} * {10**places})::bigint"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.drop_table("fx_rates")
    op.drop_table("pay_rates")
    op.drop_column("projects", "overtime_after")
    op.drop_column("labor_entries", "end_time")
    op.drop_column("labor_entries", "start_time")
    for table, column, places, nullable, precision in reversed(COLUMNS):
        if dialect == "sqlite":
            tmp = f"{column}__numeric"
            default = "" if nullable else " NOT NULL DEFAULT 0"
            op.execute(f"ALTER TABLE {table} ADD COLUMN {tmp} NUMERIC({precision}, {places}){default}")
            op.execute(f"UPDATE {table} SET {tmp} = {column} / {10.0**places}")
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
            op.execute(f"ALTER TABLE {table} RENAME COLUMN {tmp} TO {column}")
        else:
            op.execute(
                f"ALTER TABLE {table} ALTER COLUMN {column} TYPE NUMERIC({precision}, {places})"
                f" USING {column}::numeric / {10**places}"
            )

"""outbox and confirmations apart from idempotency keys

processed_requests held three things at once: idempotency keys, the replies a request decided (in its
`result`) and, under `confirm:<channel>:<ts>` keys, the ts of the confirmation posted for a message.
Each gets its own table; existing rows move across.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONFIRM = "confirm:"

_processed = sa.table(
    "processed_requests",
    sa.column("id", sa.Integer()),
    sa.column("team_id", sa.String()),
    sa.column("key", sa.String()),
    sa.column("result", sa.Text()),
    sa.column("created_at", storage.types.UTCDateTime(timezone=True)),
)
_outbox = sa.table(
    "outbox",
    sa.column("team_id", sa.String()),
    sa.column("request_key", sa.String()),
    sa.column("ops", sa.Text()),
    sa.column("created_at", storage.types.UTCDateTime(timezone=True)),
)
_confirmations = sa.table(
    "confirmations",
    sa.column("team_id", sa.String()),
    sa.column("channel", sa.String()),
    sa.column("message_ts", sa.String()),
    sa.column("confirmation_ts", sa.String()),
    sa.column("created_at", storage.types.UTCDateTime(timezone=True)),
)


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("request_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("ops", sa.Text(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "request_key", name="uq_outbox_request"),
    )
    op.create_table(
        "confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("message_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("confirmation_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "channel", "message_ts", name="uq_confirmation"),
    )
    conn = op.get_bind()
    outbox: list[dict[str, object]] = []
    confirmations: list[dict[str, object]] = []
    for row in conn.execute(
        sa.select(_processed.c.team_id, _processed.c.key, _processed.c.result, _processed.c.created_at)
        .where(_processed.c.result.is_not(None))
        .order_by(_processed.c.id)
    ):
        if row.key.startswith(CONFIRM):
            channel, _, ts = row.key[len(CONFIRM) :].partition(":")
            confirmations.append(
                {
                    "team_id": row.team_id,
                    "channel": channel,
                    "message_ts": ts,
                    "confirmation_ts": row.result,
                    "created_at": row.created_at,
                }
            )
        else:
            outbox.append(
                {"team_id": row.team_id, "request_key": row.key, "ops": row.result, "created_at": row.created_at}
            )
    if outbox:
        conn.execute(_outbox.insert(), outbox)
    if confirmations:
        conn.execute(_confirmations.insert(), confirmations)
    # A confirm: row was never a delivery; what is left in processed_requests is keys only.
    conn.execute(_processed.delete().where(_processed.c.key.like(f"{CONFIRM}%")))
    with op.batch_alter_table("processed_requests") as batch:
        batch.drop_column("result")


def downgrade() -> None:
    with op.batch_alter_table("processed_requests") as batch:
        batch.add_column(sa.Column("result", sa.Text(), nullable=True))
    conn = op.get_bind()
    for row in conn.execute(sa.select(_outbox.c.team_id, _outbox.c.request_key, _outbox.c.ops)):
        conn.execute(
            _processed.update()
            .where(_processed.c.team_id == row.team_id, _processed.c.key == row.request_key)
            .values(result=row.ops)
        )
    rows = conn.execute(
        sa.select(
            _confirmations.c.team_id,
            _confirmations.c.channel,
            _confirmations.c.message_ts,
            _confirmations.c.confirmation_ts,
            _confirmations.c.created_at,
        )
    ).all()
    if rows:
        conn.execute(
            _processed.insert(),
            [
                {
                    "team_id": r.team_id,
                    "key": f"{CONFIRM}{r.channel}:{r.message_ts}",
                    "result": r.confirmation_ts,
                    "created_at": r.created_at,
                }
                for r in rows
            ],
        )
    op.drop_table("confirmations")
    op.drop_table("outbox")

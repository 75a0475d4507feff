"""Delivery keys and outbox entries are pruned by age: index their created_at.

Revision ID: 0007
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_processed_created", "processed_requests", ["created_at"])
    op.create_index("ix_outbox_created", "outbox", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_created", table_name="outbox")
    op.drop_index("ix_processed_created", table_name="processed_requests")

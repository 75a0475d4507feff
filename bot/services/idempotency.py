"""Idempotency keys: one per Slack delivery, claimed in the same transaction as the records it stores.

Keys only; the replies a request decided wait in the outbox (bot.services.outbox).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, text
from sqlmodel import Session

from storage.db import Prepared
from storage.models import OutboxEntry, ProcessedRequest
from storage.types import UTCDateTime, utcnow

# The same SQL on SQLite and PostgreSQL; as text() it is compiled once (the dialects' ON CONFLICT inserts
# are compiled afresh on every execution).
_CLAIM = Prepared(
    text(
        'INSERT INTO processed_requests (team_id, "key", created_at) VALUES (:team_id, :key, :at) '
        "ON CONFLICT DO NOTHING"
    ).bindparams(bindparam("at", type_=UTCDateTime()))
)


def claim(session: Session, *, team_id: str, key: str) -> bool:
    """Claim `key` for this transaction (one INSERT … ON CONFLICT DO NOTHING); False when an earlier
    delivery already claimed it."""
    return _CLAIM.rowcount(session, {"team_id": team_id, "key": key[:200], "at": utcnow()}) == 1


KEEP = timedelta(days=7)
BATCH = 1000


def prune(
    sessions: Callable[[], AbstractContextManager[Session]], *, now: datetime, batches: int = 10
) -> int:
    """Forget delivery keys (and the replies they decided) older than 7 days — Slack retries within
    minutes — a batch per transaction so no tick holds the write lock long; returns how many went."""
    removed = 0
    for model in (ProcessedRequest, OutboxEntry):
        table = model.__table__  # type: ignore[union-attr]
        for _ in range(batches):
            with sessions() as session:
                old = (
                    select(table.c.id)
                    .where(table.c.created_at < now - KEEP)
                    .order_by(table.c.id)
                    .limit(BATCH)
                )
                ids = list(session.execute(old).scalars())
                if ids:
                    session.execute(delete(table).where(table.c.id.in_(ids)))
            removed += len(ids)
            if len(ids) < BATCH:
                break
    return removed

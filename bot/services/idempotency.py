"""One record per Slack delivery: a request key claimed in the same transaction as the record."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.models import ProcessedRequest


def claim(session: Session, *, team_id: str, key: str) -> bool:
    """Claim `key` for this transaction; False when an earlier delivery already claimed it."""
    try:
        with session.begin_nested():
            session.add(ProcessedRequest(team_id=team_id, key=key[:200]))
    except IntegrityError:
        return False
    return True


KEEP = timedelta(days=7)
BATCH = 1000


def prune(sessions: Callable[[], AbstractContextManager[Session]], *, now: datetime, batches: int = 10) -> int:
    """Forget delivery keys older than 7 days (Slack retries within minutes), a batch per transaction so
    no tick holds the write lock long; returns how many were removed."""
    removed = 0
    for _ in range(batches):
        with sessions() as session:
            old = (
                select(ProcessedRequest.id)
                .where(ProcessedRequest.created_at < now - KEEP)
                .order_by(ProcessedRequest.id)
                .limit(BATCH)
            )
            ids = list(session.execute(old).scalars())
            if ids:
                session.execute(delete(ProcessedRequest).where(ProcessedRequest.id.in_(ids)))  # type: ignore[union-attr]
        removed += len(ids)
        if len(ids) < BATCH:
            break
    return removed

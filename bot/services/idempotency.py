"""Idempotency keys: one per Slack delivery, claimed in the same transaction as the records it stores.

Keys only; the replies a request decided wait in the outbox (bot.services.outbox).
"""

from __future__ import annotations

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

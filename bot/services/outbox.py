"""The outbox: replies a request decided, kept until the lazy listener sends them; and the confirmation map.

A request decides its replies inside its own transaction (with the records it stored) and leaves them
here; the lazy listener sends them after the ack. Which of those sends already happened is an idempotency
key (bot.services.idempotency), not a flag here. `confirmations` remembers the threaded reply posted for
a Slack message, so an edit of that message updates the reply instead of posting another.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from storage.models import Confirmation, OutboxEntry

KEY_LENGTH = 200


def _entry(session: Session, *, team_id: str, key: str) -> OutboxEntry | None:
    return session.exec(
        select(OutboxEntry).where(OutboxEntry.team_id == team_id, OutboxEntry.request_key == key[:KEY_LENGTH])
    ).first()


def save_outcome(session: Session, *, team_id: str, key: str, outcome: list[dict[str, Any]]) -> None:
    """Leave the replies a request (by its idempotency key) decided to send."""
    entry = _entry(session, team_id=team_id, key=key) or OutboxEntry(
        team_id=team_id, request_key=key[:KEY_LENGTH], ops="[]"
    )
    entry.ops = json.dumps(outcome, ensure_ascii=False)
    session.add(entry)


def load_outcome(session: Session, *, team_id: str, key: str) -> list[dict[str, Any]]:
    """The replies decided for a request key (none when it decided nothing)."""
    entry = _entry(session, team_id=team_id, key=key)
    return list(json.loads(entry.ops)) if entry is not None else []


def _confirmation(session: Session, *, team_id: str, channel: str, ts: str) -> Confirmation | None:
    return session.exec(
        select(Confirmation).where(
            Confirmation.team_id == team_id, Confirmation.channel == channel, Confirmation.message_ts == ts
        )
    ).first()


def confirmation_ts(session: Session, *, team_id: str, channel: str, ts: str) -> str | None:
    """The ts of the threaded confirmation posted for a message."""
    row = _confirmation(session, team_id=team_id, channel=channel, ts=ts)
    return row.confirmation_ts if row is not None else None


def remember_confirmation(
    session: Session, *, team_id: str, channel: str, ts: str, confirmation: str
) -> None:
    """Keep the ts of the confirmation posted for a message (for later chat.update)."""
    row = _confirmation(session, team_id=team_id, channel=channel, ts=ts) or Confirmation(
        team_id=team_id, channel=channel, message_ts=ts, confirmation_ts=confirmation
    )
    row.confirmation_ts = confirmation
    session.add(row)

"""The delivery ledger: claim a post before sending it, so that it goes out at most once.

Life of a row: `claimed` (INSERT; the unique (project, kind, period key) lets one claimer win) →
`posted` (with the Slack ts) or `failed` with an outcome → `skipped` (missed by more than the grace
window, snoozed, superseded, abandoned, or unverifiable).

Outcomes of a failed row: `transient` (Slack did not take it: unreachable, 429, 5xx) is re-claimed by a
later tick within the grace window with a conditional UPDATE, so two processes cannot both take it;
`ambiguous` (the request went out and the answer was lost) is re-claimed the same way, but Slack is asked
first whether it has the message (by its metadata) and it is posted again only if not; `permanent`
(`not_in_channel`, `invalid_blocks`, …) is never tried again. The grace window counts from the row's
`due_at`, the first time the key was due.

A process that dies between claim and mark leaves `claimed`; the outcome is unknown (Slack may have the
message). Such a row older than STALE_CLAIM is marked `skipped`, never re-posted: we choose never-twice
over at-least-once for that narrow window.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import Delivery

STALE_CLAIM = timedelta(minutes=5)
DONE = ("posted", "skipped")
RETRYABLE = ("transient", "ambiguous")


def existing(session: Session, keys: Iterable[tuple[int, str, str]]) -> dict[tuple[int, str, str], Delivery]:
    """Ledger rows of the given (project id, kind, period key) triples, in one query."""
    wanted = set(keys)
    if not wanted:
        return {}
    rows = session.exec(
        select(Delivery).where(
            col(Delivery.project_id).in_({k[0] for k in wanted}),
            col(Delivery.period_key).in_({k[2] for k in wanted}),
        )
    ).all()
    return {
        (r.project_id, r.kind, r.period_key): r
        for r in rows
        if (r.project_id, r.kind, r.period_key) in wanted
    }


def claim(
    session: Session,
    *,
    team_id: str,
    project_id: int,
    kind: str,
    key: str,
    due_at: datetime,
    now: datetime,
    by: str,
    delayed: bool,
    status: str = "claimed",
    error: str | None = None,
) -> int | None:
    """Insert the row (claimed, or directly skipped); its id, or None when someone else holds the key."""
    # One statement, no savepoint: the unique key decides who holds it (ON CONFLICT DO NOTHING).
    table = Delivery.__table__  # type: ignore[attr-defined]
    stmt = (
        upsert_for(session)(table)
        .values(
            team_id=team_id,
            project_id=project_id,
            kind=kind,
            period_key=key,
            status=status,
            due_at=due_at,
            claimed_at=now,
            claimed_by=by[:80],
            attempts=1 if status == "claimed" else 0,
            posted_at=None,
            delayed=delayed,
            error=error,
            outcome=None,
        )
        .on_conflict_do_nothing(index_elements=["project_id", "kind", "period_key"])
        .returning(table.c.id)
    )
    found = session.execute(stmt).scalar()
    return int(found) if found is not None else None


def upsert_for(session: Session) -> Any:
    """The dialect's INSERT that knows ON CONFLICT (SQLite and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def reclaim(session: Session, *, delivery_id: int, now: datetime, by: str, delayed: bool) -> bool:
    """Take a failed row for another attempt; False when another process took it first."""
    result = session.exec(
        update(Delivery)
        .where(
            col(Delivery.id) == delivery_id,
            col(Delivery.status) == "failed",
            col(Delivery.outcome).in_(RETRYABLE),
        )
        .values(
            status="claimed",
            claimed_at=now,
            claimed_by=by[:80],
            attempts=Delivery.attempts + 1,
            delayed=delayed,
        )
    )
    return bool(result.rowcount)


def settle(
    session: Session, *, delivery_id: int, from_status: str, status: str, error: str | None = None
) -> bool:
    """Move a row from one status to another if it is still in the first (skip a failed or stale row)."""
    result = session.exec(
        update(Delivery)
        .where(col(Delivery.id) == delivery_id, col(Delivery.status) == from_status)
        .values(status=status, error=error)
    )
    return bool(result.rowcount)


def mark_posted(
    session: Session, *, delivery_id: int, now: datetime, channel: str, ts: str, note: str | None
) -> None:
    """The post is in Slack."""
    session.exec(
        update(Delivery)
        .where(col(Delivery.id) == delivery_id)
        .values(status="posted", posted_at=now, slack_channel=channel, slack_ts=ts, error=note, outcome=None)
    )


def mark_failed(
    session: Session, *, delivery_id: int, error: str, outcome: str, channel: str | None = None
) -> None:
    """Not posted (transient, ambiguous or permanent); only the first two may be tried again."""
    values: dict[str, object] = {"status": "failed", "error": error[:1000], "outcome": outcome}
    if channel is not None:
        values["slack_channel"] = channel
    session.exec(
        update(Delivery)
        .where(col(Delivery.id) == delivery_id, col(Delivery.status) == "claimed")
        .values(**values)
    )


def record_posted(
    session: Session,
    *,
    team_id: str,
    keys: Iterable[tuple[int, str, str]],
    due_at: datetime,
    now: datetime,
    by: str,
    channel: str,
    ts: str,
) -> None:
    """Rows for keys that went out inside another post's message (a key already in the ledger is kept)."""
    for project_id, kind, key in keys:
        row = Delivery(
            team_id=team_id,
            project_id=project_id,
            kind=kind,
            period_key=key,
            status="posted",
            due_at=due_at,
            claimed_at=now,
            claimed_by=by[:80],
            posted_at=now,
            slack_channel=channel,
            slack_ts=ts,
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            continue

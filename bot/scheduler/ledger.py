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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.dialects import postgresql, sqlite
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
    rows = [
        {
            "b_team": team_id,
            "b_project": project_id,
            "b_kind": kind,
            "b_key": key,
            "b_due": due_at,
            "b_now": now,
            "b_by": by[:80],
            "b_channel": channel,
            "b_ts": ts,
        }
        for project_id, kind, key in keys
    ]
    if rows:
        session.connection().execute(prepared(session, "also", _also_posted), rows)


@dataclass(frozen=True)
class NewClaim:
    """A first attempt to claim: the ledger key and what the row records about it."""

    team_id: str
    project_id: int
    kind: str
    key: str
    due_at: datetime
    delayed: bool


@dataclass(frozen=True)
class Posted:
    """A claimed row whose post is in Slack, and the other keys its message carries."""

    delivery_id: int
    team_id: str
    due_at: datetime
    channel: str
    ts: str
    also: tuple[tuple[int, str, str], ...] = ()


def claim_many(
    session: Session, claims: Sequence[NewClaim], *, now: datetime, by: str
) -> dict[tuple[int, str, str], int]:
    """Claim many first attempts in one statement; the ids of the keys this call won, by key.

    The same rule as `claim`: the unique key decides who holds it, a key held already is left alone.
    """
    if not claims:
        return {}
    rows = [
        {
            "b_team": c.team_id,
            "b_project": c.project_id,
            "b_kind": c.kind,
            "b_key": c.key,
            "b_due": c.due_at,
            "b_now": now,
            "b_by": by[:80],
            "b_delayed": c.delayed,
        }
        for c in claims
    ]
    found = session.connection().execute(prepared(session, "claim", _claim_many), rows)
    return {(pid, kind, key): int(row_id) for row_id, pid, kind, key in found}


def posted_many(session: Session, posts: Sequence[Posted], *, now: datetime, by: str) -> None:
    """Mark many claimed rows posted (and the keys their messages carry) in one transaction."""
    if not posts:
        return
    conn = session.connection()
    conn.execute(
        prepared(session, "posted", _mark_posted),
        [{"b_id": p.delivery_id, "b_now": now, "b_channel": p.channel, "b_ts": p.ts} for p in posts],
    )
    for p in posts:
        if p.also:
            record_posted(
                session,
                team_id=p.team_id,
                keys=p.also,
                due_at=p.due_at,
                now=now,
                by=by,
                channel=p.channel,
                ts=p.ts,
            )


# Statements of the hot path, built once per dialect (SQLAlchemy then reuses their compiled form).
_statements: dict[tuple[str, str], Any] = {}


def prepared(session: Session, name: str, build: Callable[[Any], Any]) -> Any:
    """The statement `name` for the session's dialect, built once by `build(dialect's INSERT)`."""
    dialect = session.get_bind().dialect.name
    stmt = _statements.get((dialect, name))
    if stmt is None:
        stmt = _statements[(dialect, name)] = build(upsert_for(session))
    return stmt


def _claim_many(insert: Any) -> Any:
    table = Delivery.__table__  # type: ignore[attr-defined]
    return (
        insert(table)
        .values(
            team_id=bindparam("b_team"),
            project_id=bindparam("b_project"),
            kind=bindparam("b_kind"),
            period_key=bindparam("b_key"),
            status="claimed",
            due_at=bindparam("b_due"),
            claimed_at=bindparam("b_now"),
            claimed_by=bindparam("b_by"),
            attempts=1,
            delayed=bindparam("b_delayed"),
        )
        .on_conflict_do_nothing(index_elements=["project_id", "kind", "period_key"])
        .returning(table.c.id, table.c.project_id, table.c.kind, table.c.period_key)
    )


def _mark_posted(insert: Any) -> Any:
    table = Delivery.__table__  # type: ignore[attr-defined]
    return (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            status="posted",
            posted_at=bindparam("b_now"),
            slack_channel=bindparam("b_channel"),
            slack_ts=bindparam("b_ts"),
            error=None,
            outcome=None,
        )
    )


def _also_posted(insert: Any) -> Any:
    table = Delivery.__table__  # type: ignore[attr-defined]
    return (
        insert(table)
        .values(
            team_id=bindparam("b_team"),
            project_id=bindparam("b_project"),
            kind=bindparam("b_kind"),
            period_key=bindparam("b_key"),
            status="posted",
            due_at=bindparam("b_due"),
            claimed_at=bindparam("b_now"),
            claimed_by=bindparam("b_by"),
            attempts=0,
            posted_at=bindparam("b_now"),
            delayed=False,
            slack_channel=bindparam("b_channel"),
            slack_ts=bindparam("b_ts"),
        )
        .on_conflict_do_nothing(index_elements=["project_id", "kind", "period_key"])
    )

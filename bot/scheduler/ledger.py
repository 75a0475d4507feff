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

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, TextClause, TextualSelect, bindparam, text, update
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
    row = _row(team_id, project_id, kind, key, due_at, now, by, delayed=delayed, status=status, error=error)
    found = _insert(session, [row])
    return next(iter(found.values()), None)


def _row(
    team_id: str,
    project_id: int,
    kind: str,
    key: str,
    due_at: datetime,
    now: datetime,
    by: str,
    *,
    delayed: bool = False,
    status: str = "claimed",
    error: str | None = None,
    channel: str | None = None,
    ts: str | None = None,
) -> tuple[Any, ...]:
    """A new ledger row's values, in the order of _COLUMNS."""
    return (
        team_id,
        project_id,
        kind,
        key,
        status,
        due_at,
        now,
        by[:80],
        1 if status == "claimed" else 0,
        now if status == "posted" else None,
        delayed,
        channel,
        ts,
        error,
    )


_COLUMNS = (
    "team_id",
    "project_id",
    "kind",
    "period_key",
    "status",
    "due_at",
    "claimed_at",
    "claimed_by",
    "attempts",
    "posted_at",
    "delayed",
    "slack_channel",
    "slack_ts",
    "error",
)
# Rows per INSERT statement (a statement's text is compiled once per row count).
ROWS_PER_STATEMENT = 64


def in_statements(
    columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """`rows` in groups of ROWS_PER_STATEMENT: each group's row count and its parameters
    (`<column>_<row>`), as `insert_rows` names them."""
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        part = rows[start : start + ROWS_PER_STATEMENT]
        yield (
            len(part),
            {
                f"{name}_{i}": value
                for i, row in enumerate(part)
                for name, value in zip(columns, row, strict=True)
            },
        )


def _insert(session: Session, rows: Sequence[tuple[Any, ...]]) -> dict[tuple[int, str, str], int]:
    """Insert new ledger rows, leaving alone every key already held; the ids of those inserted, by key."""
    conn = session.connection()
    found: dict[tuple[int, str, str], int] = {}
    for count, params in in_statements(_COLUMNS, rows):
        for row_id, project_id, kind, key in conn.execute(_insert_statement(count), params):
            found[(project_id, kind, key)] = int(row_id)
    return found


@lru_cache(maxsize=ROWS_PER_STATEMENT)
def _insert_statement(count: int) -> TextClause | TextualSelect:
    return insert_rows(
        Delivery.__table__,  # type: ignore[attr-defined]
        _COLUMNS,
        count,
        "ON CONFLICT (project_id, kind, period_key) DO NOTHING",
        returning=("id", "project_id", "kind", "period_key"),
    )


def insert_rows(
    table: Table,
    columns: Sequence[str],
    count: int,
    clause: str,
    *,
    returning: Sequence[str] = (),
    extra: dict[str, Any] | None = None,
) -> TextClause | TextualSelect:
    """`INSERT INTO table (columns) VALUES` `count` rows of parameters (`<column>_<row>`), then `clause`.

    Plain SQL that SQLite and PostgreSQL both take (ON CONFLICT, RETURNING), typed by the table's columns
    (and `extra`: parameter name → type): unlike a dialect's ON CONFLICT construct, SQLAlchemy compiles
    it once and reuses it.
    """
    values = ", ".join("(" + ", ".join(f":{c}_{i}" for c in columns) + ")" for i in range(count))
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES {values} {clause}"
    if returning:
        sql += " RETURNING " + ", ".join(returning)
    binds = [bindparam(f"{c}_{i}", type_=table.c[c].type) for i in range(count) for c in columns]
    binds += [bindparam(name, type_=type_) for name, type_ in (extra or {}).items()]
    stmt = text(sql).bindparams(*binds)
    return stmt.columns(*[table.c[c] for c in returning]) if returning else stmt


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
        _row(team_id, project_id, kind, key, due_at, now, by, status="posted", channel=channel, ts=ts)
        for project_id, kind, key in keys
    ]
    if rows:
        _insert(session, rows)


@dataclass(frozen=True)
class NewClaim:
    """A first attempt to claim: the ledger key and what the row records about it."""

    team_id: str
    project_id: int
    kind: str
    key: str
    due_at: datetime
    delayed: bool
    error: str | None = None  # why it is skipped (`skip_many`)


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
    """Claim many first attempts with one statement; the ids of the keys this call won, by key.

    The same rule as `claim`: the unique key decides who holds it, a key held already is left alone.
    """
    return _insert(
        session,
        [_row(c.team_id, c.project_id, c.kind, c.key, c.due_at, now, by, delayed=c.delayed) for c in claims],
    )


def skip_many(session: Session, skips: Sequence[NewClaim], *, now: datetime, by: str) -> None:
    """Record keys as skipped (each with its reason) in as few statements as the batch size allows; a key
    held already is left alone, as `claim` does."""
    _insert(
        session,
        [
            _row(
                s.team_id,
                s.project_id,
                s.kind,
                s.key,
                s.due_at,
                now,
                by,
                delayed=s.delayed,
                status="skipped",
                error=s.error,
            )
            for s in skips
        ],
    )


def posted_many(session: Session, posts: Sequence[Posted], *, now: datetime, by: str) -> None:
    """Mark many claimed rows posted (and add the keys their messages carry) in one transaction."""
    if not posts:
        return
    session.connection().execute(
        _MARK_POSTED,
        [{"b_id": p.delivery_id, "b_now": now, "b_channel": p.channel, "b_ts": p.ts} for p in posts],
    )
    also = [
        _row(p.team_id, project_id, kind, key, p.due_at, now, by, status="posted", channel=p.channel, ts=p.ts)
        for p in posts
        for project_id, kind, key in p.also
    ]
    if also:
        _insert(session, also)


_table = Delivery.__table__  # type: ignore[attr-defined]
_MARK_POSTED = (
    update(_table)
    .where(_table.c.id == bindparam("b_id"))
    .values(
        status="posted",
        posted_at=bindparam("b_now"),
        slack_channel=bindparam("b_channel"),
        slack_ts=bindparam("b_ts"),
        error=None,
        outcome=None,
    )
)

"""Per-channel pacing shared by every process and replica: a channel's next allowed time in the database.

A poster holds a channel by moving its `next_at` forward with a conditional UPDATE (only when the time
has come, so exactly one poster wins), posts, then releases it to "one interval after the answer". The
hold is a lease: a poster that dies mid-post blocks the channel for HOLD seconds at most.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, TextClause, TextualSelect, bindparam, update
from sqlmodel import Session, select

from bot.scheduler.ledger import ROWS_PER_STATEMENT, in_statements, insert_rows
from storage.models import ChannelPace

# Longer than any post may take (the scheduler's request timeout plus margin).
HOLD = 30.0
# While another poster holds the channel, look again this often.
POLL = 0.05
# `first` refused (the ledger key is someone else's): nothing held.
_REFUSED = float("-inf")


@dataclass(frozen=True)
class Hold:
    """A channel held by one poster until it releases it."""

    team_id: str
    channel: str
    token: str


class ChannelPacer:
    """Claims a channel's next slot in the database, like the ledger claims a post."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        write: Callable[[Callable[[Session], Any]], Any] | None = None,
    ) -> None:
        self._engine = engine
        self._write = write or self._own_transaction
        self._clock = clock
        self._sleep = sleep

    def write(self, work: Callable[[Session], Any]) -> Any:
        """Run `work` in a transaction of this pacer's (the process's write path)."""
        return self._write(work)

    def _own_transaction(self, work: Callable[[Session], Any]) -> Any:
        with Session(self._engine) as session, session.begin():
            return work(session)

    def _at(self, seconds: float) -> datetime:
        return datetime.fromtimestamp(seconds, UTC)

    def hold(
        self, team_id: str, channel: str, *, first: Callable[[Session], bool] | None = None
    ) -> Hold | None:
        """Wait until the channel may take a message, and hold it for this poster.

        `first` runs in the transaction of the first attempt (a ledger claim: one write instead of two);
        when it answers False nothing is held and None is returned.
        """
        token = uuid.uuid4().hex
        while True:
            now = self._clock()
            wait = self._try(team_id, channel, token, now, first)
            first = None
            if wait == _REFUSED:
                return None
            if wait is None:
                return Hold(team_id, channel, token)
            self._sleep(max(wait, 0.0) if wait < POLL else min(wait, HOLD))

    def _try(
        self,
        team_id: str,
        channel: str,
        token: str,
        now: float,
        first: Callable[[Session], bool] | None = None,
    ) -> float | None:
        """None when held now; else how long to wait before trying again (_REFUSED: `first` said no)."""
        at = self._at(now)

        def attempt(session: Session) -> float | None:
            if first is not None and not first(session):
                return _REFUSED
            return self._take(session, team_id, channel, token, at)

        result: float | None = self._write(attempt)
        return result

    def _take(self, session: Session, team_id: str, channel: str, token: str, at: datetime) -> float | None:
        # One upsert: a new channel's row is inserted held; an existing one is taken if its time has come.
        if _hold(session, [(team_id, channel, at + timedelta(seconds=HOLD), token)], at):
            return None
        found = session.connection().execute(_PACE_OF, {"b_team": team_id, "b_channel": channel}).first()
        if found is None:
            return 0.0
        next_at, held_by = found
        if held_by is not None:
            return POLL
        return float((next_at - at).total_seconds())

    def release(self, hold: Hold, interval: float, *, also: Callable[[Session], None] | None = None) -> None:
        """The next message may go `interval` seconds from now (now: after Slack answered this one).

        `also` runs in the same transaction (recording the post in the ledger: one write instead of two).
        """
        next_at = self._at(self._clock() + interval)

        def work(session: Session) -> None:
            self._release(session, hold, next_at)
            if also is not None:
                also(session)

        self._write(work)

    def hold_many(self, session: Session, channels: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Hold]:
        """Hold, in `session`'s transaction, those of these (team, channel) whose time has come; the
        holds taken, by (team, channel). The others are left as they are (`hold` waits for them)."""
        wanted = list(dict.fromkeys(channels))
        if not wanted:
            return {}
        token = uuid.uuid4().hex
        at = self._at(self._clock())
        until = at + timedelta(seconds=HOLD)
        taken = _hold(session, [(team, channel, until, token) for team, channel in wanted], at)
        return {(team, channel): Hold(team, channel, token) for team, channel in taken}

    def next_at(self, interval: float) -> datetime:
        """When the channel may take its next message, counting `interval` seconds from now."""
        return self._at(self._clock() + interval)

    @staticmethod
    def release_many(session: Session, releases: Sequence[tuple[Hold, datetime]]) -> None:
        """Release many holds in `session`'s transaction, each to its own next time."""
        if releases:
            session.connection().execute(
                _RELEASE,
                [
                    {"b_team": h.team_id, "b_channel": h.channel, "b_token": h.token, "b_next": next_at}
                    for h, next_at in releases
                ],
            )

    def _release(self, session: Session, hold: Hold, next_at: datetime) -> None:
        self.release_many(session, [(hold, next_at)])


_COLUMNS = ("team_id", "channel_id", "next_at", "held_by")


def _hold(
    session: Session, rows: Sequence[tuple[str, str, datetime, str]], at: datetime
) -> list[tuple[str, str]]:
    """Upsert (team, channel, next_at, token) rows: a new channel is inserted held, an existing one taken
    only if its time (`at`) has come; the (team, channel) taken."""
    conn = session.connection()
    taken: list[tuple[str, str]] = []
    for count, params in in_statements(_COLUMNS, rows):
        params["b_at"] = at
        taken += [(team, channel) for team, channel in conn.execute(_hold_statement(count), params)]
    return taken


@lru_cache(maxsize=ROWS_PER_STATEMENT)
def _hold_statement(count: int) -> TextClause | TextualSelect:
    table = ChannelPace.__table__  # type: ignore[attr-defined]
    return insert_rows(
        table,
        _COLUMNS,
        count,
        "ON CONFLICT (team_id, channel_id) DO UPDATE SET next_at = excluded.next_at, "
        "held_by = excluded.held_by WHERE channel_pace.next_at <= :b_at",
        returning=("team_id", "channel_id"),
        extra={"b_at": table.c.next_at.type},
    )


_table = ChannelPace.__table__  # type: ignore[attr-defined]
_RELEASE = (
    update(_table)
    .where(
        _table.c.team_id == bindparam("b_team"),
        _table.c.channel_id == bindparam("b_channel"),
        _table.c.held_by == bindparam("b_token"),
    )
    .values(next_at=bindparam("b_next"), held_by=None)
)
_PACE_OF = select(_table.c.next_at, _table.c.held_by).where(
    _table.c.team_id == bindparam("b_team"), _table.c.channel_id == bindparam("b_channel")
)

"""One scheduler tick: find what is due for every project, claim it in the ledger, post it, record it.

The work per tick is a fixed number of queries whatever the number of projects (all projects are loaded
once; each job asks for all of them at once), plus a few per post actually made. Posts go out after the
planning transaction has committed, each claimed in its own short transaction first.

Timing: a post is "delayed" when it goes out more than DELAY_TOLERANCE after it was due (e.g. after
downtime); one missed by more than its grace window (project.grace_minutes) is recorded as skipped.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

from sqlmodel import Session, col, select

from bot.app import Services
from bot.scheduler import ledger
from bot.scheduler.jobs import Candidate, Context, Item
from bot.scheduler.jobs import budget as budget_job
from bot.scheduler.jobs import daily_log as daily_log_job
from bot.scheduler.jobs import meeting as meeting_job
from bot.scheduler.jobs import nudges as nudge_job
from bot.scheduler.jobs import standup as standup_job
from bot.scheduler.pacing import ChannelPacer
from bot.scheduler.posting import AMBIGUOUS, MUTE_ERRORS, PERMANENT, NotPosted, Outgoing, Poster
from bot.services import idempotency, nudges
from bot.services.status import calendar_for
from bot.views.catalog import t
from bot.views.mrkdwn import channel_link, mention
from storage.models import Project

log = logging.getLogger(__name__)

JOBS: tuple[ModuleType, ...] = (standup_job, meeting_job, budget_job, nudge_job, daily_log_job)
DELAY_TOLERANCE = timedelta(minutes=5)
# Posts are built this many at a time, just before they are sent (the first goes out within seconds).
CHUNK = 200
# Channels posting at once: Slack takes about one message per second per channel and bursts across
# channels; a few parallel requests keep the tick near the speed of the network without a thundering herd.
LANES = 8
NOTICE_KIND = "delivery_notice"
# Refusals that mean Foreman cannot reach the channel: the pm is told by DM to invite it.
CHANNEL_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived"})


@dataclass(frozen=True)
class Post:
    """A scheduled post made by this tick (contract §3)."""

    project: str
    channel: str
    kind: str
    key: str
    delayed: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "channel": self.channel,
            "kind": self.kind,
            "key": self.key,
            "delayed": self.delayed,
        }


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def tick(
    services: Services, now: datetime, *, poster: Poster | None = None, lanes: int | None = None
) -> list[Post]:
    """Post everything due at `now` that has not been posted; return what this call posted.

    The tick streams: it plans (what is due, minus the ledger) with a fixed number of set-based queries,
    then builds posts CHUNK at a time, each chunk just before it is sent, and hands each post to a lane
    (one thread per lane, a channel always in the same lane) so different channels post in parallel while
    one channel keeps its order and pacing.
    """
    now = now.astimezone(UTC)
    by = _worker_id()
    idempotency.prune(services.unit_of_work, now=now)
    with services.unit_of_work() as session:
        projects = list(session.exec(select(Project).order_by(col(Project.id))).all())
        if not projects:
            return []
        ctx = Context(session, projects, now)
        work = _plan(ctx, by)
    if not work:
        return []
    poster = poster or Poster(services.client_for, pacer=ChannelPacer(services.engine, write=services.write))
    count = lanes if lanes is not None else LANES
    with _Lanes(count, lambda out: _deliver(services, poster, out, now, by)) as running:
        for job, items in work.items():
            for start in range(0, len(items), CHUNK):
                with services.reading() as session:
                    chunk_ctx = Context(session, ctx.projects, now, today=ctx.today)
                    built = job.build(chunk_ctx, items[start : start + CHUNK])
                for out in _interleave(built):
                    running.submit(out)
    return running.posts


class _Lanes:
    """Posts handed out to `count` threads by channel; the posts made, in the order they went out."""

    def __init__(self, count: int, deliver: Callable[[Outgoing], Post | None]) -> None:
        self._deliver = deliver
        self._count = max(1, count)
        self._queues: list[queue.SimpleQueue[tuple[int, Outgoing] | None]] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        self._made: list[tuple[int, Post]] = []
        self._submitted = 0

    @property
    def posts(self) -> list[Post]:
        """The posts made, in the order they were handed out."""
        return [post for _, post in sorted(self._made, key=lambda made: made[0])]

    def __enter__(self) -> _Lanes:
        return self

    def submit(self, out: Outgoing) -> None:
        order = self._submitted
        self._submitted += 1
        if self._count == 1:
            self._run(order, out)
            return
        lane = zlib.crc32((out.channel or f"dm:{out.dm_user}").encode()) % self._count
        while len(self._queues) <= lane:
            # Lanes start as posts reach them: a small tick uses few threads.
            q: queue.SimpleQueue[tuple[int, Outgoing] | None] = queue.SimpleQueue()
            thread = threading.Thread(target=self._drain, args=(q,), name="foreman-post", daemon=True)
            self._queues.append(q)
            self._threads.append(thread)
            thread.start()
        self._queues[lane].put((order, out))

    def _drain(self, q: queue.SimpleQueue[tuple[int, Outgoing] | None]) -> None:
        while (task := q.get()) is not None:
            self._run(*task)

    def _run(self, order: int, out: Outgoing) -> None:
        try:
            post = self._deliver(out)
        except BaseException as exc:
            log.exception("scheduled %s %s for %s failed", out.kind, out.key, out.code)
            with self._lock:
                self._error = self._error or exc
            return
        if post is not None:
            with self._lock:
                self._made.append((order, post))

    def __exit__(self, *exc: object) -> None:
        for q in self._queues:
            q.put(None)
        for thread in self._threads:
            thread.join()
        if self._error is not None and exc[0] is None:
            raise self._error


def _plan(ctx: Context, by: str) -> dict[ModuleType, list[Item]]:
    """Due candidates minus what the ledger settled; skipped rows recorded; the rest, by job, to build."""
    planned: list[tuple[ModuleType, Candidate]] = [(job, c) for job in JOBS for c in job.due(ctx)]
    rows = ledger.existing(ctx.session, [(c.project.pk, c.kind, c.key) for _, c in planned])
    work: dict[ModuleType, list[Item]] = defaultdict(list)
    for job, c in planned:
        row = rows.get((c.project.pk, c.kind, c.key))
        late = ctx.now - c.due_at
        delayed = late > DELAY_TOLERANCE
        if row is None:
            reason = c.skip or (f"missed by {late}, past the grace window" if late > c.grace else None)
            if reason is None:
                work[job].append(Item(c, delayed))
            else:
                ledger.claim(
                    ctx.session,
                    team_id=c.project.team_id,
                    project_id=c.project.pk,
                    kind=c.kind,
                    key=c.key,
                    due_at=c.due_at,
                    now=ctx.now,
                    by=by,
                    delayed=delayed,
                    status="skipped",
                    error=reason,
                )
        elif row.status == "failed" and row.outcome in ledger.RETRYABLE:
            assert row.id is not None
            # Grace counts from the first time this key was due, not from this tick's idea of it.
            c.due_at = row.due_at
            late = ctx.now - row.due_at
            if late > c.grace:
                reason = row.error if row.outcome == "transient" else f"not verified: {row.error}"
                ledger.settle(
                    ctx.session, delivery_id=row.id, from_status="failed", status="skipped", error=reason
                )
            else:
                verify = row.slack_channel if row.outcome == "ambiguous" else None
                work[job].append(Item(c, late > DELAY_TOLERANCE, row.id, verify))
        elif (
            row.status == "claimed"
            and row.claimed_at is not None
            and ctx.now - row.claimed_at > ledger.STALE_CLAIM
        ):
            assert row.id is not None
            ledger.settle(
                ctx.session,
                delivery_id=row.id,
                from_status="claimed",
                status="skipped",
                error="abandoned after a claim; outcome unknown, not re-posted",
            )
    return work


def _interleave(posts: list[Outgoing]) -> list[Outgoing]:
    """Round-robin over channels, so one busy channel's pacing does not hold up the others."""
    queues: dict[str, list[Outgoing]] = defaultdict(list)
    for p in posts:
        queues[p.channel or f"dm:{p.dm_user}"].append(p)
    ordered: list[Outgoing] = []
    while queues:
        for name in list(queues):
            ordered.append(queues[name].pop(0))
            if not queues[name]:
                del queues[name]
    return ordered


def _deliver(services: Services, poster: Poster, out: Outgoing, now: datetime, by: str) -> Post | None:
    if out.delivery_id is None and out.chart is None and out.after_post is None and poster.merges_writes:
        return _deliver_new(services, poster, out, now, by)
    retry_id = out.delivery_id

    def take(session: Session) -> int | None:
        if retry_id is None:
            return ledger.claim(
                session,
                team_id=out.team_id,
                project_id=out.project_id,
                kind=out.kind,
                key=out.key,
                due_at=out.due_at,
                now=now,
                by=by,
                delayed=out.delayed,
            )
        taken = ledger.reclaim(session, delivery_id=retry_id, now=now, by=by, delayed=out.delayed)
        return retry_id if taken else None

    delivery_id = services.write(take)
    if delivery_id is None:
        return None
    verify = out.verify_in
    found = _verify(services, poster, out, delivery_id, verify) if verify else None
    if verify and found is None:
        return None
    note: str | None
    if verify and found:
        # The earlier attempt did reach Slack: record it, never post it twice.
        channel, ts, note = verify, found, "found in Slack after a lost answer"
    else:
        try:
            sent = poster.send(out)
        except NotPosted as exc:
            _not_posted(services, poster, out, delivery_id, exc, now, by)
            return None
        assert sent is not None  # without a claim to refuse, send posts or raises
        channel, ts, note = sent

    services.write(lambda session: _record(session, out, delivery_id, now, by, channel, ts, note))
    after = out.after_post
    if after is not None:
        services.write(lambda session: after(session, channel, ts))
    return Post(project=out.code, channel=channel, kind=out.kind, key=out.key, delayed=out.delayed)


def _record(
    session: Session,
    out: Outgoing,
    delivery_id: int,
    now: datetime,
    by: str,
    channel: str,
    ts: str,
    note: str | None,
) -> None:
    """Mark a post's ledger row posted, and the other keys it stands for."""
    ledger.mark_posted(session, delivery_id=delivery_id, now=now, channel=channel, ts=ts, note=note)
    ledger.record_posted(
        session, team_id=out.team_id, keys=out.also, due_at=out.due_at, now=now, by=by, channel=channel, ts=ts
    )


def _deliver_new(services: Services, poster: Poster, out: Outgoing, now: datetime, by: str) -> Post | None:
    """A first attempt in two writes: claim with the channel's hold, record with its release."""
    claimed: list[int] = []

    def claim(session: Session) -> bool:
        delivery_id = ledger.claim(
            session,
            team_id=out.team_id,
            project_id=out.project_id,
            kind=out.kind,
            key=out.key,
            due_at=out.due_at,
            now=now,
            by=by,
            delayed=out.delayed,
        )
        if delivery_id is not None:
            claimed.append(delivery_id)
        return delivery_id is not None

    def record(session: Session, channel: str, ts: str) -> None:
        _record(session, out, claimed[0], now, by, channel, ts, None)

    try:
        sent = poster.send(out, claim=claim, record=record)
    except NotPosted as exc:
        if claimed:
            _not_posted(services, poster, out, claimed[0], exc, now, by)
        return None
    if sent is None:
        return None
    return Post(project=out.code, channel=sent[0], kind=out.kind, key=out.key, delayed=out.delayed)


def _verify(services: Services, poster: Poster, out: Outgoing, delivery_id: int, channel: str) -> str | None:
    """After a lost answer: the ts if Slack has the post, "" if it has not, None if Slack could not say.

    When Slack cannot say, the row stays `ambiguous` for the next tick (or is `skipped` when it never
    can); it is never posted blind.
    """
    try:
        return poster.find(out, channel) or ""
    except NotPosted as exc:
        with services.unit_of_work() as session:
            if exc.outcome == PERMANENT:
                ledger.settle(
                    session,
                    delivery_id=delivery_id,
                    from_status="claimed",
                    status="skipped",
                    error=f"outcome unknown and not verifiable: {exc}",
                )
            else:
                ledger.mark_failed(
                    session, delivery_id=delivery_id, error=str(exc), outcome=AMBIGUOUS, channel=channel
                )
        return None


def _not_posted(
    services: Services,
    poster: Poster,
    out: Outgoing,
    delivery_id: int,
    exc: NotPosted,
    now: datetime,
    by: str,
) -> None:
    """Record a failed attempt by its outcome; a permanent one is logged once and told to the pm once."""
    channel = exc.channel or out.verify_in
    if exc.outcome == AMBIGUOUS and channel is None:
        # Nowhere to look for it later: never-twice wins over at-least-once.
        with services.unit_of_work() as session:
            ledger.settle(
                session,
                delivery_id=delivery_id,
                from_status="claimed",
                status="skipped",
                error=f"outcome unknown and not verifiable: {exc}",
            )
        return
    with services.unit_of_work() as session:
        ledger.mark_failed(
            session, delivery_id=delivery_id, error=str(exc), outcome=exc.outcome, channel=channel
        )
    if exc.outcome != PERMANENT:
        log.warning(
            "scheduled %s %s for %s not posted (%s, will retry): %s",
            out.kind,
            out.key,
            out.code,
            exc.outcome,
            exc,
        )
        return
    log.error("scheduled %s %s for %s refused for good: %s", out.kind, out.key, out.code, exc)
    if out.kind == NOTICE_KIND or exc.code in MUTE_ERRORS:
        return
    notice = _notice(services, out, exc, now)
    if notice is not None:
        _deliver(services, poster, notice, now, by)


def _notice(services: Services, failed: Outgoing, exc: NotPosted, now: datetime) -> Outgoing | None:
    """The one message telling the pm that a post was refused for good (keyed per error, place and day)."""
    with services.unit_of_work() as session:
        project = session.get(Project, failed.project_id)
        if project is None:
            return None
        pms = nudges.pms_by_project(session, [project.pk]).get(project.pk, [])
        day = calendar_for(project).local_date(now).isoformat()
        lang = project.language
    code = exc.code or "refused"
    if failed.dm_user is not None:
        # The DM could not be delivered: say so in the project's channel.
        text = t(lang, "sched.notice.dm", user=mention(failed.dm_user), kind=failed.kind, code=code)
        where, channel, dm_user = failed.dm_user, project.channel_id, None
    elif code in CHANNEL_ERRORS:
        if not pms:
            return None
        text = t(
            lang,
            "sched.notice.invite",
            channel=channel_link(str(failed.channel)),
            kind=failed.kind,
            code=code,
        )
        where, channel, dm_user = str(failed.channel), None, pms[0]
    else:
        text = t(
            lang, "sched.notice.refused", kind=failed.kind, code=code, pms=", ".join(mention(u) for u in pms)
        )
        where, channel, dm_user = str(failed.channel), project.channel_id, None
    return Outgoing(
        project_id=failed.project_id,
        team_id=failed.team_id,
        code=failed.code,
        kind=NOTICE_KIND,
        key=f"notice:{code}:{where}:{day}",
        due_at=now,
        delayed=False,
        text=text,
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        channel=channel,
        dm_user=dm_user,
    )

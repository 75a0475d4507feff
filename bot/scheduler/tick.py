"""One scheduler tick: find what is due for every project, claim it in the ledger, post it, record it.

The work per tick is a fixed number of queries whatever the number of projects (all projects are loaded
once; each job asks for all of them at once), plus a few per chunk of posts. Posts go out after the
planning transaction has committed, claimed in batches just before they are sent.

Timing: a post is "delayed" when it goes out more than DELAY_TOLERANCE after it was due (e.g. after
downtime); one missed by more than its grace window (project.grace_minutes) is recorded as skipped.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from types import ModuleType
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from bot.app import Services
from bot.scheduler import ledger
from bot.scheduler.jobs import Candidate, Context, Item
from bot.scheduler.jobs import budget as budget_job
from bot.scheduler.jobs import daily_log as daily_log_job
from bot.scheduler.jobs import meeting as meeting_job
from bot.scheduler.jobs import nudges as nudge_job
from bot.scheduler.jobs import standup as standup_job
from bot.scheduler.pacing import HOLD, ChannelPacer, Hold
from bot.scheduler.posting import AMBIGUOUS, MUTE_ERRORS, PERMANENT, NotPosted, Outgoing, Poster
from bot.services import idempotency, nudges
from bot.services.status import calendar_for
from bot.views.catalog import t
from bot.views.mrkdwn import channel_link, mention
from storage.models import Project

log = logging.getLogger(__name__)
T = TypeVar("T")

JOBS: tuple[ModuleType, ...] = (standup_job, meeting_job, budget_job, nudge_job, daily_log_job)
DELAY_TOLERANCE = timedelta(minutes=5)
# Posts are built this many at a time, just before they are sent; the first few on their own, so the first
# post goes out as soon as the plan is made.
CHUNK = 200
FIRST_CHUNK = 16
# Channels posting at once: Slack takes about one message per second per channel and bursts across
# channels; a few parallel requests keep the tick near the speed of the network without a thundering herd.
LANES = 8
# First attempts are claimed this many at a time (one statement), just before their lanes send them.
CLAIM_BATCH = 32
# At most this many claimed posts wait for their lane: all that a crash could leave claimed and unsent.
AHEAD = 64
# What the lanes posted is recorded in the ledger (and its channels released) at least this often (s).
RECORD_EVERY = 0.2
# How long the DMs a lane opened wait for others to be held in the same write (seconds).
GATHER = 0.01
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
    then builds posts CHUNK at a time (the first few on their own), each chunk just before it is sent,
    and hands them to LANES threads that post different channels in parallel while each channel keeps
    its order and pacing; the ledger follows in batches (see `_Dispatch`).
    """
    now = now.astimezone(UTC)
    by = _worker_id()
    idempotency.prune(services.unit_of_work, now=now)
    # Planning only reads (no write lock held while it runs); what it settles is written after, in one
    # short transaction. Both writes are conditional (a key held already, a row no longer in its state
    # are left alone), so a tick of another process in between changes nothing.
    with services.reading() as session:
        projects = list(session.exec(select(Project).order_by(col(Project.id))).all())
        if not projects:
            return []
        ctx = Context(session, projects, now)
        work, settled = _plan(ctx, by)
    if settled:
        services.write(lambda session: [write(session) for write in settled])
    if not work:
        return []
    # A workspace's bot token is read once per tick, not once per post.
    poster = poster or Poster(
        _tokens_once(services.client_for), pacer=ChannelPacer(services.engine, write=services.write)
    )
    count = lanes if lanes is not None else LANES
    with _Dispatch(services, poster, now, by, count) as dispatch:
        size = FIRST_CHUNK
        for job, items in work.items():
            start = 0
            while start < len(items):
                with services.reading() as session:
                    chunk_ctx = Context(session, ctx.projects, now, today=ctx.today, spent=ctx.spent)
                    built = job.build(chunk_ctx, items[start : start + size])
                dispatch.send(_interleave(built))
                start, size = start + size, CHUNK
    return dispatch.posts


_Task = tuple[int, Outgoing, Callable[[], "Post | None"]]


class _Lanes:
    """Posts run by up to `count` threads, one post of a channel at a time and in the order handed out
    (a channel's next post waits for its previous one; any free thread takes the next channel ready);
    the posts made, in the order they were handed out."""

    def __init__(self, count: int, finished: Callable[[], None]) -> None:
        self._count = max(1, count)
        self._finished = finished
        self._cond = threading.Condition()
        self._waiting: dict[str, deque[_Task]] = {}  # by channel: its posts not started yet
        self._ready: deque[str] = deque()  # channels with a post waiting and none running
        self._idle = 0
        self._closing = False
        self._threads: list[threading.Thread] = []
        self.error: BaseException | None = None
        self._made: list[tuple[int, Post]] = []
        self._submitted = 0

    @property
    def posts(self) -> list[Post]:
        """The posts made, in the order they were handed out."""
        return [post for _, post in sorted(self._made, key=lambda made: made[0])]

    def submit(self, out: Outgoing, deliver: Callable[[], Post | None]) -> None:
        """Run `deliver` in a thread, after the posts to the same channel handed out before."""
        order = self._submitted
        self._submitted += 1
        if self._count == 1:
            self._run((order, out, deliver))
            return
        where = out.channel or f"dm:{out.dm_user}"
        with self._cond:
            waiting = self._waiting.get(where)
            if waiting is None:
                # No post of this channel waiting or running: it is ready now.
                self._waiting[where] = deque([(order, out, deliver)])
                self._ready.append(where)
            else:
                waiting.append((order, out, deliver))
            if self._idle:
                self._cond.notify()
            elif len(self._threads) < self._count:
                # Threads start as posts reach them: a small tick uses few.
                thread = threading.Thread(target=self._work, name="foreman-post", daemon=True)
                self._threads.append(thread)
                thread.start()

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._ready:
                    if self._closing:
                        return
                    self._idle += 1
                    self._cond.wait()
                    self._idle -= 1
                where = self._ready.popleft()
                task = self._waiting[where].popleft()
            self._run(task)
            with self._cond:
                if self._waiting[where]:
                    self._ready.append(where)
                else:
                    del self._waiting[where]

    def _run(self, task: _Task) -> None:
        order, out, deliver = task
        try:
            post = deliver()
        except BaseException as exc:
            log.exception("scheduled %s %s for %s failed", out.kind, out.key, out.code)
            with self._cond:
                self.error = self.error or exc
            return
        finally:
            self._finished()
        if post is not None:
            with self._cond:
                self._made.append((order, post))

    def close(self) -> None:
        """Let the threads finish every post handed out, and stop them."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()


_Sent = tuple[ledger.Posted, tuple[Hold, datetime] | None]  # a post to record, and its channel to release


class _Dispatch:
    """Hands a tick's posts to the lanes and keeps the ledger in step with them, in batches.

    First attempts (the bulk of a tick) are claimed CLAIM_BATCH at a time in one statement, their
    channels held in the same transaction, just before they are handed to their lanes, and never more
    than AHEAD ahead of the lanes; what the lanes posted is recorded (and the channels released, each to
    one interval after its answer) with the next claim, or every RECORD_EVERY seconds, or before a lane
    holds a channel itself. A claim still comes before its post and a post is recorded once it is in
    Slack: a crash leaves rows `claimed`, never posted twice. Retries, checks, charts and posts with
    after-post work go one by one as before (`_deliver`).
    """

    def __init__(self, services: Services, poster: Poster, now: datetime, by: str, lanes: int) -> None:
        self._services = services
        self._poster = poster
        self._pacer = poster.database_pacer
        self._now = now
        self._by = by
        self._cond = threading.Condition()
        self._busy = 0  # posts handed to the lanes and not finished
        self._room = -1  # `_wait` goes on once _busy is this low (-1: nobody waiting)
        self._sent: list[_Sent] = []  # posted, not yet recorded
        self._parked: list[tuple[Outgoing, int]] = []  # DMs opened, waiting for their channel's hold
        self._recorded_at = time.monotonic()
        self._lanes = _Lanes(lanes, self._finished)

    def __enter__(self) -> _Dispatch:
        return self

    @property
    def posts(self) -> list[Post]:
        """The posts made, in the order they were handed out."""
        return self._lanes.posts

    def send(self, posts: list[Outgoing]) -> None:
        """Hand these posts to the lanes, in order (first attempts claimed first, in batches)."""
        batch: list[Outgoing] = []
        for out in posts:
            if out.delivery_id is None and out.chart is None and out.after_post is None:
                batch.append(out)
                if len(batch) == CLAIM_BATCH:
                    self._claim(batch)
                    batch = []
                continue
            if batch:
                self._claim(batch)
                batch = []
            self._wait(1)
            self._handout(out, partial(_deliver, self._services, self._poster, out, self._now, self._by))
        if batch:
            self._claim(batch)

    def _claim(self, batch: list[Outgoing]) -> None:
        self._wait(len(batch))
        self._write(batch)

    def _write(self, batch: list[Outgoing]) -> None:
        """One transaction: record what the lanes posted, hold the channels of the DMs they opened, claim
        `batch` (holding the channels of the posts claimed); then hand the DMs and the claimed posts out."""
        pacer = self._pacer
        taken: list[_Sent] = []
        parked: list[tuple[Outgoing, int]] = []

        def work(session: Session) -> tuple[dict[tuple[int, str, str], int], dict[tuple[str, str], Hold]]:
            self._record(session, taken)
            with self._cond:
                parked.extend(self._parked)
                self._parked = []
            ids: dict[tuple[int, str, str], int] = {}
            if batch:
                claims = [
                    ledger.NewClaim(o.team_id, o.project_id, o.kind, o.key, o.due_at, o.delayed)
                    for o in batch
                ]
                ids = ledger.claim_many(session, claims, now=self._now, by=self._by)
            if pacer is None:
                return ids, {}
            wanted = [(o.team_id, str(o.channel)) for o, _ in parked]
            wanted += [
                (o.team_id, o.channel) for o in batch if o.channel and (o.project_id, o.kind, o.key) in ids
            ]
            return ids, pacer.hold_many(session, wanted)

        try:
            ids, holds = self._services.write(work)
        except BaseException:
            # Not written: keep them for the next write (recording twice changes nothing).
            with self._cond:
                self._sent[:0] = taken
                self._parked[:0] = parked
            raise
        # pop: a key (or a channel) twice in one write is claimed (held) for its first post only
        for out, parked_id in parked:
            held = holds.pop((out.team_id, str(out.channel)), None)
            # Counted busy since it was parked.
            self._lanes.submit(out, partial(self._deliver, out, parked_id, held, time.monotonic()))
        for out in batch:
            delivery_id = ids.pop((out.project_id, out.kind, out.key), None)
            if delivery_id is None:
                continue
            held = holds.pop((out.team_id, out.channel), None) if out.channel else None
            self._handout(out, partial(self._deliver, out, delivery_id, held, time.monotonic()))

    def _handout(self, out: Outgoing, deliver: Callable[[], Post | None]) -> None:
        with self._cond:
            self._busy += 1
        self._lanes.submit(out, deliver)

    def _finished(self) -> None:
        with self._cond:
            self._busy -= 1
            if self._busy <= self._room:
                # Only when the dispatcher waiting in `_wait` may go on (not after every post).
                self._cond.notify_all()

    def _deliver(self, out: Outgoing, delivery_id: int, held: Hold | None, claimed: float) -> Post | None:
        """A claimed first attempt, in its lane: post it and leave the record for the next batch."""
        if held is not None and self._pacer is not None and time.monotonic() - claimed > HOLD / 2:
            # Waited long in its lane: the hold's lease may be running out; take a fresh one to post.
            self._pacer.release(held, 0.0)
            held = None
        if out.channel is None and self._pacer is not None:
            # A DM: opened here, its channel then held with the dispatcher's next write (none of its own).
            try:
                channel = self._poster.open_dm(out)
            except NotPosted as exc:
                _not_posted(self._services, self._poster, out, delivery_id, exc, self._now, self._by)
                return None
            with self._cond:
                self._parked.append((replace(out, channel=channel), delivery_id))
                self._busy += 1
                self._cond.notify_all()
            return None
        taken: list[_Sent] = []
        try:
            sent = self._poster.send_held(out, held, before_hold=lambda session: self._record(session, taken))
        except NotPosted as exc:
            _not_posted(self._services, self._poster, out, delivery_id, exc, self._now, self._by)
            return None
        except BaseException:
            with self._cond:
                self._sent[:0] = taken
            raise
        posted = ledger.Posted(delivery_id, out.team_id, out.due_at, sent.channel, sent.ts, tuple(out.also))
        with self._cond:
            self._sent.append((posted, sent.release))
        return Post(project=out.code, channel=sent.channel, kind=out.kind, key=out.key, delayed=out.delayed)

    def _record(self, session: Session, taken: list[_Sent]) -> None:
        """Record in `session` the posts made since the last record, and release their channels."""
        with self._cond:
            taken += self._sent
            self._sent = []
            self._recorded_at = time.monotonic()
        if not taken:
            return
        if self._pacer is not None:
            self._pacer.release_many(session, [release for _, release in taken if release is not None])
        ledger.posted_many(session, [posted for posted, _ in taken], now=self._now, by=self._by)

    def _wait(self, more: int) -> None:
        """Until the lanes have room for `more` posts (all of them idle when `more` is 0); meanwhile the DMs
        they opened are held and handed back at once, and what they posted is recorded every RECORD_EVERY
        seconds."""
        while True:
            with self._cond:
                if self._busy == 0 or (more and self._busy + more <= AHEAD):
                    self._room = -1
                    return
                self._room = AHEAD - more if more else 0
                # Opened DMs wait a moment for more to hold in the same write.
                self._cond.wait(GATHER if self._parked else RECORD_EVERY)
                due = self._parked or (self._sent and time.monotonic() - self._recorded_at >= RECORD_EVERY)
            if due:
                self._write([])

    def __exit__(self, *exc: object) -> None:
        try:
            self._wait(0)
        finally:
            self._lanes.close()
            self._write([])
        if self._lanes.error is not None and exc[0] is None:
            raise self._lanes.error


_Write = Callable[[Session], object]


def _plan(ctx: Context, by: str) -> tuple[dict[ModuleType, list[Item]], list[_Write]]:
    """Due candidates minus what the ledger settled, by job, to build; and the ledger writes that record
    what is skipped (to run in one transaction once planning is done)."""
    planned: list[tuple[ModuleType, Candidate]] = [(job, c) for job in JOBS for c in job.due(ctx)]
    rows = ledger.existing(ctx.session, [(c.project.pk, c.kind, c.key) for _, c in planned])
    work: dict[ModuleType, list[Item]] = defaultdict(list)
    writes: list[_Write] = []
    skipped: list[ledger.NewClaim] = []
    for job, c in planned:
        row = rows.get((c.project.pk, c.kind, c.key))
        late = ctx.now - c.due_at
        delayed = late > DELAY_TOLERANCE
        if row is None:
            reason = c.skip or (f"missed by {late}, past the grace window" if late > c.grace else None)
            if reason is None:
                work[job].append(Item(c, delayed))
            else:
                skipped.append(
                    ledger.NewClaim(c.project.team_id, c.project.pk, c.kind, c.key, c.due_at, delayed, reason)
                )
        elif row.status == "failed" and row.outcome in ledger.RETRYABLE:
            assert row.id is not None
            # Grace counts from the first time this key was due, not from this tick's idea of it.
            c.due_at = row.due_at
            late = ctx.now - row.due_at
            if late > c.grace:
                reason = row.error if row.outcome == "transient" else f"not verified: {row.error}"
                writes.append(_skip(row.id, "failed", reason))
            else:
                verify = row.slack_channel if row.outcome == "ambiguous" else None
                work[job].append(Item(c, late > DELAY_TOLERANCE, row.id, verify))
        elif (
            row.status == "claimed"
            and row.claimed_at is not None
            and ctx.now - row.claimed_at > ledger.STALE_CLAIM
        ):
            assert row.id is not None
            writes.append(_skip(row.id, "claimed", "abandoned after a claim; outcome unknown, not re-posted"))
    if skipped:
        writes.insert(0, partial(ledger.skip_many, skips=skipped, now=ctx.now, by=by))
    return work, writes


def _skip(delivery_id: int, from_status: str, reason: str | None) -> _Write:
    """The write that settles a ledger row, still in `from_status`, as skipped for `reason`."""
    return partial(
        ledger.settle, delivery_id=delivery_id, from_status=from_status, status="skipped", error=reason
    )


def _tokens_once(client_for: Callable[[str], T]) -> Callable[[str], T]:
    """`client_for` asked once per workspace (the token lookup reads the database with OAuth)."""
    found: dict[str, T] = {}
    lock = threading.Lock()

    def once(team_id: str) -> T:
        client = found.get(team_id)
        if client is None:
            client = client_for(team_id)
            with lock:
                client = found.setdefault(team_id, client)
        return client

    return once


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
    """One post on its own: claimed (or re-claimed), checked in Slack if need be, posted, recorded."""
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

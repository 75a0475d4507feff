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
import socket
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlmodel import col, select

from bot.app import Services
from bot.scheduler import ledger
from bot.scheduler.jobs import Candidate, Context, Item
from bot.scheduler.jobs import budget as budget_job
from bot.scheduler.jobs import meeting as meeting_job
from bot.scheduler.jobs import nudges as nudge_job
from bot.scheduler.jobs import standup as standup_job
from bot.scheduler.posting import Outgoing, Poster, RetryLater
from bot.services import idempotency
from storage.models import Project

log = logging.getLogger(__name__)

JOBS: tuple[ModuleType, ...] = (standup_job, meeting_job, budget_job, nudge_job)
DELAY_TOLERANCE = timedelta(minutes=5)


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


def tick(services: Services, now: datetime, *, poster: Poster | None = None) -> list[Post]:
    """Post everything due at `now` that has not been posted; return what this call posted."""
    now = now.astimezone(UTC)
    by = _worker_id()
    idempotency.prune(services.unit_of_work, now=now)
    with services.unit_of_work() as session:
        projects = list(session.exec(select(Project).order_by(col(Project.id))).all())
        if not projects:
            return []
        ctx = Context(session, projects, now)
        outgoing = _plan(ctx, by)
    poster = poster or Poster(services.client_for)
    posts = []
    for out in _interleave(outgoing):
        post = _deliver(services, poster, out, now, by)
        if post is not None:
            posts.append(post)
    return posts


def _plan(ctx: Context, by: str) -> list[Outgoing]:
    """Due candidates minus what the ledger settled; skipped rows recorded; the rest built."""
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
        elif row.status == "failed":
            assert row.id is not None
            if late > c.grace:
                ledger.settle(
                    ctx.session, delivery_id=row.id, from_status="failed", status="skipped", error=row.error
                )
            else:
                work[job].append(Item(c, delayed, row.id))
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
    return [built for job, items in work.items() for built in job.build(ctx, items)]


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
    retry_id = out.delivery_id
    with services.unit_of_work() as session:
        if retry_id is None:
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
        else:
            taken = ledger.reclaim(session, delivery_id=retry_id, now=now, by=by, delayed=out.delayed)
            delivery_id = retry_id if taken else None
    if delivery_id is None:
        return None
    try:
        channel, ts, note = poster.send(out)
    except TimeoutError as exc:
        # Slack may have the message: never-twice means not trying again.
        with services.unit_of_work() as session:
            ledger.settle(
                session,
                delivery_id=delivery_id,
                from_status="claimed",
                status="skipped",
                error=f"timeout: {exc}",
            )
        return None
    except (RetryLater, SlackApiError, OSError) as exc:
        log.warning("scheduled %s %s for %s not posted (will retry): %s", out.kind, out.key, out.code, exc)
        with services.unit_of_work() as session:
            ledger.mark_failed(session, delivery_id=delivery_id, error=str(exc))
        return None
    with services.unit_of_work() as session:
        ledger.mark_posted(session, delivery_id=delivery_id, now=now, channel=channel, ts=ts, note=note)
    if out.after_post is not None:
        with services.unit_of_work() as session:
            out.after_post(session, channel, ts)
    return Post(project=out.code, channel=channel, kind=out.kind, key=out.key, delayed=out.delayed)

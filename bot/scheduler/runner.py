"""APScheduler (3.x) running the minute tick inside a process; the ledger, not the job store, ensures once."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.app import Services

log = logging.getLogger(__name__)


def start(services: Services) -> BackgroundScheduler:
    """Start a background scheduler that ticks once right away, then at second 0 of every minute."""
    scheduler = BackgroundScheduler(
        timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 50}
    )
    scheduler.add_job(
        _tick,
        CronTrigger(second=0, timezone=UTC),
        args=[services],
        id="tick",
        replace_existing=True,
        # A (re)started process catches up at once instead of waiting for the next minute.
        next_run_time=datetime.now(UTC),
    )
    scheduler.start()
    return scheduler


def _tick(services: Services) -> None:
    from bot.scheduler.tick import tick

    now = datetime.now(UTC).replace(second=0, microsecond=0)
    try:
        posts = tick(services, now)
        if posts:
            log.info("tick %s posted %d item(s)", now.isoformat(), len(posts))
    except Exception:
        log.exception("scheduler tick at %s failed", now.isoformat())

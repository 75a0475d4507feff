"""APScheduler (3.x) running the minute tick inside a process; the ledger, not the job store, ensures once.

The tick runs at second 0 of every (wall) minute. On a test clock (FOREMAN_CLOCK_FILE, or the console's
`:now`) time moves only when the clock file changes, so the file is also watched every second and one
tick runs at each new instant; what fell due in between follows the tick's catch-up rules.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import Services
from bot.clock import ClockError, is_test_clock

log = logging.getLogger(__name__)

WATCH_SECONDS = 1


def start(services: Services, *, watch_clock: bool | None = None) -> BackgroundScheduler:
    """Start a background scheduler: one tick right away, then the minute tick, and a watch of the test
    clock when there is one (`watch_clock=True` for a clock that may become a test clock later, as the
    console's does)."""
    scheduler = BackgroundScheduler(
        timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 50}
    )
    scheduler.add_job(
        _minute,
        CronTrigger(second=0, timezone=UTC),
        args=[services],
        id="tick",
        replace_existing=True,
        # A (re)started process catches up at once instead of waiting for the next minute.
        next_run_time=datetime.now(UTC),
    )
    if watch_clock if watch_clock is not None else is_test_clock(services.clock):
        scheduler.add_job(
            ClockWatch(services),
            IntervalTrigger(seconds=WATCH_SECONDS, timezone=UTC),
            id="clock",
            replace_existing=True,
            misfire_grace_time=None,
        )
    scheduler.start()
    return scheduler


class ClockWatch:
    """Ticks once each time the test clock shows a new instant."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.last: datetime | None = None

    def __call__(self) -> None:
        if not is_test_clock(self.services.clock):
            self.last = None
            return
        try:
            now = self.services.clock()
        except ClockError as exc:
            log.warning("test clock: %s", exc)
            return
        if now != self.last:
            self.last = now
            _run(self.services, now)


def _minute(services: Services) -> None:
    if is_test_clock(services.clock):
        # The test clock stands still: ticking again at its instant posts nothing new but retries failures.
        try:
            now = services.clock()
        except ClockError:
            return
        _run(services, now)
        return
    _run(services, services.clock().replace(second=0, microsecond=0))


def _run(services: Services, now: datetime) -> None:
    from bot.scheduler.tick import tick

    try:
        posts = tick(services, now)
        if posts:
            log.info("tick %s posted %d item(s)", now.isoformat(), len(posts))
    except Exception:
        log.exception("scheduler tick at %s failed", now.isoformat())

"""The scheduler inside a process ticks once each time the test clock moves, at the new instant."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session

from bot.app import build_services
from bot.clock import write_instant
from bot.console.fake_slack import FakeSlack
from bot.scheduler.runner import ClockWatch
from tests.conftest import make_settings
from tests.scheduler.sched_support import add_expense, add_project, deliveries


def test_watch_ticks_at_each_new_instant_with_catch_up(
    db_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    path = tmp_path / "clock"
    write_instant(path, datetime(2026, 11, 23, 0, 30, tzinfo=UTC))  # Mon 08:30 in Shanghai
    services = build_services(make_settings(db_url, fake_slack, foreman_clock_file=str(path)))
    with Session(services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("1000"))
        add_expense(s, project, date(2026, 11, 20), "600")
    watch = ClockWatch(services)

    watch()  # the first look ticks at the clock's instant: the alert is due, the digest not yet
    assert [c.args["channel"] for c in fake_slack.calls_to("chat.postMessage")] == [project.channel_id]
    watch()  # the clock stands still: nothing more
    assert len(fake_slack.calls_to("chat.postMessage")) == 1

    write_instant(path, datetime(2026, 11, 23, 1, 5, tzinfo=UTC))  # 09:05: Monday's digest, on time
    watch()
    write_instant(path, datetime(2026, 11, 25, 2, 0, tzinfo=UTC))  # Wed 10:00: Tuesday's digest is old
    watch()
    with Session(services.engine) as s:
        rows = [(d.period_key, d.status, d.delayed) for d in deliveries(s) if d.kind == "standup"]
    assert rows == [
        ("standup:2026-11-23", "posted", False),
        ("standup:2026-11-24", "skipped", True),
        ("standup:2026-11-25", "posted", True),
    ]
    services.engine.dispose()

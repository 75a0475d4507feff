"""Channel pacing across processes: two `foreman tick` processes and three `serve` workers on PostgreSQL,
30 budget alerts due in one channel, every message arrives at least a second after the one before."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.console.fake_slack import FakeSlack
from storage.db import make_engine
from tests.conftest import _truncate_pg
from tests.scheduler.sched_support import add_budget_line, add_expense, add_project, deliveries

ROOT = Path(__file__).resolve().parents[2]
ITEMS = 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(url: str) -> str:
    """One project whose 30 budget lines are all spent (30 alerts due now); nothing else due."""
    local = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai"))
    away = (local - timedelta(hours=6)).strftime("%H:%M")  # standup, nudges and meetings long past grace
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        project = add_project(
            s, budget=Decimal("1000000"), standup_time=away, meeting_time=away, channel_id="C0PACED"
        )
        for n in range(ITEMS):
            add_budget_line(s, project, f"c{n:02d}", "100")
            add_expense(s, project, local.date() - timedelta(days=1), "100", category=f"c{n:02d}")
    engine.dispose()
    return project.channel_id


def test_two_ticks_and_three_workers_keep_a_second_between_posts(pg_url: str, fake_slack: FakeSlack) -> None:
    engine = make_engine(pg_url)
    _truncate_pg(engine)
    engine.dispose()
    channel = _seed(pg_url)
    env = os.environ | {
        "DATABASE_URL": pg_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "test-secret",
        "SLACK_API_URL": fake_slack.url,
        "FOREMAN_SCHEDULER": "on",
        "FOREMAN_LOG_LEVEL": "WARNING",
    }
    env.pop("SLACK_APP_TOKEN", None)
    port = _free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "3"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    ticks = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "tick"],
            cwd=ROOT,
            env=env | {"FOREMAN_SCHEDULER": "off"},
            text=True,
            stdout=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    try:
        outputs = [p.communicate(timeout=150)[0] for p in ticks]
        deadline = time.monotonic() + 60
        while len(fake_slack.history.get(channel, [])) < ITEMS and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    assert [p.returncode for p in ticks] == [0, 0]
    posts = sorted(
        (c for c in fake_slack.calls_to("chat.postMessage") if c.args.get("channel") == channel),
        key=lambda c: c.at,
    )
    keys = [c.args["metadata"]["event_payload"]["key"] for c in posts]
    assert sorted(keys) == sorted(f"budget:line:c{n:02d}:100" for n in range(ITEMS))  # each once
    gaps = [b.at - a.at for a, b in zip(posts, posts[1:], strict=False)]
    assert min(gaps) >= 1.0, gaps
    printed = [line for out in outputs for line in out.splitlines() if line.strip()]
    engine = make_engine(pg_url)
    with Session(engine) as s:
        rows = [r for r in deliveries(s) if r.kind == "budget_alert" and r.period_key.endswith(":100")]
    engine.dispose()
    assert len(rows) == ITEMS and {r.status for r in rows} == {"posted"}
    # Several processes took a share (the ledger decided who posts what), so the pacing was shared.
    assert len({r.claimed_by for r in rows}) >= 2, {r.claimed_by for r in rows}
    assert len(printed) == len(
        [r for r in rows if str(r.claimed_by).endswith(tuple(f":{p.pid}" for p in ticks))]
    )

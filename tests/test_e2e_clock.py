"""Play a working week against `foreman serve` on a test clock: no `--now`, only the clock file moves.

Signed requests go over real HTTP to gunicorn; the scheduler inside the worker notices each move of
the clock and posts what fell due (to the fake Slack server); the export reads the same database.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from bot.console.fake_slack import Call, FakeSlack
from bot.console.payloads import Payloads
from tests.test_e2e_http import _free_port, _post

SECRET = "e2e-clock-secret"
WAIT = 30.0  # seconds to wait for a post before failing (the watch looks at the clock every second)


@pytest.fixture
def clocked(
    db_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> Iterator[tuple[str, dict[str, str], subprocess.Popen[str]]]:
    """`foreman serve` with FOREMAN_CLOCK_FILE and the scheduler on; its URL, env and process."""
    env = os.environ | {
        "DATABASE_URL": db_url,
        "SLACK_BOT_TOKEN": "xoxb-e2e",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake_slack.url,
        "FOREMAN_SCHEDULER": "on",
        "FOREMAN_LOG_LEVEL": "WARNING",
        "FOREMAN_CLOCK_FILE": str(tmp_path / "clock"),
    }
    env.pop("SLACK_APP_TOKEN", None)
    _clock(env, tmp_path, "set", "2026-11-23T08:00+08:00")  # Monday, before the 09:00 standup
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise AssertionError(proc.stdout.read() if proc.stdout else "serve did not start")
    yield base, env, proc
    if proc.poll() is None:
        proc.terminate()
        proc.communicate(timeout=15)


def _clock(env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "clock", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _wait_post(fake: FakeSlack, found: Callable[[Call], bool], what: str) -> Call:
    """The first chat.postMessage that matches, waiting for the in-process scheduler to send it."""
    deadline = time.monotonic() + WAIT
    while True:
        for call in fake.calls_to("chat.postMessage"):
            if found(call):
                return call
        if time.monotonic() >= deadline:
            texts = [str(c.args.get("text")) for c in fake.calls_to("chat.postMessage")]
            raise AssertionError(f"no {what} was posted; posts: {texts}")
        fake.wait_for("chat.postMessage", len(fake.calls_to("chat.postMessage")) + 1, timeout=0.5)


def _text(call: Call) -> str:
    return json.dumps(call.args, ensure_ascii=False)


def _money(amount: str) -> str:
    return f"¥{Decimal(amount):,.2f}"


def test_a_week_on_the_test_clock(
    clocked: tuple[str, dict[str, str], subprocess.Popen[str]], fake_slack: FakeSlack, tmp_path: Path
) -> None:
    base, env, proc = clocked
    payloads = Payloads(secret=SECRET, team_id="T0TEAMA", response_base=fake_slack.base)

    def command(name: str, text: str) -> str:
        body = payloads.command_body(name, text, user="U1", channel="C1")
        status, reply, _ = _post(f"{base}/slack/events", body, payloads.headers(body))
        assert status == 200, reply
        return str(json.loads(reply)["text"])

    with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
        assert json.loads(response.read()) == {"status": "ok", "db": "ok", "clock": "test"}

    assert "E2E" in command("/project", "create E2E budget 10000 CNY tz Asia/Shanghai")
    assert "T-1" in command("/task", 'add T-1 "Pour slab" owner <@U1> due 2026-11-24')

    days = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]
    names = ["Mon", "Tue", "Wed", "Thu", "Fri"]
    spend = ["2000", "1500", "2000", "500", "800"]
    for n, (day, name, amount) in enumerate(zip(days, names, spend, strict=True)):
        # 09:00: the day's digest, covering the workday before.
        step = "1h" if n == 0 else "16h"  # from 08:00 on Monday, else from 17:00 the day before
        assert _clock(env, tmp_path, "advance", step) == f"{day}T09:00:00+08:00"
        digest = _wait_post(
            fake_slack,
            lambda c, d=day: str(c.args.get("text")).startswith(f"Standup E2E {d}"),
            f"digest of {day}",
        )
        if n == 0:
            assert digest.args["text"] == f"Standup E2E {day}: 0 man-h, expenses ¥0.00, 1 task changes"
        else:
            assert f"Covering {days[n - 1]} ({names[n - 1]})" in _text(digest)
            assert digest.args["text"] == (
                f"Standup E2E {day}: 8 man-h, expenses {_money(spend[n - 1])}, 0 task changes"
            )
        if name == "Wed":
            # 10:00 on Wednesday: T-1 was due Tuesday; its owner gets a nudge by DM.
            assert _clock(env, tmp_path, "advance", "1h") == f"{day}T10:00:00+08:00"
            nudge = _wait_post(fake_slack, lambda c: "was due" in str(c.args.get("text")), "nudge")
            assert (
                nudge.args["text"]
                == ":alarm_clock: `T-1` Pour slab was due 2026-11-24 (1 days ago) and is at 0%."
            )
            assert str(nudge.args["channel"]).startswith("D")
            _clock(env, tmp_path, "advance", "7h")
        else:
            _clock(env, tmp_path, "advance", "8h")
        # 17:00: the day's labor and spending, dated by the test clock (nothing says which day).
        assert f"{day} ({name})" in command("/log-labor", "8h")
        assert day in command("/expense", f"{amount} material vendor Acme")

    # 5,500 spent by Wednesday evening: the next tick (the minute's, at Wednesday 17:00, or Thursday's
    # 09:00) saw the 50 % mark, before Thursday's 500 was logged.
    posts = [
        (c.args.get("channel"), str(c.args.get("text"))) for c in fake_slack.calls_to("chat.postMessage")
    ]
    alert = ":money_with_wings: *E2E* has spent ¥5,500.00 of its ¥10,000.00 budget (55%), past the 50% mark."
    in_channel = [text for channel, text in posts if channel == "C1"]
    assert [text for text in in_channel if text != alert] == [
        "Standup E2E 2026-11-23: 0 man-h, expenses ¥0.00, 1 task changes",
        "Standup E2E 2026-11-24: 8 man-h, expenses ¥2,000.00, 0 task changes",
        "Standup E2E 2026-11-25: 8 man-h, expenses ¥1,500.00, 0 task changes",
        "Standup E2E 2026-11-26: 8 man-h, expenses ¥2,000.00, 0 task changes",
        "Standup E2E 2026-11-27: 8 man-h, expenses ¥500.00, 0 task changes",
    ]
    assert in_channel.count(alert) == 1
    assert in_channel.index(alert) in (3, 4)  # after Wednesday's digest, before Friday's
    assert len(posts) == 7  # the six above and the one nudge: each posted once, none delayed
    assert not any("Delayed:" in _text(c) for c in fake_slack.calls_to("chat.postMessage"))
    assert any(
        "Budget burn" in json.dumps(c.args) for c in fake_slack.calls_to("files.completeUploadExternal")
    )

    labor = _export(env, tmp_path, "labor")
    assert [(r["date"], r["user"], r["man_hours"]) for r in labor] == [(d, "U1", "8.000") for d in days]
    expenses = _export(env, tmp_path, "expenses")
    assert [(r["date"], r["amount"]) for r in expenses] == [
        (d, f"{a}.00") for d, a in zip(days, spend, strict=True)
    ]

    proc.terminate()
    output, _ = proc.communicate(timeout=15)
    started = [line for line in output.splitlines() if "test clock on" in line]
    assert len(started) == 1 and started[0].endswith(
        f"test clock on: now is 2026-11-23T08:00:00+08:00, read from FOREMAN_CLOCK_FILE {tmp_path / 'clock'}"
    )


def _export(env: dict[str, str], cwd: Path, kind: str) -> list[dict[str, str]]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "export", kind, "--project", "E2E"],
        env=env,
        cwd=cwd,
        capture_output=True,
        check=True,
    )
    return list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8-sig"))))

"""`foreman tick` from the command line (also two processes at once) and `:tick` in the console."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.cli import main
from bot.console.fake_slack import FakeSlack
from bot.console.repl import Console
from storage.db import make_engine
from tests.conftest import make_settings
from tests.scheduler.sched_support import add_expense, add_member, add_project, add_task

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-26T01:00:00+00:00"  # 09:00 in Shanghai


def _seed(db_url: str) -> list[str]:
    """Three projects, each with a digest and a budget alert due at NOW; their ledger keys."""
    engine = make_engine(db_url)
    codes = []
    with Session(engine, expire_on_commit=False) as s:
        for n in range(3):
            project = add_project(s, code=f"CLI{n}", budget=Decimal("1000"))
            add_expense(s, project, date(2026, 11, 25), "600")
            codes.append(project.code)
    engine.dispose()
    return codes


def _env(db_url: str, fake: FakeSlack) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        SLACK_API_URL=fake.url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="test-secret",
        FOREMAN_SCHEDULER="off",
    )
    return env


def test_two_processes_post_each_item_once(db_url: str, fake_slack: FakeSlack) -> None:
    codes = _seed(db_url)
    command = [sys.executable, "-m", "bot", "tick", "--now", NOW]
    procs = [
        subprocess.Popen(command, cwd=ROOT, env=_env(db_url, fake_slack), stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    lines = [json.loads(line) for out in outputs for line in out.splitlines() if line.strip()]
    keys = sorted((line["project"], line["key"]) for line in lines)
    expected = sorted(
        [(code, "standup:2026-11-26") for code in codes] + [(code, "budget:total:50") for code in codes]
    )
    assert keys == expected
    assert len(fake_slack.calls_to("chat.postMessage")) == 6
    assert {tuple(sorted(line)) for line in lines} == {("channel", "delayed", "key", "kind", "project")}


def test_cli_tick_prints_contract_lines_then_nothing(
    db_url: str, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(db_url)
    for name, value in _env(db_url, fake_slack).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(ROOT)
    assert main(["tick", "--now", NOW]) == 0
    first = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(first) == 6
    assert {
        "project": "CLI0",
        "channel": first[0]["channel"],
        "kind": "standup",
        "key": "standup:2026-11-26",
        "delayed": False,
    } in first
    assert main(["tick", "--now", NOW]) == 0
    assert capsys.readouterr().out == ""


def test_console_tick_shows_every_kind_of_post(sqlite_url: str, fake_slack: FakeSlack) -> None:
    settings = make_settings(sqlite_url, fake_slack)
    lines: list[str] = []
    console = Console(settings, users=["U0PM"], channels=["C0CON"], out=lines.append)
    try:
        with Session(console.services.engine, expire_on_commit=False) as s:
            project = add_project(
                s,
                channel_id="C0CON",
                team_id="T0CONSOLE",
                budget=Decimal("1000"),
                prompts_enabled=True,
                start_date=date(2026, 11, 16),
                created_by="U0PM",
            )
            add_member(s, project, "U0TECH", "tech")
            add_task(
                s,
                project,
                "T-1",
                title="Walls",
                owner_user_id="U0TECH",
                due_date=date(2026, 11, 20),
                progress=20,
                status="in_progress",
                weight=1,
            )
            add_expense(s, project, date(2026, 11, 25), "600")
        for at in (
            "2026-11-26T08:30+08:00",
            "2026-11-26T09:00+08:00",
            "2026-11-26T10:00+08:00",
            "2026-11-27T10:00+08:00",
            "2026-11-30T10:00+08:00",
        ):
            console.handle(f":tick {at}")
    finally:
        console.close()
    text = "\n".join(lines)
    for expected in (
        "Standup for",  # standup_prompt DM
        "Standup —",  # digest
        "past the 50% mark",  # budget_alert
        "Foreman uploads a file to C0CON",  # its chart
        "was due 2026-11-20",  # nudge
        "Joint tech–management meeting",  # meeting_prompt
        "Reminder: the joint meeting",  # meeting_reminder
    ):
        assert expected in text, expected
    assert "(tick at 2026-11-26T09:00:00+08:00: 1 post(s))" in text

"""The `foreman` command: console, start-up errors, db upgrade, parse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def foreman(
    args: list[str], cwd: Path, *, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "FOREMAN_"))}
    clean |= {"FOREMAN_SCHEDULER": "off"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
    )


def test_console_runs_the_two_readme_commands(tmp_path: Path) -> None:
    result = foreman([], tmp_path, stdin="/project create Demo budget 100000 CNY\n/log-labor 8h\n:quit\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Project *Demo* (`DEMO`)" in out and "¥100,000.00" in out
    assert "`L-1` you" in out and "8 h each" in out
    assert (tmp_path / "foreman.db").exists()


def test_console_keeps_data_between_runs_and_answers_help(tmp_path: Path) -> None:
    foreman(["console"], tmp_path, stdin="/project create Demo\n/log-labor 8h\n")
    again = foreman(["console"], tmp_path, stdin=":help\n/log-labor 6h yesterday\n:bogus\n")
    assert ":tick [ISO]" in again.stdout and "unknown console command" in again.stdout
    assert "`L-2` you" in again.stdout


@pytest.mark.parametrize(
    ("args", "env", "needle"),
    [
        (["serve"], {}, "SLACK_BOT_TOKEN"),
        (["socket"], {}, "SLACK_APP_TOKEN"),
        (["tick"], {}, "SLACK_BOT_TOKEN"),
        ([], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ([], {"DATABASE_URL": "oracle://x"}, "DATABASE_URL"),
        (["db", "upgrade"], {"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}, "DATABASE_URL"),
    ],
)
def test_bad_configuration_is_one_line_without_traceback(
    tmp_path: Path, args: list[str], env: dict[str, str], needle: str
) -> None:
    result = foreman(args, tmp_path, env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in result.stderr


def test_db_upgrade_twice(tmp_path: Path) -> None:
    assert foreman(["db", "upgrade"], tmp_path).returncode == 0
    second = foreman(["db", "upgrade"], tmp_path)
    assert second.returncode == 0 and "up to date" in second.stdout


def test_parse_prints_contract_json_and_writes_nothing(tmp_path: Path) -> None:
    result = foreman(
        [
            "parse",
            "--command",
            "/log-labor",
            "--now",
            "2026-11-26T10:00:00+08:00",
            "--tz",
            "Asia/Shanghai",
            "钢筋班 5人 8小时 昨天",
        ],
        tmp_path,
    )
    data = json.loads(result.stdout)
    assert data["intent"] == "labor" and data["date"] == "2026-11-25"
    assert data["labor"]["crew"] == "钢筋班" and data["labor"]["man_hours"] == 40.0
    assert not (tmp_path / "foreman.db").exists()


def test_console_shows_what_the_scheduler_posted_while_it_waited(sqlite_url: str) -> None:
    from datetime import UTC, datetime

    from bot.console.fake_slack import FakeSlack
    from bot.console.repl import Console
    from bot.scheduler.tick import tick
    from tests.conftest import FAKE_SLACK_POLL, make_settings

    lines: list[str] = []
    with FakeSlack(poll_interval=FAKE_SLACK_POLL) as fake:
        console = Console(
            make_settings(sqlite_url, fake), users=["U0PM"], channels=["C0DEMO"], out=lines.append
        )
        try:
            console.services.clock = lambda: datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
            console.handle("/project create Demo budget 1000 tz Asia/Shanghai standup 09:00")
            # what the in-process APScheduler job does at 09:00 Shanghai on Thursday
            tick(console.services, datetime(2026, 11, 26, 1, 0, tzinfo=UTC))
            lines.clear()
            console.handle("/log-labor 8h")
        finally:
            console.close()
    text = "\n".join(lines)
    assert (
        text.index("meanwhile, the scheduler") < text.index("Standup — Demo") < text.index("Logged in DEMO")
    )


def test_console_reply_answers_the_meeting_prompt_in_its_thread(sqlite_url: str) -> None:
    from datetime import UTC, datetime

    from sqlmodel import Session, select

    from bot.console.fake_slack import FakeSlack
    from bot.console.repl import Console
    from storage.models import Meeting
    from tests.conftest import FAKE_SLACK_POLL, make_settings

    lines: list[str] = []
    with FakeSlack(poll_interval=FAKE_SLACK_POLL) as fake:
        console = Console(
            make_settings(sqlite_url, fake), users=["U0PM"], channels=["C0DEMO"], out=lines.append
        )
        try:
            console.services.clock = lambda: datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
            for line in (
                "/project create Demo budget 1000 tz Asia/Shanghai",
                "/project role <@U0TECH> tech",
                "/project set meeting every 1 weeks Thu 10:00",
                ":tick 2026-12-01T10:00+08:00",
                ":user U0TECH",
                ":reply Crane foundation needs a geotech review",
            ):
                console.handle(line)
            with Session(console.services.engine) as s:
                [meeting] = s.exec(select(Meeting)).all()
        finally:
            console.close()
    assert meeting.tech_assessment == "Crane foundation needs a geotech review"
    assert meeting.tech_user_id == "U0TECH" and meeting.pm_update is None
    assert "Recorded as the technical risk assessment" in "\n".join(lines)

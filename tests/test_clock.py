"""The test clock (FOREMAN_CLOCK_FILE): `foreman clock`, the one clock every part reads, /healthz, `:now`."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.app import build_app, build_services
from bot.cli import main
from bot.clock import Clock, ClockError, write_instant
from bot.console.fake_slack import FakeSlack
from bot.console.repl import Console
from bot.wsgi import ForemanWSGI
from storage.models import Expense, LaborEntry, Project
from storage.types import utcnow
from tests.conftest import make_settings


@pytest.fixture
def clock_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> Path:
    """A working directory without .env, a database, and FOREMAN_CLOCK_FILE pointing at ./clock."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "clock"
    monkeypatch.setenv("FOREMAN_CLOCK_FILE", str(path))
    return path


def test_clock_set_show_advance(clock_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clock", "set", "2026-11-23T09:00+08:00"]) == 0
    assert capsys.readouterr().out == "2026-11-23T09:00:00+08:00\n"
    assert clock_env.read_text().strip() == "2026-11-23T09:00:00+08:00"

    assert main(["clock", "advance", "1d"]) == 0
    assert main(["clock", "advance", "3h"]) == 0
    assert main(["clock", "advance", "45m"]) == 0
    assert capsys.readouterr().out.split() == [
        "2026-11-24T09:00:00+08:00",
        "2026-11-24T12:00:00+08:00",
        "2026-11-24T12:45:00+08:00",
    ]
    assert main(["clock", "show"]) == 0
    assert capsys.readouterr().out == "2026-11-24T12:45:00+08:00\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["clock", "advance", "0d"], "advance by <N>m, <N>h or <N>d (N ≥ 1), not '0d'"),
        (["clock", "advance", "2w"], "advance by <N>m, <N>h or <N>d (N ≥ 1), not '2w'"),
        (["clock", "advance", "1.5d"], "advance by <N>m, <N>h or <N>d (N ≥ 1), not '1.5d'"),
        (["clock", "set", "next monday"], "not an ISO-8601 instant: 'next monday'"),
    ],
)
def test_clock_bad_input_changes_nothing(
    clock_env: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    write_instant(clock_env, datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    assert main(argv) == 2
    assert capsys.readouterr().err == f"foreman clock: {message}\n"
    assert clock_env.read_text().strip() == "2026-11-23T01:00:00+00:00"


def test_clock_advance_or_show_before_set(clock_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["clock", "show"], ["clock", "advance", "1d"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "does not exist yet" in err and "foreman clock set" in err
    assert not clock_env.exists()


def test_clock_refused_without_clock_file(
    clock_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FOREMAN_CLOCK_FILE")
    for argv in (["clock", "show"], ["clock", "set", "2026-11-23T09:00Z"], ["clock", "advance", "1d"]):
        assert main(argv) == 2
        out = capsys.readouterr()
        assert out.out == ""
        assert out.err == (
            "foreman clock: FOREMAN_CLOCK_FILE is not set; set it to a file path to use a test clock\n"
        )
    assert not clock_env.exists()


def test_clock_file_stands_still_and_follows_changes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "clock"
    clock = Clock(path)
    with pytest.raises(ClockError, match="does not exist yet"):
        clock()
    write_instant(path, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    assert clock() == clock() == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    # Written again at once (within the filesystem's timestamp resolution): the change is still seen.
    write_instant(path, datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    assert clock() == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    path.write_text("soon\n")
    with caplog.at_level(logging.WARNING):
        assert clock() == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert "the clock stays at 2026-11-24T09:00:00+00:00" in caplog.text
    assert Clock(None)().tzinfo is UTC and not Clock(None).is_test


def test_tick_start_up_warns_once_and_refuses_a_missing_clock_file(
    clock_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    fake_slack: FakeSlack,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "test-secret")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    assert main(["tick"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("foreman: configuration error: FOREMAN_CLOCK_FILE: ") and err.count("\n") == 1

    write_instant(clock_env, datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    with caplog.at_level(logging.WARNING):
        assert main(["tick"]) == 0
    warnings = [r.getMessage() for r in caplog.records if "test clock" in r.getMessage()]
    assert warnings == [
        f"test clock on: now is 2026-11-23T01:00:00+00:00, read from FOREMAN_CLOCK_FILE {clock_env}"
    ]


def test_parse_reads_the_test_clock(clock_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_instant(clock_env, datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    assert main(["parse", "--command", "/log-labor", "8h", "yesterday"]) == 0
    assert json.loads(capsys.readouterr().out)["date"] == "2026-03-09"


def _health(settings_clock: str | None, db_url: str, fake: FakeSlack) -> dict[str, str]:
    settings = make_settings(db_url, fake, foreman_clock_file=settings_clock)
    app = build_app(settings, services=build_services(settings))
    captured: dict[str, str] = {}
    body = ForemanWSGI(app)(
        {"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"},
        lambda status, headers: captured.setdefault("status", status),
    )
    assert captured["status"] == "200 OK"
    result: dict[str, str] = json.loads(b"".join(body))
    return result


def test_healthz_names_the_clock(sqlite_url: str, fake_slack: FakeSlack, tmp_path: Path) -> None:
    path = tmp_path / "clock"
    write_instant(path, datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    assert _health(str(path), sqlite_url, fake_slack) == {"status": "ok", "db": "ok", "clock": "test"}
    assert _health(None, sqlite_url, fake_slack) == {"status": "ok", "db": "ok", "clock": "wall"}


def test_services_and_stored_timestamps_follow_the_clock_file(
    sqlite_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    path = tmp_path / "clock"
    write_instant(path, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    services = build_services(make_settings(sqlite_url, fake_slack, foreman_clock_file=str(path)))
    assert services.clock() == utcnow() == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    write_instant(path, datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    assert services.clock() == utcnow() == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    services.engine.dispose()


def _console(sqlite_url: str, fake: FakeSlack, lines: list[str], **extra: object) -> Console:
    return Console(
        make_settings(sqlite_url, fake, **extra), users=["U0PM"], channels=["C0CON"], out=lines.append
    )


def test_console_now_dates_records_replies_and_ticks(sqlite_url: str, fake_slack: FakeSlack) -> None:
    lines: list[str] = []
    console = _console(sqlite_url, fake_slack, lines)
    try:
        console.handle(":now 2026-11-23T10:00+08:00")
        assert lines[-1].startswith("(now is Mon 2026-11-23T10:00:00+08:00")
        console.handle("/project create Demo code DEMO budget 1000 CNY tz Asia/Shanghai")
        console.handle("/log-labor 8h")
        assert any("2026-11-23 (Mon)" in line for line in lines)
        console.handle("/expense 600 material vendor Acme")
        lines.clear()
        console.handle(":now 2026-11-24T09:00+08:00")
        console.handle("/log-labor 6h yesterday")
        assert any("2026-11-23 (Mon)" in line for line in lines)
        lines.clear()
        console.handle(":tick")
        text = "\n".join(lines)
        assert "Standup — Demo (`DEMO`), 2026-11-24 (Tue)" in text
        assert "Covering 2026-11-23 (Mon)" in text and "past the 50% mark" in text
        assert "(tick at 2026-11-24T01:00:00+00:00: 2 post(s))" in text
        console.handle(":tick")
        assert lines[-1] == "(tick at 2026-11-24T01:00:00+00:00: 0 post(s))"
        with Session(console.services.engine) as s:
            project = s.exec(select(Project)).one()
            entries = s.exec(select(LaborEntry).order_by(LaborEntry.id)).all()  # type: ignore[arg-type]
            expense = s.exec(select(Expense)).one()
        assert project.created_at == datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
        assert [(e.work_date, e.created_at) for e in entries] == [
            (date(2026, 11, 23), datetime(2026, 11, 23, 2, 0, tzinfo=UTC)),
            (date(2026, 11, 23), datetime(2026, 11, 24, 1, 0, tzinfo=UTC)),
        ]
        assert expense.spent_on == date(2026, 11, 23)
        console.handle(":now off")
        assert lines[-1].startswith("(back on the wall clock")
        assert abs((console.services.clock() - datetime.now(UTC)).total_seconds()) < 60
        assert not console.clock.is_test
    finally:
        console.close()


def test_console_now_moves_the_shared_clock_file(
    sqlite_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    path = tmp_path / "clock"
    write_instant(path, datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    lines: list[str] = []
    console = _console(sqlite_url, fake_slack, lines, foreman_clock_file=str(path))
    try:
        assert console.services.clock() == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
        console.handle(":now 2026-11-30T09:30+08:00")
        assert path.read_text().strip() == "2026-11-30T09:30:00+08:00"
        assert console.services.clock() == datetime(2026, 11, 30, 1, 30, tzinfo=UTC)
        console.handle(":now off")
        assert "FOREMAN_CLOCK_FILE" in lines[-1] and console.clock.is_test
        console.handle(":now tomorrow")
        assert lines[-1].startswith("(give an ISO-8601 instant")
        assert path.read_text().strip() == "2026-11-30T09:30:00+08:00"
    finally:
        console.close()


def test_clock_file_setting_is_checked_at_start_up(tmp_path: Path) -> None:
    from bot.config import SettingsError, load_settings

    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None, foreman_clock_file=str(tmp_path))
    assert str(caught.value) == (
        "FOREMAN_CLOCK_FILE: must name a file holding one ISO-8601 instant, not a directory"
    )
    assert load_settings(_env_file=None, foreman_clock_file="  ").foreman_clock_file is None

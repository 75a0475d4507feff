"""Console additions: :dm delivers a real DM (a standup answer is stored), @name mentions named console
users, uploaded files are written under ./foreman-files/, and :reply answers the last channel thread."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.console.fake_slack import FakeSlack
from bot.console.repl import Console
from storage.models import AuditLog, LaborEntry, Meeting, Member
from tests.conftest import FAKE_SLACK_POLL, make_settings

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # Wed 20:00 Shanghai


@pytest.fixture
def console(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Console, list[str]]]:
    monkeypatch.chdir(tmp_path)
    lines: list[str] = []
    with FakeSlack(poll_interval=FAKE_SLACK_POLL) as fake:
        c = Console(make_settings(sqlite_url, fake), users=["U0PM"], channels=["C0DEMO"], out=lines.append)
        c.services.clock = lambda: NOW
        try:
            yield c, lines
        finally:
            c.close()


def test_dm_delivers_a_standup_answer(console: tuple[Console, list[str]]) -> None:
    c, lines = console
    for line in (
        "/project create Demo budget 1000 tz Asia/Shanghai",
        "/project set prompts on",
        "/project role <@U0ANA> member",
        ":tick 2026-11-26T08:30+08:00",
        ":user U0ANA",
    ):
        c.handle(line)
    assert any("Standup for *Demo*" in x for x in lines)
    lines.clear()
    c.services.clock = lambda: datetime(2026, 11, 26, 0, 40, tzinfo=UTC)
    c.handle(":dm yesterday: 8h, blockers: none")
    text = "\n".join(lines)
    assert "HTTP 404" not in text and "Foreman posts to D0ANA" in text
    with Session(c.services.engine) as s:
        [answer] = s.exec(select(AuditLog).where(AuditLog.action == "standup_answer")).all()
        [entry] = s.exec(select(LaborEntry)).all()
    assert answer.actor == "U0ANA" and "blockers: none" in (answer.after or "")
    assert (entry.user_id, str(entry.work_date)) == ("U0ANA", "2026-11-25")


def test_at_name_mentions_a_named_console_user(console: tuple[Console, list[str]]) -> None:
    c, lines = console
    c.handle("/project create Demo budget 1000 tz Asia/Shanghai")
    c.handle(":user U2 ana")
    assert lines[-1] == "(you are now U2, @ana)"
    c.handle(":user U0PM")
    lines.clear()
    c.handle("/project role @ana foreman")
    assert "couldn't read" not in "\n".join(lines)
    with Session(c.services.engine) as s:
        roles = {m.user_id: m.role for m in s.exec(select(Member)).all()}
    assert roles["U2"] == "foreman"
    # In a channel message too: the pm logs ana's hours by mention.
    c.handle("@ana 6h")
    with Session(c.services.engine) as s:
        [entry] = s.exec(select(LaborEntry)).all()
    assert entry.user_id == "U2" and entry.man_hours == 6
    # An unknown name stays as typed, and Foreman's refusal names it.
    lines.clear()
    c.handle("/project role @bob foreman")
    assert "@bob" in "\n".join(lines)


def test_uploaded_files_are_written_under_foreman_files(
    console: tuple[Console, list[str]], tmp_path: Path
) -> None:
    c, lines = console
    c.handle("/project create Demo budget 1000 tz Asia/Shanghai")
    c.handle("/log-labor 8h yesterday")
    lines.clear()
    c.handle("/report export labor csv")
    c.handle("/report export labor csv")
    saved = [x.split("saved: ", 1)[1] for x in lines if "saved: " in x]
    assert len(saved) == 2 and saved[0] != saved[1]
    for name in saved:
        path = tmp_path / name
        assert path.parent == tmp_path / "foreman-files"
        assert path.read_text(encoding="utf-8-sig").startswith("id,project,date,user")
    lines.clear()
    c.handle("/report chart burn")
    [chart] = [x.split("saved: ", 1)[1] for x in lines if "saved: " in x]
    assert chart.endswith(".png") and (tmp_path / chart).read_bytes().startswith(b"\x89PNG")


def test_reply_targets_the_last_channel_thread_not_a_dm(console: tuple[Console, list[str]]) -> None:
    c, lines = console
    for line in (
        "/project create Demo budget 1000 tz Asia/Shanghai",
        "/project role <@U0TECH> tech",
        "/project set prompts on",
        "/project set meeting every 1 weeks Thu 10:00",
        ":tick 2026-12-01T10:00+08:00",  # the meeting prompt in the channel
        ":tick 2026-12-02T08:30+08:00",  # then a standup prompt DM to the tech
        ":user U0TECH",
        ":reply Crane foundation needs a geotech review",
    ):
        c.handle(line)
    text = "\n".join(lines)
    # The standup prompt DM came after the meeting prompt; :reply still answers the channel thread.
    assert text.index("Joint tech") < text.index("Foreman posts to D0TECH")
    assert "HTTP 404" not in text
    with Session(c.services.engine) as s:
        [meeting] = s.exec(select(Meeting)).all()
    assert meeting.tech_assessment == "Crane foundation needs a geotech review"

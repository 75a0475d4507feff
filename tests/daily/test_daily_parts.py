"""The /daily grammar and channel prefixes (tables, both languages), the log time setting, the Edit form
before and after confirmation, App Home's last 7 days, refusals, and `foreman export daily`."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import Session, select

from bot.cli import main
from bot.parsing.daily_command import DailySyntaxError, channel_section, parse_daily, parse_daily_report
from bot.scheduler import posting
from bot.scheduler.tick import tick
from storage.models import DailyEntry, DailyLog, Project
from tests.harness import SlackHarness

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thu 10:00 Shanghai
TZ = "Asia/Shanghai"
THU = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _no_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(posting, "CHANNEL_INTERVAL", 0.0)


@pytest.mark.parametrize(
    ("text", "action", "day", "section", "body"),
    [
        ("", "show", THU, None, ""),
        ("昨天", "show", THU - timedelta(days=1), None, ""),
        ("2026-11-24", "show", date(2026, 11, 24), None, ""),
        ("weather sunny 5-12C", "add", THU, "weather", "sunny 5-12C"),
        ("天气 晴 5~12℃ 北风3级", "add", THU, "weather", "晴 5~12℃ 北风3级"),
        ("天气晴", "add", THU, "weather", "晴"),
        ("safety 检查脚手架 yesterday", "add", THU - timedelta(days=1), "safety", "检查脚手架"),
        ("安全 昨天 基坑防护", "add", THU - timedelta(days=1), "safety", "基坑防护"),
        ("quality honeycomb at C3", "add", THU, "quality", "honeycomb at C3"),
        ("来访 监理巡查 11/24", "add", date(2026, 11, 24), "visit", "监理巡查"),
        ("进场 钢筋20吨", "add", THU, "delivery", "钢筋20吨"),
        ("note rain expected tomorrow", "add", THU, "note", "rain expected tomorrow"),
        ("备注 明天混凝土进场", "add", THU, "note", "明天混凝土进场"),
        ("delivery 钢筋 明天", "add", THU, "delivery", "钢筋 明天"),
        ("confirm", "confirm", THU, None, ""),
        ("确认 昨天", "confirm", THU - timedelta(days=1), None, ""),
        ("edit 11/25", "edit", date(2026, 11, 25), None, ""),
    ],
)
def test_daily_grammar(text: str, action: str, day: date, section: str | None, body: str) -> None:
    cmd = parse_daily(text, now=NOW, tz=TZ)
    assert (cmd.action, cmd.day, cmd.section, cmd.text) == (action, day, section, body)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("note", "daily.empty"),
        ("安全", "daily.empty"),
        ("confirm tomorrow", "daily.future"),
        ("明天", "daily.future"),
        ("confirm someday soon", "daily.bad_date"),
        ("hello there", "daily.bad_command"),
    ],
)
def test_daily_grammar_refusals(text: str, key: str) -> None:
    with pytest.raises(DailySyntaxError) as exc:
        parse_daily(text, now=NOW, tz=TZ)
    assert exc.value.key == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("晴 5~12℃", ("weather", "晴 5~12℃")),
        ("晴转多云，北风3级", ("weather", "晴转多云，北风3级")),
        ("小雨，下午停工", ("weather", "小雨，下午停工")),
        ("Sunny, 12C", ("weather", "Sunny, 12C")),
        ("rain from 2pm, pour stopped", ("weather", "rain from 2pm, pour stopped")),
        ("天气：阴", ("weather", "阴")),
        ("雨棚搭设完成", None),  # 雨 starts a word here, not the weather
        ("安全：基坑边防护缺失", ("safety", "基坑边防护缺失")),
        ("安全帽未佩戴2人", ("safety", "安全帽未佩戴2人")),
        ("safety: harness missing on L5", ("safety", "harness missing on L5")),
        ("质量 钢筋保护层不足", ("quality", "钢筋保护层不足")),
        ("quality - honeycomb at C3", ("quality", "honeycomb at C3")),
        ("safety", None),
        ("三层浇筑70%", None),
        ("good morning", None),
    ],
)
def test_channel_prefixes(text: str, expected: tuple[str, str] | None) -> None:
    assert channel_section(text) == expected


def test_report_daily_period_and_format() -> None:
    req = parse_daily_report("daily 11/20..11/26 xlsx", now=NOW, tz=TZ)
    assert (req.first, req.last, req.fmt) == (date(2026, 11, 20), THU, "xlsx")
    req = parse_daily_report("日志", now=NOW, tz=TZ)
    assert (req.first, req.last, req.fmt) == (THU, THU, "pdf")
    with pytest.raises(DailySyntaxError):
        parse_daily_report("daily 2026-01-01..2026-11-26", now=NOW, tz=TZ)


def _project(slack: SlackHarness) -> None:
    slack.services.clock = lambda: NOW
    slack.create_project("Tower B code TWB tz Asia/Shanghai")
    slack.command("/project", "role <@U0TECH> tech")


def test_log_time_setting_and_workdays(slack: SlackHarness) -> None:
    _project(slack)
    reply = slack.command("/project", "set log 17:30")
    assert "17:30" in reply.text
    assert (
        "daily" in slack.command("/project", "set log 25:00").text.lower()
        or "log" in slack.command("/project", "set log 25:00").text
    )
    slack.command("/daily", "weather sunny")
    at_1730 = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    assert tick(slack.services, at_1730 - timedelta(minutes=1)) == []
    assert [p.key for p in tick(slack.services, at_1730)] == ["daily_log:2026-11-26"]
    saturday = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    assert tick(slack.services, saturday) == []  # Mon–Fri project: no log on Saturday
    slack.command("/project", "set log off")
    friday = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    assert tick(slack.services, friday) == []


def test_edit_form_replaces_before_and_adds_after_confirmation(slack: SlackHarness) -> None:
    _project(slack)
    slack.command("/daily", "safety 脚手架检查", user="U0MEM")
    slack.command("/daily", "edit", user="U0MEM")
    (opened,) = slack.fake.calls_to("views.open")
    view = opened.args["view"]
    safety = [b for b in view["blocks"] if b.get("block_id") == "daily_safety"][0]
    assert safety["element"]["initial_value"] == "脚手架检查"

    def submit(user: str, safety_text: str, weather: str) -> None:
        values = {
            "daily_safety": {"value": {"type": "plain_text_input", "value": safety_text}},
            "daily_weather": {"value": {"type": "plain_text_input", "value": weather}},
        }
        slack.submit("daily_edit_form", values, user=user, private_metadata=view["private_metadata"])

    submit("U0MEM", "脚手架检查，已整改", "阴 3~9℃")
    with Session(slack.services.engine) as s:
        live = s.exec(select(DailyEntry).where(DailyEntry.void == False)).all()  # noqa: E712
        assert sorted((e.section, e.text) for e in live) == [
            ("safety", "脚手架检查，已整改"),
            ("weather", "阴 3~9℃"),
        ]
    assert "tech" in slack.command("/daily", "confirm", user="U0MEM").text  # a member is refused
    assert "<@U0TECH>" in slack.command("/daily", "确认", user="U0TECH").text
    again = slack.command("/daily", "确认", user="U0PM").text
    assert "确认过了" in again and "<@U0TECH>" in again
    submit("U0MEM", "脚手架检查，已整改\n临边防护补装", "阴 3~9℃")
    shown = json.dumps(slack.command("/daily", "今天").json["blocks"], ensure_ascii=False)
    addendum = shown[shown.index("补记") :]
    assert "临边防护补装" in addendum and "脚手架检查，已整改" not in addendum


def test_channel_edits_and_deletes_follow_the_message(slack: SlackHarness) -> None:
    _project(slack)
    slack.message("晴 5~12℃", ts="1764122400.000100")
    slack.message("晴 5~12℃", ts="1764122400.000100")  # the same message delivered twice
    slack.dispatch(
        slack.payloads.message_changed("阴 3~8℃", user="U0PM", channel="C0PROJ", ts="1764122400.000100")
    )
    with Session(slack.services.engine) as s:
        live = s.exec(select(DailyEntry).where(DailyEntry.void == False)).all()  # noqa: E712
        assert [(e.section, e.text) for e in live] == [("weather", "阴 3~8℃")]
    slack.dispatch(slack.payloads.message_deleted(user="U0PM", channel="C0PROJ", ts="1764122400.000100"))
    with Session(slack.services.engine) as s:
        assert s.exec(select(DailyEntry).where(DailyEntry.void == False)).all() == []  # noqa: E712


def test_home_shows_the_last_seven_days(slack: SlackHarness) -> None:
    _project(slack)
    slack.command("/daily", "weather sunny")
    tick(slack.services, datetime(2026, 11, 25, 10, 0, tzinfo=UTC))  # Wed 18:00
    tick(slack.services, datetime(2026, 11, 26, 10, 0, tzinfo=UTC))  # Thu 18:00
    slack.command("/daily", "confirm yesterday", user="U0TECH")
    slack.services.clock = lambda: datetime(2026, 11, 26, 11, 0, tzinfo=UTC)
    slack.dispatch(slack.payloads.app_home_opened(user="U0PM"))
    (published,) = slack.fake.wait_for("views.publish")
    text = json.dumps(published.args["view"]["blocks"], ensure_ascii=False)
    assert "Daily logs (last 7 days)" in text and "`TWB` 11-26 Draft, 11-25 Confirmed" in text


def test_cli_export_daily(slack: SlackHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(slack)
    slack.command("/daily", "weather sunny 5-12C")
    slack.command("/daily", "visit 监理巡查")
    monkeypatch.setenv("DATABASE_URL", slack.services.settings.database_url)
    monkeypatch.setenv("FOREMAN_SCHEDULER", "off")
    out = tmp_path / "daily.pdf"
    assert (
        main(
            [
                "export",
                "daily",
                "--from",
                "2026-11-26",
                "--to",
                "2026-11-26",
                "--format",
                "pdf",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    text = PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    assert "sunny 5-12C" in text and "监理巡查" in text and "Daily construction log" in text
    xlsx = tmp_path / "daily.xlsx"
    assert (
        main(
            [
                "export",
                "daily",
                "--from",
                "2026-11-20",
                "--to",
                "2026-11-26",
                "--format",
                "xlsx",
                "-o",
                str(xlsx),
            ]
        )
        == 0
    )
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0].date() == THU and "sunny 5-12C" in rows[1][3]
    assert main(["export", "daily", "--from", "2026-11-01", "--to", "2026-11-02", "-o", str(xlsx)]) == 2
    with Session(slack.services.engine) as s:
        assert s.exec(select(DailyLog)).all() == []  # exporting changes nothing


def test_buttons_act_on_the_log_of_the_channels_own_project(slack: SlackHarness) -> None:
    _project(slack)
    slack.create_project("Tower C code TWC tz Asia/Shanghai", channel="C0OTHER")
    slack.command("/daily", "weather sunny")
    slack.fake.reset()
    tick(slack.services, datetime(2026, 11, 26, 10, 0, tzinfo=UTC))
    (post,) = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == "C0PROJ"]
    value = [b for b in post.args["blocks"] if b["type"] == "actions"][0]["elements"][0]["value"]
    with Session(slack.services.engine) as s:
        other = s.exec(select(Project).where(Project.code == "TWC")).one()
    forged = f"{other.pk}|2026-11-26"  # Tower C's log, pressed in Tower B's channel
    slack.fake.reset()
    slack.action("daily_confirm", forged, user="U0TECH", message_ts=post.response["ts"])
    (refused,) = slack.fake.calls_to("chat.postEphemeral")
    assert "no longer exists" in refused.args["text"] and refused.args["user"] == "U0TECH"
    assert slack.fake.calls_to("chat.update") == []
    with Session(slack.services.engine) as s:
        assert {log.status for log in s.exec(select(DailyLog)).all()} == {"draft"}
    # Edit opens the form for this project's log, bound to its channel.
    slack.action("daily_edit", value, user="U0MEM", message_ts=post.response["ts"])
    (opened,) = slack.fake.calls_to("views.open")
    meta = json.loads(opened.args["view"]["private_metadata"])
    assert (meta["value"], meta["c"]) == (value, "C0PROJ")

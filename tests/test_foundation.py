"""The first slice: signed requests become rows and replies; settings; migrations; the manifest."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from sqlmodel import Session, select

from bot.config import SettingsError, load_settings
from storage.db import make_engine, upgrade
from storage.models import LaborEntry, Member, Project
from tests.harness import SlackHarness

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Shanghai


def rows(slack: SlackHarness, model: type) -> list:
    with Session(slack.services.engine) as s:
        return list(s.exec(select(model)).all())


def test_project_create_binds_channel_and_makes_creator_pm(slack: SlackHarness) -> None:
    slack.services.clock = lambda: NOW
    reply = slack.command(
        "/project", "create Tower A code TWA budget 1,200,000 CNY tz Asia/Shanghai standup 08:30"
    )
    assert reply.status == 200
    assert not reply.ephemeral
    assert "Tower A" in reply.text and "`TWA`" in reply.text and "¥1,200,000.00" in reply.text
    [project] = rows(slack, Project)
    assert (project.team_id, project.channel_id, project.code) == ("T0TEAMA", "C0PROJ", "TWA")
    assert project.budget == Decimal("1200000.00")
    assert project.timezone == "Asia/Shanghai" and project.standup_time == "08:30"
    [member] = rows(slack, Member)
    assert (member.user_id, member.role) == ("U0PM", "pm")


def test_second_project_in_channel_is_refused(slack: SlackHarness) -> None:
    slack.create_project()
    reply = slack.command("/project", "create Other")
    assert reply.ephemeral and "already has a project" in reply.text
    assert len(rows(slack, Project)) == 1


def test_log_labor_self_today_and_yesterday(slack: SlackHarness) -> None:
    slack.services.clock = lambda: NOW
    slack.create_project()
    first = slack.command("/log-labor", "8h")
    second = slack.command("/log-labor", "8h yesterday")
    entries = sorted(rows(slack, LaborEntry), key=lambda e: e.id)
    assert [(e.user_id, e.work_date, e.man_hours) for e in entries] == [
        ("U0PM", date(2026, 11, 26), Decimal("8.000")),
        ("U0PM", date(2026, 11, 25), Decimal("8.000")),
    ]
    assert f"L-{entries[0].id}" in first.text and "2026-11-26" in first.text and "8 h" in first.text
    assert f"L-{entries[1].id}" in second.text and "2026-11-25" in second.text
    assert "rate missing" in first.text


def test_chinese_reply_for_chinese_text(slack: SlackHarness) -> None:
    slack.services.clock = lambda: NOW
    slack.create_project()
    reply = slack.command("/log-labor", "8小时 昨天")
    assert "已记入" in reply.text and "2026-11-25" in reply.text and "缺少单价" in reply.text


def test_log_labor_without_project_explains_how_to_create_one(slack: SlackHarness) -> None:
    reply = slack.command("/log-labor", "8h", channel="C0NOPROJ")
    assert reply.ephemeral and "/project create" in reply.text
    assert rows(slack, LaborEntry) == []


def test_unparseable_labor_gets_usage_and_stores_nothing(slack: SlackHarness) -> None:
    slack.create_project()
    reply = slack.command("/log-labor", "lots of work")
    assert reply.ephemeral and "/log-labor 8h" in reply.text
    assert rows(slack, LaborEntry) == []


def test_bad_signature_is_rejected_and_stores_nothing(slack: SlackHarness) -> None:
    slack.create_project()
    body = slack.payloads.command_body("/log-labor", "8h", user="U0PM", channel="C0PROJ")
    request = slack.payloads.request(body)
    request.headers["x-slack-signature"] = ["v0=" + "0" * 64]
    assert slack.app.dispatch(request).status == 401
    stale = slack.payloads.request(body, timestamp=int(time.time()) - 600)
    assert slack.app.dispatch(stale).status == 401
    assert rows(slack, LaborEntry) == []


def test_same_command_delivered_twice_is_stored_once(slack: SlackHarness) -> None:
    slack.create_project()
    body = slack.payloads.command_body("/log-labor", "8h", user="U0PM", channel="C0PROJ")
    first = slack.dispatch(body)
    again = slack.dispatch(body, retry_num=1)
    assert first.status == again.status == 200
    assert len(rows(slack, LaborEntry)) == 1
    assert "twice" in again.text


def test_tenants_are_isolated(slack: SlackHarness) -> None:
    slack.create_project()
    other = slack.as_team("T0TEAMB")
    reply = other.command("/log-labor", "8h")
    assert "/project create" in reply.text
    assert rows(slack, LaborEntry) == []


def test_db_upgrade_is_idempotent(db_url: str) -> None:
    upgrade(db_url)
    upgrade(db_url)
    engine = make_engine(db_url)
    with Session(engine) as s:
        assert s.exec(select(Project)).all() == []
    engine.dispose()


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_CLIENT_ID": "1"}, "SLACK_CLIENT_SECRET"),
        ({"SLACK_APP_TOKEN": "xoxb-wrong", "SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"FOREMAN_SCHEDULER": "sometimes"}, "FOREMAN_SCHEDULER"),
        ({"SLACK_API_URL": "https://slack.com/api"}, "SLACK_API_URL"),
    ],
)
def test_bad_settings_fail_with_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], needle: str
) -> None:
    monkeypatch.chdir(tmp_path)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    message = str(info.value)
    assert needle in message and "\n" not in message


def test_mode_follows_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings().mode == "console"
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    assert load_settings().mode == "http"
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    assert load_settings().mode == "socket"


def test_manifest_names_every_command_and_event() -> None:
    manifest = yaml.safe_load((Path(__file__).parents[1] / "app_manifest.yml").read_text(encoding="utf-8"))
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {
        "/log-labor",
        "/expense",
        "/funds",
        "/task",
        "/risk",
        "/project",
        "/report",
        "/ooo",
        "/daily",
    }
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"message.channels", "app_home_opened"} <= events
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "files:write", "users:read", "im:write", "channels:history"} <= scopes
    # Photos shared in the channel arrive as file_share messages (message.channels/groups) and are
    # downloaded for the daily log's PDF with the bot token: files:read.
    assert "files:read" in scopes


def test_manifest_scopes_match_the_oauth_install_scopes() -> None:
    from bot.app import BOT_SCOPES

    manifest = yaml.safe_load((Path(__file__).parents[1] / "app_manifest.yml").read_text(encoding="utf-8"))
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)


def test_outside_hosts_are_unreachable_from_tests() -> None:
    import socket

    with pytest.raises(OSError, match="may not contact"):
        socket.getaddrinfo("slack.com", 443)

"""Timesheet approval (message and Home modal) and the App Home tab."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import Session, select

from storage.models import AuditLog, LaborEntry, WeekApproval
from tests.harness import SlackHarness
from tests.reports.seed import NOW, project_of, seed_labor

MONDAY_AFTER = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # the week of 2026-11-23 is over


def rows(slack: SlackHarness, model: type) -> list:
    with Session(slack.services.engine) as s:
        return list(s.exec(select(model)).all())


def approve_button(blocks: list[dict]) -> dict:
    return next(
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "rep_approve_week"
    )


def test_pm_approves_week_once_and_entries_lock(slack: SlackHarness) -> None:
    seed_labor(slack)
    pid = project_of(slack).pk
    sheet = slack.command("/report", "timesheet 11/24")
    text = json.dumps(sheet.json["blocks"], ensure_ascii=False)
    assert "Timesheet — TWA, week of 2026-11-23" in text
    assert "*张三* — 16 man-h (2 man-days), cost ¥600.00" in text
    assert "*钢筋班* — 40 man-h (5 man-days), 10 h overtime, cost ¥2,200.00" in text
    assert "*<@U0PM>* — 8 man-h (1 man-days), cost ¥0.00 (1 rate missing)" in text
    assert "*Total:* entries: 4 · 64 man-h · 8 man-days · cost ¥2,800.00" in text
    button = approve_button(sheet.json["blocks"])
    assert button["value"] == f"{pid}:2026-11-23"

    slack.services.clock = lambda: MONDAY_AFTER
    slack.action("rep_approve_week", button["value"], user="U0PM")
    slack.action("rep_approve_week", button["value"], user="U0PM")  # double click
    slack.services.clock = lambda: NOW
    first, second = slack.fake.calls_to("response_url")
    assert first.args["replace_original"] is True
    assert "approved by <@U0PM> (entries locked: 4)" in first.args["text"]
    assert "was already approved by <@U0PM>; nothing changed" in second.args["text"]
    assert all(not b.get("elements") or b["type"] != "actions" for b in first.args["blocks"])
    assert len(rows(slack, WeekApproval)) == 1
    assert all(e.approved and e.approved_by == "U0PM" for e in rows(slack, LaborEntry))
    assert [a.action for a in rows(slack, AuditLog) if a.entity == "week"] == ["approve"]

    entry = min(rows(slack, LaborEntry), key=lambda e: e.id)
    refused = slack.command("/log-labor", f"edit L-{entry.id} 6h")
    assert "approved and locked" in refused.text or "已审批锁定" in refused.text
    assert min(rows(slack, LaborEntry), key=lambda e: e.id).man_hours == entry.man_hours

    slack.command("/report", "export labor week")
    data = slack.fake.uploads[slack.fake.calls_to("upload")[0].args["file_id"]].decode("utf-8-sig")
    assert data.count(",true\r\n") == 4


def test_member_click_is_refused_naming_the_pm(slack: SlackHarness) -> None:
    seed_labor(slack, lang="zh")
    pid = project_of(slack).pk
    slack.action("rep_approve_week", f"{pid}:2026-11-23", user="U0MEMBER")
    [reply] = slack.fake.calls_to("response_url")
    assert reply.args["replace_original"] is False
    assert reply.args["text"] == "只有项目经理（pm）可以批准工时表（你是 *member*）。请联系 <@U0PM>。"
    assert rows(slack, WeekApproval) == [] and not any(e.approved for e in rows(slack, LaborEntry))


def test_other_workspace_cannot_approve_by_guessing_ids(slack_lite: SlackHarness) -> None:
    seed_labor(slack_lite)
    pid = project_of(slack_lite).pk
    slack_lite.as_team("T0TEAMB").action("rep_approve_week", f"{pid}:2026-11-23", user="U0PM")
    assert rows(slack_lite, WeekApproval) == []


def test_home_for_user_without_projects(slack_lite: SlackHarness) -> None:
    slack_lite.dispatch(slack_lite.payloads.app_home_opened(user="U0NEW"))
    [publish] = slack_lite.fake.calls_to("views.publish")
    assert publish.args["user_id"] == "U0NEW"
    text = json.dumps(publish.args["view"], ensure_ascii=False)
    assert "Welcome to Foreman" in text and "欢迎使用 Foreman" in text and "/project create" in text


def test_home_with_several_projects(slack: SlackHarness) -> None:
    seed_labor(slack)
    for n in range(2, 13):
        slack.create_project(
            f"Zone {n:02d} code Z{n:02d} budget 5000 CNY tz Asia/Shanghai", channel=f"C0SITE{n:02d}"
        )
    slack.create_project("Other pm's site code OPS", user="U0OTHER", channel="C0OTHER")
    slack.command("/task", 'add T-1 "Pour slab" owner <@U0PM> due 11/30')
    slack.dispatch(slack.payloads.app_home_opened(user="U0PM"))
    [publish] = slack.fake.calls_to("views.publish")
    view = publish.args["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = json.dumps(view, ensure_ascii=False)
    assert "*Tower A* (`TWA`) in <#C0PROJ> · you are *pm*" in text
    assert "Spent ¥2,800.00 of ¥100,000.00 (2.8%) · 0% complete (plan 0%) · SPI n/a · CPI n/a" in text
    assert "Your labor this week: 8 man-h (entries: 1)" in text
    assert "`T-1` Pour slab — 0%, to do, due 2026-11-30 · TWA" in text
    assert "OPS" not in text  # not a member
    assert "Showing your first 10 projects." in text
    action_ids = [e["action_id"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert action_ids.count("rep_home_log8") == 10 and action_ids.count("rep_review_week") == 10


def test_home_log8_logs_once_a_day(slack: SlackHarness) -> None:
    seed_labor(slack)
    pid = project_of(slack).pk
    before = len(rows(slack, LaborEntry))
    slack.action("rep_home_log8", str(pid), user="U0PM", channel=None)
    slack.action("rep_home_log8", str(pid), user="U0PM", channel=None)
    today = [e for e in rows(slack, LaborEntry) if str(e.work_date) == "2026-11-26"]
    assert len(rows(slack, LaborEntry)) == before + 1
    assert [(e.user_id, e.man_hours) for e in today] == [("U0PM", 8)]
    first, second = slack.fake.calls_to("views.publish")
    assert f"Logged 8 h today in TWA (L-{today[0].id})" in json.dumps(first.args["view"])
    assert "Your labor this week: 16 man-h (entries: 2)" in json.dumps(first.args["view"])
    assert "stored once" in json.dumps(second.args["view"])


def test_review_from_home_opens_modal_and_approves_there(slack: SlackHarness) -> None:
    seed_labor(slack)
    pid = project_of(slack).pk
    slack.action("rep_review_week", str(pid), user="U0PM", channel=None)
    [opened] = slack.fake.calls_to("views.open")
    modal = opened.args["view"]
    assert modal["type"] == "modal" and "64 man-h" in json.dumps(modal)
    value = approve_button(modal["blocks"])["value"]
    slack.services.clock = lambda: MONDAY_AFTER
    slack.dispatch(
        slack.payloads.block_action("rep_approve_week", value, user="U0PM", channel=None, view={"id": "V123"})
    )
    [updated] = slack.fake.calls_to("views.update")
    assert updated.args["view_id"] == "V123"
    assert "entries locked: 4" in json.dumps(updated.args["view"])
    assert len(rows(slack, WeekApproval)) == 1

"""/expense and /project through signed Slack payloads."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from storage.models import BudgetLine, Crew, Expense, Member, Project, Worker
from tests.harness import SlackHarness
from tests.records.support import audit_rows, rows, setup


@pytest.mark.parametrize(
    ("text", "amount", "currency", "category", "vendor", "spent", "needle"),
    [
        ("1,250.50 material vendor 华新水泥 yesterday", "1250.50", "CNY", "material", "华新水泥", date(2026, 11, 25), "¥1,250.50"),
        ("¥3200 材料 钢筋 昨天", "3200.00", "CNY", "material", None, date(2026, 11, 25), "已记入"),
        ("$480 crane rental", "480.00", "USD", "equipment", None, date(2026, 11, 26), "Stored in USD"),
    ],
)  # fmt: skip
def test_expense_is_stored_as_stated(
    slack: SlackHarness,
    text: str,
    amount: str,
    currency: str,
    category: str,
    vendor: str | None,
    spent: date,
    needle: str,
) -> None:
    setup(slack)
    reply = slack.command("/expense", text)
    [row] = rows(slack, Expense)
    assert (row.amount, row.currency, row.category, row.vendor, row.spent_on) == (
        Decimal(amount),
        currency,
        category,
        vendor,
        spent,
    )
    assert f"E-{row.id}" in reply.text and needle in reply.text


def test_expense_receipt_note_and_task_refusal(slack: SlackHarness) -> None:
    setup(slack)
    assert "No task `T-3`" in slack.command("/expense", "100 task T-3").text
    slack.command("/expense", "100 USD @Acme receipt https://files.example/r1 -- gloves")
    [row] = rows(slack, Expense)
    assert (row.vendor, row.receipt_url, row.note) == ("Acme", "https://files.example/r1", "gloves")


@pytest.mark.parametrize("text", ["abc", "0", "-5 material", "100 2026-12-24"])
def test_bad_amount_or_date_gets_usage_and_stores_nothing(slack: SlackHarness, text: str) -> None:
    setup(slack)
    reply = slack.command("/expense", text)
    assert reply.ephemeral and "/expense" in reply.text
    assert rows(slack, Expense) == []


def test_expense_list_edit_void_undo(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/expense", "¥300 材料")
    slack.command("/expense", "$50 other", user="U0MEM")
    first, second = rows(slack, Expense)
    assert "(2)" in slack.command("/expense", "list").text
    assert "(1)" in slack.command("/expense", "list month", user="U0MEM").text
    zh = slack.command("/expense", "列表 本月")
    assert "本月" in zh.text and "合计" in zh.text
    edited = slack.command("/expense", f"edit E-{first.id} amount 320 category equipment vendor Acme")
    row = rows(slack, Expense)[0]
    assert (row.amount, row.category, row.vendor) == (Decimal("320.00"), "equipment", "Acme")
    assert "¥320.00" in edited.text
    [(before, after)] = audit_rows(slack, "edit", "expense")
    assert before and after and Decimal(before["amount"]) == 300 and Decimal(after["amount"]) == 320
    zh_edit = slack.command("/expense", f"修改 E-{first.id} 金额 330 类别 材料")
    assert "已修改" in zh_edit.text and rows(slack, Expense)[0].category == "material"
    assert "*pm*" in slack.command("/expense", f"void E-{first.id}", user="U0MEM").text
    assert "Voided" in slack.command("/expense", f"void E-{second.id}").text
    assert "已作废" in slack.command("/expense", "撤销").text
    assert all(r.void for r in rows(slack, Expense))
    assert len(audit_rows(slack, "void", "expense")) == 2
    # Field words and categories in traditional script (金額, 類別 設備).
    fresh = re.search(r"E-(\d+)", slack.command("/expense", "100 杂费").text)
    assert fresh is not None
    edited_zh = slack.command("/expense", f"修改 E-{fresh.group(1)} 金額 320 類別 設備").text
    assert "¥320.00" in edited_zh and "设备" in edited_zh, edited_zh
    # Two amounts, or an amount in one currency and another currency named, change nothing.
    before = sorted((e.amount, e.currency) for e in rows(slack, Expense))
    assert "`100 / 200`" in slack.command("/expense", f"edit E-{first.id} amount 100 amount 200").text
    assert "currency `EUR`" in slack.command("/expense", f"edit E-{first.id} amount $60 currency EUR").text
    assert sorted((e.amount, e.currency) for e in rows(slack, Expense)) == before


def test_expense_other_team_and_retry(slack: SlackHarness) -> None:
    setup(slack)
    body = slack.payloads.command_body("/expense", "¥300 材料", user="U0PM", channel="C0PROJ")
    slack.dispatch(body)
    assert "重复送达" in slack.dispatch(body, retry_num=1).text
    [row] = rows(slack, Expense)
    other = slack.as_team("T0TEAMB")
    other.create_project("Other tz Asia/Shanghai")
    assert f"No expense `E-{row.id}`" in other.command("/expense", f"void E-{row.id}").text
    assert not rows(slack, Expense)[0].void


def test_expense_help(slack_lite: SlackHarness) -> None:
    assert "/expense list" in slack_lite.command("/expense", "help").text
    assert "记录支出" in slack_lite.command("/expense", "帮助").text


def test_project_set_every_setting_needs_pm_and_is_audited(slack: SlackHarness) -> None:
    setup(slack)
    assert "*pm*" in slack.command("/project", "set standup 08:30", user="U0MEM").text
    for text in (
        "set standup 08:30",
        "set meeting every 3 weeks Wed 14:00",
        "set thresholds 90,60,100",
        "set stale 5d",
        "set tolerance 10",
        "set hours 9",
        "set overtime 2",
        "set prompts on",
        "set tz Europe/Berlin",
        "set workdays Mon-Sat",
        "set holidays CN",
        "set end 2027-06-30",
        "设置 名称 一号楼",
        "设置 语言 zh",
    ):
        reply = slack.command("/project", text)
        assert reply.status == 200 and "→" in reply.text, (text, reply.text)
    [p] = rows(slack, Project)
    assert (p.standup_time, p.meeting_every_weeks, p.meeting_weekday, p.meeting_time) == (
        "08:30",
        3,
        2,
        "14:00",
    )
    assert (p.thresholds, p.stale_days, p.tolerance, p.prompts_enabled) == ("60,90,100", 5, 10, True)
    assert (p.hours_per_day, p.overtime_multiplier, p.timezone) == (
        Decimal("9"),
        Decimal("2"),
        "Europe/Berlin",
    )
    assert (p.workdays, p.holidays_country, p.end_date, p.name, p.language) == (
        "0,1,2,3,4,5",
        "CN",
        date(2027, 6, 30),
        "一号楼",
        "zh",
    )
    sets = audit_rows(slack, "set", "project")
    assert sets[0] == ({"standup_time": "09:00"}, {"standup_time": "08:30"})
    bad = slack.command("/project", "set stale forever")
    assert "stale" in bad.text and rows(slack, Project)[0].stale_days == 5


def test_project_budget_role_crew_worker_status(slack: SlackHarness) -> None:
    setup(slack)
    assert "material" in slack.command("/project", "budget material 50,000").text
    assert "人工" in slack.command("/project", "预算 人工 80000").text
    assert {(b.category, b.amount) for b in rows(slack, BudgetLine)} == {
        ("material", Decimal("50000.00")),
        ("labor", Decimal("80000.00")),
    }
    assert "*pm*" in slack.command("/project", "budget labor 1", user="U0MEM").text
    assert "foreman" in slack.command("/project", "role <@U0ANA|ana> foreman").text
    assert "班组长" in slack.command("/project", "角色 <@U0BEN> 班组长").text
    assert {(m.user_id, m.role) for m in rows(slack, Member)} >= {("U0ANA", "foreman"), ("U0BEN", "foreman")}
    assert "at least one pm" in slack.command("/project", "role <@U0PM> member").text
    # A name Slack did not turn into a mention is the person not read, not the role; nothing changes.
    typed = slack.command("/project", "role @ana pm").text
    assert "user `@ana`" in typed and "role `@ana`" not in typed, typed
    assert ("U0ANA", "pm") not in {(m.user_id, m.role) for m in rows(slack, Member)}
    crew = slack.command("/project", "crew rebar rate 300/day lead <@U0ANA>", user="U0ANA")
    assert "rebar" in crew.text and "¥300.00/day" in crew.text
    slack.command("/project", "工人 王五 班组 钢筋班 单价 40/小时")
    [w] = rows(slack, Worker)
    assert (w.name, w.rate, w.rate_unit) == ("王五", Decimal("40.00"), "hour")
    assert {c.name for c in rows(slack, Crew)} == {"rebar", "钢筋班"}
    status = slack.command("/project", "status")
    assert "`DEMO`" in status.text and "material ¥50,000.00" in status.text and "Crews: 2" in status.text
    assert "foreman: <@U0ANA>, <@U0BEN>" in status.text
    assert "成员" in slack.command("/project", "状态").text
    assert len(audit_rows(slack, "set", "budget_line")) == 2 and audit_rows(slack, "set", "member")


def test_project_help(slack_lite: SlackHarness) -> None:
    assert "thresholds" in slack_lite.command("/project", "help").text
    assert "阈值" in slack_lite.command("/project", "帮助").text


def test_settings_changes_are_worded_for_people(slack_lite: SlackHarness) -> None:
    setup(slack_lite)
    reply = slack_lite.command("/project", "set meeting every 3 weeks Wed 14:00")
    assert "meeting every (weeks) 2 → 3" in reply.text
    assert "meeting day Tue → Wed" in reply.text and "meeting time 10:00 → 14:00" in reply.text
    assert "meeting_weekday" not in reply.text
    assert "standup prompts off → on" in slack_lite.command("/project", "set prompts on").text
    assert (
        "workdays Mon,Tue,Wed,Thu,Fri → Mon,Tue,Wed,Thu,Fri,Sat"
        in slack_lite.command("/project", "set workdays Mon-Sat").text
    )
    assert "站会时间 09:00 → 08:30" in slack_lite.command("/project", "设置 站会 08:30").text


def test_a_worker_in_traditional_script_and_a_rate_left_in_a_name(slack: SlackHarness) -> None:
    """Traditional keywords split the worker's spec (it became one long name); a rate that was not read as
    one is never part of a name."""
    setup(slack)
    assert "鋼筋班" in slack.command("/project", "工人 張三 班組 鋼筋班 單價 350/天").text
    [zhang] = rows(slack, Worker)
    assert zhang.name == "張三" and zhang.crew_id is not None and zhang.rate == Decimal("350.00")
    assert "350/day" in slack.command("/project", "worker 李四 350/day").text
    assert [w.name for w in rows(slack, Worker)] == ["張三"]

"""/log-labor through signed Slack payloads: logging, clock, list, edit, void, undo, approval."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from storage.models import LaborEntry, Shift, WeekApproval, Worker
from tests.harness import SlackHarness
from tests.records.support import NOW, audit_rows, rows, setup


def test_log_for_mentioned_users_with_name_form_and_overtime(slack: SlackHarness) -> None:
    setup(slack)
    reply = slack.command("/log-labor", "<@U0ANA|ana> <@U0BEN> 6h ot 1h task T-1")
    assert "No task `T-1`" in reply.text and rows(slack, LaborEntry) == []
    reply = slack.command("/log-labor", "<@U0ANA|ana> <@U0BEN> 6h ot 1h -- slab")
    entries = rows(slack, LaborEntry)
    assert [(e.user_id, e.hours_each, e.overtime_hours, e.note) for e in entries] == [
        ("U0ANA", Decimal("6.000"), Decimal("1.000"), "slab"),
        ("U0BEN", Decimal("6.000"), Decimal("1.000"), "slab"),
    ]
    assert "<@U0ANA>" in reply.text and "+ 1 h overtime" in reply.text and "rate missing" in reply.text


def test_named_workers_with_day_rate_cost_in_chinese(slack: SlackHarness) -> None:
    setup(slack)
    reply = slack.command("/log-labor", "张三 李四 1工日 rate 300/day 加班2小时")
    entries = rows(slack, LaborEntry)
    # 300/day over 8 h = 37.5/h; 8 h + 2 h overtime × 1.5 = 300 + 112.5
    assert [e.cost for e in entries] == [Decimal("412.50"), Decimal("412.50")]
    assert {w.name for w in rows(slack, Worker)} == {"张三", "李四"}
    assert "已记入" in reply.text and "张三" in reply.text and "¥412.50" in reply.text


def test_crew_headcount_and_known_crew_rate(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/project", "crew 钢筋班 rate 320/day")
    reply = slack.command("/log-labor", "钢筋班 5人 8小时 昨天")
    [entry] = rows(slack, LaborEntry)
    assert (entry.headcount, entry.man_hours, entry.work_date) == (5, Decimal("40.000"), date(2026, 11, 25))
    assert entry.cost == Decimal("1600.00") and entry.rate_unit == "day"
    assert "钢筋班 ×5" in reply.text and "¥1,600.00" in reply.text
    slack.command("/log-labor", "3 workers 2 days")
    # Contract §5: a multi-day statement is one entry per workday ending on the stated date (48 man-h in all).
    spread = [(e.work_date, e.man_hours) for e in rows(slack, LaborEntry)[-2:]]
    assert spread == [(date(2026, 11, 25), Decimal("24.000")), (date(2026, 11, 26), Decimal("24.000"))]


def test_member_logging_for_someone_else_is_refused_naming_foreman(slack: SlackHarness) -> None:
    setup(slack)
    english = slack.command("/log-labor", "<@U0PM> 6h", user="U0MEM")
    assert english.ephemeral and "*foreman* role" in english.text and "*member*" in english.text
    # Typed in Chinese, the refusal names the roles in Chinese too.
    chinese = slack.command("/log-labor", "钢筋班 5人 8小时", user="U0MEM")
    assert chinese.ephemeral and "*班组长* 角色（你是 *成员*）" in chinese.text, chinese.text
    assert "foreman" not in chinese.text
    assert rows(slack, LaborEntry) == []
    slack.command("/project", "role <@U0MEM> foreman")
    assert "L-" in slack.command("/log-labor", "<@U0PM> 6h", user="U0MEM").text


def test_future_and_old_dates(slack: SlackHarness) -> None:
    setup(slack)
    assert "future" in slack.command("/log-labor", "8h 2026-11-30").text
    old = slack.command("/log-labor", "8h 2026-09-01", user="U0MEM")
    assert "*pm*" in old.text
    assert rows(slack, LaborEntry) == []
    assert "L-" in slack.command("/log-labor", "8h 2026-09-01").text


@pytest.mark.parametrize(
    ("clock_in", "clock_out", "hours"),
    [("in 7:30", "out 16:45", Decimal("9.25")), ("上班 7:00", "下班 9:30", Decimal("2.5"))],
)
def test_clock_in_and_out_makes_an_entry(
    slack: SlackHarness, clock_in: str, clock_out: str, hours: Decimal
) -> None:
    setup(slack)
    assert "not clocked in" in slack.command("/log-labor", "out").text
    first = slack.command("/log-labor", clock_in)
    assert "07:" in first.text
    assert len(rows(slack, Shift)) == 1
    assert (
        "Already" in slack.command("/log-labor", "in").text
        or "已在班" in slack.command("/log-labor", "上班").text
    )
    # Clock-outs are not in the future (contract §5): the clock-out happens at 18:00 that day.
    slack.services.clock = lambda: NOW + timedelta(hours=8)
    out = slack.command("/log-labor", clock_out)
    [entry] = rows(slack, LaborEntry)
    assert entry.hours_each == hours and entry.source == "clock" and entry.user_id == "U0PM"
    [shift] = rows(slack, Shift)
    assert shift.ended_at is not None and shift.labor_entry_id == entry.id
    assert f"L-{entry.id}" in out.text


def test_list_shows_own_entries_for_members_and_all_for_pm(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "8h")
    slack.command("/log-labor", "4h", user="U0MEM")
    mine = slack.command("/log-labor", "list", user="U0MEM")
    assert "(1)" in mine.text and "Total: 4 man-h" in mine.text
    everyone = slack.command("/log-labor", "list week")
    assert "(2)" in everyone.text and "Total: 12 man-h" in everyone.text
    zh = slack.command("/log-labor", "列表 今天")
    assert "今天" in zh.text and "合计：12 工时" in zh.text
    assert "No labor" in slack.command("/log-labor", "list 2026-11-20").text


def test_edit_recomputes_cost_and_audits(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "<@U0PM> 8h rate 40/hour")
    [entry] = rows(slack, LaborEntry)
    reply = slack.command("/log-labor", f"edit L-{entry.id} hours 6 ot 1h date yesterday -- fixed")
    [after] = rows(slack, LaborEntry)
    assert (after.hours_each, after.overtime_hours, after.work_date) == (
        Decimal("6.000"),
        Decimal("1.000"),
        date(2026, 11, 25),
    )
    assert after.cost == Decimal("300.00") and after.note == "fixed"
    assert "Updated" in reply.text and "¥300.00" in reply.text
    [(before, now)] = audit_rows(slack, "edit", "labor_entry")
    assert before and now and Decimal(before["hours_each"]) == 8 and Decimal(now["hours_each"]) == 6
    zh = slack.command("/log-labor", f"修改 L-{entry.id} 工时 7 单价 300/天")
    assert "已修改" in zh.text and rows(slack, LaborEntry)[0].cost == Decimal("318.75")
    bad = slack.command("/log-labor", f"edit L-{entry.id} hours lots")
    assert "hours" in bad.text and rows(slack, LaborEntry)[0].hours_each == Decimal("7.000")
    # Hours with their unit, in Chinese (工时 6小时 was refused as a second, empty hours field).
    assert "已修改" in slack.command("/log-labor", f"修改 L-{entry.id} 工时 七个半小时").text
    assert rows(slack, LaborEntry)[0].hours_each == Decimal("7.500")
    assert "已修改" in slack.command("/log-labor", f"修改 L-{entry.id} 工时 7小时").text
    # Traditional script: field words (工時), glued or not, and periods (本週).
    assert "已修改" in slack.command("/log-labor", f"修改 L-{entry.id} 工時7小時").text
    assert rows(slack, LaborEntry)[0].hours_each == Decimal("7.000")
    assert "L-" in slack.command("/log-labor", "列表 本週").text
    zh_bad = slack.command("/log-labor", f"修改 L-{entry.id} 工时 许多").text
    assert "无法识别 工时 `许多`" in zh_bad and "hours" not in zh_bad, zh_bad  # the field named in Chinese
    # A field said twice is not resolved by taking the last one: nothing changes and both are quoted.
    twice = slack.command("/log-labor", f"edit L-{entry.id} hours 6 hours 9")
    assert "`6 / 9`" in twice.text and rows(slack, LaborEntry)[0].hours_each == Decimal("7.000"), twice.text


def test_void_and_undo_by_author_or_pm_only(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "8h", user="U0MEM")
    slack.command("/log-labor", "6h")
    member_entry, pm_entry = rows(slack, LaborEntry)
    refused = slack.command("/log-labor", f"void L-{pm_entry.id}", user="U0MEM")
    assert "*pm*" in refused.text and not rows(slack, LaborEntry)[1].void
    assert "Voided" in slack.command("/log-labor", f"void L-{member_entry.id}").text
    undone = slack.command("/log-labor", "撤销")
    assert "已作废" in undone.text and all(e.void for e in rows(slack, LaborEntry))
    assert "no labor entry to undo" in slack.command("/log-labor", "undo").text
    voids = audit_rows(slack, "void", "labor_entry")
    assert len(voids) == 2 and all(b["void"] is False and a["void"] is True for b, a in voids if a and b)


def test_approved_week_is_locked(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "8h", user="U0MEM")
    [entry] = rows(slack, LaborEntry)
    assert "*pm*" in slack.command("/log-labor", "approve week", user="U0MEM").text
    # Contract §5: the week in progress needs its date and `force` (plain `approve week` is last week's).
    reply = slack.command("/log-labor", "approve week 2026-11-26 force")
    assert "approved and locked (entries locked: 1)" in reply.text and not reply.ephemeral
    assert rows(slack, LaborEntry)[0].approved and len(rows(slack, WeekApproval)) == 1
    for text in (f"edit L-{entry.id} hours 4", f"void L-{entry.id}", "8h yesterday"):
        assert "locked" in slack.command("/log-labor", text, user="U0MEM").text
    after = rows(slack, LaborEntry)
    assert len(after) == 1 and after[0].hours_each == Decimal("8.000") and not after[0].void
    [(before, now)] = audit_rows(slack, "approve", "week")
    assert before == {"week_start": "2026-11-23", "approved": False}
    assert now and now["entries"] == [entry.id]
    zh = slack.command("/log-labor", "审批 周 2026-11-16")
    assert "2026-11-16" in zh.text and "审批锁定" in zh.text


def test_other_team_cannot_touch_ids(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "8h")
    [entry] = rows(slack, LaborEntry)
    other = slack.as_team("T0TEAMB")
    other.create_project("Other tz Asia/Shanghai")
    for text in (f"void L-{entry.id}", f"edit L-{entry.id} hours 1"):
        assert f"No labor entry `L-{entry.id}`" in other.command("/log-labor", text).text
    [same] = rows(slack, LaborEntry)
    assert not same.void and same.hours_each == Decimal("8.000")


def test_retried_command_stores_once(slack: SlackHarness) -> None:
    setup(slack)
    for text in ("8h", "in 7:00"):
        body = slack.payloads.command_body("/log-labor", text, user="U0PM", channel="C0PROJ")
        slack.dispatch(body)
        assert "twice" in slack.dispatch(body, retry_num=1).text
    assert len(rows(slack, LaborEntry)) == 1 and len(rows(slack, Shift)) == 1


def test_help_in_both_languages(slack_lite: SlackHarness) -> None:
    assert "/log-labor list" in slack_lite.command("/log-labor", "help").text
    assert "记录工时" in slack_lite.command("/log-labor", "帮助").text

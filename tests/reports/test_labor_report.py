"""/report labor: the 点工汇总 against hand-computed figures, by worker, crew and day, in English and Chinese."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest

from bot.parsing import LaborIntent
from bot.parsing.report_command import Period
from bot.services import reports
from tests.harness import SlackHarness
from tests.reports.seed import MON, NOW, log, project_of, seed_labor


def table_rows(text: str) -> dict[str, list[str]]:
    """The monospace table of a reply as {first cell: other cells}."""
    table = text.split("```")[1]
    rows = {}
    for line in table.splitlines():
        if not line or line.startswith("-"):
            continue
        cells = line.split()
        # A day label is "2026-11-24 (Tue)" / "2026-11-24（周二）": keep the date only.
        first = cells[0]
        rest = cells[1:]
        if rest and rest[0].startswith("("):
            rest = rest[1:]
        rows[first] = rest
    return rows


def test_labor_by_worker_service_figures(slack: SlackHarness) -> None:
    seed_labor(slack)
    project = project_of(slack)
    with slack.services.unit_of_work() as session:
        summary = reports.labor_summary(
            session, project=project, period=Period(MON, NOW.date(), "week"), group_by="worker"
        )
    by_name = {r.name: r for r in summary.rows}
    zhang = by_name["张三"]
    assert (zhang.days, zhang.headcount, zhang.man_hours, zhang.man_days) == (2, 1, Decimal(16), Decimal(2))
    assert (zhang.cost, zhang.overtime_hours, zhang.rate_missing) == (Decimal("600.00"), Decimal(0), 0)
    crew = by_name["钢筋班"]
    assert (crew.kind, crew.headcount, crew.man_hours, crew.man_days) == ("crew", 5, Decimal(40), Decimal(5))
    assert (crew.overtime_hours, crew.cost) == (Decimal(10), Decimal("2200.00"))
    me = by_name["U0PM"]
    assert (me.kind, me.man_hours, me.cost, me.rate_missing) == ("user", Decimal(8), Decimal(0), 1)
    total = summary.total
    assert (total.entries, total.days, total.headcount) == (4, 3, 6)
    assert (total.man_hours, total.man_days, total.overtime_hours) == (Decimal(64), Decimal(8), Decimal(10))
    assert (total.cost, total.rate_missing) == (Decimal("2800.00"), 1)


def test_labor_report_week_by_worker_in_english(slack: SlackHarness) -> None:
    seed_labor(slack)
    reply = slack.command("/report", "labor week")
    assert reply.ephemeral
    assert "Labor summary — TWA, this week* (2026-11-23..2026-11-26), by worker" in reply.text
    rows = table_rows(reply.text)
    # Days, People, Man-days, Man-h, OT h, Cost
    assert rows["张三"] == ["2", "1", "2", "16", "0", "¥600.00"]
    assert rows["钢筋班"] == ["1", "5", "5", "40", "10", "¥2,200.00"]
    assert rows["U0PM"] == ["1", "1", "1", "8", "0", "¥0.00*"]
    assert rows["Total"] == ["3", "6", "8", "64", "10", "¥2,800.00*"]
    assert "Entries with no rate (rate missing): 1" in reply.text


def test_labor_report_by_crew_and_day_in_chinese(slack: SlackHarness) -> None:
    seed_labor(slack, lang="zh")
    by_crew = slack.command("/report", "工时 本周 按班组")
    assert "点工汇总 — TWA，本周*（2026-11-23..2026-11-26），按班组" in by_crew.text
    rows = table_rows(by_crew.text)
    assert rows["钢筋班"] == ["1", "5", "5", "40", "10", "¥2,200.00"]
    assert rows["（无班组）"] == ["3", "1", "3", "24", "0", "¥600.00*"]
    assert rows["合计"] == ["3", "6", "8", "64", "10", "¥2,800.00*"]
    assert "有 1 条记录缺少单价" in by_crew.text

    by_day = slack.command("/report", "工时 11/23..11/25 按天")
    rows = table_rows(by_day.text)
    assert rows["2026-11-23（周一）"] == ["1", "1", "1", "8", "0", "¥300.00"]
    assert rows["2026-11-24（周二）"] == ["1", "6", "6", "48", "10", "¥2,500.00"]
    assert rows["2026-11-25（周三）"] == ["1", "1", "1", "8", "0", "¥0.00*"]
    assert rows["合计"] == ["3", "6", "8", "64", "10", "¥2,800.00*"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("labor today", "No labor logged in TWA for today (2026-11-26)."),
        ("labor 2026-11-23..2026-11-23", "(2026-11-23)"),
        ("labor month by day", "(2026-11-01..2026-11-26)"),
        ("labor last week", "No labor logged in TWA for last week (2026-11-16..2026-11-22)."),
    ],
)
def test_labor_report_periods(slack_lite: SlackHarness, text: str, expected: str) -> None:
    seed_labor(slack_lite)
    assert expected in slack_lite.command("/report", text).text


def test_voided_entries_are_left_out(slack_lite: SlackHarness) -> None:
    seed_labor(slack_lite)
    slack_lite.command("/log-labor", "undo")  # the last entry: U0PM's own 8 h
    rows = table_rows(slack_lite.command("/report", "labor week").text)
    assert "U0PM" not in rows
    assert rows["Total"] == ["2", "6", "7", "56", "10", "¥2,800.00"]


def test_long_summary_becomes_a_csv_file(slack_lite: SlackHarness) -> None:
    seed_labor(slack_lite)
    names = [f"工人{i:02d}" for i in range(45)]
    for index, name in enumerate(names):
        day = MON - timedelta(days=index % 5)
        log(slack_lite, LaborIntent(workers=(name,), hours_each=8.0, man_hours=8.0), day)
    reply = slack_lite.command("/report", "labor month")
    assert "```" not in reply.text
    assert "48 rows, too long for a message" in reply.text
    assert "Total: 424 man-h (53 man-days), 10 h overtime, cost ¥2,800.00." in reply.text
    [complete] = slack_lite.fake.calls_to("files.completeUploadExternal")
    file_id = slack_lite.fake.calls_to("upload")[0].args["file_id"]
    data = slack_lite.fake.uploads[file_id]
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(table) == 49  # 48 rows and the totals row
    worker = next(r for r in table if r["name"] == "工人07")
    assert (Decimal(worker["man_hours"]), Decimal(worker["man_days"]), worker["rate_missing"]) == (8, 1, "1")
    assert table[-1]["name"] == "Total" and Decimal(table[-1]["man_hours"]) == 424
    assert Decimal(table[-1]["cost"]) == Decimal("2800")
    assert complete.args["channel_id"] == "C0PROJ"


def test_bad_report_text_gets_usage(slack_lite: SlackHarness) -> None:
    seed_labor(slack_lite)
    reply = slack_lite.command("/report", "labor fortnight")
    assert (
        reply.ephemeral
        and "couldn't read the period `fortnight`" in reply.text
        and "/report labor" in reply.text
    )
    assert "没有 `天气` 这种报表" in slack_lite.command("/report", "天气").text


def test_report_without_project(slack_lite: SlackHarness) -> None:
    assert "/project create" in slack_lite.command("/report", "labor", channel="C0NONE").text


def test_help_both_languages(slack_lite: SlackHarness) -> None:
    seed_labor(slack_lite)
    assert "`labor [today|week|month" in slack_lite.command("/report", "help").text
    assert "点工汇总" in slack_lite.command("/report", "帮助").text


def test_other_workspace_sees_nothing(slack: SlackHarness) -> None:
    seed_labor(slack)
    other = slack.as_team("T0TEAMB")
    assert "/project create" in other.command("/report", "labor week").text

"""/report export: acked at once, the file built by the export code and uploaded with files_upload_v2."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from tests.harness import SlackHarness
from tests.reports.seed import seed_labor


def uploaded(slack: SlackHarness) -> tuple[bytes, dict, dict]:
    """The bytes the fake Slack received and the two API calls around the upload."""
    methods = [c.method for c in slack.fake.calls if c.method.startswith("files") or c.method == "upload"]
    assert methods == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    [upload] = slack.fake.calls_to("upload")
    [get_url] = slack.fake.calls_to("files.getUploadURLExternal")
    [complete] = slack.fake.calls_to("files.completeUploadExternal")
    return slack.fake.uploads[upload.args["file_id"]], get_url.args, complete.args


def test_export_labor_xlsx_from_slack(slack: SlackHarness) -> None:
    seed_labor(slack)
    reply = slack.command("/report", "export labor xlsx week")
    assert reply.ephemeral and "Preparing the labor export (xlsx)" in reply.text
    data, get_url, complete = uploaded(slack)
    assert get_url["filename"] == "TWA-labor-2026-11-23_2026-11-26.xlsx"
    assert int(get_url["length"]) == len(data)
    assert complete["channel_id"] == "C0PROJ"
    assert (
        "labor export of TWA (2026-11-23..2026-11-26), XLSX, requested by <@U0PM>"
        in complete["initial_comment"]
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("ID", "Project", "Date")
    col = {name: i for i, name in enumerate(header)}
    body = rows[1:-1]
    assert len(body) == 4
    zhang = [r for r in body if r[col["Worker"]] == "张三"]
    assert len(zhang) == 2 and all(isinstance(r[col["Date"]], datetime) for r in zhang)
    crew = next(r for r in body if r[col["Crew"]] == "钢筋班")
    assert crew[col["Headcount"]] == 5 and isinstance(crew[col["Headcount"]], int)
    assert Decimal(str(crew[col["Cost"]])) == Decimal("2200") and isinstance(crew[col["Cost"]], float | int)
    assert crew[col["Approved"]] is False
    totals = rows[-1]
    assert "Total" in totals
    assert Decimal(str(totals[col["Man-hours"]])) == 64
    assert Decimal(str(totals[col["Overtime hours"]])) == 10
    assert Decimal(str(totals[col["Cost"]])) == Decimal("2800")


def test_export_labor_csv_in_chinese_is_bom_utf8(slack: SlackHarness) -> None:
    seed_labor(slack, lang="zh")
    reply = slack.command("/report", "导出 工时 csv 本周")
    assert "正在准备工时导出（csv）" in reply.text
    data, get_url, complete = uploaded(slack)
    assert data.startswith(b"\xef\xbb\xbf") and get_url["filename"].endswith(".csv")
    assert "TWA 的工时导出" in complete["initial_comment"]
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["worker"] for r in rows if r["worker"]] == ["张三", "张三"]
    crew = next(r for r in rows if r["crew"] == "钢筋班")
    assert (crew["headcount"], Decimal(crew["man_hours"]), Decimal(crew["cost"])) == (
        "5",
        40,
        Decimal("2200"),
    )
    assert sum(Decimal(r["man_hours"]) for r in rows) == 64
    assert {r["date"] for r in rows} == {"2026-11-23", "2026-11-24", "2026-11-25"}


def test_export_expenses_and_tasks_default_to_all(slack_lite: SlackHarness) -> None:
    seed_labor(slack_lite)
    slack_lite.command("/expense", "¥3200 材料 华新水泥 11/20")
    slack_lite.command("/report", "export expenses")
    data, get_url, _ = uploaded(slack_lite)
    assert get_url["filename"] == "TWA-expenses-to-2026-11-26.csv"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(r["date"], r["amount"], r["category"]) for r in rows] == [("2026-11-20", "3200.00", "material")]
    assert date.fromisoformat(rows[0]["date"]) < date(2026, 11, 23)


def test_retried_export_uploads_once(slack_lite: SlackHarness) -> None:
    seed_labor(slack_lite)
    body = slack_lite.payloads.command_body("/report", "export tasks", user="U0PM", channel="C0PROJ")
    slack_lite.dispatch(body)
    slack_lite.dispatch(body, retry_num=1)
    assert len(slack_lite.fake.calls_to("files.completeUploadExternal")) == 1


def test_export_needs_a_kind(slack_lite: SlackHarness) -> None:
    seed_labor(slack_lite)
    assert "labor, expenses or tasks" in slack_lite.command("/report", "export").text
    assert slack_lite.fake.calls_to("files.getUploadURLExternal") == []


def test_standup_now(slack: SlackHarness) -> None:
    seed_labor(slack)
    reply = slack.command("/report", "standup now")
    assert not reply.ephemeral
    blocks = reply.json["blocks"]
    assert "Standup — Tower A (`TWA`)" in blocks[0]["text"]["text"]
    zh = slack.command("/report", "站会")
    assert "站会日报" in zh.json["blocks"][0]["text"]["text"]


def test_expense_xlsx_totals_each_currency_apart(slack: SlackHarness) -> None:
    """3,200 CNY and $480 are not 3,680 of anything: the totals row is one per currency."""
    seed_labor(slack)
    for text in ("3,200 material", "$480 crane", "1,234.56 equipment", "100 USD gloves"):
        assert "E-" in slack.command("/expense", text).text
    slack.fake.reset()
    slack.command("/report", "export expenses xlsx week")
    data, _, _ = uploaded(slack)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    col = {name: i for i, name in enumerate(rows[0])}
    totals = {r[col["Currency"]]: Decimal(str(r[col["Amount"]])) for r in rows if "Total" in r}
    assert totals == {"CNY": Decimal("4434.56"), "USD": Decimal("580")}

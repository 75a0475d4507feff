"""The /report grammar as a table of (text, expected) rows in English and Chinese."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.parsing.report_command import ReportSyntaxError, parse_report

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday in Shanghai
TZ = "Asia/Shanghai"


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "extra"),
    [
        ("", "help", None, None, {}),
        ("labor", "labor", date(2026, 11, 23), date(2026, 11, 26), {"group_by": "worker"}),
        ("labor today by crew", "labor", date(2026, 11, 26), date(2026, 11, 26), {"group_by": "crew"}),
        ("工时 本月 按天", "labor", date(2026, 11, 1), date(2026, 11, 26), {"group_by": "day"}),
        ("点工汇总 上周 按工人", "labor", date(2026, 11, 16), date(2026, 11, 22), {"group_by": "worker"}),
        ("labor 11/01..11/15", "labor", date(2026, 11, 1), date(2026, 11, 15), {}),
        ("labor 2026-11-15..2026-11-01", "labor", date(2026, 11, 1), date(2026, 11, 15), {}),
        ("工时 11月1日至11月15日", "labor", date(2026, 11, 1), date(2026, 11, 15), {}),
        ("labor yesterday", "labor", date(2026, 11, 25), date(2026, 11, 25), {}),
        ("cost", "cost", None, date(2026, 11, 26), {}),
        ("成本 本周", "cost", date(2026, 11, 23), date(2026, 11, 26), {}),
        ("export labor xlsx month", "export", date(2026, 11, 1), date(2026, 11, 26),
         {"export_kind": "labor", "fmt": "xlsx"}),
        ("导出 费用", "export", None, date(2026, 11, 26), {"export_kind": "expenses", "fmt": "csv"}),
        ("导出任务 excel", "export", None, date(2026, 11, 26), {"export_kind": "tasks", "fmt": "xlsx"}),
        ("chart s-curve", "chart", None, None, {"chart": "scurve"}),
        ("图表 工时", "chart", None, None, {"chart": "labor"}),
        ("timesheet 11/17", "timesheet", None, None, {"day": date(2026, 11, 17)}),
        ("工时表", "timesheet", None, None, {"day": date(2026, 11, 26)}),
        ("standup now", "standup", None, None, {}),
        ("进度", "schedule", None, None, {}),
        ("风险", "risks", None, None, {}),
    ],
)  # fmt: skip
def test_report_grammar(text: str, kind: str, start: date | None, end: date | None, extra: dict) -> None:
    req = parse_report(text, now=NOW, tz=TZ)
    assert req.kind == kind
    if end is not None:
        assert req.period is not None and (req.period.start, req.period.end) == (start, end)
    for name, value in extra.items():
        assert getattr(req, name) == value


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("weather", "report.unknown"),
        ("labor fortnight", "report.bad_period"),
        ("labor by colour", "report.bad_group"),
        ("export", "report.bad_export"),
        ("chart pie", "report.bad_chart"),
        ("labor 11/01..someday", "report.bad_period"),
    ],
)
def test_report_grammar_errors(text: str, key: str) -> None:
    with pytest.raises(ReportSyntaxError) as info:
        parse_report(text, now=NOW, tz=TZ)
    assert info.value.key == key

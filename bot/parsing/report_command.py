"""The /report grammar (contract §5): subcommand, period, grouping, export kind and format, chart kind."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from bot.parsing.dates import local_now, parse_date_phrase
from bot.parsing.numbers import to_simplified

Kind = Literal[
    "help", "labor", "cost", "schedule", "risks", "export", "chart", "standup", "timesheet", "wages", "funds"
]
GroupBy = Literal["worker", "crew", "day"]

_KINDS: dict[str, Kind] = {
    "help": "help", "帮助": "help", "?": "help",
    "labor": "labor", "labour": "labor", "工时": "labor", "点工": "labor", "人工": "labor", "点工汇总": "labor",
    "cost": "cost", "costs": "cost", "budget": "cost", "成本": "cost", "费用": "cost", "预算": "cost",
    "schedule": "schedule", "progress": "schedule", "进度": "schedule", "工期": "schedule",
    "risks": "risks", "risk": "risks", "风险": "risks",
    "export": "export", "导出": "export",
    "chart": "chart", "charts": "chart", "图表": "chart", "图": "chart",
    "standup": "standup", "站会": "standup", "日报": "standup",
    "timesheet": "timesheet", "timesheets": "timesheet", "工时表": "timesheet", "考勤": "timesheet",
    "审批": "timesheet",
    "wages": "wages", "wage": "wages", "payroll": "wages", "工资": "wages", "工资表": "wages",
    "funds": "funds", "fund": "funds", "资金": "funds", "资金表": "funds",
}  # fmt: skip
_CONFIRM = {"confirm", "确认", "签字", "confirmation"}
_MONTH_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_EXPORT_KINDS = {
    "labor": "labor", "labour": "labor", "timesheet": "labor", "timesheets": "labor", "工时": "labor",
    "点工": "labor", "人工": "labor", "expenses": "expenses", "expense": "expenses", "支出": "expenses",
    "费用": "expenses", "开支": "expenses", "tasks": "tasks", "task": "tasks", "任务": "tasks",
}  # fmt: skip
_FORMATS = {"csv": "csv", "xlsx": "xlsx", "excel": "xlsx", "xls": "xlsx"}
_CHARTS = {
    "burn": "burn", "budget": "burn", "cost": "burn", "燃尽": "burn", "预算": "burn", "成本": "burn",
    "scurve": "scurve", "s-curve": "scurve", "s曲线": "scurve", "progress": "scurve", "进度": "scurve",
    "labor": "labor", "labour": "labor", "工时": "labor", "人工": "labor",
    "funds": "funds", "fund": "funds", "资金": "funds",
}  # fmt: skip
_GROUPS: dict[str, GroupBy] = {
    "worker": "worker", "workers": "worker", "person": "worker", "people": "worker", "工人": "worker",
    "人": "worker", "人员": "worker", "crew": "crew", "crews": "crew", "班组": "crew", "班": "crew",
    "day": "day", "days": "day", "date": "day", "天": "day", "日": "day", "日期": "day",
}  # fmt: skip
_BY_RE = re.compile(r"(?:\bby\s+([a-z]+)\b|按\s*(工人|人员|人|班组|班|天|日期|日))", re.IGNORECASE)
_RANGE_RE = re.compile(r"^(.+?)\s*(?:\.\.|…|~|～|至|到|\bto\b|—|–)\s*(.+)$", re.IGNORECASE)
_NAMED_PERIODS = {
    "today": "today", "今天": "today", "今日": "today",
    "week": "week", "this week": "week", "本周": "week", "这周": "week", "本星期": "week",
    "last week": "last_week", "上周": "last_week", "上星期": "last_week",
    "month": "month", "this month": "month", "本月": "month", "这个月": "month",
    "last month": "last_month", "上月": "last_month", "上个月": "last_month",
    "all": "all", "全部": "all", "所有": "all", "累计": "all", "total": "all",
}  # fmt: skip


class ReportSyntaxError(ValueError):
    """The /report text could not be read; `key` names a catalog string."""

    def __init__(self, key: str, **params: str) -> None:
        self.key = key
        self.params = params
        super().__init__(key)


@dataclass(frozen=True)
class Period:
    """An inclusive local date range; `start` None means from the beginning of the project."""

    start: date | None
    end: date
    name: str  # today | week | last_week | month | last_month | all | range | day

    def label(self) -> str:
        """2026-11-23..2026-11-26, or one date, or ..2026-11-26 for everything so far."""
        if self.start is None:
            return f"..{self.end.isoformat()}"
        if self.start == self.end:
            return self.end.isoformat()
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@dataclass(frozen=True)
class ReportRequest:
    """What a /report text asks for."""

    kind: Kind
    period: Period | None = None
    group_by: GroupBy = "worker"
    export_kind: str | None = None
    fmt: str = "csv"
    chart: str | None = None
    day: date | None = None
    month: str | None = None  # YYYY-MM (wages, funds of one month)
    confirm: bool = False


def month_word(text: str, today: date) -> str | None:
    """`2026-11`, `2026年11月`, `month`/`本月`, `last month`/`上月` → YYYY-MM; None when not a month."""
    phrase = " ".join(text.lower().split())
    named = _NAMED_PERIODS.get(phrase)
    if named in ("month", "last_month"):
        day = named_period(named, today).end
        return f"{day.year:04d}-{day.month:02d}"
    m = _MONTH_RE.match(phrase)
    if m is None or not 1 <= int(m.group(2)) <= 12:
        return None
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def named_period(name: str, today: date) -> Period:
    """The period a keyword names, ending today (last week/month end at their last day)."""
    monday = today - timedelta(days=today.weekday())
    first = today.replace(day=1)
    if name == "today":
        return Period(today, today, name)
    if name == "week":
        return Period(monday, today, name)
    if name == "last_week":
        return Period(monday - timedelta(days=7), monday - timedelta(days=1), name)
    if name == "month":
        return Period(first, today, name)
    if name == "last_month":
        end = first - timedelta(days=1)
        return Period(end.replace(day=1), end, name)
    return Period(None, today, "all")


def parse_period(text: str, *, now: datetime, tz: str, default: str) -> Period:
    """A period keyword, a `<from>..<to>` range or one date; the default period when text is empty."""
    today = local_now(now, tz).date()
    phrase = " ".join(text.lower().split())
    if not phrase:
        return named_period(default, today)
    if phrase in _NAMED_PERIODS:
        return named_period(_NAMED_PERIODS[phrase], today)
    m = _RANGE_RE.match(phrase)
    if m:
        start = parse_date_phrase(m.group(1), now=now, tz=tz)
        end = parse_date_phrase(m.group(2), now=now, tz=tz)
        if start is None or end is None:
            raise ReportSyntaxError("report.bad_period", text=text)
        if end < start:
            start, end = end, start
        return Period(start, end, "range")
    single = parse_date_phrase(phrase, now=now, tz=tz)
    if single is None:
        raise ReportSyntaxError("report.bad_period", text=text)
    return Period(single, single, "day")


def _take(words: list[str], table: dict[str, str]) -> str | None:
    """Remove the first word found in `table` and return its meaning."""
    for index, word in enumerate(words):
        if word.lower() in table:
            del words[index]
            return table[word.lower()]
    return None


def _split_head(text: str) -> tuple[str, str]:
    """The subcommand word and the rest; a Chinese keyword may be glued to what follows (导出工时)."""
    head, _, rest = text.partition(" ")
    if head.lower() in _KINDS:
        return head, rest
    for keyword in sorted(_KINDS, key=len, reverse=True):
        if re.search(r"[\u4e00-\u9fff]", keyword) and head.startswith(keyword):
            return keyword, (head[len(keyword) :] + " " + rest).strip()
    return head, rest


def _wages(rest: str, today: date) -> ReportRequest:
    """`wages [<month>] [confirm]`: this month when none is named."""
    words = rest.split()
    confirm = any(w.lower() in _CONFIRM for w in words)
    words = [w for w in words if w.lower() not in _CONFIRM]
    month = month_word(" ".join(words), today) if words else f"{today.year:04d}-{today.month:02d}"
    if month is None:
        raise ReportSyntaxError("report.bad_month", text=" ".join(words))
    return ReportRequest("wages", month=month, confirm=confirm)


def parse_report(text: str, *, now: datetime, tz: str) -> ReportRequest:
    """Read a /report text; raises ReportSyntaxError with a catalog key when it cannot."""
    # Report words and periods in traditional script too (工時 本週 按班組); a report stores nothing typed.
    text = to_simplified(" ".join(unicodedata.normalize("NFKC", text).split()))
    if not text:
        return ReportRequest("help")
    head, rest = _split_head(text)
    kind = _KINDS.get(head.lower())
    if kind is None:
        raise ReportSyntaxError("report.unknown", sub=head)
    if kind in ("help", "schedule", "risks"):
        return ReportRequest(kind)
    if kind == "standup":
        return ReportRequest("standup", day=local_now(now, tz).date())
    if kind == "labor":
        group: GroupBy = "worker"
        m = _BY_RE.search(rest)
        if m:
            word = (m.group(1) or m.group(2)).lower()
            if word not in _GROUPS:
                raise ReportSyntaxError("report.bad_group", text=word)
            group = _GROUPS[word]
            rest = (rest[: m.start()] + " " + rest[m.end() :]).strip()
        return ReportRequest(
            "labor", period=parse_period(rest, now=now, tz=tz, default="week"), group_by=group
        )
    if kind == "cost":
        return ReportRequest("cost", period=parse_period(rest, now=now, tz=tz, default="all"))
    if kind == "timesheet":
        day = local_now(now, tz).date()
        if rest:
            found = parse_date_phrase(rest, now=now, tz=tz)
            if found is None:
                raise ReportSyntaxError("report.bad_period", text=rest)
            day = found
        return ReportRequest("timesheet", day=day)
    if kind == "wages":
        return _wages(rest, local_now(now, tz).date())
    if kind == "funds":
        phrase = rest.strip()
        if not phrase or phrase.lower() in _NAMED_PERIODS and _NAMED_PERIODS[phrase.lower()] == "all":
            return ReportRequest("funds")
        month = month_word(phrase, local_now(now, tz).date())
        if month is None:
            raise ReportSyntaxError("report.bad_month", text=phrase)
        return ReportRequest("funds", month=month)
    words = rest.split()
    if kind == "export":
        export_kind = _take(words, _EXPORT_KINDS)
        if export_kind is None:
            raise ReportSyntaxError("report.bad_export")
        fmt = _take(words, _FORMATS) or "csv"
        period = parse_period(" ".join(words), now=now, tz=tz, default="all")
        return ReportRequest("export", period=period, export_kind=export_kind, fmt=fmt)
    chart = _take(words, _CHARTS)
    if chart is None or words:
        raise ReportSyntaxError("report.bad_chart")
    return ReportRequest("chart", chart=chart)

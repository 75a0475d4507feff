"""Grammar of the record-management subcommands (list, edit, void, undo, approve, help) of /log-labor
and /expense, and of the fields an edit names; pure text in, typed values out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bot.parsing.dates import local_now, parse_date_phrase
from bot.parsing.money import parse_money
from bot.parsing.numbers import CN_NUMERAL_CHARS, parse_number, spaced, to_simplified

_MENTION_RE = re.compile(r"<@([UW][A-Z0-9]+)\|[^>]*>")
_ID_RE = re.compile(r"^(?:([LEF])-?)?(\d{1,12})$", re.IGNORECASE)
_HOURS_RE = re.compile(r"^(.+?)\s*(?:h|hrs?|hours?|小时|个小时)?$", re.IGNORECASE)
_RATE_RE = re.compile(
    r"^(?P<amt>.+?)\s*(?:/|per\s+|每)\s*(?P<unit>day|d|天|日|工日|工|hour|hr|h|小时)$", re.IGNORECASE
)
_URL_RE = re.compile(r"^https?://\S+$")
_NONE_WORDS = {"none", "no", "-", "无", "清除", "clear"}

SUBCOMMANDS = {
    "list": "list", "ls": "list", "列表": "list", "查看": "list", "清单": "list",
    "edit": "edit", "编辑": "edit", "修改": "edit", "改": "edit",
    "undo": "undo", "撤销": "undo", "撤回": "undo",
    "void": "void", "delete": "void", "作废": "void", "删除": "void",
    "approve": "approve", "审批": "approve", "批准": "approve",
    "reopen": "reopen", "重开": "reopen", "解锁": "reopen",
    "help": "help", "?": "help", "帮助": "help",
}  # fmt: skip
LABOR_FIELDS = {
    "hours": "hours", "hour": "hours", "hrs": "hours", "h": "hours", "工时": "hours", "小时": "hours",
    "date": "date", "日期": "date",
    "task": "task", "任务": "task",
    "note": "note", "备注": "note",
    "rate": "rate", "单价": "rate", "工价": "rate",
    "ot": "overtime", "overtime": "overtime", "加班": "overtime",
    "headcount": "headcount", "people": "headcount", "人数": "headcount",
}  # fmt: skip
EXPENSE_FIELDS = {
    "amount": "amount", "金额": "amount",
    "currency": "currency", "币种": "currency",
    "category": "category", "cat": "category", "类别": "category", "分类": "category",
    "vendor": "vendor", "supplier": "vendor", "供应商": "vendor", "商家": "vendor",
    "date": "date", "日期": "date",
    "task": "task", "任务": "task",
    "note": "note", "备注": "note",
    "receipt": "receipt", "票据": "receipt", "发票": "receipt", "收据": "receipt",
}  # fmt: skip
_CN_KEYS = sorted((k for k in {**LABOR_FIELDS, **EXPENSE_FIELDS} if not k.isascii()), key=len, reverse=True)
# A key glued to its value is split off (工时6 → 工时 6), but not a unit after a number: 6小时 and 两小时
# are hours, not a second `hours` field with nothing in it.
_CN_KEY_RE = re.compile(
    rf"(?<![\d.{CN_NUMERAL_CHARS}半个個])小时|" + "|".join(k for k in _CN_KEYS if k != "小时")
)
CURRENCY_WORDS = {"¥": "CNY", "￥": "CNY", "元": "CNY", "rmb": "CNY", "$": "USD", "€": "EUR"}
CURRENCIES = {"CNY", "USD", "EUR", "HKD", "GBP", "JPY", "SGD", "AUD", "CAD"}


class RecordSyntaxError(ValueError):
    """A subcommand that could not be read; `field` names the part and `value` what was given."""

    def __init__(self, field: str, value: str) -> None:
        self.field = field
        self.value = value
        super().__init__(f"{field}: {value}")


@dataclass(frozen=True)
class Subcommand:
    """A management subcommand and the text after it."""

    name: str
    rest: str


@dataclass(frozen=True)
class Period:
    """A date range a list covers; `kind` is today, week, month or day."""

    start: date
    end: date
    kind: str


@dataclass
class Changes:
    """The fields an edit names, as typed values."""

    values: dict[str, Any] = field(default_factory=dict)


def normalize_mentions(text: str) -> str:
    """`<@U123|name>` (how Slack sends mentions in command text) → `<@U123>`."""
    return _MENTION_RE.sub(r"<@\1>", text)


def subcommand(text: str) -> Subcommand | None:
    """The management subcommand the text starts with, if any."""
    head, _, rest = text.strip().partition(" ")
    name = SUBCOMMANDS.get(head.lower())
    return Subcommand(name, rest.strip()) if name else None


def entry_id(text: str, prefix: str) -> int:
    """`L-12` / `l12` / `12` → 12 (for prefix L); anything else is a RecordSyntaxError."""
    m = _ID_RE.match(text.strip())
    if m is None or (m.group(1) and m.group(1).upper() != prefix):
        raise RecordSyntaxError("id", text.strip())
    return int(m.group(2))


def split_id(rest: str, prefix: str) -> tuple[int, str]:
    """The id at the start of `rest` and the text after it."""
    head, _, tail = rest.strip().partition(" ")
    return entry_id(head, prefix), tail.strip()


def _today(now: datetime, tz: str) -> date:
    return local_now(now, tz).date()


def period(text: str, *, now: datetime, tz: str, default: str = "week") -> Period:
    """`today`, `week`, `last week`, `month`, `last month` or a date (in English or Chinese)."""
    today = _today(now, tz)
    word = to_simplified(text.strip().lower()) or default  # 本週 is 本周
    monday = today - timedelta(days=today.weekday())
    if word in ("today", "今天", "今日"):
        return Period(today, today, "today")
    if word in ("week", "this week", "本周", "这周", "周"):
        return Period(monday, monday + timedelta(days=6), "week")
    if word in ("last week", "上周"):
        return Period(monday - timedelta(days=7), monday - timedelta(days=1), "day_range")
    first = today.replace(day=1)
    if word in ("month", "this month", "本月", "这个月", "月"):
        nxt = (first + timedelta(days=32)).replace(day=1)
        return Period(first, nxt - timedelta(days=1), "month")
    if word in ("last month", "上月", "上个月"):
        end = first - timedelta(days=1)
        return Period(end.replace(day=1), end, "day_range")
    day = parse_date_phrase(text, now=now, tz=tz)
    if day is None:
        raise RecordSyntaxError("period", text.strip())
    return Period(day, day, "day")


def approve_week(text: str, *, now: datetime, tz: str) -> date:
    """The Monday of the week `approve week [<date>]` names (this week when none)."""
    rest = re.sub(r"^(?:week|本周|这周|周)\s*", "", text.strip(), flags=re.IGNORECASE).strip()
    today = _today(now, tz)
    if rest in ("", "this", "this week"):
        day = today
    elif rest.lower() in ("last", "last week", "上周"):
        day = today - timedelta(days=7)
    else:
        parsed = parse_date_phrase(rest, now=now, tz=tz)
        if parsed is None:
            raise RecordSyntaxError("week", rest)
        day = parsed
    return day - timedelta(days=day.weekday())


def week_request(text: str, *, now: datetime, tz: str) -> tuple[date, bool]:
    """`approve week [<date>] [force]` / `reopen week <date>` → (Monday, force); without a date, the last
    completed week (the one before this one)."""
    words = text.strip().split()
    force = any(w.lower() in ("force", "强制") for w in words)
    rest = " ".join(w for w in words if w.lower() not in ("force", "强制"))
    rest = re.sub(r"^(?:week|本周|这周|周)\s*", "", rest, flags=re.IGNORECASE).strip()
    bare = re.sub(r"^(?:week)\s*", "", " ".join(words), flags=re.IGNORECASE).strip().lower()
    if not rest and bare in ("", "force", "强制") and not text.strip().startswith(("本周", "这周")):
        today = _today(now, tz)
        monday = today - timedelta(days=today.weekday())
        return monday - timedelta(days=7), force
    return approve_week(rest if rest else "this", now=now, tz=tz), force


def _segments(text: str, keys: dict[str, str]) -> tuple[list[tuple[str | None, str]], str | None]:
    """Split `text` into (field, value) segments at keywords; the `-- note` tail is returned apart."""
    note = None
    m = re.search(r"(?:^|\s)(?:--|——)\s*(.*)$", text, re.DOTALL)
    if m is not None:
        note = m.group(1).strip()
        text = text[: m.start()]
    # A key glued to its value is split off, found in traditional script too (金額3500); the values stay as
    # typed (a vendor's or a note's characters are the user's).
    text = spaced(_CN_KEY_RE, text)
    segments: list[tuple[str | None, str]] = []
    current: str | None = None
    words: list[str] = []
    for token in text.split():
        key = keys.get(to_simplified(token.lower()))
        if key is not None:
            if current is not None or words:
                segments.append((current, " ".join(words)))
            current, words = key, []
        else:
            words.append(token)
    if current is not None or words:
        segments.append((current, " ".join(words)))
    named = [key for key, _ in segments if key is not None]
    for key in dict.fromkeys(k for k in named if named.count(k) > 1):
        # `hours 6 hours 7`: which one was meant is not ours to guess; nothing is changed.
        raise RecordSyntaxError(key, " / ".join(v for k, v in segments if k == key))
    return segments, note


def hours_value(text: str) -> Decimal:
    """`6`, `6h`, `7.5 hours`, `六小时`, `两` → Decimal hours."""
    m = _HOURS_RE.match(to_simplified(text.strip()))
    value = parse_number(m.group(1)) if m else None
    if value is None:
        raise RecordSyntaxError("hours", text)
    return value


def rate_value(text: str) -> tuple[Decimal, str] | None:
    """`300/day`, `40/h`, `¥300/工日` → (amount, unit); `none` → None."""
    if text.strip().lower() in _NONE_WORDS:
        return None
    m = _RATE_RE.match(text.strip())
    money = parse_money(m.group("amt")) if m else None
    if m is None or money is None or money[0] <= 0:
        raise RecordSyntaxError("rate", text)
    unit = "hour" if m.group("unit").lower() in ("hour", "hr", "h", "小时") else "day"
    return money[0], unit


def _task(text: str) -> str | None:
    value = text.strip()
    if value.lower() in _NONE_WORDS:
        return None
    if not re.fullmatch(r"[A-Za-z]{1,10}-\d{1,6}", value):
        raise RecordSyntaxError("task", value)
    return value.upper()


def _date(text: str, *, now: datetime, tz: str) -> date:
    day = parse_date_phrase(text, now=now, tz=tz)
    if day is None:
        raise RecordSyntaxError("date", text)
    return day


def labor_changes(text: str, *, now: datetime, tz: str) -> dict[str, Any]:
    """The fields of `edit L-<id> <fields>`: hours, date, task, note, rate (amount, unit) | None,
    overtime, headcount. A bare `6h` is hours."""
    segments, note = _segments(text, LABOR_FIELDS)
    changes: dict[str, Any] = {}
    if note is not None:
        changes["note"] = note
    for key, value in segments:
        if key is None:
            if not value:
                continue
            try:
                changes["hours"] = hours_value(value)
            except RecordSyntaxError:
                changes["date"] = _date(value, now=now, tz=tz)
            continue
        if not value and key != "note":
            raise RecordSyntaxError(key, "")
        if key in ("hours", "overtime"):
            changes[key] = hours_value(value)
        elif key == "date":
            changes["date"] = _date(value, now=now, tz=tz)
        elif key == "task":
            changes["task"] = _task(value)
        elif key == "note":
            changes["note"] = value or None
        elif key == "rate":
            changes["rate"] = rate_value(value)
        elif key == "headcount":
            count = parse_number(value.rstrip("人"))
            if count is None or count != int(count):
                raise RecordSyntaxError("headcount", value)
            changes["headcount"] = int(count)
    return changes


def currency_value(text: str) -> str:
    """`USD`, `$`, `元` → an ISO code."""
    word = text.strip()
    code = CURRENCY_WORDS.get(word.lower(), word.upper())
    if code not in CURRENCIES:
        raise RecordSyntaxError("currency", text)
    return code


def expense_changes(text: str, *, now: datetime, tz: str, category_of: Any) -> dict[str, Any]:
    """The fields of `edit E-<id> <fields>`: amount (and currency when stated), currency, category,
    vendor, date, task, note, receipt. A bare amount or category word is read as such."""
    segments, note = _segments(text, EXPENSE_FIELDS)
    changes: dict[str, Any] = {}
    if note is not None:
        changes["note"] = note
    for key, value in segments:
        if key is None or key == "amount":
            if not value:
                if key is None:
                    continue
                raise RecordSyntaxError("amount", "")
            money = parse_money(value)
            if money is not None:
                if "amount" in changes:
                    raise RecordSyntaxError("amount", value)  # a second amount: which one is meant?
                if money[1] and changes.get("currency", money[1]) != money[1]:
                    raise RecordSyntaxError("currency", value)
                changes["amount"] = money[0]
                if money[1]:
                    changes["currency"] = money[1]
            elif key is None and category_of(to_simplified(value)) is not None:
                changes["category"] = category_of(to_simplified(value))
            elif key is None and _URL_RE.match(value):
                changes["receipt"] = value
            else:
                raise RecordSyntaxError("amount", value)
            continue
        if not value and key != "note":
            raise RecordSyntaxError(key, "")
        if key == "currency":
            code = currency_value(value)
            if changes.get("currency", code) != code:
                raise RecordSyntaxError("currency", value)  # `amount $60 currency EUR`: two currencies
            changes["currency"] = code
        elif key == "category":
            category = category_of(to_simplified(value))
            if category is None:
                raise RecordSyntaxError("category", value)
            changes["category"] = category
        elif key == "vendor":
            changes["vendor"] = None if value.lower() in _NONE_WORDS else value.lstrip("@")
        elif key == "date":
            changes["date"] = _date(value, now=now, tz=tz)
        elif key == "task":
            changes["task"] = _task(value)
        elif key == "note":
            changes["note"] = value or None
        elif key == "receipt":
            if value.lower() in _NONE_WORDS:
                changes["receipt"] = None
            elif not _URL_RE.match(value):
                raise RecordSyntaxError("receipt", value)
            else:
                changes["receipt"] = value
    return changes

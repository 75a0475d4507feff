"""Formatting of money, hours, dates and ids, shared by every view."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.parsing.record_commands import Period
from bot.views.catalog import t

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}
_WEEKDAYS = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "zh": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
}


def money(amount: Decimal | None, currency: str) -> str:
    """¥3,200.00 / $480.00 / 1,000.00 SGD."""
    if amount is None:
        return "—"
    symbol = SYMBOLS.get(currency)
    text = f"{Decimal(amount):,.2f}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def hours(value: Decimal | float | None) -> str:
    """8 / 8.5 / 0.25 without trailing zeros."""
    if value is None:
        return "—"
    text = f"{Decimal(str(value)):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def day(value: date, lang: str) -> str:
    """2026-11-25 (Wed) / 2026-11-25（周三）."""
    weekday = _WEEKDAYS["zh" if lang == "zh" else "en"][value.weekday()]
    return f"{value.isoformat()}（{weekday}）" if lang == "zh" else f"{value.isoformat()} ({weekday})"


def labor_id(entry_id: int | None) -> str:
    return f"L-{entry_id}"


def expense_id(entry_id: int | None) -> str:
    return f"E-{entry_id}"


def risk_id(number: int) -> str:
    return f"R-{number}"


def zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def period_label(lang: str, p: Period, *, record: str) -> str:
    """A listed period in words: "this week", "today", "on 2026-11-02", or its first and last day."""
    if p.kind == "week" or (p.kind == "month" and record == "expense"):
        return t(lang, f"{record}.period.{p.kind}")
    if p.kind == "today":
        return t(lang, "labor.period.today")
    if p.kind == "day":
        return t(lang, "labor.period.day", date=p.start.isoformat())
    return t(lang, "records.period.range", start=p.start.isoformat(), end=p.end.isoformat())

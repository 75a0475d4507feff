"""Formatting of money, percentages, ratios, hours, dates and ids, shared by every view and export.

Figures arrive exact (unrounded Decimals) and are rounded here, once, half up, to what is shown:
money to the cent, percentages to 0.1 point, ratios (CPI, SPI) to 0.01. Every post, report, home tab
and export goes through these functions, so one figure reads the same everywhere (contract §8).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from bot.parsing.record_commands import Period
from bot.views.catalog import t

CENT = Decimal("0.01")
PERCENT_SHOWN = Decimal("0.1")
RATIO_SHOWN = Decimal("0.01")
_NA = {"en": "n/a", "zh": "暂无"}

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}
_WEEKDAYS = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "zh": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
}


def round_half_up(value: Decimal | int | float | str, step: Decimal) -> Decimal:
    """The one rounding rule of the books: half up, to the step shown."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return exact.quantize(step, rounding=ROUND_HALF_UP)


def cents(amount: Decimal | int | float | str) -> Decimal:
    """An amount rounded half up to the cent (what is shown and exported)."""
    return round_half_up(amount, CENT)


def money(amount: Decimal | None, currency: str) -> str:
    """¥3,200.00 / $480.00 / 1,000.00 SGD."""
    if amount is None:
        return "—"
    symbol = SYMBOLS.get(currency)
    exact = cents(amount)
    sign = "-" if exact < 0 else ""  # -¥4,950.50, not ¥-4,950.50
    text = f"{abs(exact):,.2f}"
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"


def fx_rate(rate: Decimal) -> str:
    """An exchange rate as stored, without trailing zeros: 7.120000 → 7.12."""
    return format(Decimal(rate).normalize(), "f")


def percent_value(value: Decimal) -> str:
    """A percentage as shown, without the sign: 23.5453 → 23.5, 14.0 → 14."""
    text = f"{round_half_up(value, PERCENT_SHOWN):f}"
    return text[:-2] if text.endswith(".0") else text


def ratio_value(value: Decimal) -> Decimal:
    """A ratio as shown: 0.77495 → 0.77."""
    return round_half_up(value, RATIO_SHOWN)


def percent(value: Decimal | None, lang: str) -> str:
    """23.5% / 14% (n/a / 暂无 when undefined); the same text in both languages."""
    return _NA["zh" if lang == "zh" else "en"] if value is None else f"{percent_value(value)}%"


def ratio(value: Decimal | None, lang: str) -> str:
    """0.77 (n/a / 暂无 when undefined)."""
    return _NA["zh" if lang == "zh" else "en"] if value is None else str(ratio_value(value))


def people_count(count: int, lang: str) -> str:
    """A number of people: 1 person, 5 people, 5 人."""
    if lang == "zh":
        return f"{count} 人"
    return f"{count} person" if count == 1 else f"{count} people"


def day_count(count: int, lang: str) -> str:
    """A number of days for a template: 1 day, 3 days (the Chinese template carries its own 天)."""
    if lang == "zh":
        return str(count)
    return "1 day" if count == 1 else f"{count} days"


def hours(value: Decimal | float | None) -> str:
    """8 / 8.5 / 0.25 without trailing zeros."""
    if value is None:
        return "—"
    text = f"{round_half_up(value, CENT):.2f}".rstrip("0").rstrip(".")
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
    if p.kind == "week" or (p.kind == "month" and record in ("expense", "funds")):
        return t(lang, f"{record}.period.{p.kind}")
    if p.kind == "today":
        return t(lang, "labor.period.today")
    if p.kind == "day":
        return t(lang, "labor.period.day", date=p.start.isoformat())
    return t(lang, "records.period.range", start=p.start.isoformat(), end=p.end.isoformat())

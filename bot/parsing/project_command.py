"""Grammar of `/project create` and `/project set`: text in, a typed spec out (pure)."""

from __future__ import annotations

import re
import shlex
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bot.parsing.dates import parse_date_phrase
from bot.parsing.money import parse_money
from bot.scheduler.calendar import parse_workdays

CURRENCIES = {"CNY", "USD", "EUR", "HKD", "GBP", "JPY", "SGD", "AUD", "CAD"}
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,9}$")
KEYWORDS = {
    "code": "code",
    "代码": "code",
    "编号": "code",
    "budget": "budget",
    "预算": "budget",
    "tz": "tz",
    "timezone": "tz",
    "时区": "tz",
    "standup": "standup",
    "站会": "standup",
    "workdays": "workdays",
    "工作日": "workdays",
    "holidays": "holidays",
    "节假日": "holidays",
    "lang": "lang",
    "language": "lang",
    "语言": "lang",
    "start": "start",
    "开始": "start",
    "end": "end",
    "结束": "end",
    "currency": "currency",
    "币种": "currency",
}


class SpecError(ValueError):
    """Bad project text; `field` names the part and `value` what was given."""

    def __init__(self, field: str, value: str) -> None:
        self.field = field
        self.value = value
        super().__init__(f"{field}: {value}")


@dataclass
class ProjectSpec:
    """The fields a `/project create` or `/project set` states; absent ones are None."""

    name: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


def _tokens(text: str) -> list[str]:
    try:
        return shlex.split(text.replace("“", '"').replace("”", '"'))
    except ValueError:
        return text.split()


def parse_field(key: str, raw: str, *, now: datetime, tz: str) -> dict[str, Any]:
    """One field's value, validated; returns the model attributes it sets."""
    value = raw.strip()
    if key == "code":
        if not _CODE.match(value):
            raise SpecError("code", value)
        return {"code": value.upper()}
    if key == "budget":
        money = parse_money(value)
        if money is None or money[0] < 0:
            raise SpecError("budget", value)
        amount, currency = money
        return {"budget": amount} | ({"currency": currency} if currency else {})
    if key == "currency":
        if value.upper() not in CURRENCIES:
            raise SpecError("currency", value)
        return {"currency": value.upper()}
    if key == "tz":
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise SpecError("tz", value) from None
        return {"timezone": value}
    if key == "standup":
        match = _HHMM.match(value)
        if not match:
            raise SpecError("standup", value)
        return {"standup_time": f"{int(match[1]):02d}:{match[2]}"}
    if key == "workdays":
        try:
            days = parse_workdays(value)
        except ValueError:
            raise SpecError("workdays", value) from None
        return {"workdays": ",".join(str(d) for d in days)}
    if key == "holidays":
        import holidays as hol

        code = value.upper()
        if code in ("NONE", "OFF", "无"):
            return {"holidays_country": None}
        if code not in hol.list_supported_countries():
            raise SpecError("holidays", value)
        return {"holidays_country": code}
    if key == "lang":
        lang = {"中文": "zh", "英文": "en", "english": "en", "chinese": "zh"}.get(
            value.lower(), value.lower()
        )
        if lang not in ("en", "zh"):
            raise SpecError("lang", value)
        return {"language": lang}
    if key in ("start", "end"):
        day = parse_date_phrase(value, now=now, tz=tz)
        if day is None:
            raise SpecError(key, value)
        return {f"{key}_date": day}
    raise SpecError("field", key)


def parse_create(text: str, *, now: datetime, tz: str = "UTC") -> ProjectSpec:
    """`<name> [code X] [budget N [CUR]] [tz …] [standup HH:MM] [workdays …] [holidays CC] [lang …] [start D] [end D]`."""
    tokens = _tokens(text)
    name_parts: list[str] = []
    spec = ProjectSpec()
    i = 0
    while i < len(tokens) and tokens[i].lower() not in KEYWORDS:
        name_parts.append(tokens[i])
        i += 1
    pending: list[tuple[str, list[str]]] = []
    while i < len(tokens):
        key = KEYWORDS.get(tokens[i].lower())
        if key is None:
            if not pending:
                raise SpecError("field", tokens[i])
            pending[-1][1].append(tokens[i])
        else:
            pending.append((key, []))
        i += 1
    if not name_parts:
        raise SpecError("name", "")
    spec.name = " ".join(name_parts)[:200]
    for key, words in pending:
        if not words:
            raise SpecError(key, "")
        spec.values.update(parse_field(key, " ".join(words), now=now, tz=spec.values.get("timezone", tz)))
    start, end = spec.values.get("start_date"), spec.values.get("end_date")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        raise SpecError("end", str(end))
    return spec


def default_code(name: str) -> str:
    """A short code from a project name: its ASCII letters and digits, else 'P'."""
    letters = re.sub(r"[^A-Za-z0-9]", "", name).upper()
    if letters and letters[0].isalpha():
        return letters[:6]
    return "P"


def parse_budget_amount(text: str) -> Decimal | None:
    """An amount such as '100000', '1,250.50' or '¥3,200'; None when not money."""
    money = parse_money(text.strip())
    return money[0] if money else None

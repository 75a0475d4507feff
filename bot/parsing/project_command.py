"""Grammar of `/project create` and `/project set`: text in, a typed spec out (pure)."""

from __future__ import annotations

import re
import shlex
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bot.domain.calendar import parse_workdays
from bot.parsing.money import parse_money
from bot.parsing.numbers import to_simplified
from bot.parsing.task_command import parse_future_date

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
        day = parse_future_date(value, now=now, tz=tz)
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


# --- `/project set`, `budget <category>`, `role`, `crew`, `worker` ---

SET_KEYWORDS = {
    **KEYWORDS,
    "name": "name", "名称": "name", "名字": "name",
    "meeting": "meeting", "会议": "meeting", "例会": "meeting",
    "thresholds": "thresholds", "threshold": "thresholds", "阈值": "thresholds", "预警": "thresholds",
    "stale": "stale", "停滞": "stale",
    "tolerance": "tolerance", "容差": "tolerance",
    "hours": "hours", "工时": "hours",
    "overtime": "overtime", "ot": "overtime", "加班": "overtime", "加班倍数": "overtime",
    "prompts": "prompts", "提醒": "prompts",
    "log": "log", "日志": "log", "施工日志": "log",
}  # fmt: skip
ROLE_WORDS = {
    "pm": "pm", "项目经理": "pm", "经理": "pm",
    "tech": "tech", "技术": "tech", "技术负责人": "tech",
    "foreman": "foreman", "班组长": "foreman", "工长": "foreman",
    "member": "member", "成员": "member",
}  # fmt: skip
BUDGET_CATEGORIES = {
    "labor": "labor", "labour": "labor", "人工": "labor",
    "material": "material", "materials": "material", "材料": "material",
    "equipment": "equipment", "设备": "equipment",
    "subcontract": "subcontract", "分包": "subcontract",
    "other": "other", "其他": "other",
}  # fmt: skip
_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2, "thu": 3,
    "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5, "sun": 6,
    "sunday": 6, "周一": 0, "周二": 1, "周三": 2, "周四": 3, "周五": 4, "周六": 5, "周日": 6, "周天": 6,
    "星期一": 0, "星期二": 1, "星期三": 2, "星期四": 3, "星期五": 4, "星期六": 5, "星期日": 6, "星期天": 6,
}  # fmt: skip
_MEETING_RE = re.compile(
    r"^(?:every\s+)?(?P<n>\d+|[一二两三四])\s*(?:weeks?|w|周)\s+(?:on\s+)?(?P<day>\S+)\s+(?:at\s+)?(?P<time>\d{1,2}:\d{2})$",
    re.IGNORECASE,
)
_MEETING_ZH_RE = re.compile(r"^每\s*(?P<n>\d+|[一二两三四])\s*周\s*(?P<day>\S+?)\s*(?P<time>\d{1,2}:\d{2})$")
_CN_SMALL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_MENTION_ID = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_RATE_RE = re.compile(
    r"^(?P<amt>.+?)\s*(?:/|per\s+|每)\s*(?P<unit>day|d|天|日|工日|hour|hr|h|小时)$", re.IGNORECASE
)


def _small_int(text: str) -> int | None:
    return int(text) if text.isdigit() else _CN_SMALL.get(text)


def parse_setting(key: str, raw: str, *, now: datetime, tz: str) -> dict[str, Any]:
    """One `/project set` field (any create field plus the scheduling and cost settings)."""
    value = raw.strip()
    if not value:
        raise SpecError(key, value)
    if key == "name":
        return {"name": value[:200]}
    if key == "meeting":
        m = _MEETING_RE.match(value) or _MEETING_ZH_RE.match(value)
        n = _small_int(m.group("n")) if m else None
        day = _WEEKDAYS.get(m.group("day").lower()) if m else None
        hhmm = _HHMM.match(m.group("time")) if m else None
        if m is None or n is None or not 1 <= n <= 8 or day is None or hhmm is None:
            raise SpecError("meeting", value)
        return {
            "meeting_every_weeks": n,
            "meeting_weekday": day,
            "meeting_time": f"{int(hhmm[1]):02d}:{hhmm[2]}",
        }
    if key == "thresholds":
        parts = [p for p in re.split(r"[,，\s%]+", value) if p]
        if not parts or not all(p.isdigit() and 0 < int(p) <= 1000 for p in parts):
            raise SpecError("thresholds", value)
        return {"thresholds": ",".join(str(n) for n in sorted({int(p) for p in parts}))}
    if key in ("stale", "tolerance"):
        digits = re.sub(r"(?:d|days?|天|个?工作日|%|点)$", "", value, flags=re.IGNORECASE).strip()
        limit = 60 if key == "stale" else 100
        if not digits.isdigit() or not (1 if key == "stale" else 0) <= int(digits) <= limit:
            raise SpecError(key, value)
        return {"stale_days" if key == "stale" else "tolerance": int(digits)}
    if key == "hours":
        amount = parse_budget_amount(re.sub(r"(?:h|hours?|小时)$", "", value, flags=re.IGNORECASE))
        if amount is None or not 0 < amount <= 24:
            raise SpecError("hours", value)
        return {"hours_per_day": amount}
    if key == "overtime":
        after = parse_overtime_after(value)
        if after is not None:
            return after
        amount = parse_budget_amount(value.rstrip("xX×倍"))
        if amount is None or not 1 <= amount <= 5:
            raise SpecError("overtime", value)
        return {"overtime_multiplier": amount}
    if key == "prompts":
        flag = {"on": True, "off": False, "开": True, "关": False, "开启": True, "关闭": False}.get(
            value.lower()
        )
        if flag is None:
            raise SpecError("prompts", value)
        return {"prompts_enabled": flag}
    if key == "log":  # the daily construction log's post time (issue 16)
        if value.lower() in ("off", "关", "关闭"):
            return {"log_time": "off"}
        hhmm = _HHMM.match(value)
        if hhmm is None:
            raise SpecError("log", value)
        return {"log_time": f"{int(hhmm[1]):02d}:{hhmm[2]}"}
    return parse_field(key, value, now=now, tz=tz)


def parse_set(text: str, *, now: datetime, tz: str) -> dict[str, Any]:
    """`<field> <value>` of `/project set` → the model attributes it changes."""
    head, _, rest = text.strip().partition(" ")
    key = SET_KEYWORDS.get(head.lower())
    if key is None:
        raise SpecError("field", head)
    values = parse_setting(key, rest, now=now, tz=tz)
    start, end = values.get("start_date"), values.get("end_date")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        raise SpecError("end", str(end))
    return values


def parse_budget_line(text: str) -> tuple[str | None, Decimal, str | None]:
    """`<category> <amount>` → (category, amount, currency); no category means the total budget."""
    head, _, rest = text.strip().partition(" ")
    category = BUDGET_CATEGORIES.get(head.lower())
    money = parse_money(rest if category else text.strip())
    if money is None or money[0] < 0:
        raise SpecError("budget", text.strip())
    return category, money[0], money[1]


def parse_role(text: str) -> tuple[str, str]:
    """`<@U…> <role>` (either order) → (user id, role)."""
    user = role = None
    for token in text.split():
        m = _MENTION_ID.match(token)
        if m:
            user = m.group(1)
        elif token.lower() in ROLE_WORDS:
            role = ROLE_WORDS[token.lower()]
        else:
            # "@ana" as typed is a name Slack did not turn into a member: the person, not the role, is unread.
            raise SpecError("user" if token.startswith(("@", "＠")) else "role", token)
    if user is None:
        raise SpecError("user", text.strip())
    if role is None:
        raise SpecError("role", text.strip())
    return user, role


def parse_rate(text: str) -> tuple[Decimal, str]:
    """`300/day`, `40/hour`, `¥300/工日` → (amount, unit)."""
    m = _RATE_RE.match(text.strip())
    money = parse_money(m.group("amt")) if m else None
    if m is None or money is None or money[0] <= 0:
        raise SpecError("rate", text.strip())
    return money[0], "hour" if m.group("unit").lower() in ("hour", "hr", "h", "小时") else "day"


@dataclass
class PeopleSpec:
    """A crew or worker definition: name and optional rate, lead (crew) or crew (worker)."""

    name: str
    rate: tuple[Decimal, str] | None = None
    lead: str | None = None
    crew: str | None = None
    rate_from: str | None = None  # the `from <date>` of the rate, as written


_RATE_LIKE_RE = re.compile(r"\d\s*(?:/|元|块|[¥$€])|[¥$€]\s*\d")
_PEOPLE_KEYS = {"rate": "rate", "单价": "rate", "工价": "rate", "lead": "lead", "组长": "lead",
                "班组长": "lead", "crew": "crew", "班组": "crew"}  # fmt: skip


def parse_people(text: str, *, kind: str) -> PeopleSpec:
    """`<name> [rate <amount>/day|/hour] [lead <@U…>]` (crew) or `<name> [crew <name>] [rate …]` (worker)."""
    tokens = _tokens(text)
    name_parts: list[str] = []
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for token in tokens:
        # The keywords in traditional script too (班組, 單價): 張三 班組 鋼筋班 must not become one name.
        key = _PEOPLE_KEYS.get(to_simplified(token.lower()))
        if key is not None and (key != "lead" or kind == "crew") and (key != "crew" or kind == "worker"):
            current = key
            fields[key] = []
        elif current is None:
            if _RATE_LIKE_RE.search(token):
                raise SpecError("name", token)  # "350/天" in a name: a rate that was not read as one
            name_parts.append(token)
        else:
            fields[current].append(token)
    if not name_parts:
        raise SpecError("name", "")
    spec = PeopleSpec(name=" ".join(name_parts)[:100])
    if "rate" in fields:
        words = fields["rate"]
        cut = next((i for i, w in enumerate(words) if w.lower() in _FROM_WORDS), len(words))
        spec.rate = parse_rate(" ".join(words[:cut]))
        spec.rate_from = " ".join(words[cut + 1 :]) if cut < len(words) else None
    if "lead" in fields:
        m = _MENTION_ID.match(" ".join(fields["lead"]))
        if m is None:
            raise SpecError("lead", " ".join(fields["lead"]))
        spec.lead = m.group(1)
    if "crew" in fields:
        if not fields["crew"]:
            raise SpecError("crew", "")
        spec.crew = " ".join(fields["crew"])[:100]
    return spec


# --- books (issue 11): `rate`, `fx`, `set overtime after`, `from <date>` on rates ---

_FROM_WORDS = ("from", "从", "自", "起")
_FROM_RE = re.compile(r"\s+(?:from|从|自)\s+(?P<date>.+?)\s*(?:起)?$", re.IGNORECASE)


def split_from(text: str, *, now: datetime, tz: str) -> tuple[str, date | None]:
    """`300/day from 12/1` → ('300/day', 2026-12-01); without `from` the date is None (every date)."""
    m = _FROM_RE.search(" " + text.strip())
    if m is None:
        return text.strip(), None
    day = parse_past_or_future_date(m.group("date"), now=now, tz=tz)
    if day is None:
        raise SpecError("from", m.group("date"))
    return (" " + text.strip())[: m.start()].strip(), day


def parse_past_or_future_date(phrase: str, *, now: datetime, tz: str) -> date | None:
    """A date as written (ISO, 12/1, 12月1日, today …), past or future."""
    from bot.parsing.dates import parse_date_phrase

    found = parse_date_phrase(phrase, now=now, tz=tz)
    if found is not None:
        return found
    return parse_future_date(phrase, now=now, tz=tz)


@dataclass
class RateSpec:
    """`/project rate <@U…|role> <amount>/day|/hour [from <date>]`."""

    subject_kind: str  # user | role
    subject: str
    amount: Decimal
    unit: str
    effective_from: date | None


def parse_rate_command(text: str, *, now: datetime, tz: str) -> RateSpec:
    """A rate for a Slack user or a role's default (中文 `单价 @张工 400/天`)."""
    body, day = split_from(text, now=now, tz=tz)
    head, _, rest = body.strip().partition(" ")
    m = _MENTION_ID.match(head)
    if m is not None:
        kind, subject = "user", m.group(1)
    elif head.lower() in ROLE_WORDS:
        kind, subject = "role", ROLE_WORDS[head.lower()]
    else:
        raise SpecError("user", head)
    amount, unit = parse_rate(rest)
    return RateSpec(kind, subject, amount, unit, day)


@dataclass
class FxSpec:
    """`/project fx <CUR> <rate> [from <date>]`."""

    currency: str
    rate: Decimal
    effective_from: date | None


def parse_fx(text: str, *, now: datetime, tz: str) -> FxSpec:
    """`USD 7.12`, `汇率 USD 7.12 from 2026-11-01`."""
    body, day = split_from(text, now=now, tz=tz)
    parts = body.split()
    if len(parts) != 2 or parts[0].upper() not in CURRENCIES:
        raise SpecError("fx", body)
    try:
        rate = Decimal(parts[1].replace(",", ""))
    except ArithmeticError:
        raise SpecError("fx", parts[1]) from None
    if not rate.is_finite() or rate <= 0:
        raise SpecError("fx", parts[1])
    return FxSpec(parts[0].upper(), rate, day)


def parse_overtime_after(value: str) -> dict[str, Any] | None:
    """`after 8` / `超过 8` / `after off` → {'overtime_after': …}; None when the text is not about `after`."""
    m = re.match(r"^(?:after|超过|满)\s*(?P<v>.+)$", value.strip(), re.IGNORECASE)
    if m is None:
        return None
    raw = m.group("v").strip()
    if raw.lower() in ("off", "关", "关闭", "none"):
        return {"overtime_after": None}
    amount = parse_budget_amount(re.sub(r"(?:h|hours?|小时)$", "", raw, flags=re.IGNORECASE))
    if amount is None or not 0 < amount <= 24:
        raise SpecError("overtime", value)
    return {"overtime_after": amount}

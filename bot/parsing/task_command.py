"""Grammar of `/task`: add, field changes (due, owner), list and help; status updates go to `parse`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from bot.parsing.common import TASK_KEY, normalize
from bot.parsing.dates import local_now, parse_date_phrase
from bot.parsing.numbers import CN_NUMERAL_CHARS, NUM, parse_number

_I = re.IGNORECASE
KEY_RE = re.compile(rf"^{TASK_KEY}$", _I)
_LEADING_KEY_RE = re.compile(rf"^\s*{TASK_KEY}\s*", _I)
_QUOTED_RE = re.compile(r"[\"“”「『](.+?)[\"“”」』]")
_MENTION_RE = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
# Field keywords of `add` and of the field-change forms; Chinese ones need no surrounding spaces.
_FIELD_RE = re.compile(
    r"(?:(?<=\s)|^)(owner|start|due|weight)(?=\s|:|$)|(负责人|开始日期|开始|截止日期|截止|到期|权重)", _I
)
_FIELDS = {
    "owner": "owner",
    "负责人": "owner",
    "start": "start",
    "开始": "start",
    "开始日期": "start",
    "due": "due",
    "截止": "due",
    "截止日期": "due",
    "到期": "due",
    "weight": "weight",
    "权重": "weight",
}
_ADD_WORDS = {"add", "new", "create", "添加", "新建", "新增", "创建"}
_LIST_WORDS = {"list", "ls", "列表", "查看", "清单"}
_HELP_WORDS = {"help", "帮助", "?", "？"}
# The sub-command each leading word names, for the router (a leading task key is a change to that task).
WORDS = {
    **dict.fromkeys(_ADD_WORDS, "add"),
    **dict.fromkeys(_LIST_WORDS, "list"),
    **dict.fromkeys(_HELP_WORDS, "help"),
}
LIST_FILTERS = {
    "": "open",
    "open": "open",
    "mine": "mine",
    "my": "mine",
    "我的": "mine",
    "overdue": "overdue",
    "late": "overdue",
    "逾期": "overdue",
    "超期": "overdue",
    "blocked": "blocked",
    "受阻": "blocked",
    "卡住": "blocked",
    "all": "all",
    "全部": "all",
    "所有": "all",
}

_EN_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2, "thu": 3, "thur": 3,
    "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_CN_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_IN_RE = re.compile(
    rf"^(?:in\s+)?({NUM}|\d+|an?)\s*(?:个)?\s*(days?|d|weeks?|wks?|天|日|周|星期|礼拜)\s*(?:后|以后|之后)?$",
    _I,
)
_NEXT_EN_RE = re.compile(r"^next\s+([a-z]+)\.?$", _I)
_NEXT_CN_RE = re.compile(r"^(下下|下)个?\s*(?:周|星期|礼拜)([一二三四五六日天])$")
_BARE_EN_WEEKDAY_RE = re.compile(r"^(?:on\s+)?([a-z]+)\.?$", _I)
_BARE_CN_WEEKDAY_RE = re.compile(r"^(?:周|星期|礼拜)([一二三四五六日天])$")
_HAS_YEAR_RE = re.compile(r"\d{4}|[〇零一二三四五六七八九]{4}\s*年")


class CommandError(ValueError):
    """Text that names a known subcommand but cannot be completed; `key` names a catalog string."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}")


@dataclass
class TaskCommand:
    """One `/task` subcommand: add | set | list | help | update (a status update for `parse`)."""

    action: str
    key: str | None = None
    title: str | None = None
    values: dict[str, object] = field(default_factory=dict)
    list_filter: str = "open"


def canonical_key(text: str) -> str | None:
    """`t-07` → `T-7`; None when the text is not a task key."""
    m = KEY_RE.match(text.strip())
    return f"{m.group(1).upper()}-{int(m.group(2))}" if m else None


_DAY_OF_MONTH_RE = re.compile(
    rf"(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)|(?:\d{{1,2}}|[{CN_NUMERAL_CHARS}]{{1,3}})\s*[号日號]",
    re.IGNORECASE,
)


def parse_future_date(phrase: str, *, now: datetime, tz: str) -> date | None:
    """A planned date: like `parse_date_phrase`, but bare weekdays and month-days mean the next one."""
    text = normalize(phrase).strip(" ,，.。")
    if not text:
        return None
    today = local_now(now, tz).date()
    m = _IN_RE.match(text)
    if m is not None and (text.lower().startswith("in") or re.search("后", text)):
        raw = m.group(1).lower()
        count = 1 if raw in ("a", "an") else parse_number(raw)
        if count is None:
            return None
        unit = m.group(2).lower()
        weeks = unit.startswith("w") or unit in ("周", "星期", "礼拜")
        return today + timedelta(days=int(count) * (7 if weeks else 1))
    monday = today - timedelta(days=today.weekday())
    m = _NEXT_EN_RE.match(text)
    if m is not None:
        if m.group(1).lower() == "week":
            return monday + timedelta(days=7)
        target = _EN_WEEKDAYS.get(m.group(1).lower())
        return None if target is None else monday + timedelta(days=7 + target)
    m = _NEXT_CN_RE.match(text)
    if m is not None:
        weeks = 2 if m.group(1) == "下下" else 1
        return monday + timedelta(days=7 * weeks + _CN_WEEKDAYS[m.group(2)])
    found = parse_date_phrase(text, now=now, tz=tz)
    if found is None or found >= today or _HAS_YEAR_RE.search(text):
        return found
    if _DAY_OF_MONTH_RE.fullmatch(text) and (today - found).days > 15:
        # A bare day of the month ("20号", "the 20th") means the nearest one: next month's when closer.
        months = found.year * 12 + found.month
        try:
            return found.replace(year=months // 12, month=months % 12 + 1)
        except ValueError:
            return None
    bare = _BARE_EN_WEEKDAY_RE.match(text)
    if (bare and bare.group(1).lower() in _EN_WEEKDAYS) or _BARE_CN_WEEKDAY_RE.match(text):
        return found + timedelta(days=7)
    # A month-day without a year means the nearest such day: 11/20 in late November is last week,
    # 12/15 is next month (parse_date_phrase reads it as last year's).
    if (
        re.search(r"\d+\s*/\s*\d+|月|[A-Za-z]{3}", text)
        and not re.search(r"ago|前|last|yesterday|昨|上", text, _I)
        and (today - found).days > 182
    ):
        try:
            return found.replace(year=found.year + 1)
        except ValueError:
            return None
    return found


def _mention(value: str) -> str:
    m = _MENTION_RE.match(value.strip())
    if m is None:
        raise CommandError("task.bad_owner", value=value.strip() or "—")
    return m.group(1)


def _field_values(rest: str, *, now: datetime, tz: str) -> tuple[str, dict[str, object]]:
    """Split `rest` on field keywords; returns the text before the first one and the parsed fields."""
    matches = list(_FIELD_RE.finditer(rest))
    head = rest[: matches[0].start()] if matches else rest
    values: dict[str, object] = {}
    said: dict[str, str] = {}
    for i, m in enumerate(matches):
        name = _FIELDS[(m.group(1) or m.group(2)).lower()]
        end = matches[i + 1].start() if i + 1 < len(matches) else len(rest)
        raw = rest[m.end() : end].strip(" :：,，")
        if name in said:
            # `due 12/10 due 12/12`: which one is meant is not ours to guess; nothing is stored.
            raise CommandError("task.field_twice", word=m.group(0).strip(), first=said[name], second=raw)
        said[name] = raw
        if name == "owner":
            values["owner"] = _mention(raw)
        elif name in ("start", "due"):
            day = parse_future_date(raw, now=now, tz=tz)
            if day is None:
                raise CommandError("task.bad_date", field=name, value=raw or "—")
            values[name] = day
        else:
            try:
                weight = Decimal(raw)
            except InvalidOperation:
                weight = Decimal(-1)
            if not weight.is_finite() or weight <= 0 or weight > 1000:
                raise CommandError("task.bad_weight", value=raw or "—")
            values["weight"] = weight
    return head.strip(), values


def parse_task_command(text: str, *, now: datetime, tz: str) -> TaskCommand:
    """Read `/task` text; status updates (`T-7 60%`) come back as action "update" for the parser."""
    clean = normalize(text)
    word, _, rest = clean.partition(" ")
    lowered = word.lower()
    if not clean or lowered in _HELP_WORDS:
        return TaskCommand("help")
    if lowered in _LIST_WORDS:
        choice = rest.strip().lower()
        if choice not in LIST_FILTERS:
            raise CommandError("task.bad_filter", value=rest.strip())
        return TaskCommand("list", list_filter=LIST_FILTERS[choice])
    if lowered in _ADD_WORDS:
        return _parse_add(rest, now=now, tz=tz)
    m = _LEADING_KEY_RE.match(clean)
    if m is None:
        raise CommandError("task.no_key")
    key = f"{m.group(1).upper()}-{int(m.group(2))}"
    after = clean[m.end() :]
    fm = _FIELD_RE.match(after)
    if fm is not None and _FIELDS[(fm.group(1) or fm.group(2)).lower()] in (
        "due",
        "owner",
        "start",
        "weight",
    ):
        head, values = _field_values(after, now=now, tz=tz)
        if head or not values:
            raise CommandError("task.no_change", task=key)
        return TaskCommand("set", key=key, values=values)
    return TaskCommand("update", key=key)


def _parse_add(rest: str, *, now: datetime, tz: str) -> TaskCommand:
    m = _LEADING_KEY_RE.match(rest)
    if m is None:
        raise CommandError("task.add_no_key")
    key = f"{m.group(1).upper()}-{int(m.group(2))}"
    rest = rest[m.end() :]
    title: str | None = None
    quoted = _QUOTED_RE.search(rest)
    if quoted is not None:
        title = quoted.group(1).strip()
        rest = rest[: quoted.start()] + " " + rest[quoted.end() :]
    head, values = _field_values(" ".join(rest.split()), now=now, tz=tz)
    if title is None:
        title = head
    elif head:
        raise CommandError("task.add_extra", value=head)
    if not title:
        raise CommandError("task.add_no_title", task=key)
    if len(title) > 300:
        raise CommandError("task.add_long_title")
    start, due = values.get("start"), values.get("due")
    if isinstance(start, date) and isinstance(due, date) and start > due:
        raise CommandError("task.start_after_due", start=start.isoformat(), due=due.isoformat())
    return TaskCommand("add", key=key, title=title, values=values)

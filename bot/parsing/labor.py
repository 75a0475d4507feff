"""Labor statements: who worked, how many hours, when, at what rate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.parsing.common import Context, take_date, take_mentions, take_note, take_task_key
from bot.parsing.dates import clock_time_spans
from bot.parsing.durations import (
    Scratch,
    take_break,
    take_headcount,
    take_hours,
    take_overtime,
    take_range,
)
from bot.parsing.messages import message
from bot.parsing.money import find_money
from bot.parsing.numbers import CN_NUMERAL_CHARS, DIGIT_NUM, NUM, parse_number, to_simplified
from bot.parsing.places import blank_places
from bot.parsing.result import LaborIntent, RateUnit

_I = re.IGNORECASE
_RATE_UNIT = r"(?P<unit>day|d|天|日|工日|工|hour|hr|h|小时)(?![A-Za-z])"
_RATE_AMOUNT = rf"(?:[¥$€]\s*)?{DIGIT_NUM}(?:\s*(?:元|块|rmb|cny|yuan|usd|eur))?"
_RATE_RE = re.compile(
    rf"(?:(?:rate|单价|工价|价格|@|每人|每个人|each)\s*:?\s*)?(?<![\d\-/:.])(?P<amt>{_RATE_AMOUNT})(?:\s*(?:/|per\s+|每)|一)\s*{_RATE_UNIT}"
    rf"|(?P<kw>日薪|日工资|每天|时薪|每小时|rate)\s*:?\s*(?P<amt2>{_RATE_AMOUNT})",
    _I,
)
# Day labor (点工): a pay statement per person per day is the entry's rate, and it covers one standard day.
_DAY_LABOR_RE = re.compile(
    r"点工|零工|散工|(?<![A-Za-z])day[- ]?(?:labou?r(?:ers?)?|workers?)(?![A-Za-z])", _I
)
_CREW_STOP = {"加班", "上班", "下班", "值班", "夜班", "白班", "早班", "晚班", "中班", "倒班", "换班", "排班", "跟班", "这班",
              "那班", "一班", "小组", "班组", "全组", "全队", "整队"}  # fmt: skip
_CN_CREW_RE = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:班组|班|组|队)(?![\u4e00-\u9fff])")
_EN_CREW_RE = re.compile(r"(?<![A-Za-z])([A-Za-z][A-Za-z-]*)\s+(crew|team|gang)(?![A-Za-z])", _I)
_EN_CREW_STOP = {
    "the",
    "a",
    "an",
    "our",
    "my",
    "your",
    "whole",
    "full",
    "entire",
    "this",
    "that",
    "his",
    "her",
    "their",
}
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧鲁齐柴"
)
_NAME_PREFIX = set("老小阿")
# Words that start with a surname character but are not names.
_NOT_NAMES = {"今天", "昨天", "前天", "周一", "周二", "周三", "周四", "周五", "周六", "周日", "工人", "小时", "小工", "高空",
              "方便", "马上", "金额", "江边", "石子", "黄沙", "余下", "任务", "曾经", "于是", "陈述", "许多", "何时", "孙子",
              "老板", "小组", "阿姨", "全部", "高温", "毛坯", "白天", "早上", "程序", "万元", "钱款", "向前"}  # fmt: skip
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_NAME_SPLIT_RE = re.compile(r"[\s、,，;；/和跟及与]+")
_LABOR_VERB_RE = re.compile(
    r"(?<![A-Za-z])(?:worked|work|working|did|logged|log|put in|on site|shift)(?![A-Za-z])|干了|做了|工作|上工|出工|干活|施工|作业|干",
    _I,
)
_BARE_HOURS_RE = re.compile(rf"(?<![\w.,:/\-])(?:各|每人)?({NUM})(?![\w.,:/%\-])")


@dataclass(frozen=True)
class LaborParse:
    """A labor intent with its date, error, and how strongly the text looked like labor."""

    labor: LaborIntent
    date: date
    error: str | None
    has_hours: bool
    has_people: bool
    has_verb: bool
    rest: str = ""


_RATE_HINT_RE = re.compile(r"/|per|每|一|rate|@|薪|价", _I)


def _take_rate(s: Scratch) -> tuple[Decimal | None, RateUnit | None]:
    if not _RATE_HINT_RE.search(s.text):
        return None, None
    m = s.take(_RATE_RE)
    if m is None:
        return None, None
    found = find_money(m.group("amt") or m.group("amt2"), allow_bare=True)
    if found is None:
        return None, None
    unit_word = (m.group("unit") or m.group("kw") or "").lower()
    unit: RateUnit | None = None
    if unit_word in ("day", "d", "天", "日", "工日", "工", "日薪", "日工资", "每天"):
        unit = "day"
    elif unit_word in ("hour", "hr", "h", "小时", "时薪", "每小时"):
        unit = "hour"
    return found[0], unit


def _take_crew(s: Scratch, ctx: Context) -> str | None:
    for crew in sorted(ctx.known_crews, key=len, reverse=True):
        idx = s.text.lower().find(crew.lower())
        if crew and idx >= 0:
            s.cut(idx, idx + len(crew))
            return crew
    for m in _CN_CREW_RE.finditer(s.text):
        name = m.group(0)
        if name not in _CREW_STOP and not name.endswith(("加班", "上班", "下班")):
            s.cut(m.start(), m.end())
            return name
    for m in _EN_CREW_RE.finditer(s.text):
        if m.group(1).lower() not in _EN_CREW_STOP:
            s.cut(m.start(), m.end())
            return f"{m.group(1)} {m.group(2)}"
    return None


def _looks_like_name(token: str) -> bool:
    if not 2 <= len(token) <= 3 or token in _NOT_NAMES:
        return False
    if not all("\u4e00" <= ch <= "\u9fff" for ch in token):
        return False
    return token[0] in _SURNAMES or (token[0] in _NAME_PREFIX and token[1] in _SURNAMES)


def _take_members(s: Scratch, ctx: Context) -> tuple[str, ...]:
    """Slack members named by display name ("张三李四" split against the roster) → their user ids."""
    found: list[tuple[int, str]] = []
    for name, user in sorted(ctx.known_members, key=lambda m: len(m[0]), reverse=True):
        needle = to_simplified(name)
        idx = s.text.find(needle) if len(needle) >= 2 else -1
        if idx >= 0:
            found.append((idx, user))
            s.text = s.text[:idx] + " " * len(needle) + s.text[idx + len(needle) :]
    return tuple(dict.fromkeys(user for _, user in sorted(found)))


def _take_workers(s: Scratch, ctx: Context) -> tuple[str, ...]:
    found: list[tuple[int, str]] = []
    for name in sorted(ctx.known_workers, key=len, reverse=True):
        needle = to_simplified(name)
        idx = s.text.find(needle) if needle else -1
        if idx >= 0:
            found.append((idx, name))
            s.text = s.text[:idx] + " " * len(needle) + s.text[idx + len(needle) :]
    offset = 0
    tokens = _NAME_SPLIT_RE.split(s.text) if _CJK_RE.search(s.text) else []
    for token in tokens:
        idx = s.text.find(token, offset)
        if token and _looks_like_name(token):
            found.append((idx, token))
            s.text = s.text[:idx] + " " * len(token) + s.text[idx + len(token) :]
        offset = max(offset, idx + len(token))
    return tuple(dict.fromkeys(name for _, name in sorted(found)))


def _position(text: str, name: str) -> int:
    idx = text.find(to_simplified(name))
    return idx if idx >= 0 else len(text)


def _take_roster_workers(s: Scratch, ctx: Context) -> tuple[str, ...]:
    """Known workers first, so names written together ("张三李四") are split against the roster."""
    found: list[tuple[int, str]] = []
    for name in sorted(ctx.known_workers, key=len, reverse=True):
        needle = to_simplified(name)
        idx = s.text.find(needle) if needle else -1
        if idx >= 0:
            found.append((idx, name))
            s.text = s.text[:idx] + " " * len(needle) + s.text[idx + len(needle) :]
    return tuple(name for _, name in sorted(found))


def _take_numeral_names(s: Scratch) -> list[str]:
    """Names ending in a numeral (李四, 王五, 张三) taken before hours, so "李四 半天" is not 4.5 days."""
    names: list[str] = []
    if not _CJK_RE.search(s.text):
        return names
    for token in _NAME_SPLIT_RE.split(s.text):
        if token and token[-1] in CN_NUMERAL_CHARS and _looks_like_name(token):
            idx = s.text.find(token)
            s.text = s.text[:idx] + " " * len(token) + s.text[idx + len(token) :]
            names.append(token)
    return names


def parse_labor(text: str, ctx: Context, *, bare_number_is_hours: bool) -> LaborParse:
    """Read a labor statement; an incomplete one still returns what was understood plus an error."""
    s = Scratch(text)
    note = take_note(s)
    users = tuple(dict.fromkeys((*take_mentions(s), *_take_members(s, ctx))))
    roster = _take_roster_workers(s, ctx)
    numeral_names = _take_numeral_names(s)
    task = take_task_key(s)
    rate_amount, rate_unit = _take_rate(s)
    overtime = take_overtime(s)
    break_hours = take_break(s)
    span = take_range(s)
    start = end = None
    hours_each: float | None = None
    shown: str | None = None  # the number as typed, when quoting it reads better than a float
    total = False
    from_days = False
    if span is not None:
        start, end, gross = span
        hours_each = gross - (break_hours or 0.0)
    else:
        found, _each = take_hours(s, ctx.standard_hours)
        if found is not None:
            hours_each, total, from_days = found.value, found.total, found.from_days
    if hours_each is None and rate_unit == "day" and _DAY_LABOR_RE.search(text):
        hours_each, from_days = ctx.standard_hours, True
    headcount = take_headcount(s)
    work_date = take_date(s, ctx)
    crew = _take_crew(s, ctx)
    names = dict.fromkeys((*roster, *_take_workers(s, ctx), *numeral_names))
    workers = tuple(sorted(names, key=lambda n: _position(text, n)))
    if hours_each is None and bare_number_is_hours:
        # Under /log-labor a lone number is hours ("8" is 8 h, never 26 August); clock times are not.
        for clock_start, clock_end in reversed(clock_time_spans(s.text)):
            s.cut(clock_start, clock_end)
        # Not a number that belongs to a place: "formwork on level 3" states no hours.
        m = _BARE_HOURS_RE.search(blank_places(s.text))
        if m is not None:
            s.cut(m.start(), m.end())
            shown = m.group(1)
            value = parse_number(m.group(1))
            hours_each = float(value) if value is not None else None
    has_verb = bool(_LABOR_VERB_RE.search(text))
    if headcount is None:
        named = len(users) + len(workers)
        headcount = named if named else (None if crew else 1)
    if total and hours_each is not None and headcount:
        hours_each = hours_each / headcount
    man_hours = headcount * hours_each if headcount is not None and hours_each is not None else None
    day = work_date or ctx.today
    labor = LaborIntent(
        users=users,
        workers=workers,
        crew=crew,
        headcount=headcount,
        hours_each=hours_each,
        man_hours=man_hours,
        overtime_hours=(overtime or 0.0) * (headcount or 1),
        start=start,
        end=end,
        break_hours=break_hours,
        rate_amount=rate_amount,
        rate_unit=rate_unit,
        task=task,
        note=note,
        days=hours_each / ctx.standard_hours if from_days and hours_each and ctx.standard_hours else None,
    )
    error = None
    lang = ctx.lang
    if hours_each is None:
        error = message("labor_no_hours", lang)
    elif hours_each <= 0 or (hours_each > 24 and not from_days):
        if shown is None or len(shown) <= 12:
            shown = f"{hours_each:g}"
        error = message("labor_bad_hours", lang, hours=shown if len(shown) <= 40 else shown[:40] + "…")
    elif headcount is None:
        error = message("labor_no_headcount", lang, crew=crew)
    elif day > ctx.today:
        error = message("labor_future", lang, date=day.isoformat())
    return LaborParse(
        labor=labor,
        date=day,
        error=error,
        has_hours=hours_each is not None,
        has_people=bool(users or workers or crew or (headcount or 0) > 1 or span is not None or from_days),
        has_verb=has_verb or overtime is not None or rate_amount is not None or task is not None,
        rest=s.text,
    )

"""Hours, man-days, time ranges with breaks, overtime and headcounts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from bot.parsing.dates import parse_clock_time
from bot.parsing.numbers import NUM, parse_number

__all__ = ["Scratch", "hours_of", "take_hours", "take_range", "take_break", "take_overtime", "take_headcount"]

_I = re.IGNORECASE
_NB = r"(?<![A-Za-z0-9.,_])"  # a number must not continue a word, a decimal or a key like T-12
_HOUR_UNIT = r"(?:hours?|hrs?|h|小时|小時|个钟头|钟头|鐘頭|工时|工時)(?![A-Za-z])"
_MIN_UNIT = r"(?:minutes?|mins?|m|分钟|分鐘)(?![A-Za-z])"
_QTY = rf"{_NB}(?P<n>{NUM})\s*(?P<half>个半|個半|半)?\s*[个個]?\s*"
_HALF_HOUR = r"(?:half an hour|half hour|半[个個]?小时|半[个個]?钟头)"
# "8h30m", "8h30", "8:30h" — hours and minutes together.
_HM_RE = re.compile(
    rf"{_NB}(?P<h>\d{{1,2}})\s*(?:h(?P<m2>[0-5]\d)(?![\d:.])|(?:h|hrs?|hours?|小时|个小时)\s*"
    rf"(?P<m>[0-5]?\d)\s*(?:m|min|mins|minutes?|分钟?)(?![A-Za-z\d/]))",
    _I,
)
_HOURS_RE = re.compile(
    rf"(?P<each>各|每人|每个人|每人各|each\s+|per person\s+)?\s*"
    rf"(?:(?P<total>total(?:\s+of)?|in total|共计|一共|总共|合计|共|总计)\s*)?"
    rf"(?:{_QTY}(?P<unit>{_HOUR_UNIT}|man[- ]?hours?)|(?P<halfhour>{_HALF_HOUR})|{_QTY.replace('n>', 'mn>').replace('half>', 'mhalf>')}(?P<munit>{_MIN_UNIT}))"
    r"(?P<each2>\s+each|\s+per person|\s*/\s*(?:person|人))?",
    _I,
)
_DAYS_RE = re.compile(
    rf"(?P<each>各|每人|each\s+)?\s*"
    rf"(?:{_QTY}(?P<unit>工日|工天|man[- ]?days?|days?|天|(?<=\s)日(?![\u4e00-\u9fff]))(?P<half2>半)?(?!\s*(?:ago|前|以前|之前))(?![A-Za-z])"
    r"|(?P<halfday>half\s+a\s+day|half[- ]day|半天|半日|半个工日|半工日)"
    r"|(?P<fullday>a\s+full\s+day|full[- ]day|all\s+day|whole\s+day|一整天|全天|整天))",
    _I,
)
_CLOCK = (
    r"(?:(?:早上|早晨|上午|中午|下午|傍晚|晚上|凌晨)?\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,3})\s*[点點](?:半|\d{1,2}分?|"
    r"[一二三四五六七八九十]{1,3}分?)?|\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?|\d{1,2})"
)
_RANGE_RE = re.compile(
    rf"(?:from\s+|从)?(?<![\d:.])(?P<a>{_CLOCK})\s*(?:-|–|—|~|～|to|till|until|到|至)\s*(?P<b>{_CLOCK})(?![\d:])",
    _I,
)
_DURATION = rf"(?:{_HALF_HOUR}|{NUM}\s*(?:个半|半)?\s*[个個]?\s*(?:{_HOUR_UNIT}|{_MIN_UNIT}))"
_BREAK_WORD = r"(?:lunch|break|rest|午休|午饭|午餐|休息|吃饭)"
# The keyword-first form is tried first so "8h lunch 1h" reads the break as 1 h, not 8 h.
_BREAK_RES = (
    re.compile(rf"{_BREAK_WORD}\s*(?:break)?\s*(?:of\s+|:)?\s*(?P<d>{_DURATION})", _I),
    re.compile(rf"(?P<d>{_DURATION})\s*(?:lunch|break|午休|休息)", _I),
)
# Cheap pre-checks: the keyword must be there before the full patterns run.
_RANGE_HINT_RE = re.compile(r"[-–—~～到至]|to|till|until", _I)
_BREAK_HINT_RE = re.compile(r"lunch|break|rest|午|休|吃饭", _I)
_OT_HINT_RE = re.compile(r"ot|o/t|overtime|加班", _I)
_NO_BREAK_RE = re.compile(r"no\s+(?:lunch|break)|不休息|没休息|无午休", _I)
_OT_RES = (
    re.compile(
        rf"(?<![A-Za-z])(?:ot|o/t|overtime)\s*(?:of\s+|:)?\s*\+?\s*(?P<d>{_DURATION}|{NUM}(?![\d.:]))", _I
    ),
    re.compile(rf"加班\s*(?P<d>{_DURATION})", _I),
    re.compile(rf"(?P<d>{_DURATION})\s*(?:ot|overtime|加班)(?![A-Za-z])", _I),
)
# Words for day laborers and helpers (点工 day labor, 零工/散工 casual, 小工 helper, 杂工 odd-job, 民工 laborer).
_LABORERS = "点工|零工|散工|小工|杂工|民工"
_HEADCOUNT_RE = re.compile(
    rf"(?:(?:crew|team|gang)\s+of\s+(?P<n1>{NUM})"
    rf"|{_NB}[x×*]\s*(?P<n2>\d{{1,3}})(?![\d.:])"
    rf"|{_NB}(?P<n3>\d{{1,3}})\s*[x×](?![A-Za-z\d])"
    rf"|{_NB}(?P<n4>{NUM})\s*(?:day[- ]?)?(?:workers?|guys|people|persons|men|hands|laborers?|labourers?|ppl|heads|crew members)(?![A-Za-z])"
    rf"|(?P<n5>{NUM})\s*[个個名位]?\s*(?:工人|人|师傅)"
    # 三个点工, 两名小工: a day laborer's word needs its measure word (2点工作 is two o'clock, work).
    rf"|(?P<n6>{NUM})\s*[个個名位]\s*(?:{_LABORERS})"
    # 点工3个, 小工两个 (not 点工3个小时, which is hours).
    rf"|(?:{_LABORERS}|工人)\s*(?P<n7>{NUM})\s*[个個名位](?!\s*(?:小时|小時|钟头|鐘頭|半|多|月|星期|礼拜|禮拜|工作日|工日|天)))",
    _I,
)


class Scratch:
    """Text being parsed; recognised pieces are cut out so later steps see only what is left."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """Find the first match, blank it out of the text and return it."""
        m = pattern.search(self.text)
        if m is not None:
            self.cut(m.start(), m.end())
        return m

    def cut(self, start: int, end: int) -> None:
        """Blank out text[start:end] (replaced by a space so neighbours do not merge)."""
        self.text = self.text[:start] + " " + self.text[end:]

    def rest(self) -> str:
        """What is left, with runs of whitespace collapsed."""
        return " ".join(self.text.split())


@dataclass(frozen=True)
class Hours:
    """Hours found in text: the per-person figure, or a total to be split by headcount."""

    value: float
    total: bool = False
    from_days: bool = False


def hours_of(n: str, half: str | None, unit: str) -> float | None:
    """Hours for a quantity and unit ("8", None, "h" → 8.0; "一", "个半", "小时" → 1.5; "30", None, "min" → 0.5)."""
    value = parse_number(n)
    if value is None:
        return None
    hours = float(value) + (0.5 if half else 0.0)
    if re.fullmatch(_MIN_UNIT, unit, _I):
        hours /= 60
    return hours


def _duration_hours(text: str) -> float | None:
    text = text.strip()
    plain = parse_number(text)
    if plain is not None:
        return float(plain)
    if re.fullmatch(_HALF_HOUR, text, _I):
        return 0.5
    m = re.fullmatch(rf"({NUM})\s*(个半|個半|半)?\s*[个個]?\s*(.+)", text, _I)
    if m is None:
        return None
    return hours_of(m.group(1), m.group(2), m.group(3))


def take_hours(s: Scratch, standard_hours: float) -> tuple[Hours | None, bool]:
    """Remove and return the worked hours (hours or man-days) and whether "each" was said."""
    m = s.take(_HM_RE)
    if m is not None:
        return Hours(int(m.group("h")) + int(m.group("m") or m.group("m2")) / 60), False
    m = s.take(_HOURS_RE)
    if m is not None:
        each = bool(m.group("each") or m.group("each2"))
        if m.group("halfhour"):
            value: float | None = 0.5
        elif m.group("munit"):
            value = hours_of(m.group("mn"), m.group("mhalf"), m.group("munit"))
        else:
            value = hours_of(m.group("n"), m.group("half"), m.group("unit"))
        if value is not None:
            unit = (m.group("unit") or "").lower()
            total = bool(m.group("total")) or unit.startswith("man")
            return Hours(value, total=total and not each), each
    m = s.take(_DAYS_RE)
    if m is not None:
        each = bool(m.group("each"))
        if m.group("halfday"):
            return Hours(standard_hours / 2, from_days=True), each
        if m.group("fullday"):
            return Hours(standard_hours, from_days=True), each
        days = parse_number(m.group("n"))
        if days is not None:
            days_f = float(days) + (0.5 if m.group("half") or m.group("half2") else 0.0)
            total = (m.group("unit") or "").lower().startswith("man")
            return Hours(days_f * standard_hours, total=total, from_days=True), each
    return None, False


def _clock(text: str) -> tuple[time | None, bool]:
    """A range end: a clock time, or a bare hour; the flag says whether it was unambiguous."""
    t = parse_clock_time(text)
    if t is not None:
        return t, True
    value = parse_number(text)
    if value is not None and value == int(value) and 0 <= value <= 24:
        return time(int(value) % 24, 0), False
    return None, False


_PERIOD_RE = re.compile(
    r"[ap]\.?m|下午|晚上|傍晚|早上|上午|凌晨|清晨|早晨|中午|(?<![A-Za-z])(?:morning|noon|midnight|night)(?![A-Za-z])",
    _I,
)


def take_range(s: Scratch) -> tuple[time, time, float] | None:
    """Remove a working-time range ("7:30-17:00", "早上7点到下午5点") → (start, end, gross hours)."""
    if not _RANGE_HINT_RE.search(s.text):
        return None
    for m in _RANGE_RE.finditer(s.text):
        a, a_sure = _clock(m.group("a"))
        b, b_sure = _clock(m.group("b"))
        if a is None or b is None or not (a_sure or b_sure):
            continue
        start_min = a.hour * 60 + a.minute
        end_min = b.hour * 60 + b.minute
        # "7:30-5:00": a day written on a 12-hour clock ends in the afternoon. Not when the end says its
        # part of the day (早上7点, 7am), is written as on a 24-hour clock (07:30), or the start is
        # (17:00-7:30): then the shift runs past midnight, as written.
        has_period = bool(_PERIOD_RE.search(m.group("b")))
        twelve_hour = a.hour <= 12 and not m.group("b").lstrip().startswith("0")
        if (
            end_min <= start_min
            and b.hour < 12
            and twelve_hour
            and not has_period
            and end_min + 720 > start_min
        ):
            end_min += 720
            b = time(b.hour + 12, b.minute)
        if end_min <= start_min:
            end_min += 24 * 60  # a night shift crosses midnight
        s.cut(m.start(), m.end())
        return a, b, (end_min - start_min) / 60
    return None


def take_break(s: Scratch) -> float | None:
    """Remove a break ("lunch 1h", "午休1小时", "30 min break"); 0.0 for "no lunch"."""
    if not _BREAK_HINT_RE.search(s.text):
        return None
    for pattern in _BREAK_RES:
        m = s.take(pattern)
        if m is not None:
            return _duration_hours(m.group("d"))
    if s.take(_NO_BREAK_RE) is not None:
        return 0.0
    return None


def take_overtime(s: Scratch) -> float | None:
    """Remove overtime per person ("ot 2h", "加班2小时", "2h overtime")."""
    if not _OT_HINT_RE.search(s.text):
        return None
    for pattern in _OT_RES:
        m = s.take(pattern)
        if m is not None:
            return _duration_hours(m.group("d"))
    return None


def take_headcount(s: Scratch) -> int | None:
    """Remove a headcount ("5人", "5 workers", "x5", "crew of 5", "五个人", "三个点工", "点工3个")."""
    for m in _HEADCOUNT_RE.finditer(s.text):
        raw = next(g for g in (m.group(f"n{i}") for i in range(1, 8)) if g)
        value = parse_number(raw)
        if value is None or value != int(value) or not 0 < value < 10_000:
            continue
        s.cut(m.start(), m.end())
        return int(value)
    return None

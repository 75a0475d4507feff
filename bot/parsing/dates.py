"""Dates and clock times relative to a reference instant, in the project's timezone."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.parsing.numbers import CN_NUM, parse_number
from bot.parsing.places import ORDINAL_NOUNS

__all__ = [
    "find_date",
    "find_clock_time",
    "local_now",
    "parse_clock_time",
    "parse_date_phrase",
]

_CN_OR_DIGITS = rf"(?:\d{{1,4}}|{CN_NUM})"
_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2, "thu": 3, "thur": 3,
    "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_CN_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "1": 0, "2": 1, "3": 2,
                "4": 3, "5": 4, "6": 5, "7": 6}  # fmt: skip
_RELATIVE_DAYS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "今天": 0, "今日": 0, "今儿": 0, "今早": 0, "今晚": 0, "今天早上": 0, "今天上午": 0, "今天下午": 0,
    "yesterday": 1, "昨天": 1, "昨日": 1, "昨儿": 1, "昨晚": 1, "day before yesterday": 2,
    "the day before yesterday": 2, "前天": 2, "前日": 2, "大前天": 3,
    "tomorrow": -1, "明天": -1, "明日": -1, "后天": -2,
}  # fmt: skip

_I = re.IGNORECASE
# Each pattern maps a match to a date; they run in order and the earliest match in the text wins.
_ISO_RE = re.compile(r"(?<![\d.])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")
_CN_FULL_RE = re.compile(
    rf"(\d{{4}}|[〇零一二三四五六七八九]{{4}})\s*年\s*({_CN_OR_DIGITS})\s*月\s*({_CN_OR_DIGITS})\s*[日号號]?"
)
_CN_MD_RE = re.compile(rf"(?<![\d年])({_CN_OR_DIGITS})\s*月\s*({_CN_OR_DIGITS})\s*[日号號]?")
_MDY_RE = re.compile(r"(?<![\d.\-/])(\d{1,2})([-.])(\d{1,2})\2(\d{4}|\d{2})(?![\d.\-])")
_SLASH_RE = re.compile(r"(?<![\d/.:,])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
_YEAR = r"(\d{4}|\d{2}(?!\s*(?:[A-Za-z%:.]|小时|个|人|元|块)))"
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30,
}  # fmt: skip
_DAY_WORD = r"(?:\d{1,2}(?:st|nd|rd|th)?|" + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True)) + ")"
_DAY_MONTH_RE = re.compile(
    rf"(?<![\w.])(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[/-]\s*|\s*(?:of\s+)?)({_MONTH_RE})\.?(?:(?:,?\s+|\s*[/-]\s*){_YEAR})?(?![A-Za-z\d])",
    _I,
)
_MONTH_DAY_RE = re.compile(rf"\b({_MONTH_RE})\.?\s+({_DAY_WORD})(?![A-Za-z\d])(?:,?\s+{_YEAR}(?![\d]))?", _I)
_NTH_WEEKDAY_RE = re.compile(
    r"(?<![A-Za-z])(?:the\s+)?(first|second|third|fourth|last|1st|2nd|3rd|4th)\s+"
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|day)\s+(?:of|in)\s+(?:the\s+)?"
    rf"(?:(this|last|previous|past)\s+month|month|({_MONTH_RE})\.?(?:\s+(\d{{4}}))?)(?![A-Za-z])",
    _I,
)
_EN_DOM_RE = re.compile(
    r"(?<![\w.])(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)(?:\s+of\s+(?:the\s+)?(this|last|previous|past)\s+month)?(?![A-Za-z\d])"
    rf"(?!\s+(?:{ORDINAL_NOUNS})(?![A-Za-z]))",  # "the 5th floor", "2nd shift": a count, not a date
    _I,
)
_CN_DOM_RE = re.compile(
    rf"(?:(上上个?月|上个?月|本月|这个?月)\s*|(?<![\d年月]))(\d{{1,2}}|{CN_NUM})\s*[号日](?!楼|线|机|门|房|库|仓|位|桩|塔|栋|子|常|班|工|薪)"
)
_NTH_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_RELATIVE_RE = re.compile(
    r"(?:(?<![A-Za-z])(?:the day before yesterday|day before yesterday|yesterday|today|tomorrow|tonight|this morning"
    r"|this afternoon|this evening)(?![A-Za-z]))"
    r"|大前天|前天|前日|明天|明日|后天|今天早上|今天上午|今天下午|今天|今日|今儿|今早|今晚|昨天|昨日|昨儿|昨晚",
    _I,
)
_AGO_RE = re.compile(
    rf"(?<![\d.])(\d+|an?|one|two|three|four|five|six|seven|{CN_NUM})\s*(?:个)?\s*"
    r"(days?|d|weeks?|wks?|fortnights?|months?|天|日|周|星期|礼拜|月"
    r"|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?)\s*(ago|back|前|以前|之前)",
    _I,
)
_EN_WEEKDAY_NAME = (
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)"
)
# The week said apart from the weekday: "monday of this week", "sunday from last week", "last week's sunday".
_EN_WEEK_OF_RE = re.compile(
    rf"(?<![A-Za-z])(?:(this|last|next|previous)\s+week'?s\s+{_EN_WEEKDAY_NAME}"
    rf"|{_EN_WEEKDAY_NAME}\s+(?:of|from|in)\s+(this|last|next|previous)\s+week)(?![A-Za-z])",
    _I,
)
_EN_WEEKDAY_RE = re.compile(
    r"(?<![A-Za-z])(?:(last|this\s+coming|this|past|previous|next|coming|upcoming)\s+)?"
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)(?![A-Za-z])\.?",
    _I,
)
_CN_WEEKDAY_RE = re.compile(
    r"(上上个?|上个?|下下个?|下个?|本|这个?|今)?\s*(周|星期|礼拜|週)([一二三四五六日天1-7])"
)
_EN_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}

# Clock times: "7:30", "5pm", "下午3点", "早上7点半".
_PERIOD = r"(早上|早晨|清晨|上午|中午|下午|傍晚|晚上|夜里|凌晨|今早|早)"
_COLON_TIME_RE = re.compile(
    r"(?<![\d.:])([01]?\d|2[0-4]):([0-5]\d)(?![\d:])(?:\s*([ap])\.?m\.?(?![A-Za-z]))?", _I
)
_AMPM_TIME_RE = re.compile(r"(?<![\d.:])(1[0-2]|0?\d)\s*([ap])\.?m\.?(?![A-Za-z])", _I)
_CN_TIME_RE = re.compile(
    rf"{_PERIOD}?\s*(\d{{1,2}}|{CN_NUM})\s*[点點時时](?!间|候)"
    rf"(?:\s*(半|一刻|三刻|(\d{{1,2}}|{CN_NUM})\s*分?))?"
)
_NOON_RE = re.compile(r"\b(noon|midday|midnight)\b", _I)


def local_now(now: datetime, tz: str) -> datetime:
    """The reference instant in the project's timezone."""
    return now.astimezone(ZoneInfo(tz))


def _int(text: str) -> int | None:
    value = parse_number(text)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(month: int | None, day: int | None, year: int | None, today: date) -> date | None:
    """A month-day; without a year it is the most recent one (a future month-day means last year)."""
    if month is None or day is None:
        return None
    if year is not None:
        if year < 100:
            year += 2000 if 2000 + year <= today.year else 1900
        return _safe_date(year, month, day)
    found = _safe_date(today.year, month, day)
    if found is not None and found > today:
        found = _safe_date(today.year - 1, month, day)
    return found


def _weekday(target: int, qualifier: str, today: date) -> date:
    """A weekday: bare → most recent on or before today; last/上 → previous week; this/本 → this week;
    next/下 → next week; coming → the first one after today."""
    monday = today - timedelta(days=today.weekday())
    q = " ".join(qualifier.lower().split())
    if q in ("last", "previous", "上", "上个"):
        return monday - timedelta(days=7) + timedelta(days=target)
    if q in ("上上", "上上个"):
        return monday - timedelta(days=14) + timedelta(days=target)
    if q in ("this", "本", "这", "这个", "今"):
        return monday + timedelta(days=target)
    if q in ("下", "下个", "next"):
        return monday + timedelta(days=7 + target)
    if q in ("coming", "upcoming", "this coming"):
        return today + timedelta(days=(target - today.weekday()) % 7 or 7)  # the first one after today
    if q in ("下下", "下下个"):
        return monday + timedelta(days=14 + target)
    return today - timedelta(days=(today.weekday() - target) % 7)


def _from_iso(m: re.Match[str], today: date) -> date | None:
    return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _from_cn_full(m: re.Match[str], today: date) -> date | None:
    return _month_day(_int(m.group(2)), _int(m.group(3)), _int(m.group(1)), today)


def _from_cn_md(m: re.Match[str], today: date) -> date | None:
    return _month_day(_int(m.group(1)), _int(m.group(2)), None, today)


def _from_slash(m: re.Match[str], today: date) -> date | None:
    year = int(m.group(3)) if m.group(3) else None
    return _month_day(int(m.group(1)), int(m.group(2)), year, today)


def _from_day_month(m: re.Match[str], today: date) -> date | None:
    year = int(m.group(3)) if m.group(3) else None
    return _month_day(_MONTHS.get(m.group(2).lower()), int(m.group(1)), year, today)


def _from_month_day(m: re.Match[str], today: date) -> date | None:
    year = int(m.group(3)) if m.group(3) else None
    raw = m.group(2).lower()
    day = _ORDINAL_WORDS.get(raw) or int(re.sub(r"\D", "", raw))
    return _month_day(_MONTHS.get(m.group(1).lower()), day, year, today)


def _from_relative(m: re.Match[str], today: date) -> date | None:
    return today - timedelta(days=_RELATIVE_DAYS[m.group(0).lower()])


def _from_ago(m: re.Match[str], today: date) -> date | None:
    raw = m.group(1).lower()
    count = _EN_SMALL.get(raw) if raw in _EN_SMALL else _int(raw)
    if count is None or count > 3660:
        return None
    unit = m.group(2).lower().rstrip("s") if m.group(2).isascii() else m.group(2)
    if unit in _WEEKDAYS:
        back = (today.weekday() - _WEEKDAYS[unit]) % 7 or 7
        return today - timedelta(days=back + 7 * (count - 1))
    if unit in ("month", "月"):
        months = today.year * 12 + today.month - 1 - count
        return _clamped(months // 12, months % 12 + 1, today.day)
    days = (
        14
        if unit.startswith("fortnight")
        else 7
        if unit.startswith("w") or unit in ("周", "星期", "礼拜")
        else 1
    )
    return today - timedelta(days=count * days)


def _clamped(year: int, month: int, day: int) -> date:
    """The day in that month, or the month's last day when it is shorter."""
    while (found := _safe_date(year, month, day)) is None:
        day -= 1
    return found


def _month_shift(today: date, word: str | None) -> tuple[int, int]:
    """(year, month) of "this"/None (0) or "last"/"previous"/"上" (-1) or "上上" (-2) month."""
    back = 0
    if word:
        w = word.lower()
        back = (
            2 if w.startswith("上上") else 1 if w in ("last", "previous", "past") or w.startswith("上") else 0
        )
    months = today.year * 12 + today.month - 1 - back
    return months // 12, months % 12 + 1


def _day_of_month(day: int | None, month_word: str | None, today: date) -> date | None:
    """A day of the month: with "last month" that month; bare, the most recent such day (a past-only log)."""
    if day is None or not 1 <= day <= 31:
        return None
    year, month = _month_shift(today, month_word)
    if month_word:
        return _safe_date(year, month, day)
    if day <= today.day:
        return _safe_date(year, month, day)
    months = year * 12 + month - 2
    return _safe_date(months // 12, months % 12 + 1, day)


def _from_mdy(m: re.Match[str], today: date) -> date | None:
    return _month_day(int(m.group(1)), int(m.group(3)), int(m.group(4)), today)


def _from_en_dom(m: re.Match[str], today: date) -> date | None:
    return _day_of_month(int(m.group(1)), m.group(2), today)


def _from_cn_dom(m: re.Match[str], today: date) -> date | None:
    return _day_of_month(_int(m.group(2)), m.group(1), today)


def _from_nth_weekday(m: re.Match[str], today: date) -> date | None:
    nth, what = m.group(1).lower(), m.group(2).lower()
    if m.group(4):
        month = _MONTHS[m.group(4).lower().rstrip(".")]
        year = int(m.group(5)) if m.group(5) else today.year
    else:
        year, month = _month_shift(today, m.group(3))
    last = _clamped(year, month, 31)
    if what == "day":
        return last if nth == "last" else _safe_date(year, month, _NTH_ORDINAL[nth])
    target = _WEEKDAYS[what]
    if nth == "last":
        return last - timedelta(days=(last.weekday() - target) % 7)
    first = date(year, month, 1)
    found = first + timedelta(days=(target - first.weekday()) % 7 + 7 * (_NTH_ORDINAL[nth] - 1))
    return found if found.month == month else None


def _from_en_weekday(m: re.Match[str], today: date) -> date | None:
    word = m.group(2)
    # "sat"/"sun" are ordinary English words; only the capitalised abbreviations mean weekdays.
    if word.lower() in ("sat", "sun") and not m.group(1) and word[0].islower():
        return None
    return _weekday(_WEEKDAYS[word.lower().rstrip(".")], m.group(1) or "", today)


def _from_en_week_of(m: re.Match[str], today: date) -> date | None:
    word = m.group(2) or m.group(3)
    return _weekday(_WEEKDAYS[word.lower().rstrip(".")], m.group(1) or m.group(4), today)


def _from_cn_weekday(m: re.Match[str], today: date) -> date | None:
    return _weekday(_CN_WEEKDAYS[m.group(3)], m.group(1) or "", today)


_Matcher = tuple[re.Pattern[str], Callable[[re.Match[str], date], date | None]]
_MATCHERS: tuple[_Matcher, ...] = (
    (_ISO_RE, _from_iso),
    (_CN_FULL_RE, _from_cn_full),
    (_CN_MD_RE, _from_cn_md),
    (_MDY_RE, _from_mdy),
    (_NTH_WEEKDAY_RE, _from_nth_weekday),
    (_SLASH_RE, _from_slash),
    (_DAY_MONTH_RE, _from_day_month),
    (_MONTH_DAY_RE, _from_month_day),
    (_AGO_RE, _from_ago),
    (_RELATIVE_RE, _from_relative),
    (_CN_WEEKDAY_RE, _from_cn_weekday),
    (_EN_WEEK_OF_RE, _from_en_week_of),
    (_EN_WEEKDAY_RE, _from_en_weekday),
    (_CN_DOM_RE, _from_cn_dom),
    (_EN_DOM_RE, _from_en_dom),
)
# What each matcher needs in the text (a cheap test per text, so most patterns never run).
_EN_MONTH_WORDS = frozenset(_MONTHS)
_EN_WEEKDAY_WORDS = frozenset(_WEEKDAYS) | {f"{w}s" for w in _WEEKDAYS}
_EN_RELATIVE_WORDS = frozenset({"yesterday", "today", "tomorrow", "tonight", "this"})
_EN_NTH_WORDS = frozenset({"first", "second", "third", "fourth", "last", "1st", "2nd", "3rd", "4th"})
_EN_AGO_WORDS = frozenset({"ago", "back"})


def _needs(pattern: re.Pattern[str], t: str, d: bool, words: frozenset[str]) -> bool:
    """Whether the text has what the matcher needs (a cheap test, so most patterns never run)."""
    if pattern is _ISO_RE or pattern is _MDY_RE:
        return d
    if pattern is _CN_FULL_RE:
        return "年" in t
    if pattern is _CN_MD_RE:
        return "月" in t
    if pattern is _NTH_WEEKDAY_RE:
        return bool(words & _EN_NTH_WORDS)
    if pattern is _SLASH_RE:
        return "/" in t
    if pattern is _DAY_MONTH_RE or pattern is _MONTH_DAY_RE:
        return bool(words & _EN_MONTH_WORDS)
    if pattern is _AGO_RE:
        return "前" in t or bool(words & _EN_AGO_WORDS)
    if pattern is _RELATIVE_RE:
        return bool(words & _EN_RELATIVE_WORDS) or _CN_RELATIVE_HINT_RE.search(t) is not None
    if pattern is _CN_WEEKDAY_RE:
        return "周" in t or "星期" in t or "礼拜" in t
    if pattern is _EN_WEEKDAY_RE:
        return bool(words & _EN_WEEKDAY_WORDS)
    if pattern is _EN_WEEK_OF_RE:
        return "week" in words and bool(words & _EN_WEEKDAY_WORDS)
    if pattern is _CN_DOM_RE:
        return "号" in t or "日" in t
    if pattern is _EN_DOM_RE:
        return d and bool(words & _EN_ORDINAL_SUFFIXES)
    return True


_WORDS_RE = re.compile(r"[a-z]+")
_CN_RELATIVE_HINT_RE = re.compile(r"[今昨前明后]")
_EN_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_DIGIT_RE = re.compile(r"\d")
_ALPHA_RE = re.compile(r"[A-Za-z]")
# Cheap pre-check: text without any of these characters cannot hold a date phrase we recognise.
_HINT_RE = re.compile(r"[\d/年月日号天周星礼昨今前明后]|[a-z]{3}", _I)


def _loose_en_weekday(m: re.Match[str], today: date) -> date | None:
    return _weekday(_WEEKDAYS[m.group(2).lower().rstrip(".")], m.group(1) or "", today)


def find_date_span(text: str, today: date, *, loose: bool = False) -> tuple[date, int, int] | None:
    """The first date phrase in text as (date, start, end), by fast patterns only.

    loose: the text is a command's argument, where "sat"/"sun" are weekdays even in lower case.
    """
    if not _HINT_RE.search(text):
        return None
    best: tuple[date, int, int] | None = None
    has_digit = _DIGIT_RE.search(text) is not None
    words = frozenset(_WORDS_RE.findall(text.lower())) if _ALPHA_RE.search(text) else frozenset()
    for pattern, convert in _MATCHERS:
        if not _needs(pattern, text, has_digit, words):
            continue
        if loose and convert is _from_en_weekday:
            convert = _loose_en_weekday
        for m in pattern.finditer(text):
            if best is not None and m.start() >= best[1]:
                break
            found = convert(m, today)
            if found is not None:
                best = (found, m.start(), m.end())
                break
    return best


def _today(now: datetime, tz: str) -> date:
    return local_now(now, tz).date()


def find_date(text: str, *, now: datetime, tz: str) -> tuple[date | None, str]:
    """Find and remove the first date phrase in text; returns (date or None, remaining text)."""
    span = find_date_span(text, _today(now, tz))
    if span is None:
        return None, text
    found, start, end = span
    return found, _collapse(text[:start] + " " + text[end:])


def _collapse(text: str) -> str:
    return " ".join(text.split())


_PLAIN_NUMBER_RE = re.compile(r"[\d\s.,:%¥￥$€+\-]*")


@lru_cache(maxsize=4096)
def _dateparser_date(phrase: str, today: date) -> date | None:
    """Last resort for phrases the fast patterns do not know ("next Monday", "2 weeks ago")."""
    import dateparser  # imported lazily: it costs ~0.3 s at start-up and is rarely needed

    base = datetime.combine(today, time(12, 0))
    parsed = dateparser.parse(
        phrase,
        languages=["en", "zh"],
        settings={
            "PREFER_DATES_FROM": "past",
            "RELATIVE_BASE": base,
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed is not None else None


def parse_date_phrase(phrase: str, *, now: datetime, tz: str) -> date | None:
    """Parse a phrase that is entirely a date ("yesterday", "上周五", "11/24", "24 Nov"), else None."""
    text = _collapse(phrase)
    if not text:
        return None
    today = _today(now, tz)
    span = find_date_span(text, today)
    if span is not None:
        found, start, end = span
        rest = (text[:start] + text[end:]).strip(" ,，.。")
        if not rest:
            return found
        # A trailing time of day ("yesterday 5pm") is still a date phrase.
        if parse_clock_time(rest) is not None:
            return found
    # Bare numbers, amounts and durations are never dates ("8" is not 26 August, "¥1200" not year 1200).
    if _PLAIN_NUMBER_RE.fullmatch(text) or re.search(r"\d\s*(h|hrs?|hours?|小时|元|块)\b", text, _I):
        return None
    if not re.search(r"[A-Za-z]{3}|[周月年日天]", text):
        return None
    return _dateparser_date(text, today)


def _hour_with_period(hour: int, period: str | None) -> int | None:
    if period in ("下午", "傍晚", "晚上", "夜里") and hour < 12 or period == "中午" and hour < 11:
        hour += 12
    elif period == "凌晨" and hour == 12:
        hour = 0
    return hour if 0 <= hour <= 24 else None


def _time_from_match(m: re.Match[str], kind: str) -> time | None:
    if kind == "colon":
        hour, minute = int(m.group(1)), int(m.group(2))
        ampm = (m.group(3) or "").lower()
        if ampm:
            if hour > 12 or hour == 0:
                return None
            hour = hour % 12 + (12 if ampm == "p" else 0)
    elif kind == "ampm":
        hour, minute = int(m.group(1)), 0
        if hour == 0:
            return None
        hour = hour % 12 + (12 if m.group(2).lower() == "p" else 0)
    elif kind == "noon":
        return time(0, 0) if m.group(1).lower() == "midnight" else time(12, 0)
    else:
        raw_hour = _int(m.group(2))
        if raw_hour is None:
            return None
        fixed = _hour_with_period(raw_hour, m.group(1))
        if fixed is None:
            return None
        hour = fixed
        extra = m.group(3)
        if not extra:
            minute = 0
        elif extra == "半":
            minute = 30
        elif extra == "一刻":
            minute = 15
        elif extra == "三刻":
            minute = 45
        else:
            raw_minute = _int(m.group(4))
            if raw_minute is None:
                return None
            minute = raw_minute
    if hour == 24 and minute == 0:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


_TIME_MATCHERS = ((_COLON_TIME_RE, "colon"), (_AMPM_TIME_RE, "ampm"), (_CN_TIME_RE, "cn"), (_NOON_RE, "noon"))


def find_clock_time(text: str) -> tuple[time, int, int] | None:
    """The first clock time in text as (time, start, end)."""
    best: tuple[time, int, int] | None = None
    for pattern, kind in _TIME_MATCHERS:
        for m in pattern.finditer(text):
            if best is not None and m.start() >= best[1]:
                break
            found = _time_from_match(m, kind)
            if found is not None:
                best = (found, m.start(), m.end())
                break
    return best


def clock_time_spans(text: str) -> list[tuple[int, int]]:
    """Every clock time in text as (start, end), without overlaps, in one pass per pattern (linear)."""
    spans: list[tuple[int, int]] = []
    for pattern, kind in _TIME_MATCHERS:
        spans.extend(
            (m.start(), m.end()) for m in pattern.finditer(text) if _time_from_match(m, kind) is not None
        )
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def parse_clock_time(phrase: str) -> time | None:
    """Parse a phrase that is entirely a clock time ("7:30", "5pm", "下午3点", "早上7点半"), else None."""
    text = phrase.strip().lstrip("@").strip()
    if text.lower().startswith("at "):
        text = text[3:].strip()
    found = find_clock_time(text)
    if found is None:
        return None
    value, start, end = found
    return value if start == 0 and end == len(text) else None

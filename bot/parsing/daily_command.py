"""The /daily grammar (contract §5, §10) and the channel-message prefixes that feed the day's log; pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from bot.parsing.dates import find_date_span, local_now

Action = Literal["add", "show", "confirm", "edit", "help"]
SECTIONS = ("weather", "safety", "quality", "visit", "delivery", "note")

# The command words in both languages; section words add a line, the others name an action.
WORDS = {
    "weather": "weather", "天气": "weather",
    "safety": "safety", "安全": "safety",
    "quality": "quality", "质量": "quality",
    "visit": "visit", "visits": "visit", "inspection": "visit", "来访": "visit", "检查": "visit",
    "delivery": "delivery", "deliveries": "delivery", "进场": "delivery", "到货": "delivery",
    "note": "note", "notes": "note", "备注": "note",
    "confirm": "confirm", "确认": "confirm",
    "edit": "edit", "编辑": "edit", "修改": "edit",
    "show": "show", "查看": "show",
    "help": "help", "帮助": "help",
}  # fmt: skip

_SEP = " \t:：,，;；-—"


class DailySyntaxError(ValueError):
    """The text could not be read; `key` names a catalog string and `params` fill it."""

    def __init__(self, key: str, **params: str) -> None:
        self.key = key
        self.params = params
        super().__init__(key)


@dataclass(frozen=True)
class DailyCommand:
    """What a /daily text asks for: a section line to add, or the day to show, confirm or edit."""

    action: Action
    day: date
    section: str | None = None
    text: str = ""


def _date_words(words: list[str], today: date) -> date | None:
    """A date phrase that is exactly these words, by the fast patterns only (no guessing on fragments)."""
    phrase = " ".join(words)
    span = find_date_span(phrase, today)
    if span is None or span[1] != 0 or span[2] != len(phrase):
        return None
    return span[0]


def split_date(text: str, today: date, *, future: bool = False) -> tuple[date | None, str]:
    """A date phrase at the start or the end of the text (up to three words) and what remains.

    Unless `future`, a future date is not taken: in a line of the log (备注 明天混凝土进场, "rain expected
    tomorrow") it is part of what the line says, and the reply shows the day the line went to.
    """
    words = text.split()
    for size in (3, 2, 1):
        if len(words) >= size:
            for found, rest in (
                (_date_words(words[-size:], today), words[:-size]),
                (_date_words(words[:size], today), words[size:]),
            ):
                if found is not None and (future or found <= today):
                    return found, " ".join(rest)
    return None, text


def _head(text: str) -> tuple[str | None, str]:
    """The keyword and the rest; a Chinese keyword may be glued to what follows (天气晴)."""
    head, _, rest = text.partition(" ")
    if head.lower() in WORDS:
        return WORDS[head.lower()], rest.strip()
    for word in sorted(WORDS, key=len, reverse=True):
        if re.match(r"[\u4e00-\u9fff]", word) and head.startswith(word):
            return WORDS[word], (head[len(word) :] + " " + rest).strip(_SEP)
    return None, text


def parse_daily(text: str, *, now: datetime, tz: str) -> DailyCommand:
    """Read a /daily text; raises DailySyntaxError with a catalog key when it cannot."""
    text = " ".join(text.split())  # the user's own characters are kept (℃ stays ℃)
    today = local_now(now, tz).date()
    if not text:
        return DailyCommand("show", today)
    word, rest = _head(text)
    if word is None:
        found, left = split_date(text, today, future=True)
        if found is None or left:
            raise DailySyntaxError("daily.bad_command", text=text)
        return DailyCommand("show", _not_future(found, today, text))
    if word == "help":
        return DailyCommand("help", today)
    if word in ("confirm", "edit", "show"):
        found, left = split_date(rest, today, future=True) if rest else (today, "")
        if found is None or left:
            raise DailySyntaxError("daily.bad_date", text=rest)
        return DailyCommand(word, _not_future(found, today, rest))  # type: ignore[arg-type]
    found, body = split_date(rest, today)
    body = body.strip(_SEP)
    if not body:
        raise DailySyntaxError("daily.empty", section=word)
    return DailyCommand("add", _not_future(found or today, today, rest), section=word, text=body[:2000])


def _not_future(day: date, today: date, text: str) -> date:
    if day > today:
        raise DailySyntaxError("daily.future", text=text)
    return day


# --- channel messages ---

_ZH_WEATHER = (
    "晴|阴|多云|少云|小雨|中雨|大雨|暴雨|阵雨|雷阵雨|雨夹雪|小雪|中雪|大雪|暴雪|雪|雨|雾|霾|大风|沙尘"
)
# A Chinese weather word counts only when it stands alone (晴 5~12℃, 小雨，停工), so 雨棚搭设 is not weather.
_WEATHER_RE = re.compile(
    rf"^(?:天气\s*[:：]?\s*\S|(?:{_ZH_WEATHER})(?:天)?(?:(?:转|到)(?:{_ZH_WEATHER}))?(?=$|[\s,，.。;；:：!！\d\-~～]))"
    r"|^(?:weather\b|sunny\b|cloudy\b|overcast\b|rain(?:y|ing)?\b|snow(?:y|ing)?\b|fog(?:gy)?\b|windy\b"
    r"|drizzle\b|showers?\b|storm(?:y)?\b|partly cloudy\b)",
    re.IGNORECASE,
)
_PREFIX_RE = {
    "safety": re.compile(r"^(?:安全|safety\b)", re.IGNORECASE),
    "quality": re.compile(r"^(?:质量|quality\b)", re.IGNORECASE),
}
_PREFIX_SEP = re.compile(r"^[\s:：,，\-—]+")


def channel_section(text: str) -> tuple[str, str] | None:
    """(section, text) when a channel message belongs in the day's log by its first word, else None."""
    text = " ".join(text.split())
    if not text:
        return None
    if _WEATHER_RE.match(text):
        body = re.sub(r"^(?:天气|weather)\s*[:：,，\-—]?\s*", "", text, flags=re.IGNORECASE)
        return ("weather", body) if body else None
    for section, pattern in _PREFIX_RE.items():
        m = pattern.match(text)
        if m:
            rest = text[m.end() :]
            sep = _PREFIX_SEP.match(rest)
            # 安全帽未戴 is a safety line as a whole; 安全：… and "safety: …" drop the prefix.
            body = rest[sep.end() :] if sep else (rest if section and m.group(0).isascii() else text)
            return (section, body.strip()) if body.strip() else None
    return None


# --- /report daily ---

REPORT_WORDS = ("daily", "日志", "施工日志")
_FORMATS = {"pdf": "pdf", "xlsx": "xlsx", "excel": "xlsx"}


@dataclass(frozen=True)
class DailyReport:
    """`/report daily [<date>|<from>..<to>] [pdf|xlsx]`: the days and the file format."""

    first: date
    last: date
    fmt: str


def is_daily_report(text: str) -> bool:
    """Whether a /report text asks for the daily log."""
    head = text.strip().split(" ", 1)[0].lower()
    return head in REPORT_WORDS


def parse_daily_report(text: str, *, now: datetime, tz: str) -> DailyReport:
    """Read `/report daily …`; the period defaults to today and the format to PDF."""
    from bot.parsing.report_command import ReportSyntaxError, parse_period

    words = text.strip().split()[1:]
    fmt = "pdf"
    for word in list(words):
        if word.lower() in _FORMATS:
            fmt = _FORMATS[word.lower()]
            words.remove(word)
    try:
        period = parse_period(" ".join(words), now=now, tz=tz, default="today")
    except ReportSyntaxError as exc:
        raise DailySyntaxError(exc.key, **exc.params) from exc
    today = local_now(now, tz).date()
    if period.start is None:
        raise DailySyntaxError("report.bad_period", text=" ".join(words))
    if period.end > today:
        raise DailySyntaxError("daily.future", text=" ".join(words))
    if (period.end - period.start).days > 92:
        raise DailySyntaxError("daily.too_long", text=" ".join(words))
    return DailyReport(period.start, period.end, fmt)

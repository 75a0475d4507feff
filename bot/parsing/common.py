"""Shared pieces of the grammar: the parse context, normalisation, mentions, task keys and notes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from bot.parsing.dates import find_date_span
from bot.parsing.durations import Scratch
from bot.parsing.numbers import EN_NUM, parse_en_number, parse_number, to_simplified
from bot.parsing.result import Lang

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_MENTION_RE = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
TASK_KEY = r"(?<![A-Za-z0-9_])(?<!\d[-/])([A-Za-z]{1,10})-(\d{1,6})(?![\d:.])"
_TASK_RE = re.compile(rf"(?:(?:task|任务)\s*:?\s*)?{TASK_KEY}", re.IGNORECASE)
_NOTE_RE = re.compile(r"(?:^|\s)(?:--|——|—)\s*(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Context:
    """Everything a parse depends on besides the text."""

    now: datetime
    tz: str
    today: date
    currency: str
    standard_hours: float
    known_workers: Sequence[str]
    known_crews: Sequence[str]
    lang: Lang
    command: str | None
    # Slack members as (display name, user id): a display name in the text names that user.
    known_members: Sequence[tuple[str, str]] = ()
    # Open tasks as (key, title): a title in the text names that task.
    open_tasks: Sequence[tuple[str, str]] = ()


def normalize(text: str) -> str:
    """Fold full-width forms (￥, ：, １２) to their plain forms and collapse whitespace."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


_EN_NUM_RE = re.compile(
    rf"(?<![A-Za-z0-9])(?<!half )(?P<n>{EN_NUM})(?![A-Za-z])(?P<of>\s+of(?=\s+hours?\b))?", re.IGNORECASE
)
_A_UNIT = re.compile(
    r"(?:hundred|thousand|million|billion|hours?|hrs?|days?|weeks?|fortnight|months?|dollars?|bucks|euros?"
    r"|yuan|quarter)(?![A-Za-z])",
    re.IGNORECASE,
)
_SCALE_RE = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*(thousand|million|billion|bn)(?![A-Za-z])", re.IGNORECASE
)
_FRACTION_RE = re.compile(
    r"(?<![\d/.])(\d)/([1-9])\s*(?=(?:h|hours?|hrs?|days?|天|小时)(?![A-Za-z]))", re.IGNORECASE
)
_AND_HALF_RE = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*(hours?|hrs?|days?)\s+and\s+(?:a\s+)?half(?![A-Za-z])", re.IGNORECASE
)


_WORD_RE = re.compile(r"[a-z]+")
_NUMBER_WORDS = frozenset(
    [
        "a",
        "an",
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fourty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
    ]
)


def _en_number(m: re.Match[str]) -> str:
    phrase = m.group("n")
    words = phrase.lower().split()
    if words[0] in ("a", "an") and len(words) == 1:
        after = m.string[m.end() :].lstrip()
        if not _A_UNIT.match(after):
            return m.group(0)
    value = parse_en_number(phrase)
    if value is None:
        return m.group(0)
    return format(value.normalize(), "f")


def prepare(text: str) -> str:
    """The statement as the grammar reads it: NFKC, simplified characters, English number words as digits.

    Only the part before a free note ("-- …") is rewritten; the note stays as typed.
    """
    clean = normalize(text)
    m = _NOTE_RE.search(clean)
    head, tail = (clean[: m.start()], clean[m.start() :]) if m else (clean, "")
    head = to_simplified(head)
    if re.search(r"[A-Za-z]", head):
        if _NUMBER_WORDS.intersection(_WORD_RE.findall(head.lower())):
            head = _EN_NUM_RE.sub(_en_number, head)
        lower = head.lower()
        if "illion" in lower or "thousand" in lower or "bn" in lower:
            head = _SCALE_RE.sub(lambda m: format(parse_number(f"{m.group(1)} {m.group(2)}") or 0, "f"), head)
        if "half" in lower:
            head = _AND_HALF_RE.sub(lambda m: f"{Decimal(m.group(1)) + Decimal('0.5')} {m.group(2)}", head)
    if "/" in head:
        head = _FRACTION_RE.sub(lambda m: f"{Decimal(m.group(1)) / Decimal(m.group(2))} ", head)
    return head + tail


def language_of(text: str) -> Lang:
    """ "zh" when the text contains CJK characters, else "en"."""
    return "zh" if _CJK_RE.search(text) else "en"


def take_note(s: Scratch) -> str | None:
    """Remove and return the free note after "--"."""
    m = _NOTE_RE.search(s.text)
    if m is None:
        return None
    s.text = s.text[: m.start()]
    note = m.group(1).strip()
    return note or None


def strip_note(text: str) -> str:
    """The text without its free note ("-- …")."""
    m = _NOTE_RE.search(text)
    return text[: m.start()] if m else text


def take_mentions(s: Scratch) -> tuple[str, ...]:
    """Remove Slack user mentions and return their ids in order, without repeats."""
    users = tuple(dict.fromkeys(_MENTION_RE.findall(s.text)))
    if users:
        s.text = _MENTION_RE.sub(" ", s.text)
    return users


def take_task_key(s: Scratch) -> str | None:
    """Remove the first task key ("T-12", "task his-4") and return it upper-cased."""
    m = s.take(_TASK_RE)
    return f"{m.group(1).upper()}-{int(m.group(2))}" if m else None


def take_date(s: Scratch, ctx: Context) -> date | None:
    """Remove the first date phrase and return its date."""
    span = find_date_span(s.text, ctx.today, loose=ctx.command is not None)
    if span is None:
        return None
    found, start, end = span
    s.cut(start, end)
    # A second phrase naming the same day ("周日, 二月十号", "Sunday, Feb 10") agrees and is used too; one
    # naming another day stays in the text and makes the statement a refusal (see bot.parsing.leftover).
    again = find_date_span(s.text, ctx.today, loose=ctx.command is not None)
    if again is not None:
        other, a_start, a_end = again
        phrase = s.text[a_start:a_end]
        if other == found or (
            _WEEKDAY_ONLY_RE.fullmatch(phrase.strip()) and other.weekday() == found.weekday()
        ):
            s.cut(a_start, a_end)
    return found


_WEEKDAY_ONLY_RE = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?"
    r"|(?:周|星期|礼拜)[一二三四五六日天1-7]",
    re.IGNORECASE,
)


def first_word(text: str) -> str:
    """The first whitespace-separated word, lower-cased."""
    parts = text.split(maxsplit=1)
    return parts[0].lower() if parts else ""

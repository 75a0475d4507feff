"""No silent misreads: what a statement left unused decides whether it may be stored.

Every step of the grammar cuts the spans it understood out of the text (see `Scratch`). What is left
over is checked here. The line:

- **number-like** (refused): any ASCII digit (``32号``, ``2/30``, ``1e9``, ``8h`` said twice), a currency
  symbol (``$`` ``€`` ``¥``), a Chinese numeral followed by a counter or unit (``三个``, ``两天``,
  ``五点``), a date word (``yesterday``, ``tomorrow``, ``ago``, a weekday, ``next week``, ``昨天``, ``明天``,
  ``周五``, ``下周``, ``上个月``), a duration or money unit after a number was cut (``hours``, ``小时``, ``元``);
  a sign before a number (``-8h``, ``负500``) is refused wherever it stands;
- **words** (kept): names, categories, places without a quantity, chit-chat; location numbers written
  with their noun (``3号楼``, ``5栋``, ``level 3``, ``#5``) are places, not quantities.

A slash command with a number-like leftover is refused with a message that quotes it (nothing is stored);
a channel message with one is not a record at all (the bot stays silent: chit-chat must not be answered).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.parsing.numbers import STANDALONE_CN_NUM, parse_number
from bot.parsing.places import blank_places

__all__ = ["unknown_spans", "negative_span", "NOT_A_RECORD_RE", "SCIENTIFIC_RE", "OVERLONG_RE"]

_CN_NUMERAL = "零〇一二两俩仨三四五六七八九十百千万亿廿卅卌壹贰叁肆伍陆柒捌玖拾佰仟半"
_AT_NAME_RE = re.compile(r"(?<![<\w])[@＠][^\s,，;；。!！?？、()（）\[\]<>@＠]+")
_TOKEN_RE = re.compile(r"[^\s,，;；。!！?？、()（）\[\]]+")
_DIGITISH_RE = re.compile(r"[\d$€¥£]")
_NUMBER_LIKE_RE = re.compile(
    rf"[{_CN_NUMERAL}]{{1,24}}\s*(?:个|個|人|名|位|小时|钟头|分钟|天|日|号|月|年|元|块|点|周|星期|礼拜|工日|工|成|倍|%)"
    r"|(?<![A-Za-z])(?:yesterday|tomorrow|today|tonight|ago|monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|Mon|Tue|Wed|Thu|Fri|Sat|Sun|fortnight)(?![A-Za-z])"
    r"|(?<![A-Za-z])(?:next|last|this|coming|previous|past)\s+(?:week|month|year|weekend)(?![A-Za-z])"
    r"|昨天|今天|明天|后天|前天|上个?月|下个?月|下周|下星期|下礼拜|(?:上|下|这|本)?(?:周|星期|礼拜)[一二三四五六日天]"
    r"|(?<![A-Za-z])(?:hours?|hrs?|minutes?|mins?|dollars?|bucks|euros?|yuan|rmb|usd|cny|eur)(?![A-Za-z])"
    r"|小时|分钟|钟头|工日"
    # 五角, 五毛, 五分: money's sub-units (or minutes) unless a word goes on (三角铁, 十分感谢).
    rf"|[{_CN_NUMERAL}]{{1,3}}\s*[角毛分](?![\u4e00-\u9fff])",
)
# A Chinese number standing on its own ("另加五十", "一万二") is an amount or a count left unread.
_CN_STANDALONE_RE = re.compile(STANDALONE_CN_NUM)
# A number this long is never a quantity; the statement is refused before the grammar runs (linear time).
OVERLONG_RE = re.compile(rf"[\d.,]{{20,}}|[{_CN_NUMERAL}]{{25,}}")
# "1e9": scientific notation is never how an amount or hours are written; refused as not understood.
SCIENTIFIC_RE = re.compile(r"(?<![A-Za-z])\d+(?:\.\d+)?[eE][+-]?\d+(?![A-Za-z])")
_NEGATIVE_RE = re.compile(rf"(?:(?<![\w.:/\-])[-−–]|负)\s*(?:\d|[{_CN_NUMERAL}])")
# Quotes, estimates and plans are not records (contract §5).
NOT_A_RECORD_RE = re.compile(
    r"报价|询价|估价|预估|预算|报个价|打算|准备要?|计划|将要"
    r"|(?<![A-Za-z])(?:quotes?|quoted|quotation|estimates?|estimated|bids?|budget(?:ed)?|plan(?:ning|s)?\s+to"
    r"|going\s+to|will)(?![A-Za-z])",
    re.IGNORECASE,
)


def unknown_spans(rest: str) -> list[str]:
    """The number-like spans in what a statement left unused, in order (empty: everything was used)."""
    found: list[tuple[int, str]] = []
    text = rest

    def take(spans: Iterable[re.Match[str]]) -> None:
        # Each span found is blanked, so a later rule does not quote a piece of it again.
        nonlocal text
        for m in spans:
            found.append((m.start(), m.group(0).strip()))
            text = text[: m.start()] + " " * len(m.group(0)) + text[m.end() :]

    if _DIGITISH_RE.search(rest):
        text = blank_places(rest)
        take([m for m in _TOKEN_RE.finditer(text) if _DIGITISH_RE.search(m.group(0))])
    # "@dave" as typed is a person Slack did not turn into a mention: the entry is not the author's.
    take(list(_AT_NAME_RE.finditer(text)))
    take([m for m in _NUMBER_LIKE_RE.finditer(text) if m.group(0).strip()])
    take([m for m in _CN_STANDALONE_RE.finditer(text) if parse_number(m.group(0)) is not None])
    return [part for _, part in sorted(found)]


def negative_span(text: str) -> str | None:
    """A signed number ("-8h", "-10%", "负500"), which is never a quantity Foreman stores."""
    m = _NEGATIVE_RE.search(text)
    if m is None:
        return None
    end = m.end()
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[m.start() : end]

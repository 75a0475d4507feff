"""Grammar of `/ooo` (leave, 请假): add a span, list, cancel, help (pure; the clock is passed in).

`/ooo 请假 12月1日-12月5日 -- 回老家`, `/ooo 12/1-12/5 -- family`, `/ooo <@U…> tomorrow`, `/ooo 张三 12/3`,
`/ooo list`, `/ooo cancel [<date>]`. Both dates are included. A month-day without a year is the
nearest one: leave is usually planned, so a date more than a month back means next year's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.parsing.common import normalize
from bot.parsing.dates import find_date_span
from bot.parsing.numbers import to_simplified

_I = re.IGNORECASE
_MENTION_RE = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_NOTE_RE = re.compile(r"(?:^|\s)(?:--|——|—)\s*(.*)$", re.DOTALL)
_SEPARATOR_RE = re.compile(r"^\s*(?:-|–|—|~|～|至|到|until|till|to|through|thru)\s*", _I)
_DAY_ONLY_RE = re.compile(r"^\s*(\d{1,2})\s*[日号號]?(?=\s|$)")
# A weekday named without its week (周三, Wed): at the end of a range, the first one from the range's start.
_BARE_WEEKDAY_RE = re.compile(
    r"^\s*(?:(?:周|星期|礼拜)[一二三四五六日天]|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?(?![A-Za-z]))", _I
)
_FILLER_RE = re.compile(r"^(?:请假|休假|事假|病假|年假|leave|ooo|off|away|from|从|自)\s*", _I)
_LIST_WORDS = {"list", "ls", "列表", "查看", "清单"}
_CANCEL_WORDS = {"cancel", "取消", "销假"}
_HELP_WORDS = {"help", "帮助", "?", "？"}
# The sub-command words in both languages (the router's table reads them from here).
WORDS = {
    **{word: "help" for word in _HELP_WORDS},
    **{word: "list" for word in _LIST_WORDS},
    **{word: "cancel" for word in _CANCEL_WORDS},
}
MAX_DAYS = 366
# How far back a yearless month-day may lie before it is read as next year's.
_PAST_SLACK = timedelta(days=31)
# A range whose end month comes before its start month crosses the new year only when short.
_WRAP = timedelta(days=62)


class OooCommandError(ValueError):
    """`/ooo` text that cannot be completed; `key` names a catalog string."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}")


@dataclass(frozen=True)
class OooCommand:
    """One `/ooo` subcommand: add | list | cancel | help, for the sender, a Slack user or a named worker."""

    action: str
    user: str | None = None
    worker: str | None = None
    first: date | None = None
    last: date | None = None
    reason: str | None = None


def _date_at_start(text: str, today: date) -> tuple[date, str] | None:
    """The date phrase that starts `text` (after spaces) and the text after it."""
    span = find_date_span(to_simplified(text), today)  # same length: positions hold in `text`
    if span is None or text[: span[1]].strip():
        return None
    found, _, end = span
    if found < today - _PAST_SLACK:
        try:
            ahead = found.replace(year=found.year + 1)
        except ValueError:
            ahead = found
        if ahead <= today + timedelta(days=MAX_DAYS):
            found = ahead
    return found, text[end:]


def _second_day(rest: str, first: date, today: date) -> tuple[date, str] | None:
    """The end of a range after its separator: a full date, or a bare day of the first date's month."""
    m = _SEPARATOR_RE.match(rest)
    if m is None:
        return None
    rest = rest[m.end() :]
    bare = _DAY_ONLY_RE.match(rest)
    if bare is not None and rest[bare.end() :].strip():
        bare = None  # `1 Dec - 3 Dec`: a full date follows
    # A bare day (`12月1日-3日`) belongs to the first date's month, though alone it would mean the nearest.
    found = None if bare is not None else _date_at_start(rest, today)
    if found is not None:
        day, tail = found
        if day < first and day.month < first.month and day.replace(year=day.year + 1) - first <= _WRAP:
            day = day.replace(year=day.year + 1)  # 12/28-1/3 crosses the new year
        if day < first and _BARE_WEEKDAY_RE.match(to_simplified(rest)):
            day += timedelta(days=7 * -(-(first - day).days // 7))  # 下周一到周三: that week's Wednesday
        return day, tail
    if bare is None:
        return None
    try:
        day = first.replace(day=int(bare.group(1)))
    except ValueError:
        raise OooCommandError("ooo.bad_date", value=rest.strip()) from None
    return day, rest[bare.end() :]


def parse_ooo_command(text: str, *, today: date) -> OooCommand:
    """The command in `text`, dates read relative to `today` (the project's local date)."""
    text = normalize(text)
    note = _NOTE_RE.search(text)
    reason = None
    if note is not None:
        reason = note.group(1).strip() or None
        text = text[: note.start()]
    mentions = _MENTION_RE.findall(text)
    if len(mentions) > 1:
        raise OooCommandError("ooo.one_person")
    user = mentions[0] if mentions else None
    text = " ".join(_MENTION_RE.sub(" ", text).split())
    word = text.split(" ", 1)[0].lower() if text else ""
    if not text:
        raise OooCommandError("ooo.no_dates")
    if word in _HELP_WORDS:
        return OooCommand("help")
    if word in _LIST_WORDS:
        return OooCommand("list")
    if word in _CANCEL_WORDS:
        rest = text[len(word) :].strip()
        who, rest = _worker_prefix(rest, today)
        when = None
        if rest:
            found = _date_at_start(rest, today)
            if found is None or found[1].strip():
                raise OooCommandError("ooo.bad_date", value=rest)
            when = found[0]
        return OooCommand("cancel", user=user, worker=who, first=when)
    worker, rest = _worker_prefix(text, today)
    found = _date_at_start(rest, today)
    if found is None:
        raise OooCommandError("ooo.bad_date" if rest else "ooo.no_dates", value=rest)
    first, tail = found
    last = first
    if tail.strip():
        second = _second_day(tail, first, today)
        if second is None or second[1].strip():
            raise OooCommandError("ooo.bad_date", value=tail.strip())
        last = second[0]
    if last < first:
        raise OooCommandError("ooo.backwards", first=first.isoformat(), last=last.isoformat())
    if (last - first).days + 1 > MAX_DAYS:
        raise OooCommandError("ooo.too_long", days=MAX_DAYS)
    if user is not None and worker is not None:
        raise OooCommandError("ooo.one_person")
    return OooCommand("add", user=user, worker=worker, first=first, last=last, reason=reason)


def _worker_prefix(text: str, today: date) -> tuple[str | None, str]:
    """Split a leading worker name (words before the first date or filler word) from the rest."""
    text = _FILLER_RE.sub("", text.strip()).strip()
    if not text or _date_at_start(text, today) is not None:
        return None, text
    name, _, rest = text.partition(" ")
    # A Chinese name may be glued to the filler or the date: 张三请假12月1日, 张三12月1日-12月3日
    glued = re.match(r"^([\u4e00-\u9fff]{2,4}?)(?=请假|休假|事假|病假|年假|\d|[今明后昨])", name)
    if glued:
        rest = (name[glued.end() :] + " " + rest).strip()
        name = glued.group(1)
    return name, _FILLER_RE.sub("", rest.strip()).strip()

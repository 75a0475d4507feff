"""Clock-in and clock-out statements."""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.parsing.common import Context, take_date
from bot.parsing.dates import find_clock_time, local_now
from bot.parsing.durations import Scratch
from bot.parsing.messages import message
from bot.parsing.result import ClockIntent, ParseResult

_I = re.IGNORECASE
_AFTER = r"(?!后|以后|之后|前|之前|以前|时间|的时候|时|没)"
CLOCK_IN_RE = re.compile(
    r"(?<![A-Za-z])(?:clock(?:ed|ing)?[\s-]*in|check(?:ed|ing)?[\s-]*in|punch(?:ed|ing)?[\s-]*in|"
    r"sign(?:ed|ing)?[\s-]*in|arrived on site|on site now|started work|starting work)(?![A-Za-z])"
    rf"|打卡上班|上班打卡|上班了?{_AFTER}|开工了?{_AFTER}|到岗了?|到工地了",
    _I,
)
CLOCK_OUT_RE = re.compile(
    r"(?<![A-Za-z])(?:clock(?:ed|ing)?[\s-]*out|check(?:ed|ing)?[\s-]*out|punch(?:ed|ing)?[\s-]*out|"
    r"sign(?:ed|ing)?[\s-]*out|done for the day|calling it a day|knock(?:ed|ing)? off|off site|leaving site)(?![A-Za-z])"
    rf"|打卡下班|下班打卡|下班了?{_AFTER}|收工了?{_AFTER}|离岗了?|离开工地",
    _I,
)
# Under /log-labor the first word decides: "in 7:15", "out", "上班", "下班".
COMMAND_CLOCK_RE = re.compile(
    r"^(?:(in|out|clock-?in|clock-?out)(?![A-Za-z])|(上班|下班|签到|签退))\s*(.*)$", _I
)
_BARE_HOUR_RE = re.compile(r"^(?:at\s+)?(\d{1,2})$", _I)


def parse_clock(rest: str, ctx: Context, *, clock_in: bool) -> tuple[ParseResult, str]:
    """A clock intent from the words around the keyword (unstated time means the current local time), and
    what the date and the time left unread, for the no-silent-misread check (`out 17:00 lunch 1h` must not
    store the whole shift as if the break had been heard)."""
    s = Scratch(rest)
    day = take_date(s, ctx)
    found = find_clock_time(s.text)
    stated: time | None = None
    if found is not None:
        stated = found[0]
        s.cut(found[1], found[2])
    else:
        m = _BARE_HOUR_RE.match(s.rest())
        if m is not None and int(m.group(1)) <= 23:
            stated = time(int(m.group(1)), 0)
            s.text = ""
    local = local_now(ctx.now, ctx.tz)
    day = day or ctx.today
    when = stated or time(local.hour, local.minute)
    at = datetime.combine(day, when, tzinfo=ZoneInfo(ctx.tz))
    error = message("clock_future", ctx.lang, date=day.isoformat()) if day > ctx.today else None
    result = ParseResult(
        intent="clock_in" if clock_in else "clock_out",
        lang=ctx.lang,
        date=day,
        clock=ClockIntent(time=when, at=at, stated=stated is not None),
        error=error,
    )
    return result, s.text

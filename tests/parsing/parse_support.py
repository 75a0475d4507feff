"""Shared helpers for parser tests: a fixed clock on a Thursday in Shanghai."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.parsing import ParseResult, parse

TZ = "Asia/Shanghai"
# Thursday 2026-11-26 10:00 in Shanghai.
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo(TZ))


def run(text: str, command: str | None = None, **kwargs: Any) -> ParseResult:
    """Parse with the fixed clock and Shanghai timezone."""
    return parse(text, now=NOW, tz=TZ, command=command, **kwargs)


def pick(obj: dict[str, Any], path: str) -> Any:
    """The value at a dotted path ("labor.rate.amount") in the contract JSON."""
    value: Any = obj
    for part in path.split("."):
        value = value[part]
    return value

"""Pure text → intent parsing for labor, clock-in/out, expenses and task updates (English and Chinese)."""

from bot.parsing.grammar import parse
from bot.parsing.result import (
    ClockIntent,
    ExpenseIntent,
    LaborIntent,
    ParseError,
    ParseResult,
    TaskUpdateIntent,
)

__all__ = [
    "ClockIntent",
    "ExpenseIntent",
    "LaborIntent",
    "ParseError",
    "ParseResult",
    "TaskUpdateIntent",
    "parse",
]

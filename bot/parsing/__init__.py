"""Pure text → intent parsing for labor, clock-in/out, expenses and task updates (English and Chinese).

`parse(text, *, now, tz, currency, command, standard_hours, known_workers, known_crews, known_members,
open_tasks)` is pure: the project's roster (worker and crew names, Slack members as (display name, user
id)) and open tasks as (key, title) come in as arguments. The result carries `lang` (reply in it),
`unknown` (parts refused as not understood, see `bot.parsing.leftover`) and `candidates` (tasks to ask
about when a title match is ambiguous or not certain).
"""

from bot.parsing.grammar import parse
from bot.parsing.result import (
    ClockIntent,
    ExpenseIntent,
    LaborIntent,
    ParseError,
    ParseResult,
    TaskCandidate,
    TaskUpdateIntent,
)

__all__ = [
    "ClockIntent",
    "ExpenseIntent",
    "LaborIntent",
    "ParseError",
    "ParseResult",
    "TaskCandidate",
    "TaskUpdateIntent",
    "parse",
]

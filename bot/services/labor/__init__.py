"""Labor by concern: entries (log, edit, void, undo, cost), shifts (clock in/out) and week approval.

Callers use the package (`labor.log_labor`, `labor.clock_out`, `labor.approve_week`); the record
lifecycle underneath is the one shared with expenses, in bot.services.records.
"""

from bot.services.labor.approval import approve_week, reopen_week
from bot.services.labor.entries import (
    CENT,
    EDITABLE,
    LABOR,
    Rate,
    check_hours,
    edit_entry,
    entries_between,
    entries_for_message,
    find_crew,
    find_worker,
    get_entry,
    labor_cost,
    log_labor,
    undo_last,
    void_batch,
    void_entry,
)
from bot.services.labor.limits import long_days
from bot.services.labor.shifts import clock_in, clock_out, local_hhmm, open_shift, open_shifts_since
from bot.services.records import ensure_unlocked, week_start

__all__ = [
    "CENT",
    "EDITABLE",
    "LABOR",
    "Rate",
    "approve_week",
    "check_hours",
    "clock_in",
    "clock_out",
    "edit_entry",
    "ensure_unlocked",
    "entries_between",
    "entries_for_message",
    "find_crew",
    "find_worker",
    "get_entry",
    "labor_cost",
    "local_hhmm",
    "log_labor",
    "long_days",
    "open_shift",
    "open_shifts_since",
    "reopen_week",
    "undo_last",
    "void_batch",
    "void_entry",
    "week_start",
]

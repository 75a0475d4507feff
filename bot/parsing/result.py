"""Typed parse results and their contract JSON form (contract §6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Literal

Intent = Literal["labor", "clock_in", "clock_out", "expense", "task_update", "none"]
Lang = Literal["en", "zh"]
RateUnit = Literal["hour", "day"]
TaskStatus = Literal["in_progress", "done", "blocked"]


class ParseError(ValueError):
    """Raised by callers that need a complete intent (see `ParseResult.raise_for_error`)."""


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _hours(value: float | None) -> float | None:
    return None if value is None else float(round(value, 4))


@dataclass(frozen=True)
class LaborIntent:
    """Hours worked by the author, named users/workers, or a crew."""

    users: tuple[str, ...] = ()
    workers: tuple[str, ...] = ()
    crew: str | None = None
    headcount: int | None = 1
    hours_each: float | None = None
    man_hours: float | None = None
    # Total overtime hours of the entry: the stated per-person figure × headcount.
    overtime_hours: float = 0.0
    start: time | None = None
    end: time | None = None
    break_hours: float | None = None
    rate_amount: Decimal | None = None
    rate_unit: RateUnit | None = None
    task: str | None = None
    note: str | None = None
    # Whole standard days stated (`2 days`, `2工日`): the service spreads them over workdays.
    days: float | None = None

    def to_contract(self) -> dict[str, Any]:
        """The contract `labor` object."""
        rate = None
        if self.rate_amount is not None:
            rate = {"amount": _money(self.rate_amount), "unit": self.rate_unit}
        return {
            "users": list(self.users),
            "workers": list(self.workers),
            "crew": self.crew,
            "headcount": self.headcount,
            "hours_each": _hours(self.hours_each),
            "man_hours": _hours(self.man_hours),
            "overtime_hours": _hours(self.overtime_hours),
            "start": _hhmm(self.start),
            "end": _hhmm(self.end),
            "break_hours": _hours(self.break_hours),
            "rate": rate,
            "task": self.task,
            "note": self.note,
        }


@dataclass(frozen=True)
class ClockIntent:
    """A clock-in or clock-out; `time`/`at` are the stated time, or the current local time when unstated."""

    time: time | None
    at: datetime | None
    stated: bool = False

    def to_contract(self) -> dict[str, Any]:
        """The contract `clock` object."""
        return {"time": _hhmm(self.time)}


@dataclass(frozen=True)
class ExpenseIntent:
    """Money spent; `amount` is None only when the text had none (then the result has an error)."""

    amount: Decimal | None
    currency: str
    category: str = "other"
    vendor: str | None = None
    task: str | None = None
    note: str | None = None
    receipt: str | None = None

    def to_contract(self) -> dict[str, Any]:
        """The contract `expense` object (the receipt URL is not part of it)."""
        return {
            "amount": _money(self.amount),
            "currency": self.currency,
            "category": self.category,
            "vendor": self.vendor,
            "task": self.task,
            "note": self.note,
        }


@dataclass(frozen=True)
class TaskUpdateIntent:
    """Progress or status of one task."""

    task: str | None
    progress: int | None = None
    status: TaskStatus | None = None
    blocker: str | None = None

    def to_contract(self) -> dict[str, Any]:
        """The contract `task_update` object."""
        return {"task": self.task, "progress": self.progress, "status": self.status, "blocker": self.blocker}


@dataclass(frozen=True)
class TaskCandidate:
    """An open task the text may name by its title."""

    key: str
    title: str

    def to_contract(self) -> dict[str, Any]:
        """{"key": …, "title": …}."""
        return {"key": self.key, "title": self.title}


@dataclass(frozen=True)
class ParseResult:
    """What a message or slash-command text means."""

    intent: Intent
    lang: Lang
    date: date | None = None
    labor: LaborIntent | None = None
    clock: ClockIntent | None = None
    expense: ExpenseIntent | None = None
    task_update: TaskUpdateIntent | None = None
    error: str | None = None
    # Number-, date-, currency- or duration-like parts of the text that were not understood (refused).
    unknown: tuple[str, ...] = ()
    # Open tasks the text may mean when it names one by title and the match is not certain (ask which).
    candidates: tuple[TaskCandidate, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the intent is complete and can be stored."""
        return self.error is None and self.intent != "none"

    def raise_for_error(self) -> ParseResult:
        """Return self, or raise ParseError carrying the user-facing message."""
        if self.error is not None:
            raise ParseError(self.error)
        return self

    def to_contract(self) -> dict[str, Any]:
        """The exact contract §6 JSON object."""
        return {
            "intent": self.intent,
            "date": self.date.isoformat() if self.date is not None else None,
            "labor": self.labor.to_contract() if self.labor is not None else None,
            "clock": self.clock.to_contract() if self.clock is not None else None,
            "expense": self.expense.to_contract() if self.expense is not None else None,
            "task_update": self.task_update.to_contract() if self.task_update is not None else None,
            "error": self.error,
            "lang": self.lang,
            "unknown": list(self.unknown),
            "candidates": [c.to_contract() for c in self.candidates],
        }

"""Earned-value metrics (product §6): % complete, planned %, EV, PV, CPI, SPI and EAC.

Rounding: money (EV, PV, EAC) to 0.01, percentages to 0.01 points, CPI and SPI to 0.001, all
ROUND_HALF_UP. Ratios are computed from the unrounded EV and PV so rounding never compounds. The
unrounded figures travel along (`*_exact`) for the views, which round once when they show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

MONEY = Decimal("0.01")
PERCENT = Decimal("0.01")
RATIO = Decimal("0.001")
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


class WorkdayCounter(Protocol):
    """What planned % needs from a calendar (bot.domain.calendar.ProjectCalendar fits)."""

    def workdays_between(self, a: date, b: date) -> int: ...


@dataclass(frozen=True)
class TaskProgress:
    """The part of a task that earned value needs: its weight, progress 0-100 and planned dates."""

    weight: Decimal
    progress: int
    start: date | None
    due: date | None


@dataclass(frozen=True)
class EarnedValue:
    """Earned-value figures of a project on one date; a ratio is None while its divisor is zero."""

    bac: Decimal
    pct_complete: Decimal
    planned_pct: Decimal
    ev: Decimal
    pv: Decimal
    ac: Decimal
    cpi: Decimal | None
    spi: Decimal | None
    eac: Decimal | None
    pct_complete_exact: Decimal = field(default=_ZERO, compare=False, repr=False)
    planned_pct_exact: Decimal = field(default=_ZERO, compare=False, repr=False)
    cpi_exact: Decimal | None = field(default=None, compare=False, repr=False)
    spi_exact: Decimal | None = field(default=None, compare=False, repr=False)


def _q(value: Decimal, step: Decimal) -> Decimal:
    """Round half-up to the given step."""
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _clamped_progress(progress: int) -> Decimal:
    """Progress as a Decimal within 0..100, so one bad row cannot push the total past 100 %."""
    return Decimal(min(max(progress, 0), 100))


def _weighted_average(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """Σ(weight × value) / Σ weight, unrounded; 0 when the weights sum to 0."""
    total_weight = _ZERO
    total = _ZERO
    for weight, value in pairs:
        total_weight += weight
        total += weight * value
    return total / total_weight if total_weight else _ZERO


def _percent_complete_raw(tasks: Iterable[TaskProgress]) -> Decimal:
    return _weighted_average((t.weight, _clamped_progress(t.progress)) for t in tasks)


def _planned_percent_raw(task: TaskProgress, on: date, cal: WorkdayCounter) -> Decimal:
    if task.due is None:
        return _ZERO
    if on >= task.due:
        return _HUNDRED
    # Without a start (or with one after the due date) the whole plan is a step at the due date.
    start = task.start if task.start is not None and task.start <= task.due else task.due
    if on <= start:
        return _ZERO
    total = cal.workdays_between(start, task.due)
    if total <= 0:
        return _ZERO
    return _HUNDRED * cal.workdays_between(start, on) / total


def _eac_raw(bac: Decimal, ac: Decimal, ev: Decimal) -> Decimal | None:
    # CPI is undefined with no cost or no earned value (a zero CPI would make EAC infinite).
    if not (ac and ev):
        return None
    # EAC = BAC / CPI = BAC × AC / EV, computed without the intermediate ratio to keep every digit.
    return bac * ac / ev


def percent_complete(tasks: Iterable[TaskProgress]) -> Decimal:
    """Σ(weight × progress) / Σ weight in percent (0.01), 0 when no task has weight."""
    return _q(_percent_complete_raw(tasks), PERCENT)


def percent_complete_exact(tasks: Iterable[TaskProgress]) -> Decimal:
    """Σ(weight × progress) / Σ weight in percent, unrounded (views round it once)."""
    return _percent_complete_raw(tasks)


def planned_percent(task: TaskProgress, on: date, cal: WorkdayCounter) -> Decimal:
    """Planned % of a task on a date: 0 up to its start, 100 from its due date, linear in workdays between.

    Elapsed work is cal.workdays_between(start, on) out of cal.workdays_between(start, due), i.e. workdays
    after the start up to and including the date. A task without a due date plans 0; without a start, 100
    from its due date.
    """
    return _q(_planned_percent_raw(task, on, cal), PERCENT)


def estimate_at_completion(*, bac: Decimal, tasks: Iterable[TaskProgress], ac: Decimal) -> Decimal | None:
    """EAC = BAC × AC / EV (0.01), the same figure earned_value reports; None while AC or EV is zero."""
    eac = _eac_raw(bac, ac, bac * _percent_complete_raw(tasks) / _HUNDRED)
    return _q(eac, MONEY) if eac is not None else None


def earned_value(
    *, bac: Decimal, tasks: Iterable[TaskProgress], ac: Decimal, on: date, cal: WorkdayCounter
) -> EarnedValue:
    """EV, PV, CPI, SPI and EAC of a project on a date (product §6)."""
    task_list = list(tasks)
    pct = _percent_complete_raw(task_list)
    planned = _weighted_average((t.weight, _planned_percent_raw(t, on, cal)) for t in task_list)
    ev = bac * pct / _HUNDRED
    pv = bac * planned / _HUNDRED
    eac = _eac_raw(bac, ac, ev)
    cpi = ev / ac if eac is not None else None
    spi = ev / pv if pv else None
    return EarnedValue(
        bac=bac,
        pct_complete=_q(pct, PERCENT),
        planned_pct=_q(planned, PERCENT),
        ev=_q(ev, MONEY),
        pv=_q(pv, MONEY),
        ac=ac,
        cpi=_q(cpi, RATIO) if cpi is not None else None,
        spi=_q(spi, RATIO) if spi is not None else None,
        eac=_q(eac, MONEY) if eac is not None else None,
        pct_complete_exact=pct,
        planned_pct_exact=planned,
        cpi_exact=cpi,
        spi_exact=spi,
    )

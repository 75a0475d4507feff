"""How far earned value can be trusted: how many tasks carry weight and how much of the project they plan.

EV, PV, CPI, SPI and EAC treat the task list as the whole job (BAC × % complete). When few tasks carry
weight, or the tasks' planned dates span only part of the project's start-to-end dates, the figures are
arithmetic on a fragment; views then show them with a caveat ("based on 2 tasks") instead of as plain
numbers. Foreman cannot tie tasks to money, so the share of the schedule the tasks plan stands in for the
share of the budget they cover.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.metrics import TaskProgress

MIN_WEIGHTED_TASKS = 3
MIN_COVERAGE = Decimal(50)


@dataclass(frozen=True)
class EvConfidence:
    """Tasks with weight, and the share (%) of the project's dates their plans span (None: no end date)."""

    weighted_tasks: int
    coverage: Decimal | None = None

    @property
    def few_tasks(self) -> bool:
        return self.weighted_tasks < MIN_WEIGHTED_TASKS

    @property
    def partial(self) -> bool:
        return self.coverage is not None and self.coverage < MIN_COVERAGE

    @property
    def low(self) -> bool:
        """The figures rest on too little to be read as plain numbers."""
        return self.few_tasks or self.partial


def ev_confidence(tasks: Iterable[TaskProgress], *, start: date | None, end: date | None) -> EvConfidence:
    """How many tasks carry weight, and how much of start..end (inclusive) their planned dates cover."""
    weighted = [t for t in tasks if t.weight > 0]
    if start is None or end is None or end < start:
        return EvConfidence(len(weighted))
    spans = sorted(
        (max(t.start if t.start is not None and t.start <= t.due else t.due, start), min(t.due, end))
        for t in weighted
        if t.due is not None
    )
    covered = 0
    reach = start - timedelta(days=1)
    for first, last in spans:
        first = max(first, reach + timedelta(days=1))
        if last >= first:
            covered += (last - first).days + 1
            reach = last
    total = (end - start).days + 1
    share = (Decimal(100) * covered / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return EvConfidence(len(weighted), share)

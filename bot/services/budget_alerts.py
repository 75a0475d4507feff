"""Budget alerts: total and budget lines crossing thresholds, EAC over BAC, a day's spend spiking.

Each alert has a ledger key that never repeats: `budget:total:80`, `budget:line:material:100`,
`budget:eac`, `budget:spike:<date>`. Falling back under a threshold and crossing it again does not alert
again (the key is already in the ledger). When one check finds several thresholds newly crossed, only the
highest is posted; the lower ones are recorded as superseded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session

from bot.domain.metrics import TaskProgress, estimate_at_completion, percent_complete_exact
from bot.services.confidence import EvConfidence, ev_confidence
from bot.services.status import (
    ZERO,
    Spend,
    budget_lines_by_project,
    calendar_for,
    exact_pct,
    spend_by_project,
    table_of,
)
from storage.models import Expense, LaborEntry, Project, Task

EAC_MARGIN = Decimal("1.05")
EAC_MIN_COMPLETE = Decimal(10)
SPIKE_FACTOR = 3
SPIKE_WINDOW = 14


@dataclass(frozen=True)
class BudgetAlert:
    """One alert, ready to be keyed in the ledger and worded by a view."""

    key: str
    what: str  # total | line | eac | spike
    spent: Decimal = ZERO
    budget: Decimal = ZERO
    pct: Decimal | None = None
    threshold: int | None = None
    category: str | None = None
    eac: Decimal | None = None
    day_spend: Decimal = ZERO
    average: Decimal = ZERO
    superseded: bool = False
    confidence: EvConfidence | None = None  # of the EAC: how much the % complete rests on


def thresholds_of(project: Project) -> list[int]:
    """The project's alert thresholds in percent, ascending."""
    values = set()
    for part in (project.thresholds or "").replace("%", "").split(","):
        if part.strip():
            values.add(int(Decimal(part.strip())))
    return sorted(values)


def _crossed(
    prefix: str, what: str, spent: Decimal, budget: Decimal, levels: list[int], **extra: object
) -> list[BudgetAlert]:
    pct = exact_pct(spent, budget)
    if pct is None:
        return []
    hit = [t for t in levels if pct >= t]
    return [
        BudgetAlert(
            key=f"{prefix}:{t}",
            what=what,
            spent=spent,
            budget=budget,
            pct=pct,
            threshold=t,
            superseded=t != hit[-1],
            **extra,  # type: ignore[arg-type]
        )
        for t in hit
    ]


def alerts_for(
    session: Session,
    projects: Sequence[Project],
    today: dict[int, date],
    *,
    spend: Mapping[int, Spend] | None = None,
) -> dict[int, list[BudgetAlert]]:
    """Every alert whose condition holds now, per project (six aggregate queries for all projects;
    `spend`: their spend up to the latest of the days, when the caller has it already)."""
    if not projects:
        return {}
    ids = [p.pk for p in projects]
    if spend is None:
        spend = spend_by_project(session, projects, through=max(today.values()))
    lines = budget_lines_by_project(session, ids)
    progress = _task_progress(session, ids)
    around = _spend_around(session, projects, today)
    out: dict[int, list[BudgetAlert]] = {}
    for project in projects:
        pid = project.pk
        levels = thresholds_of(project)
        bac = Decimal(project.budget)
        s = spend[pid]
        found = _crossed("budget:total", "total", s.total, bac, levels)
        for line in lines.get(pid, []):
            found += _crossed(
                f"budget:line:{line.category}",
                "line",
                s.by_category.get(line.category, ZERO),
                Decimal(line.amount),
                levels,
                category=line.category,
            )
        tasks = progress.get(pid, [])
        pct = percent_complete_exact(tasks)
        eac = estimate_at_completion(bac=bac, tasks=tasks, ac=s.total) if bac else None
        if eac is not None and pct >= EAC_MIN_COMPLETE and eac > bac * EAC_MARGIN:
            confidence = ev_confidence(tasks, start=project.start_date, end=project.end_date)
            found.append(
                BudgetAlert(
                    key="budget:eac",
                    what="eac",
                    spent=s.total,
                    budget=bac,
                    pct=pct,
                    eac=eac,
                    confidence=confidence,
                )
            )
        found += _spike(project, today[pid], *around.get(pid, (ZERO, ZERO)))
        out[pid] = found
    return out


def _spike(project: Project, day: date, today_spend: Decimal, window: Decimal) -> list[BudgetAlert]:
    """A spike alert when the day's spend is over SPIKE_FACTOR times the average of the window before it."""
    local_created = calendar_for(project).local_date(project.created_at)
    history_from = min(d for d in (project.start_date, local_created) if d is not None)
    if history_from > day - timedelta(days=SPIKE_WINDOW):
        return []
    average = window / SPIKE_WINDOW
    if average <= 0 or today_spend <= SPIKE_FACTOR * average:
        return []
    return [
        BudgetAlert(
            key=f"budget:spike:{day.isoformat()}",
            what="spike",
            day_spend=today_spend,
            average=average.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        )
    ]


def _task_progress(session: Session, ids: list[int]) -> dict[int, list[TaskProgress]]:
    """Each project's tasks as earned value sees them (weight and progress), in one query."""
    t = table_of(Task)
    rows = session.connection().execute(
        sa_select(t.c.project_id, t.c.weight, t.c.progress).where(t.c.project_id.in_(ids))
    )
    out: dict[int, list[TaskProgress]] = defaultdict(list)
    for pid, weight, progress in rows:
        out[pid].append(TaskProgress(weight=Decimal(str(weight)), progress=progress, start=None, due=None))
    return out


def _spend_around(
    session: Session, projects: Sequence[Project], today: dict[int, date]
) -> dict[int, tuple[Decimal, Decimal]]:
    """Per project, in its currency: what it spent on its day, and over the SPIKE_WINDOW days before.

    Summed by the database per project (one query per table and distinct day, read from the index in
    its order), so a tick gets one row per project rather than one per project and day.
    """
    currency = {p.pk: p.currency for p in projects}
    by_day: dict[date, list[int]] = defaultdict(list)
    for p in projects:
        by_day[today[p.pk]].append(p.pk)
    conn = session.connection()
    lab = table_of(LaborEntry)
    exp = table_of(Expense)
    out: dict[int, tuple[Decimal, Decimal]] = {}
    for day, ids in by_day.items():
        first = day - timedelta(days=SPIKE_WINDOW)
        for table, when, amount in ((lab, lab.c.work_date, lab.c.cost), (exp, exp.c.spent_on, exp.c.amount)):
            rows = conn.execute(
                sa_select(
                    table.c.project_id,
                    table.c.currency,
                    func.sum(case((when == day, amount))),
                    func.sum(case((when < day, amount))),
                )
                .where(table.c.project_id.in_(ids), table.c.void.is_(False), when >= first, when <= day)
                .group_by(table.c.project_id, table.c.currency)
            )
            for pid, cur, on_day, before in rows:
                if cur != currency[pid]:
                    continue
                spent, window = out.get(pid, (ZERO, ZERO))
                out[pid] = (
                    spent + (Decimal(str(on_day)) if on_day is not None else ZERO),
                    window + (Decimal(str(before)) if before is not None else ZERO),
                )
    return out

"""Daily series for the charts: cumulative cost vs planned value, % complete vs plan, man-hours by crew."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.domain.metrics import MONEY, PERCENT, TaskProgress, earned_value, percent_complete
from bot.services import status
from storage.models import Crew, Expense, LaborEntry, Project, Task, TaskUpdate, Worker

ZERO = Decimal(0)
# A chart of more days than this shows the most recent ones; a point per day stays readable.
MAX_DAYS = 400


@dataclass(frozen=True)
class BurnSeries:
    """Cumulative actual cost (AC) and planned value (PV) per day, with the budget."""

    dates: list[date]
    actual: list[Decimal]
    planned: list[Decimal]
    bac: Decimal


@dataclass(frozen=True)
class SCurveSeries:
    """Actual and planned % complete per day."""

    dates: list[date]
    actual_pct: list[Decimal]
    planned_pct: list[Decimal]


@dataclass(frozen=True)
class LaborSeries:
    """Man-hours per day by crew (entries without a crew under `others`)."""

    dates: list[date]
    by_crew: dict[str, list[float]]


def _days(start: date, end: date) -> list[date]:
    start = max(start, end - timedelta(days=MAX_DAYS - 1))
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _first_record(session: Session, project: Project) -> date | None:
    firsts = [
        session.exec(
            select(func.min(LaborEntry.work_date)).where(
                LaborEntry.project_id == project.id,
                LaborEntry.void == False,  # noqa: E712
            )
        ).one(),
        session.exec(
            select(func.min(Expense.spent_on)).where(
                Expense.project_id == project.id,
                Expense.void == False,  # noqa: E712
            )
        ).one(),
    ]
    found = [d for d in firsts if d is not None]
    return min(found) if found else None


def chart_range(session: Session, *, project: Project, today: date) -> list[date]:
    """Days from the project's start (or first record, or first task start) to today."""
    starts = [d for d in (project.start_date, _first_record(session, project)) if d is not None]
    task_starts = session.exec(select(func.min(Task.start_date)).where(Task.project_id == project.id)).one()
    if not starts and task_starts is not None:
        starts.append(task_starts)
    start = min(starts) if starts else today
    if start > today:
        return [today]
    return _days(start, today)


def _daily_spend(session: Session, project: Project, dates: list[date]) -> dict[date, Decimal]:
    """Known labor cost plus expenses per day in the project's currency (as status counts AC)."""
    first, last = dates[0], dates[-1]
    spend: dict[date, Decimal] = defaultdict(lambda: ZERO)
    labor = session.exec(
        select(col(LaborEntry.work_date), func.sum(LaborEntry.cost))
        .where(
            LaborEntry.project_id == project.id,
            LaborEntry.void == False,  # noqa: E712
            LaborEntry.currency == project.currency,
            LaborEntry.work_date <= last,
        )
        .group_by(col(LaborEntry.work_date))
    ).all()
    expenses = session.exec(
        select(col(Expense.spent_on), func.sum(Expense.amount))
        .where(
            Expense.project_id == project.id,
            Expense.void == False,  # noqa: E712
            Expense.currency == project.currency,
            Expense.spent_on <= last,
        )
        .group_by(col(Expense.spent_on))
    ).all()
    for day, amount in [*labor, *expenses]:
        # Spend before the first charted day counts from the start, so the curve starts at the true total.
        spend[max(day, first)] += Decimal(str(amount or 0))
    return spend


def burn_series(session: Session, *, project: Project, today: date) -> BurnSeries:
    """Cumulative AC against PV = BAC × planned % per day (product §6)."""
    dates = chart_range(session, project=project, today=today)
    spend = _daily_spend(session, project, dates)
    cal = status.calendar_for(project)
    tasks = [status.progress_of(t) for t in session.exec(select(Task).where(Task.project_id == project.id))]
    bac = Decimal(project.budget)
    actual, planned = [], []
    running = ZERO
    for day in dates:
        running += spend.get(day, ZERO)
        actual.append(running.quantize(MONEY))
        planned.append(earned_value(bac=bac, tasks=tasks, ac=running, on=day, cal=cal).pv)
    return BurnSeries(dates, actual, planned, bac)


def _progress_history(session: Session, tasks: list[Task]) -> dict[int, tuple[list[datetime], list[int]]]:
    """Per task: the instants of its progress changes and the progress before each (oldest first)."""
    history: dict[int, tuple[list[datetime], list[int]]] = {t.pk: ([], []) for t in tasks}
    if not tasks:
        return history
    updates = session.exec(
        select(TaskUpdate)
        .where(
            col(TaskUpdate.task_id).in_(list(history)),
            TaskUpdate.void == False,  # noqa: E712
            col(TaskUpdate.progress_after).is_not(None),
        )
        .order_by(col(TaskUpdate.at), col(TaskUpdate.id))
    ).all()
    for u in updates:
        ats, befores = history[u.task_id]
        ats.append(u.at)
        befores.append(u.progress_before or 0)
    return history


def _progress_at(task: Task, history: tuple[list[datetime], list[int]], cutoff: datetime) -> int:
    """Progress at an instant: what the first later change started from, else today's progress."""
    ats, befores = history
    index = bisect_right(ats, cutoff)
    return befores[index] if index < len(ats) else task.progress


def scurve_series(session: Session, *, project: Project, today: date) -> SCurveSeries:
    """Actual % complete per day, rebuilt from the task update history, against planned %."""
    dates = chart_range(session, project=project, today=today)
    cal = status.calendar_for(project)
    tasks = list(session.exec(select(Task).where(Task.project_id == project.id).order_by(col(Task.id))))
    history = _progress_history(session, tasks)
    actual, planned = [], []
    for day in dates:
        # The end of the local day, as a UTC instant: updates made that day count for it.
        cutoff = cal.at_local(day + timedelta(days=1), time(0, 0)).astimezone(UTC) - timedelta(microseconds=1)
        progress = [
            TaskProgress(
                weight=Decimal(t.weight),
                progress=_progress_at(t, history[t.pk], cutoff),
                start=t.start_date,
                due=t.due_date,
            )
            for t in tasks
        ]
        actual.append(percent_complete(progress))
        planned.append(earned_value(bac=ZERO, tasks=progress, ac=ZERO, on=day, cal=cal).planned_pct)
    return SCurveSeries(dates, actual, [p.quantize(PERCENT) for p in planned])


def labor_series(session: Session, *, project: Project, today: date, others: str) -> LaborSeries:
    """Man-hours per day stacked by crew; a worker's own crew counts when the entry names none."""
    dates = chart_range(session, project=project, today=today)
    crews = {c.id: c.name for c in session.exec(select(Crew).where(Crew.project_id == project.id))}
    worker_crew = {
        w.id: w.crew_id for w in session.exec(select(Worker).where(Worker.project_id == project.id))
    }
    rows = session.exec(
        select(LaborEntry).where(
            LaborEntry.project_id == project.id,
            LaborEntry.void == False,  # noqa: E712
            LaborEntry.work_date >= dates[0],
            LaborEntry.work_date <= dates[-1],
        )
    ).all()
    index = {d: i for i, d in enumerate(dates)}
    by_crew: dict[str, list[float]] = {}
    for e in rows:
        crew_id = e.crew_id or (worker_crew.get(e.worker_id) if e.worker_id else None)
        name = crews.get(crew_id, others) if crew_id else others
        series = by_crew.setdefault(name, [0.0] * len(dates))
        series[index[e.work_date]] += float(e.man_hours)
    ordered = dict(sorted(by_crew.items(), key=lambda item: (item[0] == others, -sum(item[1]), item[0])))
    return LaborSeries(dates, ordered)

"""A project's budget and schedule status on a date: spent, budget lines, earned value, late and blocked work.

AC (spent) is non-void labor cost plus non-void expenses in the project's currency, up to and including the
date. Nothing is converted: items in another currency are counted (`other_currency_items`) and left out.
Labor without a known rate adds no cost; it is counted (`labor.missing_rate_entries`) so views can say
"rate missing" instead of pretending it cost nothing.

The `*_by_project` functions answer for many projects with one query each, so the scheduler tick stays a
bounded number of queries however many projects there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from bot.domain.calendar import ProjectCalendar
from bot.domain.metrics import MONEY, PERCENT, EarnedValue, TaskProgress, earned_value, planned_percent
from bot.services.confidence import EvConfidence, ev_confidence
from bot.services.rates import FxTable
from storage.models import BudgetLine, Expense, LaborEntry, Project, Risk, Task

ZERO = Decimal(0)
LABOR = "labor"


@lru_cache(maxsize=512)
def _calendar(tz: str, workdays: tuple[int, ...], country: str | None) -> ProjectCalendar:
    return ProjectCalendar(tz=tz, workdays=workdays, holidays_country=country)


@lru_cache(maxsize=256)
def parse_stored_workdays(value: str) -> tuple[int, ...]:
    """The stored workday set ("0,1,2,3,4", Monday = 0) as weekday numbers."""
    days = tuple(sorted({int(part) for part in value.split(",") if part.strip()}))
    return days or (0, 1, 2, 3, 4)


def calendar_for(project: Project) -> ProjectCalendar:
    """The project's working calendar (shared between projects with the same settings)."""
    return _calendar(project.timezone, parse_stored_workdays(project.workdays), project.holidays_country)


@dataclass(frozen=True)
class LaborCost:
    """Labor of a project in its currency: known cost, man-hours, and what lacks a rate."""

    cost: Decimal = ZERO
    man_hours: Decimal = ZERO
    entries: int = 0
    missing_rate_entries: int = 0
    missing_rate_man_hours: Decimal = ZERO


@dataclass(frozen=True)
class Spend:
    """Money spent by one project (AC and its parts)."""

    labor: LaborCost = field(default_factory=LaborCost)
    expenses: Decimal = ZERO
    by_category: dict[str, Decimal] = field(default_factory=dict)
    other_currency_items: int = 0
    # Records in another currency without an exchange rate for their date: count per currency.
    not_counted: dict[str, int] = field(default_factory=dict)
    # Records in another currency counted at the rate of their date: converted total per currency.
    converted: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return self.labor.cost + self.expenses


@dataclass(frozen=True)
class BudgetLineStatus:
    """One budget line against what its category spent; pct is None when the line is zero."""

    category: str
    budget: Decimal
    spent: Decimal
    pct: Decimal | None
    pct_exact: Decimal | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class TaskInfo:
    """What the digest, nudges and the agenda say about a task."""

    key: str
    title: str
    owner: str | None
    status: str
    progress: int
    start: date | None
    due: date | None
    planned_pct: Decimal
    blocker: str | None
    blocked_since: datetime | None = None


@dataclass(frozen=True)
class RiskInfo:
    """An open risk with its score (probability × impact)."""

    key: str
    title: str
    kind: str
    probability: int
    impact: int
    owner: str | None
    mitigated: bool = False

    @property
    def score(self) -> int:
        return self.probability * self.impact


@dataclass(frozen=True)
class ProjectStatus:
    """Budget and schedule of a project on a date."""

    code: str
    currency: str
    on: date
    bac: Decimal
    spend: Spend
    budget_lines: tuple[BudgetLineStatus, ...]
    earned: EarnedValue
    overdue: tuple[TaskInfo, ...]
    blocked: tuple[TaskInfo, ...]
    open_risks: tuple[RiskInfo, ...]
    confidence: EvConfidence = field(default_factory=lambda: EvConfidence(0))

    @property
    def spent(self) -> Decimal:
        return self.spend.total

    @property
    def spent_pct(self) -> Decimal | None:
        """Spent as a percentage of the budget (None without a budget)."""
        return pct_of(self.spent, self.bac)

    @property
    def spent_pct_exact(self) -> Decimal | None:
        """Spent as an unrounded percentage of the budget, for views."""
        return exact_pct(self.spent, self.bac)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a model, for typed aggregate queries."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def pct_of(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole in percent to 0.01, None when whole is zero."""
    exact = exact_pct(part, whole)
    return None if exact is None else exact.quantize(PERCENT, rounding=ROUND_HALF_UP)


def exact_pct(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole in percent, unrounded (views round it once when shown), None when whole is zero."""
    if not whole:
        return None
    return Decimal(100) * part / whole


def _money(value: object) -> Decimal:
    return Decimal(str(value or 0)).quantize(MONEY, rounding=ROUND_HALF_UP)


def spend_by_project(
    session: Session, projects: Sequence[Project], *, through: date | None = None
) -> dict[int, Spend]:
    """AC and its parts per project (two aggregate queries for all of them), up to `through` inclusive."""
    currency = {p.pk: p.currency for p in projects}
    ids = list(currency)
    if not ids:
        return {}
    lab_t = table_of(LaborEntry)
    exp_t = table_of(Expense)
    missing = lab_t.c.cost.is_(None)
    sums = (
        func.coalesce(func.sum(lab_t.c.cost), 0),
        func.coalesce(func.sum(lab_t.c.man_hours), 0),
        func.count(),
        func.coalesce(func.sum(case((missing, 1), else_=0)), 0),
        func.coalesce(func.sum(case((missing, lab_t.c.man_hours), else_=0)), 0),
    )
    # By project, in the order of the (project, date, …, cost, man-hours) index: one pass over the index and
    # no sort. A project whose rows are not all in one currency is summed again by currency below.
    labor_q = (
        sa_select(lab_t.c.project_id, func.min(lab_t.c.currency), func.max(lab_t.c.currency), *sums)
        .where(lab_t.c.project_id.in_(ids), lab_t.c.void.is_(False))
        .group_by(lab_t.c.project_id)
    )
    mixed_q = (
        sa_select(lab_t.c.project_id, lab_t.c.currency, *sums)
        .where(lab_t.c.void.is_(False))
        .group_by(lab_t.c.project_id, lab_t.c.currency)
    )
    expense_q = (
        sa_select(
            exp_t.c.project_id, exp_t.c.currency, exp_t.c.category, func.sum(exp_t.c.amount), func.count()
        )
        .where(exp_t.c.project_id.in_(ids), exp_t.c.void.is_(False))
        .group_by(exp_t.c.project_id, exp_t.c.currency, exp_t.c.category)
    )
    if through is not None:
        labor_q = labor_q.where(lab_t.c.work_date <= through)
        mixed_q = mixed_q.where(lab_t.c.work_date <= through)
        expense_q = expense_q.where(exp_t.c.spent_on <= through)
    conn = session.connection()

    rows: list[Any] = []
    mixed: list[int] = []
    for pid, lowest, highest, *totals in conn.execute(labor_q).all():
        if lowest == highest:
            rows.append((pid, lowest, *totals))
        else:
            mixed.append(pid)
    if mixed:
        rows += conn.execute(mixed_q.where(lab_t.c.project_id.in_(mixed))).all()
    labor: dict[int, LaborCost] = {}
    other: dict[int, int] = defaultdict(int)
    foreign: set[int] = set()
    for pid, cur, cost, man_hours, count, missing_n, missing_mh in rows:
        if cur != currency[pid]:
            foreign.add(pid)
            continue
        labor[pid] = LaborCost(
            cost=_money(cost),
            man_hours=Decimal(str(man_hours)),
            entries=int(count),
            missing_rate_entries=int(missing_n),
            missing_rate_man_hours=Decimal(str(missing_mh)),
        )
    categories: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for pid, cur, category, amount, _count in conn.execute(expense_q).all():
        if cur != currency[pid]:
            foreign.add(pid)
            continue
        by_cat = categories[pid]
        by_cat[category] = by_cat.get(category, ZERO) + _money(amount)
    not_counted: dict[int, dict[str, int]] = defaultdict(dict)
    converted: dict[int, dict[str, Decimal]] = defaultdict(dict)
    if foreign:
        fx = FxTable(session, sorted(foreign))
        for pid, cur, category, day, amount in _foreign_rows(session, foreign, currency, through):
            value = fx.convert(pid, Decimal(amount), cur, day) if amount is not None else None
            if value is None:
                # No rate for its date (or a labor entry without cost): listed, not counted.
                not_counted[pid][cur] = not_counted[pid].get(cur, 0) + 1
                other[pid] += 1
                continue
            converted[pid][cur] = converted[pid].get(cur, ZERO) + value
            if category == LABOR:
                lab = labor.get(pid, LaborCost())
                labor[pid] = LaborCost(
                    cost=lab.cost + value,
                    man_hours=lab.man_hours,
                    entries=lab.entries + 1,
                    missing_rate_entries=lab.missing_rate_entries,
                    missing_rate_man_hours=lab.missing_rate_man_hours,
                )
            else:
                by_cat = categories[pid]
                by_cat[category] = by_cat.get(category, ZERO) + value

    result: dict[int, Spend] = {}
    for pid in ids:
        lab = labor.get(pid, LaborCost())
        by_cat = dict(categories.get(pid, {}))
        expenses = sum(by_cat.values(), ZERO)
        if lab.cost or lab.entries:
            by_cat[LABOR] = by_cat.get(LABOR, ZERO) + lab.cost
        result[pid] = Spend(
            labor=lab,
            expenses=expenses,
            by_category=by_cat,
            other_currency_items=other[pid],
            not_counted=dict(not_counted.get(pid, {})),
            converted=dict(converted.get(pid, {})),
        )
    return result


def _foreign_rows(
    session: Session, ids: set[int], currency: dict[int, str], through: date | None
) -> list[tuple[int, str, str, date, Decimal | None]]:
    """Live labor and expenses of these projects in a currency other than the project's."""
    out: list[tuple[int, str, str, date, Decimal | None]] = []
    lab_q = select(LaborEntry).where(col(LaborEntry.project_id).in_(ids), col(LaborEntry.void).is_(False))
    exp_q = select(Expense).where(col(Expense.project_id).in_(ids), col(Expense.void).is_(False))
    if through is not None:
        lab_q = lab_q.where(LaborEntry.work_date <= through)
        exp_q = exp_q.where(Expense.spent_on <= through)
    for e in session.exec(lab_q).all():
        if e.currency != currency[e.project_id]:
            out.append((e.project_id, e.currency, LABOR, e.work_date, e.cost))
    for x in session.exec(exp_q).all():
        if x.currency != currency[x.project_id]:
            out.append((x.project_id, x.currency, x.category, x.spent_on, x.amount))
    return out


def budget_lines_by_project(session: Session, project_ids: Iterable[int]) -> dict[int, list[BudgetLine]]:
    """Budget lines per project, in category order."""
    out: dict[int, list[BudgetLine]] = defaultdict(list)
    ids = list(project_ids)
    if ids:
        rows = session.exec(
            select(BudgetLine).where(col(BudgetLine.project_id).in_(ids)).order_by(col(BudgetLine.category))
        ).all()
        for line in rows:
            out[line.project_id].append(line)
    return out


def tasks_by_project(session: Session, project_ids: Iterable[int]) -> dict[int, list[Task]]:
    """All tasks per project, by key."""
    out: dict[int, list[Task]] = defaultdict(list)
    ids = list(project_ids)
    if ids:
        for task in session.exec(
            select(Task).where(col(Task.project_id).in_(ids)).order_by(col(Task.key))
        ).all():
            out[task.project_id].append(task)
    return out


def open_risks_by_project(session: Session, project_ids: Iterable[int]) -> dict[int, list[RiskInfo]]:
    """Open risks per project, highest score first."""
    out: dict[int, list[RiskInfo]] = defaultdict(list)
    ids = list(project_ids)
    if ids:
        rows = session.exec(
            select(Risk)
            .where(col(Risk.project_id).in_(ids), Risk.status != "closed")
            .order_by(col(Risk.number))
        ).all()
        for r in rows:
            out[r.project_id].append(
                RiskInfo(
                    key=f"R-{r.number}",
                    title=r.title,
                    kind=r.kind,
                    probability=r.probability,
                    impact=r.impact,
                    owner=r.owner_user_id,
                    mitigated=bool((r.mitigation or "").strip()),
                )
            )
    for risks in out.values():
        risks.sort(key=lambda r: -r.score)
    return out


def progress_of(task: Task) -> TaskProgress:
    """The earned-value view of a task."""
    return TaskProgress(
        weight=Decimal(task.weight), progress=task.progress, start=task.start_date, due=task.due_date
    )


def task_info(task: Task, on: date, cal: ProjectCalendar) -> TaskInfo:
    """A task as the views show it, with its planned % on `on`."""
    return TaskInfo(
        key=task.key,
        title=task.title,
        owner=task.owner_user_id,
        status=task.status,
        progress=task.progress,
        start=task.start_date,
        due=task.due_date,
        planned_pct=planned_percent(progress_of(task), on, cal),
        blocker=task.blocker,
        blocked_since=task.blocked_since,
    )


def is_overdue(task: Task, on: date) -> bool:
    """Not done and its due date is before `on`."""
    return task.status != "done" and task.due_date is not None and task.due_date < on


def statuses(
    session: Session,
    projects: Sequence[Project],
    on: dict[int, date],
    *,
    spend: Mapping[int, Spend] | None = None,
) -> dict[int, ProjectStatus]:
    """The status of many projects, each on its own date, with a fixed number of queries.

    `spend`: their spend up to the latest of the dates when the caller has it already.
    """
    if not projects:
        return {}
    ids = [p.pk for p in projects]
    # One spend query needs one cut-off: the latest of the dates. Entries cannot be dated in a project's
    # future, so for "today" (a day apart at most between timezones) this is exact for every project.
    if spend is None:
        spend = spend_by_project(session, projects, through=max(on.values()))
    lines = budget_lines_by_project(session, ids)
    tasks = tasks_by_project(session, ids)
    risks = open_risks_by_project(session, ids)
    out: dict[int, ProjectStatus] = {}
    for project in projects:
        pid = project.pk
        day = on[pid]
        cal = calendar_for(project)
        project_spend = spend.get(pid, Spend())
        project_tasks = tasks.get(pid, [])
        bac = Decimal(project.budget)
        progress = [progress_of(t) for t in project_tasks]
        ev = earned_value(bac=bac, tasks=progress, ac=project_spend.total, on=day, cal=cal)
        budget_lines = tuple(
            BudgetLineStatus(
                category=line.category,
                budget=Decimal(line.amount),
                spent=project_spend.by_category.get(line.category, ZERO),
                pct=pct_of(project_spend.by_category.get(line.category, ZERO), Decimal(line.amount)),
                pct_exact=exact_pct(project_spend.by_category.get(line.category, ZERO), Decimal(line.amount)),
            )
            for line in lines.get(pid, [])
        )
        out[pid] = ProjectStatus(
            code=project.code,
            currency=project.currency,
            on=day,
            bac=bac,
            spend=project_spend,
            budget_lines=budget_lines,
            earned=ev,
            overdue=tuple(task_info(t, day, cal) for t in project_tasks if is_overdue(t, day)),
            blocked=tuple(task_info(t, day, cal) for t in project_tasks if t.status == "blocked"),
            open_risks=tuple(risks.get(pid, [])),
            confidence=ev_confidence(progress, start=project.start_date, end=project.end_date),
        )
    return out


def project_status(session: Session, *, project: Project, on: date) -> ProjectStatus:
    """Budget and schedule status of one project on a date."""
    return statuses(session, [project], {project.pk: on})[project.pk]

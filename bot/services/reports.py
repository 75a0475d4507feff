"""Report figures: the labor summary (点工汇总), cost by category for a period, timesheets, App Home data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from sqlmodel import Session, col, or_, select

from bot.domain.people import people as count_people
from bot.parsing.report_command import Period
from bot.services import status
from bot.services.access import role_of
from storage.models import Crew, LaborEntry, Member, Project, Task, WeekApproval, Worker

ZERO = Decimal(0)
MAN_DAYS = Decimal("0.01")
CATEGORY_ORDER = ("labor", "material", "equipment", "subcontract", "other")
GroupBy = Literal["worker", "crew", "day"]
# What a summary row stands for: a Slack user, a named worker, a crew, anonymous people, no crew, a day.
RowKind = Literal["user", "worker", "crew", "people", "none", "day"]


@dataclass(frozen=True)
class LaborRow:
    """One line of the labor summary, or its totals."""

    kind: RowKind
    name: str
    entries: int
    days: int
    headcount: int  # most people on one day
    man_hours: Decimal
    man_days: Decimal
    overtime_hours: Decimal
    cost: Decimal
    rate_missing: int


@dataclass(frozen=True)
class LaborSummary:
    """Labor of a project over a period, grouped by worker, crew or day, with a totals row."""

    project: Project
    period: Period
    group_by: GroupBy
    rows: tuple[LaborRow, ...]
    total: LaborRow


@dataclass
class _Acc:
    entries: int = 0
    man_hours: Decimal = ZERO
    overtime: Decimal = ZERO
    cost: Decimal = ZERO
    rate_missing: int = 0
    people_by_day: dict[date, int] = field(default_factory=lambda: defaultdict(int))
    covered: list[LaborEntry] = field(default_factory=list)

    def add(self, e: LaborEntry) -> None:
        self.entries += 1
        self.covered.append(e)
        self.man_hours += Decimal(e.man_hours)
        self.overtime += Decimal(e.overtime_hours or 0)
        if e.cost is None:
            self.rate_missing += 1
        else:
            self.cost += Decimal(e.cost)
        self.people_by_day[e.work_date] += e.headcount

    def row(self, kind: RowKind, name: str, hours_per_day: Decimal) -> LaborRow:
        man_days = (self.man_hours / hours_per_day).quantize(MAN_DAYS, rounding=ROUND_HALF_UP)
        return LaborRow(
            kind=kind,
            name=name,
            entries=self.entries,
            days=len(self.people_by_day),
            headcount=count_people(self.covered),
            man_hours=self.man_hours,
            man_days=man_days,
            overtime_hours=self.overtime,
            cost=self.cost,
            rate_missing=self.rate_missing,
        )


def labor_entries(session: Session, *, project: Project, start: date | None, end: date) -> list[LaborEntry]:
    """Non-void labor entries of the project dated within [start, end]."""
    query = select(LaborEntry).where(
        LaborEntry.project_id == project.id,
        LaborEntry.void == False,  # noqa: E712
        LaborEntry.work_date <= end,
    )
    if start is not None:
        query = query.where(LaborEntry.work_date >= start)
    return list(session.exec(query.order_by(col(LaborEntry.work_date), col(LaborEntry.id))).all())


@dataclass(frozen=True)
class _WorkerRef:
    name: str
    crew_id: int | None


def _names(session: Session, project: Project) -> tuple[dict[int, _WorkerRef], dict[int, str]]:
    """Worker names (with their crew) and crew names of the project, in two queries."""
    workers = {
        w.id: _WorkerRef(w.name, w.crew_id)
        for w in session.exec(select(Worker).where(Worker.project_id == project.id)).all()
        if w.id is not None
    }
    crews = {c.id: c.name for c in session.exec(select(Crew).where(Crew.project_id == project.id)).all()}
    return workers, crews  # type: ignore[return-value]


def _group_key(
    e: LaborEntry, group_by: GroupBy, workers: dict[int, _WorkerRef], crews: dict[int, str]
) -> tuple[RowKind, str]:
    if group_by == "day":
        return "day", e.work_date.isoformat()
    worker = workers.get(e.worker_id) if e.worker_id else None
    if group_by == "crew":
        crew_id = e.crew_id or (worker.crew_id if worker else None)
        return ("crew", crews.get(crew_id, "?")) if crew_id else ("none", "")
    if e.user_id:
        return "user", e.user_id
    if worker is not None:
        return "worker", worker.name
    if e.crew_id:
        return "crew", crews.get(e.crew_id, "?")
    return "people", ""


def summarize(
    project: Project,
    period: Period,
    group_by: GroupBy,
    entries: Iterable[LaborEntry],
    workers: dict[int, _WorkerRef],
    crews: dict[int, str],
) -> LaborSummary:
    """Group entries into summary rows (sorted by name or date) and a totals row."""
    hpd = Decimal(project.hours_per_day) or Decimal(8)
    groups: dict[tuple[RowKind, str], _Acc] = defaultdict(_Acc)
    total = _Acc()
    for e in entries:
        groups[_group_key(e, group_by, workers, crews)].add(e)
        total.add(e)
    order = {"user": 0, "worker": 1, "crew": 2, "people": 3, "none": 4, "day": 0}
    keys = sorted(groups, key=lambda k: (order[k[0]], k[1]))
    rows = tuple(groups[k].row(k[0], k[1], hpd) for k in keys)
    return LaborSummary(
        project=project, period=period, group_by=group_by, rows=rows, total=total.row("none", "", hpd)
    )


def labor_summary(session: Session, *, project: Project, period: Period, group_by: GroupBy) -> LaborSummary:
    """The 点工汇总 a foreman hands to payroll: per worker, crew or day over the period."""
    workers, crews = _names(session, project)
    entries = labor_entries(session, project=project, start=period.start, end=period.end)
    return summarize(project, period, group_by, entries, workers, crews)


@dataclass(frozen=True)
class CostLine:
    """A category: spent in the period, spent to date, its budget line and % of it used to date."""

    category: str
    period_spent: Decimal
    spent: Decimal
    budget: Decimal | None
    pct: Decimal | None


@dataclass(frozen=True)
class CostReport:
    """Cost by category for a period against the budget lines and BAC."""

    project: Project
    period: Period
    lines: tuple[CostLine, ...]
    period_total: Decimal
    spent: Decimal
    bac: Decimal
    bac_pct: Decimal | None
    rate_missing: int
    other_currency_items: int
    not_counted: dict[str, int] = field(default_factory=dict)


def _category_rank(category: str) -> tuple[int, str]:
    return (CATEGORY_ORDER.index(category) if category in CATEGORY_ORDER else len(CATEGORY_ORDER), category)


def cost_report(session: Session, *, project: Project, period: Period) -> CostReport:
    """Spend by category in the period and to date, against budget lines (status service figures)."""
    now = status.project_status(session, project=project, on=period.end)
    before: dict[str, Decimal] = {}
    if period.start is not None:
        earlier = status.spend_by_project(session, [project], through=period.start - timedelta(days=1))
        before = earlier[project.pk].by_category
    lines_by_cat = {line.category: line for line in now.budget_lines}
    categories = sorted(set(now.spend.by_category) | set(lines_by_cat), key=_category_rank)
    lines = []
    for category in categories:
        spent = now.spend.by_category.get(category, ZERO)
        line = lines_by_cat.get(category)
        lines.append(
            CostLine(
                category=category,
                period_spent=spent - before.get(category, ZERO),
                spent=spent,
                budget=line.budget if line else None,
                pct=line.pct_exact if line else None,
            )
        )
    period_total = now.spent - sum(before.values(), ZERO)
    return CostReport(
        project=project,
        period=period,
        lines=tuple(lines),
        period_total=period_total,
        spent=now.spent,
        bac=now.bac,
        bac_pct=now.spent_pct_exact,
        rate_missing=now.spend.labor.missing_rate_entries,
        other_currency_items=now.spend.other_currency_items,
        not_counted=now.spend.not_counted,
    )


@dataclass(frozen=True)
class PersonWeek:
    """One person's (or crew's) entries of a timesheet week with their totals."""

    totals: LaborRow
    entries: tuple[LaborEntry, ...]


@dataclass(frozen=True)
class Timesheet:
    """A project's labor of one week (Monday to Sunday), by person, and whether a pm approved it."""

    project: Project
    week_start: date
    people: tuple[PersonWeek, ...]
    total: LaborRow
    approval: WeekApproval | None


def week_of(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def timesheet(session: Session, *, project: Project, week_start: date) -> Timesheet:
    """The week's entries by person, with totals and the approval, if any."""
    period = Period(week_start, week_start + timedelta(days=6), "range")
    workers, crews = _names(session, project)
    entries = labor_entries(session, project=project, start=period.start, end=period.end)
    summary = summarize(project, period, "worker", entries, workers, crews)
    by_key: dict[tuple[RowKind, str], list[LaborEntry]] = defaultdict(list)
    for e in entries:
        by_key[_group_key(e, "worker", workers, crews)].append(e)
    people = tuple(PersonWeek(row, tuple(by_key[(row.kind, row.name)])) for row in summary.rows)
    approval = session.exec(
        select(WeekApproval).where(
            WeekApproval.project_id == project.id, WeekApproval.week_start == week_start
        )
    ).first()
    return Timesheet(project, week_start, people, summary.total, approval)


def project_in_team(session: Session, *, team_id: str, project_id: int) -> Project | None:
    """A project by id, only if it belongs to this workspace (ids in buttons can be forged)."""
    project = session.get(Project, project_id)
    return project if project is not None and project.team_id == team_id else None


@dataclass(frozen=True)
class HomeProject:
    """One of the user's projects as App Home shows it."""

    project: Project
    role: str
    status: status.ProjectStatus
    week_man_hours: Decimal
    week_entries: int


@dataclass(frozen=True)
class HomeOverview:
    """What App Home shows a user: their projects, open tasks and labor this week."""

    user_id: str
    projects: tuple[HomeProject, ...]
    tasks: tuple[tuple[Project, Task], ...]
    more_tasks: int


MAX_HOME_PROJECTS = 10
MAX_HOME_TASKS = 15


def user_projects(session: Session, *, team_id: str, user_id: str) -> list[Project]:
    """Projects of the workspace where the user is a member or which they created, by name."""
    member_of = select(Member.project_id).where(Member.team_id == team_id, Member.user_id == user_id)
    return list(
        session.exec(
            select(Project)
            .where(
                Project.team_id == team_id,
                or_(col(Project.id).in_(member_of), Project.created_by == user_id),
            )
            .order_by(col(Project.name))
        ).all()
    )


def home_overview(
    session: Session, *, team_id: str, user_id: str, now: datetime, is_admin: bool = False
) -> HomeOverview:
    """The user's projects with status at a glance, their open tasks and their labor this week."""
    projects = user_projects(session, team_id=team_id, user_id=user_id)[:MAX_HOME_PROJECTS]
    if not projects:
        return HomeOverview(user_id, (), (), 0)
    today = {p.pk: status.calendar_for(p).local_date(now) for p in projects}
    statuses = status.statuses(session, projects, today)
    week: dict[int, tuple[Decimal, int]] = {}
    for p in projects:
        rows = session.exec(
            select(col(LaborEntry.man_hours)).where(
                LaborEntry.project_id == p.id,
                LaborEntry.user_id == user_id,
                LaborEntry.void == False,  # noqa: E712
                LaborEntry.work_date >= week_of(today[p.pk]),
                LaborEntry.work_date <= today[p.pk],
            )
        ).all()
        week[p.pk] = (sum((Decimal(r) for r in rows), ZERO), len(rows))
    by_id = {p.pk: p for p in projects}
    tasks = session.exec(
        select(Task)
        .where(
            col(Task.project_id).in_(list(by_id)),
            Task.owner_user_id == user_id,
            Task.status != "done",
        )
        .order_by(col(Task.due_date).is_(None), col(Task.due_date), col(Task.key))
    ).all()
    return HomeOverview(
        user_id=user_id,
        projects=tuple(
            HomeProject(
                project=p,
                role=role_of(session, project=p, user_id=user_id, is_admin=is_admin),
                status=statuses[p.pk],
                week_man_hours=week[p.pk][0],
                week_entries=week[p.pk][1],
            )
            for p in projects
        ),
        tasks=tuple((by_id[t.project_id], t) for t in tasks[:MAX_HOME_TASKS]),
        more_tasks=max(0, len(tasks) - MAX_HOME_TASKS),
    )


def project_pms(session: Session, *, project: Project) -> list[str]:
    """The Slack users who are pm of the project."""
    return list(
        session.exec(
            select(Member.user_id)
            .where(Member.project_id == project.id, Member.role == "pm")
            .order_by(col(Member.user_id))
        ).all()
    )

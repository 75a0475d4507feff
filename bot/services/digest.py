"""The daily standup digest's data: labor, spend, task changes, due and late work, budget, risks, silence.

What a digest covers: labor and expenses dated from the previous workday up to yesterday (so Monday's
digest covers Friday, Saturday and Sunday, and a digest after a holiday covers the whole break), and task
changes and standup answers since the previous digest's instant. On the first digest ever the previous
workday is used all the same.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Protocol, TypeVar, cast

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.domain.funds import Position
from bot.domain.people import people as count_people
from bot.services import leave, rates, wages
from bot.services.errors import NotFound
from bot.services.status import (
    ProjectStatus,
    RiskInfo,
    Spend,
    TaskInfo,
    calendar_for,
    statuses,
    table_of,
    task_info,
)
from storage.models import AuditLog, Crew, Delivery, Expense, LaborEntry, Member, Project, Task, TaskUpdate

ZERO = Decimal(0)
# Roles expected to log their own work; "who has not logged" lists these.
LOGGING_ROLES = ("member", "foreman", "tech")
TOP_RISKS = 3
ANSWER_ACTION = "standup_answer"


@dataclass(frozen=True)
class CrewLabor:
    """Labor of one crew (or of individuals when name is None) over the digest's days."""

    name: str | None
    headcount: int
    man_hours: Decimal


@dataclass(frozen=True)
class TaskChange:
    """What happened to a task since the previous digest."""

    key: str
    title: str
    progress_before: int | None
    progress_after: int | None
    status: str
    blocker: str | None
    new_blocker: bool
    is_new: bool = False


@dataclass(frozen=True)
class Answer:
    """A standup-prompt answer sent as a DM."""

    user_id: str
    text: str


@dataclass(frozen=True)
class Digest:
    """Everything one standup digest says."""

    code: str
    name: str
    currency: str
    day: date
    first_day: date
    last_day: date
    man_hours: Decimal
    labor_cost: Decimal
    missing_rate_entries: int
    crews: tuple[CrewLabor, ...]
    expenses: tuple[tuple[str, Decimal], ...]
    changes: tuple[TaskChange, ...]
    due_today: tuple[TaskInfo, ...]
    status: ProjectStatus
    top_risks: tuple[RiskInfo, ...]
    not_logged: tuple[str, ...]
    answers: tuple[Answer, ...]
    away: tuple[leave.Away, ...] = ()
    funds: Position | None = None  # once the project has any /funds record
    expenses_not_counted: int = 0  # in another currency without an exchange rate for their date

    @property
    def overdue(self) -> tuple[TaskInfo, ...]:
        return self.status.overdue

    @property
    def expenses_total(self) -> Decimal:
        return sum((amount for _, amount in self.expenses), ZERO)

    @property
    def nothing_logged(self) -> bool:
        """No labor, no spend and no task change in the period."""
        return (
            not self.crews
            and not self.expenses
            and not self.expenses_not_counted
            and not self.changes
            and not self.answers
        )


def standup_instant(project: Project, day: date) -> datetime:
    """When the digest of `day` is due (aware UTC)."""
    return calendar_for(project).at_local(day, parse_hhmm(project.standup_time))


def parse_hhmm(value: str) -> time:
    """A stored HH:MM wall-clock time."""
    hour, _, minute = value.partition(":")
    return time(int(hour), int(minute or 0))


def covered_days(project: Project, day: date) -> tuple[date, date]:
    """The work dates a digest on `day` reports: the previous workday through yesterday."""
    first = calendar_for(project).previous_workday(day)
    return min(first, day - timedelta(days=1)), day - timedelta(days=1)


def build_digest(session: Session, *, project: Project, day: date, until: datetime | None = None) -> Digest:
    """The digest of one project for `day` (changes up to `until`, or all so far)."""
    return build_digests(session, [project], {project.pk: day}, until=until)[project.pk]


def build_digests(
    session: Session,
    projects: Sequence[Project],
    days: dict[int, date],
    *,
    until: datetime | None = None,
    spend: Mapping[int, Spend] | None = None,
) -> dict[int, Digest]:
    """Digests of many projects with a fixed number of queries (`spend`: their spend up to the latest of
    the days, when the caller has it already)."""
    if not projects:
        return {}
    ids = [p.pk for p in projects]
    ranges = {p.pk: covered_days(p, days[p.pk]) for p in projects}
    since = {p.pk: standup_instant(p, calendar_for(p).previous_workday(days[p.pk])) for p in projects}
    first = min(r[0] for r in ranges.values())
    last = max(r[1] for r in ranges.values())
    earliest = min(since.values())

    status_by = statuses(session, projects, days, spend=spend)
    # Only the fields a digest reads (rows, not ORM objects: a tick reads thousands of them).
    lab = table_of(LaborEntry)
    labor = cast(
        Sequence[_Labor],
        session.connection()
        .execute(
            sa_select(
                lab.c.project_id,
                lab.c.work_date,
                lab.c.currency,
                lab.c.man_hours,
                lab.c.cost,
                lab.c.crew_id,
                lab.c.user_id,
                lab.c.worker_id,
                lab.c.headcount,
                lab.c.logged_by,
            ).where(
                lab.c.project_id.in_(ids),
                lab.c.void.is_(False),
                lab.c.work_date >= first,
                lab.c.work_date <= last,
            )
        )
        .all(),
    )
    crew_ids = {e.crew_id for e in labor if e.crew_id is not None}
    crew_names = (
        {c.id or 0: c.name for c in session.exec(select(Crew).where(col(Crew.id).in_(crew_ids))).all()}
        if crew_ids
        else {}
    )
    expenses = session.exec(
        select(Expense).where(
            col(Expense.project_id).in_(ids),
            Expense.void == False,  # noqa: E712
            Expense.spent_on >= first,
            Expense.spent_on <= last,
        )
    ).all()
    updates_q = (
        select(TaskUpdate, Task)
        .join(Task, col(Task.id) == col(TaskUpdate.task_id))
        .where(
            col(TaskUpdate.project_id).in_(ids),
            col(TaskUpdate.void).is_(False),
            TaskUpdate.at >= earliest,
        )
        .order_by(col(TaskUpdate.at), col(TaskUpdate.id))
    )
    answers_q = select(AuditLog).where(
        col(AuditLog.project_id).in_(ids), AuditLog.action == ANSWER_ACTION, AuditLog.at >= earliest
    )
    if until is not None:
        updates_q = updates_q.where(TaskUpdate.at < until)
        answers_q = answers_q.where(AuditLog.at < until)
    updates = session.exec(updates_q).all()
    answers = session.exec(answers_q.order_by(col(AuditLog.at), col(AuditLog.id))).all()
    members = cast(
        Sequence[_Member],
        session.exec(
            select(Member.project_id, Member.user_id).where(
                col(Member.project_id).in_(ids), col(Member.role).in_(LOGGING_ROLES)
            )
        ).all(),
    )
    tasks_due = session.exec(
        select(Task).where(
            col(Task.project_id).in_(ids),
            Task.status != "done",
            col(Task.due_date).in_({days[pid] for pid in ids}),
        )
    ).all()

    # People on leave on any covered day are not "not logged"; those away on the digest's day are listed.
    away_book = leave.book(session, ids, first, max(days.values()))
    away_today = leave.away_on(session, projects, days)
    money = wages.positions(session, projects, days)
    # Rows grouped by project once: each project then reads its own rows only.
    labor_of = _by_project(labor)
    expenses_of = _by_project(expenses)
    updates_of: dict[int, list[tuple[TaskUpdate, Task]]] = defaultdict(list)
    for u, t in updates:
        updates_of[u.project_id].append((u, t))
    answers_of = _by_project(answers)
    members_of = _by_project(members)
    due_of = _by_project(sorted(tasks_due, key=lambda t: t.key))
    out: dict[int, Digest] = {}
    fx: rates.FxTable | None = None  # loaded once, and only when a foreign expense is in a period
    for project in projects:
        pid = project.pk
        lo, hi = ranges[pid]
        day = days[pid]
        cal = calendar_for(project)
        covered = [e for e in labor_of.get(pid, ()) if lo <= e.work_date <= hi]
        mine = [e for e in covered if e.currency == project.currency]
        # Foreign spend counts at the rate of its date, as the budget line counts it; without a rate it is
        # counted as not counted, never silently left out.
        spent: list[tuple[str, Decimal]] = []
        not_counted = 0
        for x in expenses_of.get(pid, ()):
            if not lo <= x.spent_on <= hi:
                continue
            if x.currency == project.currency:
                spent.append((x.category, Decimal(x.amount)))
                continue
            fx = fx or rates.FxTable(session, ids)
            value = fx.convert(pid, Decimal(x.amount), x.currency, x.spent_on)
            if value is None:
                not_counted += 1
            else:
                spent.append((x.category, value))
        out[pid] = Digest(
            code=project.code,
            name=project.name,
            currency=project.currency,
            day=day,
            first_day=lo,
            last_day=hi,
            man_hours=sum((Decimal(e.man_hours) for e in mine), ZERO),
            labor_cost=sum((Decimal(e.cost) for e in mine if e.cost is not None), ZERO),
            missing_rate_entries=sum(1 for e in mine if e.cost is None),
            crews=_crews(mine, crew_names),
            expenses=_expenses(spent),
            expenses_not_counted=not_counted,
            changes=_changes([(u, t) for u, t in updates_of.get(pid, ()) if u.at >= since[pid]]),
            due_today=tuple(task_info(t, day, cal) for t in due_of.get(pid, ()) if t.due_date == day),
            status=status_by[pid],
            top_risks=status_by[pid].open_risks[:TOP_RISKS],
            not_logged=_not_logged(
                [
                    m.user_id
                    for m in members_of.get(pid, ())
                    if not away_book.away_any(pid, m.user_id, lo, max(hi, day))
                ],
                covered,
            ),
            answers=tuple(
                Answer(a.actor, _answer_text(a.after)) for a in answers_of.get(pid, ()) if a.at >= since[pid]
            ),
            away=tuple(away_today.get(pid, ())),
            funds=money.get(pid),
        )
    return out


class _Labor(Protocol):
    """The fields of a labor entry a digest reads."""

    @property
    def project_id(self) -> int: ...
    @property
    def work_date(self) -> date: ...
    @property
    def currency(self) -> str: ...
    @property
    def man_hours(self) -> Decimal: ...
    @property
    def cost(self) -> Decimal | None: ...
    @property
    def crew_id(self) -> int | None: ...
    @property
    def user_id(self) -> str | None: ...
    @property
    def worker_id(self) -> int | None: ...
    @property
    def headcount(self) -> int: ...
    @property
    def logged_by(self) -> str: ...


class _Member(Protocol):
    @property
    def project_id(self) -> int: ...
    @property
    def user_id(self) -> str: ...


class _OfProject(Protocol):
    @property
    def project_id(self) -> int | None: ...


R = TypeVar("R", bound=_OfProject)


def _by_project(rows: Iterable[R]) -> dict[int | None, list[R]]:
    """Rows by project id, in their order."""
    out: dict[int | None, list[R]] = defaultdict(list)
    for row in rows:
        out[row.project_id].append(row)
    return out


def _crews(entries: list[_Labor], names: dict[int, str]) -> tuple[CrewLabor, ...]:
    hours: dict[str | None, Decimal] = defaultdict(lambda: ZERO)
    grouped: dict[str | None, list[_Labor]] = defaultdict(list)
    for e in entries:
        name = names.get(e.crew_id) if e.crew_id is not None else None
        hours[name] += Decimal(e.man_hours)
        grouped[name].append(e)
    keys = sorted(hours, key=lambda n: (n is None, n or ""))
    return tuple(CrewLabor(n, count_people(grouped[n]), hours[n]) for n in keys)


def _expenses(rows: list[tuple[str, Decimal]]) -> tuple[tuple[str, Decimal], ...]:
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for category, amount in rows:
        totals[category] += amount
    return tuple(sorted(totals.items()))


def _changes(rows: list[tuple[TaskUpdate, Task]]) -> tuple[TaskChange, ...]:
    first: dict[int, TaskUpdate] = {}
    last: dict[int, tuple[TaskUpdate, Task]] = {}
    new_blocker: dict[int, bool] = defaultdict(bool)
    for update, task in rows:
        first.setdefault(task.pk, update)
        last[task.pk] = (update, task)
        if update.status_after == "blocked" and update.status_before != "blocked":
            new_blocker[task.pk] = True
    out = []
    for tid, (update, task) in sorted(last.items(), key=lambda kv: kv[1][1].key):
        out.append(
            TaskChange(
                key=task.key,
                title=task.title,
                progress_before=first[tid].progress_before,
                progress_after=update.progress_after,
                status=update.status_after or task.status,
                blocker=update.blocker if update.status_after == "blocked" else None,
                new_blocker=new_blocker[tid],
                is_new=first[tid].status_before is None and first[tid].progress_before is None,
            )
        )
    return tuple(out)


def _not_logged(users: list[str], entries: list[_Labor]) -> tuple[str, ...]:
    logged = {e.user_id for e in entries} | {e.logged_by for e in entries}
    return tuple(sorted(u for u in set(users) if u not in logged))


def _answer_text(after: str | None) -> str:
    try:
        value = json.loads(after or "{}")
    except ValueError:
        return after or ""
    return str(value.get("text", "")) if isinstance(value, dict) else str(value)


def answer_project(session: Session, *, team_id: str, user_id: str) -> Project | None:
    """The project a DM answer belongs to: the latest standup prompt sent to the user, else their first project."""
    prompted = session.exec(
        select(Project)
        .join(Delivery, col(Delivery.project_id) == col(Project.id))
        .where(
            Project.team_id == team_id,
            Delivery.kind == "standup_prompt",
            col(Delivery.period_key).like(f"standup_prompt:%:{user_id}"),
        )
        .order_by(col(Delivery.id).desc())
    ).first()
    if prompted is not None:
        return prompted
    return session.exec(
        select(Project)
        .join(Member, col(Member.project_id) == col(Project.id))
        .where(Project.team_id == team_id, Member.user_id == user_id)
        .order_by(col(Member.id))
    ).first()


def prompted_project(
    session: Session, *, team_id: str, user_id: str, now: datetime, thread_ts: str | None = None
) -> Project | None:
    """The project whose standup prompt a DM answers: a reply in a prompt's thread, or a DM on the day a
    prompt was posted to the user (that project's day). None for every other DM — those stay private."""
    rows = session.exec(
        select(Delivery, Project)
        .join(Project, col(Delivery.project_id) == col(Project.id))
        .where(
            Delivery.team_id == team_id,
            Project.team_id == team_id,
            Delivery.kind == "standup_prompt",
            Delivery.status == "posted",
            col(Delivery.period_key).like(f"standup_prompt:%:{user_id}"),
        )
        .order_by(col(Delivery.id).desc())
    ).all()
    for delivery, project in rows:
        if thread_ts is not None:
            if delivery.slack_ts == thread_ts:
                return project
            continue
        day = delivery.period_key.split(":")[1]
        if day == calendar_for(project).local_date(now).isoformat():
            return project
    return None


def record_answer(session: Session, *, project: Project, user_id: str, text: str, now: datetime) -> None:
    """Keep a standup answer for the next digest (in the audit log, stamped with the tick's clock)."""
    session.add(
        AuditLog(
            team_id=project.team_id,
            project_id=project.pk,
            actor=user_id,
            action=ANSWER_ACTION,
            entity="standup",
            entity_id=calendar_for(project).local_date(now).isoformat(),
            after=json.dumps({"text": text}, ensure_ascii=False),
            at=now,
        )
    )
    session.flush()


def project_by_id(session: Session, *, team_id: str, project_id: int) -> Project:
    """A project of this workspace by id (never another workspace's)."""
    project = session.exec(
        select(Project).where(Project.team_id == team_id, Project.id == project_id)
    ).first()
    if project is None:
        raise NotFound("error.not_found", what="project", id=project_id)
    return project

"""Labor entries: logging for self, others, named workers and crews, with cost (product §3)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlmodel import Session, select

from bot.services.access import require
from bot.services.errors import InvalidInput, Locked
from storage.models import Crew, LaborEntry, Project, Task, WeekApproval, Worker

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rate:
    """A pay rate: amount per hour or per day (工日)."""

    amount: Decimal
    unit: str  # "hour" | "day"

    def hourly(self, standard_hours: Decimal) -> Decimal:
        return self.amount if self.unit == "hour" else self.amount / standard_hours


def labor_cost(
    *,
    man_hours: Decimal,
    overtime_hours: Decimal,
    rate: Rate | None,
    standard_hours: Decimal,
    overtime_multiplier: Decimal,
) -> Decimal | None:
    """Regular man-hours × hourly rate + overtime × hourly rate × multiplier; None when the rate is unknown."""
    if rate is None:
        return None
    hourly = rate.hourly(standard_hours)
    cost = man_hours * hourly + overtime_hours * hourly * overtime_multiplier
    return cost.quantize(CENT, rounding=ROUND_HALF_UP)


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def ensure_unlocked(session: Session, *, project: Project, day: date) -> None:
    """Locked when a pm approved the week holding `day`."""
    approved = session.exec(
        select(WeekApproval.id).where(
            WeekApproval.project_id == project.id, WeekApproval.week_start == week_start(day)
        )
    ).first()
    if approved:
        raise Locked(week=week_start(day).isoformat())


def _task_id(session: Session, project: Project, key: str | None) -> int | None:
    if not key:
        return None
    task = session.exec(select(Task).where(Task.project_id == project.id, Task.key == key.upper())).first()
    if task is None:
        raise InvalidInput("task.unknown", key=key.upper())
    return task.id


def _rate(explicit: Rate | None, *holders: Any) -> Rate | None:
    if explicit is not None:
        return explicit
    for holder in holders:
        if holder is not None and holder.rate is not None and holder.rate_unit:
            return Rate(Decimal(holder.rate), holder.rate_unit)
    return None


def find_crew(session: Session, project: Project, name: str) -> Crew | None:
    return session.exec(select(Crew).where(Crew.project_id == project.id, Crew.name == name)).first()


def find_worker(session: Session, project: Project, name: str) -> Worker | None:
    return session.exec(select(Worker).where(Worker.project_id == project.id, Worker.name == name)).first()


def log_labor(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    intent: Any,
    work_date: date,
    today: date,
    source: str = "command",
    slack_channel: str | None = None,
    slack_ts: str | None = None,
) -> list[LaborEntry]:
    """Store the labor an intent states; one row per person named, or one per crew/headcount."""
    others = [u for u in intent.users if u != actor]
    if others or intent.workers or intent.crew or (intent.headcount or 1) > 1:
        require(session, project=project, user_id=actor, roles=("foreman",), is_admin=is_admin)
    if (today - work_date).days > 31:
        require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)
    ensure_unlocked(session, project=project, day=work_date)

    hours = Decimal(str(intent.hours_each))
    if hours <= 0 or hours > 24:
        raise InvalidInput("labor.bad_hours", hours=intent.hours_each)
    overtime_each = Decimal(str(intent.overtime_hours or 0))
    explicit = Rate(Decimal(intent.rate_amount), intent.rate_unit or "hour") if intent.rate_amount else None
    task_id = _task_id(session, project, intent.task)
    std = Decimal(project.hours_per_day)
    mult = Decimal(project.overtime_multiplier)
    batch = uuid.uuid4().hex
    crew = None
    if intent.crew:
        crew = find_crew(session, project, intent.crew)
        if crew is None:
            crew = Crew(team_id=project.team_id, project_id=project.pk, name=intent.crew)
            session.add(crew)
            session.flush()

    def entry(*, user_id: str | None = None, worker: Worker | None = None, headcount: int = 1) -> LaborEntry:
        rate = _rate(explicit, worker, crew)
        man_hours = hours * headcount
        overtime = overtime_each * headcount
        return LaborEntry(
            team_id=project.team_id,
            project_id=project.pk,
            batch=batch,
            work_date=work_date,
            user_id=user_id,
            worker_id=worker.id if worker else None,
            crew_id=crew.id if crew else None,
            headcount=headcount,
            hours_each=hours,
            man_hours=man_hours,
            overtime_hours=overtime,
            rate=rate.amount if rate else None,
            rate_unit=rate.unit if rate else None,
            cost=labor_cost(
                man_hours=man_hours,
                overtime_hours=overtime,
                rate=rate,
                standard_hours=std,
                overtime_multiplier=mult,
            ),
            currency=project.currency,
            task_id=task_id,
            note=intent.note,
            source=source,
            slack_channel=slack_channel,
            slack_ts=slack_ts,
            logged_by=actor,
        )

    rows: list[LaborEntry] = []
    for user_id in intent.users:
        rows.append(entry(user_id=user_id))
    for name in intent.workers:
        worker = find_worker(session, project, name)
        if worker is None:
            worker = Worker(
                team_id=project.team_id, project_id=project.pk, name=name, crew_id=crew.id if crew else None
            )
            session.add(worker)
            session.flush()
        rows.append(entry(worker=worker))
    if not rows:
        if crew is not None or (intent.headcount or 1) > 1:
            rows.append(entry(headcount=max(1, intent.headcount or 1)))
        else:
            rows.append(entry(user_id=actor))
    session.add_all(rows)
    session.flush()
    return rows

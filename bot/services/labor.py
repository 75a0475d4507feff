"""Labor entries: logging for self, others, named workers and crews, with cost (product §3)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlmodel import Session, col, select

from bot.services import audit, shifts
from bot.services.access import require
from bot.services.errors import Conflict, InvalidInput, Locked, NotFound
from bot.services.projects import local_date
from storage.models import Crew, LaborEntry, Project, Shift, Task, WeekApproval, Worker
from storage.types import utcnow

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


def check_date(
    session: Session, *, project: Project, actor: str, is_admin: bool, day: date, today: date
) -> None:
    """Refuse future dates, more than 31 days back unless pm, and locked weeks."""
    if day > today:
        raise InvalidInput("labor.future", date=day.isoformat())
    if (today - day).days > 31:
        require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)
    ensure_unlocked(session, project=project, day=day)


def check_hours(project: Project, hours: Decimal) -> None:
    """Hours per person must be positive and fit a day, unless stated as whole days (`2 days`)."""
    std = Decimal(project.hours_per_day)
    whole_days = std > 0 and hours % std == 0 and hours <= std * 31
    if hours <= 0 or (hours > 24 and not whole_days):
        raise InvalidInput("labor.bad_hours", hours=format(hours.normalize(), "f"))


def _task_id(session: Session, project: Project, key: str | None) -> int | None:
    if not key:
        return None
    task = session.exec(select(Task).where(Task.project_id == project.id, Task.key == key.upper())).first()
    if task is None:
        raise InvalidInput("task.unknown", task=key.upper())
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
    check_date(session, project=project, actor=actor, is_admin=is_admin, day=work_date, today=today)
    if intent.hours_each is None:
        raise InvalidInput("labor.not_understood")
    hours = Decimal(str(intent.hours_each))
    check_hours(project, hours)
    # The intent's overtime is the total for everyone it names; each row carries its own share.
    overtime_each = Decimal(str(intent.overtime_hours or 0)) / max(1, intent.headcount or 1)
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


# --- editing, voiding and approval (author or pm, until a pm locks the week) ---

EDITABLE = ("hours", "date", "task", "note", "rate", "overtime", "headcount")


def get_entry(session: Session, *, project: Project, entry_id: int) -> LaborEntry:
    """An entry of this project (and so of this workspace), or NotFound."""
    entry = session.exec(
        select(LaborEntry).where(
            LaborEntry.id == entry_id,
            LaborEntry.project_id == project.pk,
            LaborEntry.team_id == project.team_id,
        )
    ).first()
    if entry is None:
        raise NotFound("labor.not_found", id=f"L-{entry_id}")
    return entry


def ensure_modifiable(
    session: Session, *, project: Project, actor: str, is_admin: bool, entry: LaborEntry
) -> None:
    """Only the author or a pm may change an entry, and only while its week is not approved."""
    if entry.logged_by != actor:
        require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)
    if entry.approved:
        raise Locked(week=week_start(entry.work_date).isoformat())
    ensure_unlocked(session, project=project, day=entry.work_date)


def _void(session: Session, *, project: Project, actor: str, rows: list[LaborEntry]) -> list[LaborEntry]:
    now = utcnow()
    for row in rows:
        before = audit.snapshot(row)
        row.void = True
        row.voided_at = now
        session.add(row)
        audit.record(
            session,
            project=project,
            actor=actor,
            action="void",
            entity="labor_entry",
            entity_id=row.id,
            before=before,
            after=row,
        )
    session.flush()
    return rows


def void_batch(
    session: Session, *, project: Project, actor: str, is_admin: bool, batch: str
) -> list[LaborEntry]:
    """Void every live entry one statement logged; Locked when any is in an approved week."""
    rows = list(
        session.exec(
            select(LaborEntry)
            .where(
                LaborEntry.project_id == project.pk,
                LaborEntry.team_id == project.team_id,
                LaborEntry.batch == batch,
                col(LaborEntry.void).is_(False),
            )
            .order_by(col(LaborEntry.id))
        ).all()
    )
    if not rows:
        raise NotFound("labor.batch_not_found")
    for row in rows:
        ensure_modifiable(session, project=project, actor=actor, is_admin=is_admin, entry=row)
    return _void(session, project=project, actor=actor, rows=rows)


def void_entry(
    session: Session, *, project: Project, actor: str, is_admin: bool, entry_id: int
) -> LaborEntry:
    """Void one entry (author or pm, unlocked week)."""
    entry = get_entry(session, project=project, entry_id=entry_id)
    if entry.void:
        raise Conflict("labor.already_void", id=f"L-{entry.id}")
    ensure_modifiable(session, project=project, actor=actor, is_admin=is_admin, entry=entry)
    return _void(session, project=project, actor=actor, rows=[entry])[0]


def undo_last(session: Session, *, project: Project, actor: str, is_admin: bool) -> list[LaborEntry]:
    """Void the actor's most recent live batch in this project."""
    last = session.exec(
        select(LaborEntry.batch)
        .where(
            LaborEntry.project_id == project.pk,
            LaborEntry.team_id == project.team_id,
            LaborEntry.logged_by == actor,
            col(LaborEntry.void).is_(False),
        )
        .order_by(col(LaborEntry.id).desc())
    ).first()
    if last is None:
        raise NotFound("labor.nothing_to_undo")
    return void_batch(session, project=project, actor=actor, is_admin=is_admin, batch=last)


def _recost(project: Project, entry: LaborEntry) -> None:
    rate = Rate(Decimal(entry.rate), entry.rate_unit) if entry.rate is not None and entry.rate_unit else None
    entry.man_hours = Decimal(entry.hours_each) * entry.headcount
    entry.cost = labor_cost(
        man_hours=Decimal(entry.man_hours),
        overtime_hours=Decimal(entry.overtime_hours),
        rate=rate,
        standard_hours=Decimal(project.hours_per_day),
        overtime_multiplier=Decimal(project.overtime_multiplier),
    )


def edit_entry(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    entry_id: int,
    changes: dict[str, Any],
    today: date,
) -> LaborEntry:
    """Change fields of one entry and recompute its cost; `changes` keys: hours (each), date, task,
    note, rate (a Rate or None), overtime (per person), headcount."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput("labor.bad_edit", fields=", ".join(sorted(unknown)))
    if not changes:
        raise InvalidInput("labor.nothing_to_edit")
    entry = get_entry(session, project=project, entry_id=entry_id)
    if entry.void:
        raise Conflict("labor.already_void", id=f"L-{entry.id}")
    ensure_modifiable(session, project=project, actor=actor, is_admin=is_admin, entry=entry)
    before = audit.snapshot(entry)
    per_person_ot = Decimal(entry.overtime_hours) / max(1, entry.headcount)
    if "headcount" in changes:
        headcount = int(changes["headcount"])
        if headcount < 1:
            raise InvalidInput("labor.bad_headcount", headcount=headcount)
        entry.headcount = headcount
    if "hours" in changes:
        hours = Decimal(str(changes["hours"]))
        check_hours(project, hours)
        entry.hours_each = hours
    if "date" in changes:
        day = changes["date"]
        check_date(session, project=project, actor=actor, is_admin=is_admin, day=day, today=today)
        entry.work_date = day
    if "task" in changes:
        entry.task_id = _task_id(session, project, changes["task"])
    if "note" in changes:
        entry.note = changes["note"] or None
    if "rate" in changes:
        rate = changes["rate"]
        entry.rate = rate.amount if rate is not None else None
        entry.rate_unit = rate.unit if rate is not None else None
    if "overtime" in changes:
        per_person_ot = Decimal(str(changes["overtime"]))
        if per_person_ot < 0 or per_person_ot > 24:
            raise InvalidInput("labor.bad_hours", hours=format(per_person_ot, "f"))
    entry.overtime_hours = per_person_ot * entry.headcount
    _recost(project, entry)
    session.add(entry)
    session.flush()
    audit.record(
        session,
        project=project,
        actor=actor,
        action="edit",
        entity="labor_entry",
        entity_id=entry.id,
        before=before,
        after=entry,
    )
    return entry


def entries_for_message(session: Session, *, team_id: str, channel: str, ts: str) -> list[LaborEntry]:
    """The live entries a Slack message created (for message edits and deletes)."""
    return list(
        session.exec(
            select(LaborEntry)
            .where(
                LaborEntry.team_id == team_id,
                LaborEntry.slack_channel == channel,
                LaborEntry.slack_ts == ts,
                col(LaborEntry.void).is_(False),
            )
            .order_by(col(LaborEntry.id))
        ).all()
    )


def entries_between(
    session: Session, *, project: Project, start: date, end: date, user_id: str | None = None
) -> list[LaborEntry]:
    """Live entries with work dates in [start, end]; only those a user logged or covers when given."""
    query = select(LaborEntry).where(
        LaborEntry.project_id == project.pk,
        LaborEntry.team_id == project.team_id,
        col(LaborEntry.void).is_(False),
        LaborEntry.work_date >= start,
        LaborEntry.work_date <= end,
    )
    if user_id is not None:
        query = query.where((LaborEntry.user_id == user_id) | (LaborEntry.logged_by == user_id))
    return list(session.exec(query.order_by(col(LaborEntry.work_date), col(LaborEntry.id))).all())


def approve_week(session: Session, *, project: Project, actor: str, is_admin: bool, week_start: date) -> int:
    """Approve (lock) the Mon–Sun week starting at `week_start` (pm only); the number of entries locked."""
    require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)
    monday = week_start - timedelta(days=week_start.weekday())
    exists = session.exec(
        select(WeekApproval).where(WeekApproval.project_id == project.pk, WeekApproval.week_start == monday)
    ).first()
    if exists is not None:
        raise Conflict("labor.week_already_approved", week=monday.isoformat())
    now = utcnow()
    rows = list(
        session.exec(
            select(LaborEntry).where(
                LaborEntry.project_id == project.pk,
                LaborEntry.team_id == project.team_id,
                col(LaborEntry.void).is_(False),
                LaborEntry.work_date >= monday,
                LaborEntry.work_date <= monday + timedelta(days=6),
            )
        ).all()
    )
    for row in rows:
        row.approved = True
        row.approved_by = actor
        row.approved_at = now
        session.add(row)
    session.add(
        WeekApproval(team_id=project.team_id, project_id=project.pk, week_start=monday, approved_by=actor)
    )
    session.flush()
    audit.record(
        session,
        project=project,
        actor=actor,
        action="approve",
        entity="week",
        entity_id=monday.isoformat(),
        before={"week_start": monday.isoformat(), "approved": False},
        after={
            "week_start": monday.isoformat(),
            "approved": True,
            "entries": sorted(r.id for r in rows if r.id is not None),
        },
    )
    return len(rows)


# --- clock in / out (one open shift per user per project) ---


def clock_in(
    session: Session,
    *,
    project: Project,
    actor: str,
    at: datetime,
    user_id: str | None = None,
    is_admin: bool = False,
    slack_channel: str | None = None,
    slack_ts: str | None = None,
) -> Shift:
    """Open a shift for the actor (or, for a foreman/pm, for `user_id`)."""
    who = user_id or actor
    if who != actor:
        require(session, project=project, user_id=actor, roles=("foreman",), is_admin=is_admin)
    if at.tzinfo is None:
        raise InvalidInput("clock.naive_time")
    ensure_unlocked(session, project=project, day=local_date(project, at))
    open_shift = shifts.open_shift(session, project=project, user_id=who)
    if open_shift is not None:
        raise Conflict("clock.already_in", since=shifts.local_hhmm(project, open_shift.started_at))
    shift = Shift(
        team_id=project.team_id,
        project_id=project.pk,
        user_id=who,
        started_at=at.astimezone(UTC),
        logged_by=actor,
        slack_channel=slack_channel,
        slack_ts=slack_ts,
    )
    session.add(shift)
    session.flush()
    return shift


def clock_out(
    session: Session,
    *,
    project: Project,
    actor: str,
    at: datetime,
    user_id: str | None = None,
    is_admin: bool = False,
    source: str = "clock",
    slack_channel: str | None = None,
    slack_ts: str | None = None,
) -> LaborEntry:
    """Close the open shift and store its elapsed hours as a labor entry dated the day it started."""
    who = user_id or actor
    if who != actor:
        require(session, project=project, user_id=actor, roles=("foreman",), is_admin=is_admin)
    shift = shifts.open_shift(session, project=project, user_id=who)
    if shift is None:
        raise InvalidInput("clock.not_in")
    end = at.astimezone(UTC)
    if end <= shift.started_at:
        raise InvalidInput("clock.before_in", since=shifts.local_hhmm(project, shift.started_at))
    elapsed = Decimal((end - shift.started_at).total_seconds()) / Decimal(3600)
    hours = elapsed.quantize(CENT, rounding=ROUND_HALF_UP)
    if hours > 24:
        raise InvalidInput(
            "clock.too_long", since=shifts.local_hhmm(project, shift.started_at), hours=str(hours)
        )
    work_date = local_date(project, shift.started_at)
    ensure_unlocked(session, project=project, day=work_date)
    entry = LaborEntry(
        team_id=project.team_id,
        project_id=project.pk,
        batch=uuid.uuid4().hex,
        work_date=work_date,
        user_id=who,
        headcount=1,
        hours_each=hours,
        man_hours=hours,
        overtime_hours=Decimal(0),
        currency=project.currency,
        source=source,
        slack_channel=slack_channel,
        slack_ts=slack_ts,
        logged_by=actor,
    )
    session.add(entry)
    session.flush()
    shift.ended_at = end
    shift.labor_entry_id = entry.id
    session.add(shift)
    session.flush()
    return entry

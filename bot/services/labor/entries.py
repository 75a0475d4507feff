"""Labor entries: logging for self, others, named workers and crews, with cost; edit, void and undo (§3).

Their lifecycle (who may change them, audit, week locks, Slack source) is the shared one in
bot.services.records; this module adds what is particular to labor: people, crews, hours and cost.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from sqlmodel import Session, select

from bot.services import rates, records
from bot.services.access import require
from bot.services.errors import InvalidInput
from bot.services.labor import limits
from bot.services.records import Origin
from bot.services.tasks import task_id_for
from storage.models import Crew, LaborEntry, Project, Worker

CENT = Decimal("0.01")
HOURS = Decimal("0.001")
COST_FIELDS = ("hours", "rate", "overtime", "headcount")
EDITABLE = ("hours", "date", "task", "note", "rate", "overtime", "headcount")
LABOR = records.RecordKind(
    model=LaborEntry,
    prefix="L",
    words="labor",
    entity="labor_entry",
    date_field="work_date",
    editable=EDITABLE,
    batch_field="batch",
    week_locked=True,
    number_field="number",
    owner_fields=("user_id", "logged_by"),
)


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


def check_hours(project: Project, hours: Decimal) -> None:
    """Hours per person must be positive and fit a day, unless stated as whole days (`2 days`)."""
    std = Decimal(project.hours_per_day)
    whole_days = std > 0 and hours % std == 0 and hours <= std * 31
    if hours <= 0 or (hours > 24 and not whole_days):
        raise InvalidInput("labor.bad_hours", hours=format(hours.normalize(), "f"))


def find_crew(session: Session, project: Project, name: str) -> Crew | None:
    return session.exec(select(Crew).where(Crew.project_id == project.id, Crew.name == name)).first()


class Logged(NamedTuple):
    """What `log_labor` stored, and the person-days it brought past 12 h (for the reply's warning)."""

    rows: list[LaborEntry]
    long_days: list[tuple[str, date, Decimal]]


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
) -> Logged:
    """Store the labor an intent states; one row per person named, or one per crew/headcount."""
    others = [u for u in intent.users if u != actor]
    if others or intent.workers or intent.crew or (intent.headcount or 1) > 1:
        require(session, project=project, user_id=actor, roles=("foreman",), is_admin=is_admin)
    records.check_date(
        session, LABOR, project=project, actor=actor, is_admin=is_admin, day=work_date, today=today
    )
    if intent.hours_each is None:
        raise InvalidInput("labor.not_understood")
    limits.check_named(intent.headcount, intent.users, intent.workers)
    # Hours are kept to 0.001 h; rounding them once here makes man-hours and cost agree with what is stored.
    hours = Decimal(str(intent.hours_each)).quantize(HOURS, rounding=ROUND_HALF_UP)
    check_hours(project, hours)
    days = Decimal(str(intent.days)) if getattr(intent, "days", None) else None
    if days is not None and days > 1:
        # `3 workers 2 days`: one entry per workday ending on the stated date, each of the standard hours.
        plan = limits.spread_days(project, days=days, last=work_date)
        for day, _ in plan:
            records.check_date(
                session, LABOR, project=project, actor=actor, is_admin=is_admin, day=day, today=today
            )
    else:
        plan = [(work_date, hours)]
    # The intent's overtime is the total for everyone it names; each row carries its own share.
    overtime_each = Decimal(str(intent.overtime_hours or 0)) / max(1, intent.headcount or 1)
    explicit = Rate(Decimal(intent.rate_amount), intent.rate_unit or "hour") if intent.rate_amount else None
    task_id = task_id_for(session, project=project, key=intent.task)
    std = Decimal(project.hours_per_day)
    mult = Decimal(project.overtime_multiplier)
    batch = uuid.uuid4().hex
    stamp = records.new_fields(project, actor=actor, origin=Origin(source, slack_channel, slack_ts))
    crew = None
    if intent.crew:
        crew = find_crew(session, project, intent.crew)
        if crew is None:
            crew = Crew(team_id=project.team_id, project_id=project.pk, name=intent.crew)
            session.add(crew)
            session.flush()

    start, end = getattr(intent, "start", None), getattr(intent, "end", None)
    span = (start.strftime("%H:%M"), end.strftime("%H:%M")) if start and end and len(plan) == 1 else None

    def split(day_hours: Decimal) -> tuple[Decimal, Decimal]:
        # `set overtime after N`: hours past N in one person's day are overtime.
        after = project.overtime_after
        if after is not None and Decimal(after) < day_hours <= 24:
            return Decimal(after), day_hours - Decimal(after)
        return day_hours, Decimal(0)

    def entry(
        day: date,
        day_hours: Decimal,
        *,
        user_id: str | None = None,
        worker: Worker | None = None,
        headcount: int = 1,
    ) -> LaborEntry:
        found = explicit or rates.rate_for(
            session, project=project, day=day, user_id=user_id, worker=worker, crew=crew
        )
        rate = Rate(found.amount, found.unit) if found is not None else None
        regular_each, extra_each = split(day_hours)
        man_hours = regular_each * headcount
        overtime = (overtime_each + extra_each) * headcount
        return records.new(
            LaborEntry,
            **stamp,
            batch=batch,
            work_date=day,
            user_id=user_id,
            worker_id=worker.id if worker else None,
            crew_id=crew.id if crew else None,
            headcount=headcount,
            hours_each=regular_each,
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
            start_time=span[0] if span else None,
            end_time=span[1] if span else None,
        )

    people: list[dict[str, Any]] = [{"user_id": u} for u in intent.users]
    for name in intent.workers:
        worker = find_worker(session, project, name)
        if worker is None:
            worker = Worker(
                team_id=project.team_id, project_id=project.pk, name=name, crew_id=crew.id if crew else None
            )
            session.add(worker)
            session.flush()
        people.append({"worker": worker})
    if not people:
        if crew is not None or (intent.headcount or 1) > 1:
            people.append({"headcount": max(1, intent.headcount or 1)})
        else:
            people.append({"user_id": actor})
    rows = [entry(day, day_hours, **who) for day, day_hours in plan for who in people]
    totals = limits.check_day_limit(session, project, rows)
    limits.check_no_overlap(session, project, rows)
    return Logged(records.store(session, rows), limits.long_of(totals))


def get_entry(session: Session, *, project: Project, entry_id: int) -> LaborEntry:
    """An entry of this project (and so of this workspace), or NotFound."""
    return records.get(session, LABOR, project=project, record_id=entry_id)


def void_batch(
    session: Session, *, project: Project, actor: str, is_admin: bool, batch: str
) -> list[LaborEntry]:
    """Void every live entry one statement logged; Locked when any is in an approved week."""
    return records.void_batch(session, LABOR, project=project, actor=actor, is_admin=is_admin, batch=batch)


def void_entry(
    session: Session, *, project: Project, actor: str, is_admin: bool, entry_id: int
) -> LaborEntry:
    """Void one entry (author or pm, unlocked week)."""
    return records.void(session, LABOR, project=project, actor=actor, is_admin=is_admin, record_id=entry_id)


def undo_last(session: Session, *, project: Project, actor: str, is_admin: bool) -> list[LaborEntry]:
    """Void the actor's most recent live batch in this project."""
    return records.undo_last(session, LABOR, project=project, actor=actor, is_admin=is_admin)


def _recost(session: Session, project: Project, entry: LaborEntry) -> None:
    rate = Rate(Decimal(entry.rate), entry.rate_unit) if entry.rate is not None and entry.rate_unit else None
    if rate is None:
        # No rate stored: the one in force on the entry's date, if any has been set since.
        worker = session.get(Worker, entry.worker_id) if entry.worker_id else None
        crew = session.get(Crew, entry.crew_id) if entry.crew_id else None
        found = rates.rate_for(
            session, project=project, day=entry.work_date, user_id=entry.user_id, worker=worker, crew=crew
        )
        if found is not None:
            rate = Rate(found.amount, found.unit)
            entry.rate, entry.rate_unit = found.amount, found.unit
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

    def apply(entry: LaborEntry, changes: dict[str, Any]) -> None:
        per_person_ot = Decimal(entry.overtime_hours) / max(1, entry.headcount)
        if "headcount" in changes:
            headcount = int(changes["headcount"])
            if headcount < 1:
                raise InvalidInput("labor.bad_headcount", headcount=headcount)
            if headcount > 1 and (entry.user_id is not None or entry.worker_id is not None):
                raise InvalidInput("labor.headcount_names", headcount=headcount, named=1, names="—")
            if headcount > 1:
                # The same role a new entry for several people needs.
                require(session, project=project, user_id=actor, roles=("foreman",), is_admin=is_admin)
            entry.headcount = headcount
        if "hours" in changes:
            hours = Decimal(str(changes["hours"])).quantize(HOURS, rounding=ROUND_HALF_UP)
            check_hours(project, hours)
            entry.hours_each = hours
        if "date" in changes:
            day = changes["date"]
            records.check_date(
                session, LABOR, project=project, actor=actor, is_admin=is_admin, day=day, today=today
            )
            entry.work_date = day
        if "task" in changes:
            entry.task_id = task_id_for(session, project=project, key=changes["task"])
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
        if any(key in changes for key in COST_FIELDS):
            # Costs are frozen when logged: only a change of hours, headcount, rate or overtime re-costs.
            entry.overtime_hours = per_person_ot * entry.headcount
            _recost(session, project, entry)
        limits.check_day_limit(session, project, [entry])
        limits.check_no_overlap(session, project, [entry])

    return records.edit(
        session, LABOR, entry_id, changes, apply, project=project, actor=actor, is_admin=is_admin
    )


def entries_for_message(session: Session, *, team_id: str, channel: str, ts: str) -> list[LaborEntry]:
    """The live entries a Slack message created (for message edits and deletes)."""
    return records.for_message(session, LABOR, team_id=team_id, channel=channel, ts=ts)


def entries_between(
    session: Session, *, project: Project, start: date, end: date, user_id: str | None = None
) -> list[LaborEntry]:
    """Live entries with work dates in [start, end]; only those a user logged or covers when given."""
    return records.between(session, LABOR, project=project, start=start, end=end, user_id=user_id)

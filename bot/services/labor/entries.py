"""Labor entries: logging for self, others, named workers and crews, with cost; edit, void and undo (§3).

Their lifecycle (who may change them, audit, week locks, Slack source) is the shared one in
bot.services.records; this module adds what is particular to labor: people, crews, hours and cost.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlmodel import Session, select

from bot.services import records
from bot.services.access import require
from bot.services.errors import InvalidInput
from bot.services.records import Origin
from bot.services.tasks import task_id_for
from storage.models import Crew, LaborEntry, Project, Worker

CENT = Decimal("0.01")
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
    records.check_date(
        session, LABOR, project=project, actor=actor, is_admin=is_admin, day=work_date, today=today
    )
    if intent.hours_each is None:
        raise InvalidInput("labor.not_understood")
    hours = Decimal(str(intent.hours_each))
    check_hours(project, hours)
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

    def entry(*, user_id: str | None = None, worker: Worker | None = None, headcount: int = 1) -> LaborEntry:
        rate = _rate(explicit, worker, crew)
        man_hours = hours * headcount
        overtime = overtime_each * headcount
        return LaborEntry(
            **stamp,
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
    return records.store(session, rows)


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

    def apply(entry: LaborEntry, changes: dict[str, Any]) -> None:
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
        entry.overtime_hours = per_person_ot * entry.headcount
        _recost(project, entry)

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

"""The limits every labor entry obeys, new or edited (contract §5): one person's day holds at most 24 h
(all entries, overtime included) and the reply warns past 12 h; multi-day statements are spread over the
workdays ending on the stated date; headcount and named people agree."""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from bot.services import cache
from bot.services.errors import InvalidInput
from bot.services.status import calendar_for
from bot.views.mrkdwn import mention
from storage.db import Prepared
from storage.models import LaborEntry, Project, Worker

DAY_LIMIT = Decimal(24)
LONG_DAY = Decimal(12)

_E = LaborEntry.__table__  # type: ignore[attr-defined]


@functools.cache
def _hours_of(column: str, people: int, days: int) -> Any:
    """Live entries of `people` persons (user_id or worker_id) on `days` dates: one statement per shape,
    compiled once (an expanding IN is rendered anew on every execution)."""
    e = _E
    return Prepared(
        core_select(
            e.c.id,
            e.c.user_id,
            e.c.worker_id,
            e.c.work_date,
            e.c.hours_each,
            e.c.overtime_hours,
            e.c.headcount,
        ).where(
            e.c.project_id == bindparam("pid"),
            e.c[column].in_([bindparam(f"p{i}") for i in range(people)]),
            e.c.work_date.in_([bindparam(f"d{i}") for i in range(days)]),
            e.c.void.is_(False),
        )
    )


def _read_hours(
    session: Session, project: Project, column: str, people: list[Any], days: list[date]
) -> list[Any]:
    params: dict[str, Any] = {"pid": project.pk}
    params |= {f"p{i}": person for i, person in enumerate(people)}
    params |= {f"d{i}": day for i, day in enumerate(days)}
    return _hours_of(column, len(people), len(days)).rows(session, params)


def per_person_hours(entry: LaborEntry) -> Decimal:
    """Hours one person of the entry worked that day, overtime included."""
    return Decimal(entry.hours_each) + Decimal(entry.overtime_hours) / max(1, entry.headcount)


def _person(entry: LaborEntry) -> tuple[str, str] | None:
    if entry.user_id is not None:
        return ("user", entry.user_id)
    if entry.worker_id is not None:
        return ("worker", str(entry.worker_id))
    return None


def _stored_totals(
    session: Session, project: Project, rows: Iterable[LaborEntry]
) -> dict[tuple[tuple[str, str], date], Decimal]:
    """Per person and day: hours of live stored entries, leaving out the given rows themselves."""
    keys = {(p, r.work_date) for r in rows if (p := _person(r)) is not None}
    own = {r.id for r in rows if r.id is not None}
    totals: dict[tuple[tuple[str, str], date], Decimal] = defaultdict(Decimal)
    if not keys:
        return totals
    days = sorted({d for _, d in keys})
    users = sorted({value for (kind, value), _ in keys if kind == "user"})
    workers = sorted({int(value) for (kind, value), _ in keys if kind == "worker"})
    # Only the people in question, each by an index on (project, person, day): the day's other entries
    # (a big site logs hundreds) are not read.
    stored: list[Any] = []
    if users:
        stored += _read_hours(session, project, "user_id", users, days)
    if workers:
        stored += _read_hours(session, project, "worker_id", workers, days)
    for entry in stored:
        person = _person(entry)
        if entry.id in own or person is None or (person, entry.work_date) not in keys:
            continue
        totals[(person, entry.work_date)] += per_person_hours(entry)
    return totals


def _label(session: Session, project: Project, person: tuple[str, str]) -> str:
    kind, value = person
    if kind == "user":
        return mention(value)
    name = cache.of(session, project).worker_names.get(int(value))
    if name is None:
        worker = session.get(Worker, int(value))
        name = worker.name if worker is not None else None
    return name or value


def day_totals(session: Session, project: Project, rows: list[LaborEntry]) -> list[tuple[str, date, Decimal]]:
    """Each person's total for each day the rows touch, stored entries and the rows together."""
    totals = _stored_totals(session, project, rows)
    out: list[tuple[str, date, Decimal]] = []
    for row in rows:
        person = _person(row)
        if person is None:
            out.append(("", row.work_date, per_person_hours(row)))
            continue
        totals[(person, row.work_date)] += per_person_hours(row)
    seen = set()
    for row in rows:
        person = _person(row)
        if person is None or (person, row.work_date) in seen:
            continue
        seen.add((person, row.work_date))
        out.append((_label(session, project, person), row.work_date, totals[(person, row.work_date)]))
    return out


def check_day_limit(
    session: Session, project: Project, rows: list[LaborEntry]
) -> list[tuple[str, date, Decimal]]:
    """Refuse rows that would give one person more than 24 h on one day; else each person-day's total
    with the rows (`long_of` picks the warnings from them, without reading the day again)."""
    totals = day_totals(session, project, rows)
    for who, day, total in totals:
        if total > DAY_LIMIT:
            raise InvalidInput(
                "labor.over_day", who=who or "—", date=day.isoformat(), hours=format(total.normalize(), "f")
            )
    return totals


def long_of(totals: list[tuple[str, date, Decimal]]) -> list[tuple[str, date, Decimal]]:
    """The person-days of `day_totals` past 12 h (for a warning in the reply)."""
    return [(w, d, h) for w, d, h in totals if h > LONG_DAY and w]


def long_days(session: Session, project: Project, rows: list[LaborEntry]) -> list[tuple[str, date, Decimal]]:
    """The person-days the rows touch whose total passes 12 h (for a warning in the reply)."""
    return long_of(day_totals(session, project, rows))


def spread_days(project: Project, *, days: Decimal, last: date) -> list[tuple[date, Decimal]]:
    """`days` standard days as (date, hours) on the workdays ending on `last` (the earliest takes a part day)."""
    std = Decimal(project.hours_per_day)
    count = math.ceil(days)
    cal = calendar_for(project)
    dates = [last]
    while len(dates) < count:
        dates.append(cal.previous_workday(dates[-1]))
    dates.reverse()
    hours = [std] * count
    hours[0] = std * (days - (count - 1))
    return list(zip(dates, hours, strict=True))


def check_named(intent_headcount: int | None, users: Iterable[str], workers: Iterable[str]) -> None:
    """A headcount with names must match them: `钢筋班 5人 张三 8h` is refused with a question."""
    names = [mention(u) for u in users] + list(workers)
    if names and intent_headcount is not None and intent_headcount > 1 and intent_headcount != len(names):
        raise InvalidInput(
            "labor.headcount_names", headcount=intent_headcount, named=len(names), names=", ".join(names)
        )


def _minutes(hhmm: str) -> int:
    hour, minute = hhmm.split(":")
    return int(hour) * 60 + int(minute)


def _span(entry: LaborEntry) -> tuple[int, int] | None:
    if not entry.start_time or not entry.end_time:
        return None
    start, end = _minutes(entry.start_time), _minutes(entry.end_time)
    return start, end if end > start else end + 24 * 60  # a night shift ends the next morning


def check_no_overlap(session: Session, project: Project, rows: list[LaborEntry]) -> None:
    """Refuse a stated or clocked span that overlaps another of the same person on the same day."""
    spans = [(r, s) for r in rows if (s := _span(r)) is not None and _person(r) is not None]
    if not spans:
        return
    own = {r.id for r in rows if r.id is not None}
    stored = session.exec(
        select(LaborEntry).where(
            LaborEntry.project_id == project.pk,
            col(LaborEntry.void).is_(False),
            col(LaborEntry.work_date).in_({r.work_date for r, _ in spans}),
            col(LaborEntry.start_time).is_not(None),
        )
    ).all()
    others = [(e, s) for e in stored if e.id not in own and (s := _span(e)) is not None]
    for i, (row, (a, b)) in enumerate(spans):
        for other, (c, d) in [*others, *spans[:i]]:
            if _person(other) == _person(row) and other.work_date == row.work_date and a < d and c < b:
                raise InvalidInput(
                    "labor.overlap",
                    who=_label(session, project, _person(row) or ("", "")),
                    date=row.work_date.isoformat(),
                    span=f"{other.start_time}-{other.end_time}",
                )

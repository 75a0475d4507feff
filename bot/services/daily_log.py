"""The daily construction log (施工日志): the day's typed lines, the log built from the day's records,
confirmation (the lock) and the addendum of what was recorded after it.

A log is a view over the day's records, built when asked; only its status (draft/confirmed, by whom,
when) and the lines people typed for it (weather, safety, quality, visits, deliveries, notes, photos) are
stored. Anything created after the confirmation instant is shown as the addendum, never merged silently.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from bot.parsing.daily_command import SECTIONS, channel_section
from bot.services import audit
from bot.services.access import require
from bot.services.errors import Conflict
from bot.services.status import calendar_for
from storage.models import (
    Crew,
    DailyEntry,
    DailyLog,
    Expense,
    LaborEntry,
    Project,
    Risk,
    Task,
    TaskUpdate,
    UserProfile,
    Worker,
)

ZERO = Decimal(0)
CONFIRM_ROLES = ("tech",)  # and pm, who may do everything
TEXT_SECTIONS = SECTIONS  # weather, safety, quality, visit, delivery, note
_IMAGE_TYPES = ("image/",)


# --- the log as data ---


@dataclass(frozen=True)
class Person:
    """Someone named in a log: a Slack user (user_id) or a named worker (name)."""

    user_id: str | None
    name: str | None


@dataclass(frozen=True)
class CrewLabor:
    """One crew's labor of the day: headcount and man-hours (entries without a crew are people)."""

    name: str
    headcount: int
    man_hours: Decimal
    late: bool = False


@dataclass(frozen=True)
class PersonLabor:
    """One person's labor of the day."""

    person: Person
    crew: str | None
    man_hours: Decimal
    late: bool = False


@dataclass(frozen=True)
class WorkDone:
    """A task's progress over the day: before → after, and whether it was completed."""

    key: str
    title: str
    before: int | None
    after: int | None
    completed: bool
    late: bool = False


@dataclass(frozen=True)
class Spend:
    """An expense of the day with its description."""

    ref: str
    amount: Decimal
    currency: str
    category: str
    vendor: str | None
    note: str | None
    late: bool = False


@dataclass(frozen=True)
class Line:
    """A typed line of a section (weather, safety, quality, visit, delivery, note)."""

    section: str
    text: str
    user_id: str
    late: bool = False


@dataclass(frozen=True)
class Problem:
    """A task blocked that day (`ref` its key) or a risk raised that day (`ref` R-n)."""

    kind: str  # blocker | risk
    ref: str
    text: str
    detail: str | None = None  # the blocker's reason
    late: bool = False


@dataclass(frozen=True)
class Photo:
    """A photo shared in the channel that day, with its caption."""

    file_id: str
    name: str
    caption: str
    url: str | None
    user_id: str
    late: bool = False


@dataclass(frozen=True)
class DailyLogData:
    """Everything one day's log says; lines with `late` were recorded after the confirmation."""

    project_id: int
    code: str
    name: str
    currency: str
    timezone: str
    day: date
    status: str
    confirmed_by: str | None
    confirmed_at: datetime | None
    crews: tuple[CrewLabor, ...]
    people: tuple[PersonLabor, ...]
    work: tuple[WorkDone, ...]
    spend: tuple[Spend, ...]
    lines: tuple[Line, ...]
    problems: tuple[Problem, ...]
    photos: tuple[Photo, ...]
    recorded_by: tuple[str, ...]
    names: dict[str, str] = field(default_factory=dict)  # user id → display name, for files
    refs: frozenset[str] = frozenset()  # the records shown, as confirmed_refs stores them

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"

    def section(self, name: str, *, late: bool = False) -> tuple[Line, ...]:
        return tuple(x for x in self.lines if x.section == name and x.late == late)

    @property
    def headcount(self) -> int:
        return sum(c.headcount for c in self.crews if not c.late) + len(
            {p.person for p in self.people if not p.late}
        )

    @property
    def man_hours(self) -> Decimal:
        return sum((c.man_hours for c in self.crews if not c.late), ZERO) + sum(
            (p.man_hours for p in self.people if not p.late), ZERO
        )

    @property
    def has_addendum(self) -> bool:
        rows: Sequence[Any] = (
            *self.crews,
            *self.people,
            *self.work,
            *self.spend,
            *self.lines,
            *self.problems,
            *self.photos,
        )
        return any(r.late for r in rows)


# --- reading ---


def _day_bounds(project: Project, day: date) -> tuple[datetime, datetime]:
    cal = calendar_for(project)
    return cal.at_local(day, time(0, 0)), cal.at_local(day + timedelta(days=1), time(0, 0))


def find_log(session: Session, *, project: Project, day: date) -> DailyLog | None:
    return session.exec(
        select(DailyLog).where(DailyLog.project_id == project.pk, DailyLog.log_date == day)
    ).first()


def _log_row(session: Session, project: Project, day: date) -> DailyLog:
    row = find_log(session, project=project, day=day)
    if row is None:
        row = DailyLog(team_id=project.team_id, project_id=project.pk, log_date=day)
        session.add(row)
        session.flush()
    return row


def build_log(session: Session, *, project: Project, day: date) -> DailyLogData:
    """The log of one day, from the day's records and typed lines."""
    row = find_log(session, project=project, day=day)
    confirmed_at = row.confirmed_at if row is not None and row.status == "confirmed" else None
    shown = frozenset(json.loads(row.confirmed_refs or "[]")) if confirmed_at is not None and row else None
    refs: set[str] = set()

    def late(ref: str) -> bool:
        refs.add(ref)
        return shown is not None and ref not in shown

    start, end = _day_bounds(project, day)
    recorded: set[str] = set()

    labor = session.exec(
        select(LaborEntry)
        .where(
            LaborEntry.project_id == project.pk,
            LaborEntry.work_date == day,
            LaborEntry.void == False,  # noqa: E712
        )
        .order_by(col(LaborEntry.id))
    ).all()
    crews = {c.id: c.name for c in session.exec(select(Crew).where(Crew.project_id == project.pk)).all()}
    workers = {w.id: w for w in session.exec(select(Worker).where(Worker.project_id == project.pk)).all()}
    crew_rows: dict[tuple[str, bool], list[LaborEntry]] = defaultdict(list)
    person_rows: dict[tuple[Person, str | None, bool], Decimal] = defaultdict(Decimal)
    for e in labor:
        recorded.add(e.logged_by)
        is_late = late(f"L{e.id}")
        worker = workers.get(e.worker_id) if e.worker_id else None
        if e.user_id is None and worker is None and e.crew_id is not None:
            crew_rows[(crews.get(e.crew_id, "?"), is_late)].append(e)
            continue
        if e.user_id is None and worker is None:
            crew_rows[("", is_late)].append(e)  # day laborers without a crew (点工)
            continue
        crew_name = crews.get(e.crew_id) if e.crew_id else None
        if crew_name is None and worker is not None and worker.crew_id:
            crew_name = crews.get(worker.crew_id)
        person = Person(e.user_id, worker.name if worker else None)
        person_rows[(person, crew_name, is_late)] += e.man_hours + e.overtime_hours
    crew_list = tuple(
        CrewLabor(
            name,
            # A crew logged twice the same day (morning and afternoon) counts its largest headcount once.
            max(e.headcount for e in rows),
            sum((e.man_hours + e.overtime_hours for e in rows), ZERO),
            is_late,
        )
        for (name, is_late), rows in crew_rows.items()
    )
    people = tuple(
        PersonLabor(person, crew_name, hours, is_late)
        for (person, crew_name, is_late), hours in person_rows.items()
    )

    updates = session.exec(
        select(TaskUpdate, Task)
        .join(Task, col(Task.id) == TaskUpdate.task_id)
        .where(
            TaskUpdate.project_id == project.pk,
            TaskUpdate.void == False,  # noqa: E712
            col(TaskUpdate.at) >= start,
            col(TaskUpdate.at) < end,
        )
        .order_by(col(TaskUpdate.at), col(TaskUpdate.id))
    ).all()
    by_task: dict[tuple[int, bool], list[TaskUpdate]] = defaultdict(list)
    titles: dict[int, Task] = {}
    problems: list[Problem] = []
    for update, task in updates:
        recorded.add(update.user_id)
        titles[task.pk] = task
        is_late = late(f"U{update.id}")
        if update.progress_after is not None or update.status_after == "done":
            by_task[(task.pk, is_late)].append(update)
        if update.status_after == "blocked":
            problems.append(Problem("blocker", task.key, task.title, update.blocker, is_late))
    work = tuple(
        WorkDone(
            titles[tid].key,
            titles[tid].title,
            rows[0].progress_before,
            rows[-1].progress_after,
            any(r.status_after == "done" for r in rows),
            is_late,
        )
        for (tid, is_late), rows in by_task.items()
    )

    expenses = session.exec(
        select(Expense)
        .where(Expense.project_id == project.pk, Expense.spent_on == day, Expense.void == False)  # noqa: E712
        .order_by(col(Expense.id))
    ).all()
    spend = []
    for x in expenses:
        recorded.add(x.logged_by)
        spend.append(
            Spend(f"E-{x.number}", x.amount, x.currency, x.category, x.vendor, x.note, late(f"E{x.id}"))
        )

    risks = session.exec(
        select(Risk)
        .where(Risk.project_id == project.pk, col(Risk.created_at) >= start, col(Risk.created_at) < end)
        .order_by(col(Risk.number))
    ).all()
    for r in risks:
        recorded.add(r.created_by)
        problems.append(Problem("risk", f"R-{r.number}", r.title, None, late(f"R{r.id}")))

    entries = session.exec(
        select(DailyEntry)
        .where(
            DailyEntry.project_id == project.pk,
            DailyEntry.log_date == day,
            DailyEntry.void == False,  # noqa: E712
        )
        .order_by(col(DailyEntry.created_at), col(DailyEntry.id))
    ).all()
    lines, photos = [], []
    for d in entries:
        recorded.add(d.user_id)
        if d.section == "photo":
            photos.append(
                Photo(str(d.file_id), d.file_name or "", d.text, d.file_url, d.user_id, late(f"D{d.id}"))
            )
        else:
            lines.append(Line(d.section, d.text, d.user_id, late(f"D{d.id}")))

    users = recorded | ({row.confirmed_by} if row is not None and row.confirmed_by else set())
    users |= {p.person.user_id for p in people if p.person.user_id}
    names = {
        u.user_id: u.name
        for u in session.exec(
            select(UserProfile).where(
                UserProfile.team_id == project.team_id, col(UserProfile.user_id).in_(users)
            )
        ).all()
        if u.name
    }
    return DailyLogData(
        project_id=project.pk,
        code=project.code,
        name=project.name,
        currency=project.currency,
        timezone=project.timezone,
        day=day,
        status=row.status if row is not None else "draft",
        confirmed_by=row.confirmed_by if row is not None else None,
        confirmed_at=confirmed_at,
        crews=crew_list,
        people=people,
        work=work,
        spend=tuple(spend),
        lines=tuple(lines),
        problems=tuple(problems),
        photos=tuple(photos),
        recorded_by=tuple(sorted(recorded)),
        names=names,
        refs=frozenset(refs),
    )


def build_logs(session: Session, *, project: Project, first: date, last: date) -> list[DailyLogData]:
    """The logs of every day in the range that has a log row or any record (oldest first)."""
    out = []
    day = first
    while day <= last:
        data = build_log(session, project=project, day=day)
        if find_log(session, project=project, day=day) is not None or _has_content(data):
            out.append(data)
        day += timedelta(days=1)
    return out


def _has_content(data: DailyLogData) -> bool:
    return bool(
        data.crews or data.people or data.work or data.spend or data.lines or data.problems or data.photos
    )


def recent_statuses(
    session: Session, *, projects: Sequence[Project], today: dict[int, date], days: int = 7
) -> dict[int, list[tuple[date, str]]]:
    """For App Home: each project's last `days` days that have a log post or a confirmation, newest first."""
    ids = [p.pk for p in projects]
    if not ids:
        return {}
    first = min(today.values()) - timedelta(days=days - 1)
    rows = session.exec(
        select(DailyLog).where(col(DailyLog.project_id).in_(ids), DailyLog.log_date >= first)
    ).all()
    out: dict[int, list[tuple[date, str]]] = {pid: [] for pid in ids}
    for r in sorted(rows, key=lambda r: r.log_date, reverse=True):
        if today[r.project_id] - timedelta(days=days - 1) <= r.log_date <= today[r.project_id]:
            out[r.project_id].append((r.log_date, r.status))
    return out


def home_rows(
    session: Session, projects: Sequence[Project], now: datetime
) -> list[tuple[str, list[tuple[date, str]]]]:
    """App Home: (project code, [(day, status)…]) of the last 7 days' logs, newest first."""
    today = {p.pk: calendar_for(p).local_date(now) for p in projects}
    found = recent_statuses(session, projects=projects, today=today)
    return [(p.code, found.get(p.pk, [])) for p in projects]


# --- writing ---


def add_line(
    session: Session, *, project: Project, actor: str, day: date, section: str, text: str, now: datetime
) -> DailyEntry:
    """Store one typed line of a day's log (after confirmation it shows as the addendum)."""
    if section not in TEXT_SECTIONS:
        raise ValueError(section)
    entry = DailyEntry(
        team_id=project.team_id,
        project_id=project.pk,
        log_date=day,
        section=section,
        text=text,
        user_id=actor,
        source="command",
        created_at=now,
    )
    session.add(entry)
    session.flush()
    return entry


def confirm(
    session: Session, *, project: Project, actor: str, is_admin: bool, day: date, now: datetime
) -> DailyLog:
    """Lock the day's log (tech or pm); Conflict when it is already confirmed."""
    require(session, project=project, user_id=actor, roles=CONFIRM_ROLES, is_admin=is_admin)
    row = _log_row(session, project, day)
    if row.status == "confirmed":
        raise Conflict("daily.already_confirmed", day=day.isoformat(), user=row.confirmed_by or "")
    row.confirmed_refs = json.dumps(sorted(build_log(session, project=project, day=day).refs))
    row.status = "confirmed"
    row.confirmed_by = actor
    row.confirmed_at = now
    session.add(row)
    session.flush()
    audit.record(
        session,
        project=project,
        actor=actor,
        action="confirm",
        entity="daily_log",
        entity_id=day.isoformat(),
        before={"status": "draft"},
        after={"status": "confirmed"},
    )
    return row


def replace_sections(
    session: Session,
    *,
    project: Project,
    actor: str,
    day: date,
    texts: dict[str, str],
    now: datetime,
) -> None:
    """The Edit form: each free-text section becomes the text given (one line per non-empty line).

    Before confirmation the section's lines are replaced; after it (the log is locked) only lines that
    are new are added, so they show as the addendum and nothing confirmed changes.
    """
    row = find_log(session, project=project, day=day)
    locked = row is not None and row.status == "confirmed"
    current = session.exec(
        select(DailyEntry).where(
            DailyEntry.project_id == project.pk,
            DailyEntry.log_date == day,
            DailyEntry.void == False,  # noqa: E712
            col(DailyEntry.section).in_(list(texts)),
        )
    ).all()
    before = {s: [e.text for e in current if e.section == s] for s in texts}
    for section, text in texts.items():
        wanted = [line.strip() for line in text.splitlines() if line.strip()]
        if wanted == before[section]:
            continue
        if locked:
            for line in wanted:
                if line not in before[section]:
                    session.add(_form_entry(project, day, section, line, actor, now))
            continue
        for e in current:
            if e.section == section:
                e.void = True
                session.add(e)
        for line in wanted:
            session.add(_form_entry(project, day, section, line, actor, now))
    session.flush()
    audit.record(
        session,
        project=project,
        actor=actor,
        action="edit",
        entity="daily_log",
        entity_id=day.isoformat(),
        before=before,
        after={s: texts[s] for s in texts},
    )


def _form_entry(
    project: Project, day: date, section: str, text: str, actor: str, now: datetime
) -> DailyEntry:
    return DailyEntry(
        team_id=project.team_id,
        project_id=project.pk,
        log_date=day,
        section=section,
        text=text[:2000],
        user_id=actor,
        source="form",
        created_at=now,
    )


def remember_post(
    session: Session, *, project_id: int, team_id: str, day: date, channel: str, ts: str
) -> None:
    """The scheduled post of the day's log is in Slack: keep where, so a confirmation can update it."""
    row = session.exec(
        select(DailyLog).where(DailyLog.project_id == project_id, DailyLog.log_date == day)
    ).first()
    if row is None:
        row = DailyLog(team_id=team_id, project_id=project_id, log_date=day)
    row.slack_channel, row.slack_ts = channel, ts
    session.add(row)


# --- channel messages ---


def _images(files: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in files if str(f.get("mimetype") or "").startswith(_IMAGE_TYPES) and f.get("id")]


def capture(
    session: Session,
    *,
    project: Project,
    channel: str,
    ts: str,
    user: str,
    text: str,
    files: Sequence[dict[str, Any]],
    subtype: str | None,
    is_record: bool,
    now: datetime,
) -> None:
    """Feed the day's log from a channel message (its text and shared files): weather/safety/quality by
    its first word (when it is not a record), and shared photos with their captions. Edits replace,
    deletes void; a redelivered event finds the same lines and changes nothing."""
    text = text.strip()
    wanted: list[tuple[str, str, dict[str, Any] | None]] = []
    if subtype != "message_deleted":
        found = None if is_record else channel_section(text)
        if found is not None:
            wanted.append((found[0], found[1], None))
        wanted.extend(("photo", text, f) for f in _images(files))
    existing = session.exec(
        select(DailyEntry).where(
            DailyEntry.team_id == project.team_id,
            DailyEntry.slack_channel == channel,
            DailyEntry.slack_ts == ts,
            DailyEntry.void == False,  # noqa: E712
        )
    ).all()
    have = sorted((e.section, e.text, e.file_id or "") for e in existing)
    if have == sorted((s, t, str(f.get("id")) if f else "") for s, t, f in wanted):
        return
    for e in existing:
        e.void = True
        session.add(e)
    day = calendar_for(project).local_date(now)
    if existing:
        day = existing[0].log_date  # an edit stays on the day the message was first logged
    for section, body, f in wanted:
        session.add(
            DailyEntry(
                team_id=project.team_id,
                project_id=project.pk,
                log_date=day,
                section=section,
                text=body[:2000],
                user_id=user,
                source="channel",
                slack_channel=channel,
                slack_ts=ts,
                file_id=str(f.get("id"))[:32] if f else None,
                file_name=str(f.get("name") or f.get("title") or "")[:300] if f else None,
                file_url=str(f.get("url_private_download") or f.get("url_private") or "")[:1000] or None
                if f
                else None,
                created_at=now,
            )
        )
    session.flush()

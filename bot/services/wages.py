"""The monthly wage sheet (工资表, contract §9): per person, days, hours, gross pay, advances, paid, balance,
and each Slack user's confirmation of their line.

Gross is the sum of the labor costs already stored for the month's entries (a rate set later never
changes it); a person with an entry without a rate has "rate missing", never a gross of zero.
A confirmation remembers the figures it answered; when the line changes afterwards (an edit of that
month's labor, a late advance) the person is back to pending, and the sheet says so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.domain.funds import Position
from bot.domain.wages import ZERO, Sheet, WageLine
from bot.services import funds
from bot.services.access import require
from bot.services.errors import InvalidInput, NotFound
from bot.services.status import calendar_for
from storage.models import Crew, FundRecord, LaborEntry, Member, Project, WageConfirmation, WageSheet, Worker
from storage.types import utcnow

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def month_bounds(month: str) -> tuple[date, date]:
    """The first and last day of `YYYY-MM`; InvalidInput when it is not a month."""
    m = _MONTH_RE.match(month.strip())
    if m is None or not 1 <= int(m.group(2)) <= 12:
        raise InvalidInput("wages.bad_month", month=month)
    start = date(int(m.group(1)), int(m.group(2)), 1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return start, end


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_month(today: date) -> str:
    return month_of(today.replace(day=1) - timedelta(days=1))


def _names(session: Session, model: type[Crew] | type[Worker], ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(model.id, model.name).where(col(model.id).in_(ids))).all()
    return {int(i): str(n) for i, n in rows if i is not None}


def _sent(session: Session, project: Project, month: str) -> WageSheet | None:
    return session.exec(
        select(WageSheet).where(WageSheet.project_id == project.pk, WageSheet.month == month)
    ).first()


def _answers(session: Session, sheet: WageSheet) -> dict[str, WageConfirmation]:
    rows = session.exec(select(WageConfirmation).where(WageConfirmation.sheet_id == sheet.id)).all()
    return {row.user_id: row for row in rows}


def wage_sheet(session: Session, *, project: Project, month: str) -> Sheet:
    """The month's sheet; answers whose line changed since are put back to pending here."""
    start, end = month_bounds(month)
    entries = session.exec(
        select(LaborEntry).where(
            LaborEntry.project_id == project.pk,
            col(LaborEntry.void).is_(False),
            LaborEntry.work_date >= start,
            LaborEntry.work_date <= end,
        )
    ).all()
    paid = funds.between(session, project=project, start=start, end=end)
    worker_ids = {e.worker_id for e in entries if e.worker_id} | {p.worker_id for p in paid if p.worker_id}
    workers = {
        w.id: w
        for w in session.exec(select(Worker).where(col(Worker.id).in_(worker_ids))).all()
        if worker_ids
    }
    crew_ids = {e.crew_id for e in entries if e.crew_id} | {w.crew_id for w in workers.values() if w.crew_id}
    crews = _names(session, Crew, crew_ids)
    lines: dict[str, WageLine] = {}
    unnamed: dict[str, Decimal] = defaultdict(lambda: ZERO)

    def line(user_id: str | None, worker_id: int | None) -> WageLine:
        if user_id:
            return lines.setdefault(f"U:{user_id}", WageLine(user_id=user_id, worker=None))
        worker = workers[worker_id]  # type: ignore[index]
        found = lines.setdefault(f"W:{worker.name}", WageLine(user_id=None, worker=worker.name))
        found.crew = found.crew or (crews.get(worker.crew_id) if worker.crew_id else None)
        return found

    for entry in sorted(entries, key=lambda e: (e.work_date, e.id or 0)):
        if not entry.user_id and not entry.worker_id:
            unnamed[crews.get(entry.crew_id, "") if entry.crew_id else ""] += entry.man_hours
            continue
        person = line(entry.user_id, entry.worker_id)
        person.dates.add(entry.work_date)
        person.man_hours += entry.man_hours
        person.overtime_hours += entry.overtime_hours
        if entry.crew_id and entry.crew_id in crews:
            person.crew = crews[entry.crew_id]
        if entry.cost is None:
            person.rate_missing = True
        else:
            person.gross += entry.cost
    for record in paid:
        if record.kind == "receipt":
            continue
        person = line(record.user_id, record.worker_id)
        if record.kind == "advance":
            person.advances += record.amount
        else:
            person.paid += record.amount
    ordered = sorted(lines.values(), key=lambda ln: (ln.user_id is None, ln.user_id or ln.worker or ""))
    sheet_row = _sent(session, project, month)
    answers = _answers(session, sheet_row) if sheet_row else {}
    for person in ordered:
        if person.user_id is None:
            person.status = "offline"
            continue
        answer = answers.get(person.user_id)
        if answer is None:
            continue
        if answer.status != "pending" and answer.line != person.figures:
            answer.status, answer.changed = "pending", True
            session.add(answer)
        person.status, person.changed, person.reason = answer.status, answer.changed, answer.reason
    session.flush()
    thread = (
        (sheet_row.slack_channel, sheet_row.slack_ts)
        if sheet_row and sheet_row.slack_channel and sheet_row.slack_ts
        else None
    )
    return Sheet(project, month, start, end, ordered, dict(unnamed), sheet_row is not None, thread)


def reset_changed(session: Session, *, project: Project, days: set[date]) -> list[tuple[str, list[str]]]:
    """After labor of these dates changed: per month, the users whose answer is now back to pending."""
    reset: list[tuple[str, list[str]]] = []
    for month in sorted({month_of(d) for d in days}):
        sheet_row = _sent(session, project, month)
        if sheet_row is None:
            continue
        before = {u: a.status for u, a in _answers(session, sheet_row).items()}
        sheet = wage_sheet(session, project=project, month=month)
        users = [
            ln.user_id
            for ln in sheet.lines
            if ln.user_id and ln.changed and before.get(ln.user_id) != "pending"
        ]
        if users:
            reset.append((month, users))
    return reset


def send_for_confirmation(
    session: Session, *, project: Project, actor: str, is_admin: bool, month: str
) -> Sheet:
    """Open the month's sheet for confirmation (pm or foreman): every Slack user on it is pending until
    they answer; an answer whose line changed since is pending again."""
    require(session, project=project, user_id=actor, roles=("foreman",), is_admin=is_admin)
    sheet = wage_sheet(session, project=project, month=month)
    users = [line for line in sheet.lines if line.user_id]
    if not users:
        raise InvalidInput("wages.nobody_to_confirm", month=month)
    row = _sent(session, project, month)
    if row is None:
        row = WageSheet(team_id=project.team_id, project_id=project.pk, month=month, sent_by=actor)
        session.add(row)
        session.flush()
    answers = _answers(session, row)
    for line in users:
        assert line.user_id is not None
        if line.user_id not in answers:
            session.add(
                WageConfirmation(team_id=project.team_id, sheet_id=int(row.id or 0), user_id=line.user_id)
            )
    session.flush()
    return wage_sheet(session, project=project, month=month)


def remember_post(session: Session, *, project: Project, month: str, channel: str, ts: str) -> None:
    """The channel post of the sheet, whose thread hears disputes."""
    row = _sent(session, project, month)
    if row is not None and row.slack_ts is None:
        row.slack_channel, row.slack_ts = channel, ts
        session.add(row)


@dataclass(frozen=True)
class Answer:
    """What an answer did: the line answered and whether it was already given."""

    line: WageLine
    sheet: Sheet
    already: bool


def answer(
    session: Session, *, project: Project, month: str, user_id: str, status: str, reason: str | None = None
) -> Answer:
    """Confirm or dispute one's own line; confirming again (same line) changes nothing."""
    assert status in ("confirmed", "disputed")
    sheet = wage_sheet(session, project=project, month=month)
    row = _sent(session, project, month)
    line = sheet.line_of(user_id)
    if row is None or line is None:
        raise NotFound("wages.not_on_sheet", month=month)
    found = _answers(session, row).get(user_id)
    if found is None:
        found = WageConfirmation(team_id=project.team_id, sheet_id=int(row.id or 0), user_id=user_id)
    already = found.status == status and found.line == line.figures and status == "confirmed"
    if not already:
        found.status, found.line, found.reason = status, line.figures, reason
        found.changed, found.answered_at = False, utcnow()
        session.add(found)
        session.flush()
    line.status, line.changed, line.reason = found.status, found.changed, found.reason
    return Answer(line=line, sheet=sheet, already=already)


def leads(session: Session, *, project: Project) -> list[str]:
    """The project's foremen and pms, who hear disputes."""
    rows = session.exec(
        select(Member.user_id, Member.role).where(
            Member.project_id == project.pk, col(Member.role).in_(("foreman", "pm"))
        )
    ).all()
    order = {"foreman": 0, "pm": 1}
    return [u for u, _ in sorted(rows, key=lambda r: (order[r[1]], r[0]))]


def person_month(session: Session, *, project: Project, user_id: str, day: date) -> WageLine | None:
    """A Slack user's line of the month holding `day` (for the App Home)."""
    return wage_sheet(session, project=project, month=month_of(day)).line_of(user_id)


def positions(session: Session, projects: Sequence[Project], days: dict[int, date]) -> dict[int, Position]:
    """Where the money stands on each project's day, for the projects with any /funds record (the others
    get no funds line): funds so far, and last month's wage balances still owed."""
    ids = [p.pk for p in projects]
    with_funds = (
        set(
            session.exec(
                select(FundRecord.project_id)
                .where(col(FundRecord.project_id).in_(ids), col(FundRecord.void).is_(False))
                .distinct()
            ).all()
        )
        if ids
        else set()
    )
    out: dict[int, Position] = {}
    for project in projects:
        if project.pk not in with_funds:
            continue
        day = days[project.pk]
        _, total = funds.flows_by_month(session, project=project, start=None, end=day)
        month = last_month(day)
        sheet = wage_sheet(session, project=project, month=month)
        balances = [ln.balance for ln in sheet.lines]
        owed = sum((b for b in balances if b is not None and b > 0), ZERO)
        out[project.pk] = Position(total=total, owed_month=month, owed=owed)
    return out


def home_rows(
    session: Session, *, team_id: str, user_id: str, now: datetime, limit: int = 10
) -> list[tuple[str, str, str, str, WageLine]]:
    """App Home: (project code, language, month, currency, the user's line) of this month in each project where the
    user is on the month's wage sheet — a worker logged by a foreman need not be a member to see it."""
    since = now.date() - timedelta(days=40)  # covers this month in every timezone
    labor_ids = select(LaborEntry.project_id).where(
        LaborEntry.team_id == team_id,
        LaborEntry.user_id == user_id,
        col(LaborEntry.void).is_(False),
        LaborEntry.work_date >= since,
    )
    fund_ids = select(FundRecord.project_id).where(
        FundRecord.team_id == team_id,
        FundRecord.user_id == user_id,
        col(FundRecord.void).is_(False),
        FundRecord.paid_on >= since,
    )
    projects = session.exec(
        select(Project)
        .where(
            Project.team_id == team_id,
            or_(col(Project.id).in_(labor_ids), col(Project.id).in_(fund_ids)),
        )
        .order_by(col(Project.name))
    ).all()
    out = []
    for project in projects:
        month = month_of(calendar_for(project).local_date(now))
        line = wage_sheet(session, project=project, month=month).line_of(user_id)
        if line is not None:
            out.append((project.code, project.language, month, project.currency, line))
    return out[:limit]

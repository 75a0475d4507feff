"""Exports of labor, expenses and tasks as CSV or XLSX (contract §7), for the CLI and /report."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from bot.reports.writers import (
    EXPENSE_COLUMNS,
    FUND_COLUMNS,
    LABOR_COLUMNS,
    TASK_COLUMNS,
    WAGE_COLUMNS,
    Column,
    write_csv,
    write_xlsx,
)
from bot.services import wages
from bot.services.errors import InvalidInput
from storage.models import Crew, Expense, FundRecord, LaborEntry, Project, Task, Worker

KINDS: dict[str, tuple[Column, ...]] = {
    "labor": LABOR_COLUMNS,
    "expenses": EXPENSE_COLUMNS,
    "tasks": TASK_COLUMNS,
    "wages": WAGE_COLUMNS,
    "funds": FUND_COLUMNS,
}


class ExportError(Exception):
    """An export that cannot be made (unknown project or kind, bad dates); the message says why."""


def _day(value: str | date | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ExportError(f"{name} date {value!r} is not a date; use YYYY-MM-DD") from None


def _names(session: Session, model: Any, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    field = model.key if model is Task else model.name
    return dict(session.exec(select(model.id, field).where(col(model.id).in_(ids))).all())


def export_rows(
    session: Session,
    *,
    kind: str,
    project: Project | list[Project] | None,
    date_from: date | None,
    date_to: date | None,
    team_id: str | None = None,
    month: str | None = None,
) -> list[dict[str, Any]]:
    """The rows of an export as dicts keyed by column; void entries are left out."""
    if kind not in KINDS:
        raise ExportError(f"unknown export {kind!r}; use {', '.join(KINDS)}")
    if isinstance(project, Project):
        chosen: list[Project] | None = [project]
    else:
        chosen = project
    if chosen is None:
        query = select(Project)
        if team_id is not None:
            query = query.where(Project.team_id == team_id)
        chosen = list(session.exec(query).all())
    codes = {p.pk: p.code for p in chosen}
    ids = list(codes)
    if kind == "labor":
        return _labor(session, ids, codes, date_from, date_to)
    if kind == "expenses":
        return _expenses(session, ids, codes, date_from, date_to)
    if kind == "funds":
        return _funds(session, ids, codes, date_from, date_to)
    if kind == "wages":
        assert month is not None
        return [row for p in chosen for row in wage_rows(session, p, month)]
    return _tasks(session, ids, codes, date_from, date_to)


def wage_rows(session: Session, project: Project, month: str) -> list[dict[str, Any]]:
    """The wage sheet of a month as export rows (gross and balance empty while a rate is missing)."""
    sheet = wages.wage_sheet(session, project=project, month=month)
    return [
        {
            "project": project.code,
            "month": month,
            "person": line.user_id or line.worker,
            "crew": line.crew,
            "days": line.days,
            "man_hours": line.man_hours,
            "overtime_hours": line.overtime_hours,
            "gross": None if line.rate_missing else line.gross,
            "advances": line.advances,
            "paid": line.paid,
            "balance": line.balance,
            "currency": project.currency,
            "status": line.status,
        }
        for line in sheet.lines
    ]


def _funds(
    session: Session, ids: list[int], codes: dict[int, str], start: date | None, end: date | None
) -> list[dict[str, Any]]:
    query = select(FundRecord).where(col(FundRecord.project_id).in_(ids), col(FundRecord.void).is_(False))
    if start:
        query = query.where(FundRecord.paid_on >= start)
    if end:
        query = query.where(FundRecord.paid_on <= end)
    rows = list(session.exec(query.order_by(col(FundRecord.paid_on), col(FundRecord.id))).all())
    workers = _names(session, Worker, {r.worker_id for r in rows if r.worker_id})
    return [
        {
            "id": f"F-{r.number}",
            "project": codes[r.project_id],
            "date": r.paid_on,
            "kind": r.kind,
            "person": r.user_id or (workers.get(r.worker_id) if r.worker_id else None),
            "amount": r.amount,
            "currency": r.currency,
            "note": r.note,
            "logged_by": r.logged_by,
        }
        for r in rows
    ]


def _labor(
    session: Session, ids: list[int], codes: dict[int, str], start: date | None, end: date | None
) -> list[dict[str, Any]]:
    query = select(LaborEntry).where(col(LaborEntry.project_id).in_(ids), col(LaborEntry.void).is_(False))
    if start:
        query = query.where(LaborEntry.work_date >= start)
    if end:
        query = query.where(LaborEntry.work_date <= end)
    rows = list(session.exec(query.order_by(col(LaborEntry.work_date), col(LaborEntry.id))).all())
    workers = _names(session, Worker, {r.worker_id for r in rows if r.worker_id})
    crews = _names(session, Crew, {r.crew_id for r in rows if r.crew_id})
    tasks = _names(session, Task, {r.task_id for r in rows if r.task_id})
    return [
        {
            "id": f"L-{r.number}",
            "project": codes[r.project_id],
            "date": r.work_date,
            "user": r.user_id,
            "worker": workers.get(r.worker_id) if r.worker_id else None,
            "crew": crews.get(r.crew_id) if r.crew_id else None,
            "headcount": r.headcount,
            "hours_each": r.hours_each,
            "man_hours": r.man_hours,
            "overtime_hours": r.overtime_hours,
            "rate": r.rate,
            "rate_unit": r.rate_unit,
            "cost": r.cost,
            "currency": r.currency,
            "task": tasks.get(r.task_id) if r.task_id else None,
            "note": r.note,
            "logged_by": r.logged_by,
            "approved": r.approved,
        }
        for r in rows
    ]


def _expenses(
    session: Session, ids: list[int], codes: dict[int, str], start: date | None, end: date | None
) -> list[dict[str, Any]]:
    query = select(Expense).where(col(Expense.project_id).in_(ids), col(Expense.void).is_(False))
    if start:
        query = query.where(Expense.spent_on >= start)
    if end:
        query = query.where(Expense.spent_on <= end)
    rows = list(session.exec(query.order_by(col(Expense.spent_on), col(Expense.id))).all())
    tasks = _names(session, Task, {r.task_id for r in rows if r.task_id})
    return [
        {
            "id": f"E-{r.number}",
            "project": codes[r.project_id],
            "date": r.spent_on,
            "amount": r.amount,
            "currency": r.currency,
            "category": r.category,
            "vendor": r.vendor,
            "task": tasks.get(r.task_id) if r.task_id else None,
            "note": r.note,
            "receipt": r.receipt_url,
            "logged_by": r.logged_by,
        }
        for r in rows
    ]


def _tasks(
    session: Session, ids: list[int], codes: dict[int, str], start: date | None, end: date | None
) -> list[dict[str, Any]]:
    # A period keeps the tasks whose planned span touches it (undated tasks always stay).
    query = select(Task).where(col(Task.project_id).in_(ids))
    rows = list(session.exec(query.order_by(col(Task.project_id), col(Task.id))).all())
    out = []
    for r in rows:
        if start and r.due_date and r.due_date < start:
            continue
        if end and r.start_date and r.start_date > end:
            continue
        out.append(
            {
                "key": r.key,
                "project": codes[r.project_id],
                "title": r.title,
                "owner": r.owner_user_id,
                "status": r.status,
                "progress": r.progress,
                "start": r.start_date,
                "due": r.due_date,
                "weight": r.weight,
                "blocker": r.blocker,
                "updated_at": r.updated_at,
            }
        )
    return out


def run_export(
    session: Session,
    *,
    kind: str,
    project_code: str | None,
    date_from: str | date | None,
    date_to: str | date | None,
    fmt: str = "csv",
    team_id: str | None = None,
    month: str | None = None,
) -> bytes:
    """The export file's bytes; without a project code, every project (of `team_id` when given).
    Wages are one month (`YYYY-MM`), the last one when none is given."""
    if fmt not in ("csv", "xlsx"):
        raise ExportError(f"unknown format {fmt!r}; use csv or xlsx")
    if kind not in KINDS:
        raise ExportError(f"unknown export {kind!r}; use {', '.join(KINDS)}")
    if kind == "wages":
        month = month or wages.last_month(date.today())
        try:
            wages.month_bounds(month)
        except InvalidInput:
            raise ExportError(f"--month {month!r} is not a month; use YYYY-MM") from None
    start, end = _day(date_from, "--from"), _day(date_to, "--to")
    if start and end and end < start:
        raise ExportError(f"--to {end} is before --from {start}")
    chosen: list[Project] | None = None
    if project_code:
        query = select(Project).where(Project.code == project_code.strip().upper())
        if team_id is not None:
            query = query.where(Project.team_id == team_id)
        chosen = list(session.exec(query).all())
        if not chosen:
            raise ExportError(f"no project with code {project_code!r}")
    rows = export_rows(
        session, kind=kind, project=chosen, date_from=start, date_to=end, team_id=team_id, month=month
    )
    columns = KINDS[kind]
    if fmt == "csv":
        return write_csv(columns, rows)
    title = f"{kind} {project_code.upper()}" if project_code else kind
    if kind == "wages":
        title = f"{title} {month}"
    return write_xlsx(columns, rows, sheet_title=title)

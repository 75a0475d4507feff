"""Read-only lookups that resolve ids to the names and keys views show."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from bot.views.labor_views import Names
from storage.models import Crew, Expense, LaborEntry, Task, Worker


def labor_names(session: Session, rows: Iterable[LaborEntry]) -> Names:
    """Worker and crew names for the rows, in two queries."""
    rows = list(rows)
    worker_ids = {r.worker_id for r in rows if r.worker_id}
    crew_ids = {r.crew_id for r in rows if r.crew_id}
    workers: dict[int, str] = (
        dict(session.exec(select(Worker.id, Worker.name).where(col(Worker.id).in_(worker_ids))).all())  # type: ignore[arg-type]
        if worker_ids
        else {}
    )
    crews: dict[int, str] = (
        dict(session.exec(select(Crew.id, Crew.name).where(col(Crew.id).in_(crew_ids))).all())  # type: ignore[arg-type]
        if crew_ids
        else {}
    )
    return Names(workers=workers, crews=crews)


def task_keys(session: Session, rows: Iterable[Expense]) -> dict[int, str]:
    """The keys (`T-7`) of the tasks the expenses are booked to."""
    ids = {r.task_id for r in rows if r.task_id}
    if not ids:
        return {}
    return dict(session.exec(select(Task.id, Task.key).where(col(Task.id).in_(ids))).all())  # type: ignore[arg-type]

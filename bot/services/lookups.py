"""Read-only lookups that resolve ids to the names and keys views show."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from bot.services import cache
from bot.services.cache import Roster
from bot.views.labor_views import Names
from storage.models import Crew, Expense, LaborEntry, Project, Task, Worker

__all__ = ["Roster", "labor_names", "roster", "task_keys"]


def labor_names(session: Session, rows: Iterable[LaborEntry]) -> Names:
    """Worker and crew names for the rows, from their project's cached snapshot (no query on the ack
    path); a query only for ids the snapshot does not hold."""
    rows = list(rows)
    workers: dict[int, str] = {}
    crews: dict[int, str] = {}
    for project_id in {r.project_id for r in rows if r.worker_id or r.crew_id}:
        snap = cache.of_id(session, project_id)
        workers.update(snap.worker_names)
        crews.update(snap.crew_names)
    missing_workers = {r.worker_id for r in rows if r.worker_id and r.worker_id not in workers}
    missing_crews = {r.crew_id for r in rows if r.crew_id and r.crew_id not in crews}
    if missing_workers:
        found = session.exec(select(Worker.id, Worker.name).where(col(Worker.id).in_(missing_workers)))
        workers.update(dict(found.all()))  # type: ignore[arg-type]
    if missing_crews:
        found_crews = session.exec(select(Crew.id, Crew.name).where(col(Crew.id).in_(missing_crews)))
        crews.update(dict(found_crews.all()))  # type: ignore[arg-type]
    return Names(workers=workers, crews=crews)


def task_keys(session: Session, rows: Iterable[Expense]) -> dict[int, str]:
    """The keys (`T-7`) of the tasks the expenses are booked to."""
    ids = {r.task_id for r in rows if r.task_id}
    if not ids:
        return {}
    return dict(session.exec(select(Task.id, Task.key).where(col(Task.id).in_(ids))).all())  # type: ignore[arg-type]


def roster(session: Session, project: Project) -> Roster:
    """The project's workers, crews, members with a known display name, and open tasks (cached)."""
    return cache.of(session, project).roster

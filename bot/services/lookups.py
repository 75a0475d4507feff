"""Read-only lookups that resolve ids to the names and keys views show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.views.labor_views import Names
from storage.models import Crew, Expense, LaborEntry, Member, Project, Task, UserProfile, Worker


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


@dataclass(frozen=True)
class Roster:
    """What the parser needs to know of a project to read a statement: who can be named, which tasks."""

    workers: tuple[str, ...] = ()
    crews: tuple[str, ...] = ()
    members: tuple[tuple[str, str], ...] = ()  # (display name, Slack user id)
    open_tasks: tuple[tuple[str, str], ...] = ()  # (key, title), tasks not done


def roster(session: Session, project: Project) -> Roster:
    """The project's workers, crews, members with a known display name, and open tasks: four small queries
    (one each), so the ack path stays fast."""
    pk = project.pk
    workers = session.exec(select(Worker.name).where(Worker.project_id == pk)).all()
    crews = session.exec(select(Crew.name).where(Crew.project_id == pk)).all()
    members = session.exec(
        select(UserProfile.name, UserProfile.user_id)
        .join(
            Member,
            (Member.user_id == UserProfile.user_id) & (Member.team_id == UserProfile.team_id),  # type: ignore[arg-type]
        )
        .where(Member.project_id == pk, col(UserProfile.name).is_not(None))
    ).all()
    tasks = session.exec(
        select(Task.key, Task.title).where(Task.project_id == pk, Task.status != "done").order_by(Task.key)
    ).all()
    return Roster(
        workers=tuple(workers),
        crews=tuple(crews),
        members=tuple((str(name), str(user)) for name, user in members if name),
        open_tasks=tuple((str(key), str(title)) for key, title in tasks),
    )

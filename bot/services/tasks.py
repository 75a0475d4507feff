"""Tasks: adding, status and progress updates, owner and due changes, each kept as a TaskUpdate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from bot.services import audit, cache, numbering
from bot.services.access import require, role_of
from bot.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from bot.services.records import Origin as Origin  # callers may keep writing tasks.Origin
from storage.models import Project, Task, TaskUpdate


@dataclass(frozen=True)
class Change:
    """What a status or progress update asks for (a parser TaskUpdateIntent fits)."""

    progress: int | None = None
    status: str | None = None
    blocker: str | None = None


def get_task(session: Session, *, project: Project, key: str) -> Task:
    """The project's task with that key, or NotFound (never another workspace's or project's task)."""
    task = session.exec(
        select(Task).where(
            Task.team_id == project.team_id, Task.project_id == project.pk, Task.key == key.upper()
        )
    ).first()
    if task is None:
        raise NotFound("task.not_found", task=key.upper())
    return task


def task_id_for(session: Session, *, project: Project, key: str | None) -> int | None:
    """The id of the task a record links to by key (None without a key); InvalidInput when unknown."""
    if not key:
        return None
    task_id = cache.of(session, project).task_ids.get(key.upper())
    if task_id is None:
        raise InvalidInput("task.unknown", task=key.upper())
    return task_id


def add_task(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    key: str,
    title: str,
    owner: str | None = None,
    start: date | None = None,
    due: date | None = None,
    weight: Decimal | None = None,
    now: datetime,
    origin: Origin = Origin(),
) -> Task:
    """Create a task (tech or pm)."""
    require(session, project=project, user_id=actor, roles=("tech",), is_admin=is_admin)
    key = key.upper()
    numbering.serialize(session, project)
    clash = session.exec(select(Task.id).where(Task.project_id == project.pk, Task.key == key)).first()
    if clash is not None:
        raise Conflict("task.exists", task=key)
    if start and due and start > due:
        raise InvalidInput("task.start_after_due", start=start.isoformat(), due=due.isoformat())
    task = Task(
        team_id=project.team_id,
        project_id=project.pk,
        key=key,
        title=title.strip(),
        owner_user_id=owner,
        start_date=start,
        due_date=due,
        weight=weight if weight is not None else Decimal("1"),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    session.add(task)
    session.flush()
    session.add(
        TaskUpdate(
            team_id=project.team_id,
            project_id=project.pk,
            task_id=task.pk,
            user_id=actor,
            at=now,
            progress_after=0,
            status_after="todo",
            note="created",
            source=origin.source,
            slack_channel=origin.slack_channel,
            slack_ts=origin.slack_ts,
        )
    )
    audit.record(
        session,
        project=project,
        actor=actor,
        action="create",
        entity="task",
        entity_id=key,
        after=task,
    )
    return task


def _may_update(session: Session, *, project: Project, task: Task, actor: str, is_admin: bool) -> None:
    """Tech and pm update any task; anyone else only the tasks they own."""
    if task.owner_user_id == actor:
        return
    role = role_of(session, project=project, user_id=actor, is_admin=is_admin)
    if role not in ("pm", "tech"):
        raise PermissionDenied(role="tech", have=role)


def update_task(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    key: str,
    change: Any,
    now: datetime,
    origin: Origin = Origin(),
) -> tuple[Task, TaskUpdate | None]:
    """Apply progress/status/blocker; returns the task and its TaskUpdate (None when nothing changed)."""
    task = get_task(session, project=project, key=key)
    _may_update(session, project=project, task=task, actor=actor, is_admin=is_admin)
    progress = change.progress
    status = change.status
    if progress is not None and not 0 <= progress <= 100:
        raise InvalidInput("task.bad_progress", task=task.key)
    if progress == 100:
        status = "done"
    if status == "done":
        progress = 100
    before = audit.snapshot(task)
    new_progress = task.progress if progress is None else progress
    new_status = status or task.status
    if progress is not None and status is None:
        new_status = "in_progress" if task.status != "blocked" else "blocked"
    if new_status == "in_progress" and new_progress == 100:
        new_progress = task.progress if task.progress < 100 else 99
    new_blocker = task.blocker
    new_since = task.blocked_since
    if new_status == "blocked":
        new_blocker = change.blocker or (task.blocker if task.status == "blocked" else None)
        new_since = task.blocked_since if task.status == "blocked" else now
    else:
        new_blocker, new_since = None, None
    if (new_progress, new_status, new_blocker) == (task.progress, task.status, task.blocker):
        return task, None
    update = TaskUpdate(
        team_id=project.team_id,
        project_id=project.pk,
        task_id=task.pk,
        user_id=actor,
        at=now,
        progress_before=task.progress,
        progress_after=new_progress,
        status_before=task.status,
        status_after=new_status,
        blocker=new_blocker,
        source=origin.source,
        slack_channel=origin.slack_channel,
        slack_ts=origin.slack_ts,
    )
    task.progress, task.status, task.blocker, task.blocked_since = (
        new_progress,
        new_status,
        new_blocker,
        new_since,
    )
    task.updated_at = now
    session.add(task)
    session.add(update)
    session.flush()
    audit.record(
        session,
        project=project,
        actor=actor,
        action="update",
        entity="task",
        entity_id=task.key,
        before=before,
        after=task,
    )
    return task, update


def set_fields(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    key: str,
    values: dict[str, Any],
    now: datetime,
    origin: Origin = Origin(),
) -> Task:
    """Change owner, start, due or weight (tech or pm); kept as a TaskUpdate with a note and in the audit."""
    require(session, project=project, user_id=actor, roles=("tech",), is_admin=is_admin)
    task = get_task(session, project=project, key=key)
    before = audit.snapshot(task)
    names = {"owner": "owner_user_id", "start": "start_date", "due": "due_date", "weight": "weight"}
    notes = []
    for name, value in values.items():
        attr = names[name]
        old = getattr(task, attr)
        setattr(task, attr, value)
        notes.append(f"{name}: {_plain(old)} → {_plain(value)}")
    if task.start_date and task.due_date and task.start_date > task.due_date:
        raise InvalidInput(
            "task.start_after_due", start=task.start_date.isoformat(), due=task.due_date.isoformat()
        )
    task.updated_at = now
    session.add(task)
    session.add(
        TaskUpdate(
            team_id=project.team_id,
            project_id=project.pk,
            task_id=task.pk,
            user_id=actor,
            at=now,
            progress_before=task.progress,
            progress_after=task.progress,
            status_before=task.status,
            status_after=task.status,
            blocker=task.blocker,
            note="; ".join(notes),
            source=origin.source,
            slack_channel=origin.slack_channel,
            slack_ts=origin.slack_ts,
        )
    )
    audit.record(
        session,
        project=project,
        actor=actor,
        action="update",
        entity="task",
        entity_id=task.key,
        before=before,
        after=task,
    )
    return task


def _plain(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def list_tasks(session: Session, *, project: Project, which: str, user_id: str, today: date) -> list[Task]:
    """Tasks for `/task list`: open (default), mine, overdue, blocked or all; by due date then key."""
    query = select(Task).where(Task.team_id == project.team_id, Task.project_id == project.pk)
    if which != "all":
        query = query.where(Task.status != "done")
    if which == "mine":
        query = query.where(Task.owner_user_id == user_id)
    elif which == "overdue":
        query = query.where(col(Task.due_date).is_not(None), col(Task.due_date) < today)
    elif which == "blocked":
        query = query.where(Task.status == "blocked")
    found = list(session.exec(query).all())
    return sorted(found, key=lambda t: (t.due_date or date.max, t.key))


def updates_for_message(session: Session, *, team_id: str, channel: str, ts: str) -> list[TaskUpdate]:
    """The live task updates a Slack message produced."""
    return list(
        session.exec(
            select(TaskUpdate)
            .where(
                TaskUpdate.team_id == team_id,
                TaskUpdate.slack_channel == channel,
                TaskUpdate.slack_ts == ts,
                col(TaskUpdate.void).is_(False),
            )
            .order_by(col(TaskUpdate.id))
        ).all()
    )


def revert_update(
    session: Session, *, project: Project, update: TaskUpdate, actor: str, now: datetime
) -> Task:
    """Void a task update; restore the task's before-values unless a later update changed it since."""
    task = session.get(Task, update.task_id)
    assert task is not None and task.team_id == project.team_id
    later = session.exec(
        select(TaskUpdate.id).where(
            TaskUpdate.task_id == task.pk,
            col(TaskUpdate.id) > update.id,
            col(TaskUpdate.void).is_(False),
        )
    ).first()
    update.void = True
    session.add(update)
    before = audit.snapshot(task)
    if later is None and update.status_before is not None:
        task.progress = update.progress_before if update.progress_before is not None else task.progress
        task.status = update.status_before
        if task.status == "blocked":
            previous = session.exec(
                select(TaskUpdate)
                .where(
                    TaskUpdate.task_id == task.pk,
                    col(TaskUpdate.id) < update.id,
                    col(TaskUpdate.void).is_(False),
                    TaskUpdate.status_after == "blocked",
                )
                .order_by(col(TaskUpdate.id).desc())
            ).first()
            task.blocker = previous.blocker if previous else task.blocker
            task.blocked_since = previous.at if previous else task.blocked_since
        else:
            task.blocker, task.blocked_since = None, None
        task.updated_at = now
        session.add(task)
    session.flush()
    audit.record(
        session,
        project=project,
        actor=actor,
        action="void",
        entity="task_update",
        entity_id=update.id,
        before=before,
        after=task,
    )
    return task

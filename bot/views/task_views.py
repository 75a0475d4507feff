"""Replies about tasks: added, updated, fields changed, lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.views.catalog import t
from bot.views.format import day, hours
from bot.views.mrkdwn import mention
from bot.views.rows import Project, Task, TaskUpdate


def status_name(status: str | None, lang: str) -> str:
    return t(lang, f"task.status.{status or 'todo'}")


def _owner(user_id: str | None, lang: str) -> str:
    return mention(user_id) if user_id else t(lang, "task.nobody")


def added_text(task: Task, *, lang: str) -> str:
    """The confirmation of a new task."""
    return t(
        lang,
        "task.added",
        task=task.key,
        title=task.title,
        owner=t(lang, "task.owner_part", owner=_owner(task.owner_user_id, lang))
        if task.owner_user_id
        else "",
        start=t(lang, "task.start_part", date=day(task.start_date, lang)) if task.start_date else "",
        due=t(lang, "task.due_part", date=day(task.due_date, lang)) if task.due_date else "",
        weight=hours(task.weight),
    )


def change_text(update: TaskUpdate, *, lang: str) -> str:
    """What one status/progress update changed: `40% → 60%, in progress`, `blocked: waiting for rebar`."""
    parts = []
    if update.progress_before != update.progress_after:
        parts.append(
            t(lang, "task.change.progress", before=update.progress_before, after=update.progress_after)
        )
    if update.status_after == "blocked":
        parts.append(t(lang, "task.change.blocked", reason=update.blocker or t(lang, "task.no_reason")))
    elif update.status_before != update.status_after:
        parts.append(
            t(
                lang,
                "task.change.status",
                before=status_name(update.status_before, lang),
                after=status_name(update.status_after, lang),
            )
        )
    return ", ".join(parts) if lang == "en" else "，".join(parts)


def updated_text(task: Task, update: TaskUpdate | None, *, lang: str) -> str:
    """The confirmation of a status/progress update, or that nothing changed."""
    if update is None:
        state = f"{status_name(task.status, lang)} ({task.progress}%)"
        return t(lang, "task.unchanged", task=task.key, state=state)
    return t(lang, "task.updated", task=task.key, title=task.title, change=change_text(update, lang=lang))


def fields_text(task: Task, values: dict[str, object], *, lang: str) -> str:
    """The confirmation of owner/due/start/weight changes."""
    changes = []
    for name, value in values.items():
        if name == "owner":
            shown = _owner(str(value) if value else None, lang)
        elif isinstance(value, date):
            shown = day(value, lang)
        else:
            shown = hours(value)  # type: ignore[arg-type]
        changes.append(t(lang, f"task.field.{name}", value=shown))
    sep = ", " if lang == "en" else "，"
    return t(lang, "task.fields_set", task=task.key, title=task.title, changes=sep.join(changes))


def task_line(task: Task, *, lang: str, today: date) -> str:
    overdue = task.due_date is not None and task.due_date < today and task.status != "done"
    due = ""
    if task.due_date is not None:
        due = t(lang, "task.list_overdue" if overdue else "task.list_due", date=day(task.due_date, lang))
    return t(
        lang,
        "task.list_line",
        task=task.key,
        title=task.title,
        status=status_name(task.status, lang),
        progress=task.progress,
        owner=t(lang, "task.list_owner", owner=_owner(task.owner_user_id, lang))
        if task.owner_user_id
        else "",
        due=due,
        blocker=t(lang, "task.list_blocker", reason=task.blocker)
        if task.status == "blocked" and task.blocker
        else "",
    )


def list_text(project: Project, tasks: Sequence[Task], *, which: str, lang: str, today: date) -> str:
    """`/task list`: one line per task."""
    label = t(lang, f"task.which.{which}")
    if not tasks:
        return t(lang, "task.list_empty", which=label)
    lines = [task_line(task, lang=lang, today=today) for task in tasks]
    return (
        t(lang, "task.list_header", project=project.code, which=label, count=len(tasks))
        + "\n"
        + "\n".join(lines)
    )

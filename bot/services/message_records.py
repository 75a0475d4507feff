"""What a Slack message produced (labor, a shift, an expense, a task update): find, store, void, replace."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from bot.parsing import ParseResult
from bot.services import audit, expenses, labor, projects, tasks
from bot.services.access import require
from bot.services.errors import Conflict, InvalidInput

# Listeners reach the outbox through this module (the replies a message decided travel with its records).
from bot.services.outbox import confirmation_ts as confirmation_ts
from bot.services.outbox import load_outcome as load_outcome
from bot.services.outbox import remember_confirmation as remember_confirmation
from bot.services.outbox import save_outcome as save_outcome
from bot.services.records import Origin
from storage.models import Expense, LaborEntry, Project, Shift, Task, TaskUpdate

KINDS = ("labor", "clock_in", "clock_out", "expense", "task_update")


@dataclass
class Produced:
    """The live records one message produced; `kind` is empty when there are none."""

    kind: str = ""
    labor: list[LaborEntry] = field(default_factory=list)
    shift: Shift | None = None
    expense: Expense | None = None
    task: Task | None = None
    update: TaskUpdate | None = None
    long_days: list[tuple[str, date, Decimal]] = field(default_factory=list)  # past 12 h, as stored

    def __bool__(self) -> bool:
        return bool(self.kind)


def find(session: Session, *, project: Project, channel: str, ts: str) -> Produced:
    """The live records a message produced in this project."""
    team = project.team_id
    shift = session.exec(
        select(Shift).where(
            Shift.team_id == team,
            Shift.project_id == project.pk,
            Shift.slack_channel == channel,
            Shift.slack_ts == ts,
        )
    ).first()
    if shift is not None:
        return Produced(kind="clock_in", shift=shift)
    rows = [
        r
        for r in labor.entries_for_message(session, team_id=team, channel=channel, ts=ts)
        if r.project_id == project.id
    ]
    if rows:
        return Produced(kind="clock_out" if rows[0].source == "clock" else "labor", labor=rows)
    spent = [
        e
        for e in expenses.expenses_for_message(session, team_id=team, channel=channel, ts=ts)
        if e.project_id == project.id
    ]
    if spent:
        return Produced(kind="expense", expense=spent[0])
    updates = [
        u
        for u in tasks.updates_for_message(session, team_id=team, channel=channel, ts=ts)
        if u.project_id == project.id
    ]
    if updates:
        task = session.get(Task, updates[-1].task_id)
        return Produced(kind="task_update", task=task, update=updates[-1])
    return Produced()


def store(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    result: ParseResult,
    now: datetime,
    channel: str,
    ts: str,
    source: str = "message",
) -> Produced:
    """Store what a complete parse states, tied to its Slack message; InvalidInput when it is not a record."""
    today = projects.local_date(project, now)
    logged: dict[str, Any] = {
        "project": project,
        "actor": actor,
        "is_admin": is_admin,
        "today": today,
        "source": source,
        "slack_channel": channel,
        "slack_ts": ts,
    }
    if result.intent == "labor" and result.labor is not None and result.date is not None:
        done = labor.log_labor(session, **logged, intent=result.labor, work_date=result.date)
        return Produced(kind="labor", labor=done.rows, long_days=done.long_days)
    if result.intent == "expense" and result.expense is not None and result.date is not None:
        expense = expenses.log_expense(session, **logged, intent=result.expense, spent_on=result.date)
        return Produced(kind="expense", expense=expense)
    if (
        result.intent in ("clock_in", "clock_out")
        and result.clock is not None
        and result.clock.at is not None
    ):
        clocked = {k: logged[k] for k in ("project", "actor", "is_admin", "slack_channel", "slack_ts")}
        if result.intent == "clock_in":
            return Produced(
                kind="clock_in", shift=labor.clock_in(session, **clocked, at=result.clock.at, now=now)
            )
        return Produced(
            kind="clock_out", labor=[labor.clock_out(session, **clocked, at=result.clock.at, now=now)]
        )
    if result.intent == "task_update" and result.task_update is not None and result.task_update.task:
        task, update = tasks.update_task(
            session,
            project=project,
            actor=actor,
            is_admin=is_admin,
            key=result.task_update.task,
            change=result.task_update,
            now=now,
            origin=Origin(source, channel, ts),
        )
        if update is None:
            raise Conflict("task.unchanged", task=task.key, state=f"{task.status} ({task.progress}%)")
        return Produced(kind="task_update", task=task, update=update)
    raise InvalidInput("rec.edit_not_understood")


def void(
    session: Session, *, project: Project, actor: str, is_admin: bool, produced: Produced, now: datetime
) -> None:
    """Void what a message produced (author or pm); a task update restores the task if nothing changed since."""
    if produced.kind in ("labor", "clock_out") and produced.labor:
        labor.void_batch(
            session, project=project, actor=actor, is_admin=is_admin, batch=produced.labor[0].batch
        )
        for shift in session.exec(
            select(Shift).where(col(Shift.labor_entry_id).in_([r.id for r in produced.labor]))
        ).all():
            # The shift closed by a voided clock-out is open again, so the worker can clock out anew.
            shift.ended_at, shift.labor_entry_id = None, None
            session.add(shift)
    elif produced.kind == "expense" and produced.expense is not None:
        # The row itself: its id is not its shown number (E-n), which voiding by number would take it for.
        expenses.void_this_expense(
            session, project=project, actor=actor, is_admin=is_admin, expense=produced.expense
        )
    elif produced.kind == "clock_in" and produced.shift is not None:
        shift = produced.shift
        if shift.logged_by != actor:
            require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)
        if shift.ended_at is not None:
            raise Conflict("rec.shift_closed")
        audit.record(
            session,
            project=project,
            actor=actor,
            action="void",
            entity="shift",
            entity_id=shift.id,
            before=shift,
        )
        session.delete(shift)
        session.flush()
    elif produced.kind == "task_update" and produced.update is not None:
        if produced.update.user_id != actor:
            require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)
        tasks.revert_update(session, project=project, update=produced.update, actor=actor, now=now)


def ids_text(produced: Produced, lang: str) -> str:
    """The ids of what a message produced, for 'voided …' lines."""
    from bot.views.catalog import t

    if produced.labor:
        return ", ".join(f"`L-{r.number}`" for r in produced.labor)
    if produced.expense is not None:
        return f"`E-{produced.expense.number}`"
    if produced.shift is not None:
        return t(lang, "rec.shift")
    if produced.task is not None:
        return t(lang, "rec.task_reverted", task=produced.task.key)
    return ""

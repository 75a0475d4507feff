"""Schedule-risk nudges: overdue, behind plan, stale, blocked too long (escalated), shifts left open.

Each condition has a name (`overdue:T-12`, `shift:42`) that the ledger keys by day and Snooze silences.
A shift in a week a pm has approved (locked) is not a nudge: its owner cannot act on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.services.access import require
from bot.services.status import TaskInfo, calendar_for, task_info, tasks_by_project
from storage.models import Member, Project, Shift, Snooze, Task, TaskUpdate, WeekApproval

SHIFT_HOURS = 12
BLOCKED_WORKDAYS = 2
SNOOZE = timedelta(days=1)


@dataclass(frozen=True)
class Nudge:
    """One condition of one project that needs someone's attention today."""

    condition: str
    kind: str  # overdue | behind | stale | blocked | shift
    recipient: str | None
    escalate: bool
    pms: tuple[str, ...]
    task: TaskInfo | None = None
    days: int = 0
    hours: int = 0
    shift_id: int | None = None
    owner_away: str | None = None  # the owner on leave; the nudge went to a pm instead


def pms_by_project(session: Session, project_ids: Sequence[int]) -> dict[int, list[str]]:
    """The pm user ids of each project."""
    out: dict[int, list[str]] = defaultdict(list)
    if project_ids:
        rows = session.exec(
            select(Member)
            .where(col(Member.project_id).in_(project_ids), Member.role == "pm")
            .order_by(col(Member.id))
        ).all()
        for m in rows:
            out[m.project_id].append(m.user_id)
    return out


def snoozed(session: Session, project_ids: Sequence[int], now: datetime) -> set[tuple[int, str]]:
    """(project id, condition) pairs silenced at `now`."""
    if not project_ids:
        return set()
    rows = session.exec(
        select(Snooze.project_id, Snooze.condition).where(
            col(Snooze.project_id).in_(project_ids), Snooze.until >= now
        )
    ).all()
    return {(pid, cond) for pid, cond in rows}


def may_snooze(
    session: Session, *, project: Project, condition: str, user_id: str, is_admin: bool = False
) -> None:
    """The command's role rules for a nudge's Snooze: an escalation (blocked too long) is the pm's; a task's
    nudge its owner's (or tech/pm, who may change any task); an open shift its worker's (or foreman/pm)."""
    kind, _, ref = condition.partition(":")
    if kind == "blocked":
        require(session, project=project, user_id=user_id, roles=(), is_admin=is_admin)
        return
    if kind == "shift":
        shift = session.get(Shift, int(ref)) if ref.isdigit() else None
        if shift is None or shift.project_id != project.pk or shift.user_id != user_id:
            require(session, project=project, user_id=user_id, roles=("foreman",), is_admin=is_admin)
        return
    task = session.exec(select(Task).where(Task.project_id == project.pk, Task.key == ref)).first()
    if task is None or task.owner_user_id != user_id:
        require(session, project=project, user_id=user_id, roles=("tech",), is_admin=is_admin)


def snooze(
    session: Session, *, project: Project, condition: str, user_id: str, now: datetime, is_admin: bool = False
) -> datetime:
    """Silence a condition for a day (extends an existing snooze); returns until when. Refused
    (PermissionDenied) to whoever the commands would refuse."""
    may_snooze(session, project=project, condition=condition, user_id=user_id, is_admin=is_admin)
    until = now + SNOOZE
    row = session.exec(
        select(Snooze).where(Snooze.project_id == project.pk, Snooze.condition == condition)
    ).first()
    if row is None:
        row = Snooze(
            team_id=project.team_id, project_id=project.pk, condition=condition, until=until, user_id=user_id
        )
    else:
        row.until, row.user_id = until, user_id
    session.add(row)
    session.flush()
    return until


def nudges_for(
    session: Session, projects: Sequence[Project], today: dict[int, date], now: datetime
) -> dict[int, list[Nudge]]:
    """Today's nudges of each project (four queries for all projects)."""
    ids = [p.pk for p in projects]
    if not ids:
        return {}
    tasks = tasks_by_project(session, ids)
    last_update = dict(
        session.exec(
            select(TaskUpdate.task_id, func.max(TaskUpdate.at))
            .where(col(TaskUpdate.project_id).in_(ids))
            .group_by(col(TaskUpdate.task_id))
        ).all()
    )
    pms = pms_by_project(session, ids)
    shifts = session.exec(
        select(Shift).where(
            col(Shift.project_id).in_(ids),
            col(Shift.ended_at).is_(None),
            Shift.started_at <= now - timedelta(hours=SHIFT_HOURS),
        )
    ).all()
    locked = {
        (w.project_id, w.week_start)
        for w in session.exec(select(WeekApproval).where(col(WeekApproval.project_id).in_(ids))).all()
    }
    out: dict[int, list[Nudge]] = {}
    for project in projects:
        pid = project.pk
        day = today[pid]
        leads = tuple(pms.get(pid, []))
        found = [
            n for t in tasks.get(pid, []) for n in _task_nudges(project, t, day, last_update.get(t.pk), leads)
        ]
        for s in shifts:
            started = calendar_for(project).local_date(s.started_at)
            # A shift in an approved (locked) week cannot be clocked out by its owner: nothing to ask.
            if s.project_id == pid and (pid, started - timedelta(days=started.weekday())) not in locked:
                found.append(
                    Nudge(
                        condition=f"shift:{s.id}",
                        kind="shift",
                        recipient=s.user_id,
                        escalate=False,
                        pms=leads,
                        hours=int((now - s.started_at).total_seconds() // 3600),
                        shift_id=s.id,
                    )
                )
        out[pid] = found
    return out


def _task_nudges(
    project: Project, task: Task, day: date, updated: datetime | None, pms: tuple[str, ...]
) -> list[Nudge]:
    if task.status == "done":
        return []
    cal = calendar_for(project)
    info = task_info(task, day, cal)
    owner = task.owner_user_id or (pms[0] if pms else None)

    def nudge(kind: str, days: int = 0, escalate: bool = False) -> Nudge:
        return Nudge(f"{kind}:{task.key}", kind, owner, escalate, pms, info, days)

    found = []
    if task.due_date is not None and task.due_date < day:
        found.append(nudge("overdue", (day - task.due_date).days))
    elif info.planned_pct - task.progress > project.tolerance:
        found.append(nudge("behind"))
    if task.start_date is None or task.start_date <= day:
        last = max(x for x in (task.updated_at, task.created_at, updated) if x is not None)
        idle = cal.workdays_between(cal.local_date(last), day)
        if idle >= project.stale_days:
            found.append(nudge("stale", idle))
    if task.status == "blocked" and task.blocked_since is not None:
        blocked = cal.workdays_between(cal.local_date(task.blocked_since), day)
        if blocked > BLOCKED_WORKDAYS:
            found.append(nudge("blocked", blocked, escalate=True))
    return found

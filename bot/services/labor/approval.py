"""Timesheet approval: a pm approves a week, which locks its labor entries (product §3)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.services import audit, records
from bot.services.access import require
from bot.services.errors import Conflict, InvalidInput
from bot.services.labor.entries import LABOR
from bot.services.labor.shifts import local_hhmm
from bot.views.mrkdwn import mention
from storage.models import LaborEntry, Project, Shift, WeekApproval


def approve_week(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    week_start: date,
    today: date,
    force: bool = False,
) -> int:
    """Approve (lock) the Mon–Sun week starting at `week_start` (pm only); the number of entries locked.

    The one rule for the command and the timesheet button: a week not over by `today` (the project's
    local date) needs `force`; open shifts started in the week always block it; nothing is stored on a
    refusal.
    """
    require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)
    monday = records.week_start(week_start)
    if monday + timedelta(days=6) >= today and not force:
        raise InvalidInput("labor.week_not_over", week=monday.isoformat())
    _refuse_open_shifts(session, project, monday)
    exists = session.exec(
        select(WeekApproval).where(WeekApproval.project_id == project.pk, WeekApproval.week_start == monday)
    ).first()
    if exists is not None:
        raise Conflict("labor.week_already_approved", week=monday.isoformat())
    week = records.between(session, LABOR, project=project, start=monday, end=monday + timedelta(days=6))
    rows = records.lock(session, LABOR, rows=week, actor=actor)
    session.add(
        WeekApproval(team_id=project.team_id, project_id=project.pk, week_start=monday, approved_by=actor)
    )
    session.flush()
    audit.record(
        session,
        project=project,
        actor=actor,
        action="approve",
        entity="week",
        entity_id=monday.isoformat(),
        before={"week_start": monday.isoformat(), "approved": False},
        after={
            "week_start": monday.isoformat(),
            "approved": True,
            "entries": sorted(r.id for r in rows if r.id is not None),
        },
    )
    return len(rows)


def _refuse_open_shifts(session: Session, project: Project, monday: date) -> None:
    """Open shifts started in the week block its approval (they could never be closed afterwards)."""
    cal_start = datetime.combine(monday, time(0), ZoneInfo(project.timezone))
    cal_end = cal_start + timedelta(days=7)
    open_ones = session.exec(
        select(Shift).where(
            Shift.project_id == project.pk,
            col(Shift.ended_at).is_(None),
            Shift.started_at >= cal_start,
            Shift.started_at < cal_end,
        )
    ).all()
    if open_ones:
        listed = ", ".join(f"{mention(s.user_id)} {local_hhmm(project, s.started_at)}" for s in open_ones)
        raise Conflict("labor.week_open_shifts", week=monday.isoformat(), shifts=listed)


def reopen_week(session: Session, *, project: Project, actor: str, is_admin: bool, week_start: date) -> int:
    """Undo a week's approval (pm only, audited): its entries can be changed again. The number unlocked."""
    require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)
    monday = records.week_start(week_start)
    approval = session.exec(
        select(WeekApproval).where(WeekApproval.project_id == project.pk, WeekApproval.week_start == monday)
    ).first()
    if approval is None:
        raise Conflict("labor.week_not_approved", week=monday.isoformat())
    entries = session.exec(
        select(LaborEntry).where(
            LaborEntry.project_id == project.pk,
            LaborEntry.work_date >= monday,
            LaborEntry.work_date <= monday + timedelta(days=6),
            col(LaborEntry.approved).is_(True),
        )
    ).all()
    for entry in entries:
        entry.approved, entry.approved_by, entry.approved_at = False, None, None
        session.add(entry)
    approved_by = approval.approved_by
    session.delete(approval)
    session.flush()
    audit.record(
        session,
        project=project,
        actor=actor,
        action="reopen",
        entity="week",
        entity_id=monday.isoformat(),
        before={"week_start": monday.isoformat(), "approved": True, "approved_by": approved_by},
        after={
            "week_start": monday.isoformat(),
            "approved": False,
            "entries": sorted(e.id for e in entries if e.id is not None),
        },
    )
    return len(entries)

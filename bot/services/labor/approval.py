"""Timesheet approval: a pm approves a week, which locks its labor entries (product §3)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from bot.services import audit, records
from bot.services.access import require
from bot.services.errors import Conflict
from bot.services.labor.entries import LABOR
from storage.models import Project, WeekApproval


def approve_week(session: Session, *, project: Project, actor: str, is_admin: bool, week_start: date) -> int:
    """Approve (lock) the Mon–Sun week starting at `week_start` (pm only); the number of entries locked."""
    require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)
    monday = records.week_start(week_start)
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

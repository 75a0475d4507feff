"""Timesheet approval: a pm approves a week, which locks its labor entries (product §3)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from bot.services import records
from bot.services.labor.entries import LABOR
from storage.models import Project

# The record kinds a week approval locks.
WEEK_LOCKED = (LABOR,)


def approve_week(session: Session, *, project: Project, actor: str, is_admin: bool, week_start: date) -> int:
    """Approve (lock) the Mon–Sun week starting at `week_start` (pm only); the number of entries locked."""
    return records.approve_week(
        session, WEEK_LOCKED, project=project, actor=actor, is_admin=is_admin, week_start=week_start
    )

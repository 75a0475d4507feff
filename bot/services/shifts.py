"""Shifts: clock-ins waiting for their clock-out (one open shift per user per project)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from storage.models import Project, Shift


def open_shift(session: Session, *, project: Project, user_id: str) -> Shift | None:
    """The user's shift in this project that has no clock-out yet."""
    return session.exec(
        select(Shift)
        .where(
            Shift.project_id == project.pk,
            Shift.team_id == project.team_id,
            Shift.user_id == user_id,
            col(Shift.ended_at).is_(None),
        )
        .order_by(col(Shift.id).desc())
    ).first()


def open_shifts_since(session: Session, *, project: Project, before: datetime) -> list[Shift]:
    """Open shifts of the project that started before an instant (for the long-shift nudge)."""
    return list(
        session.exec(
            select(Shift).where(
                Shift.project_id == project.pk,
                col(Shift.ended_at).is_(None),
                Shift.started_at < before,
            )
        ).all()
    )


def local_hhmm(project: Project, at: datetime) -> str:
    """An instant as wall-clock HH:MM (with the date when not today) in the project's timezone."""
    return at.astimezone(ZoneInfo(project.timezone)).strftime("%Y-%m-%d %H:%M")

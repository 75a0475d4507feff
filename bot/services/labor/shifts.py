"""Shifts: clock in opens one (one open shift per user per project), clock out turns it into a labor entry."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.services import records
from bot.services.access import require
from bot.services.errors import Conflict, InvalidInput
from bot.services.labor import limits
from bot.services.labor.entries import CENT
from bot.services.projects import local_date
from bot.services.records import Origin, ensure_unlocked
from storage.models import LaborEntry, Project, Shift

FUTURE_SLACK = timedelta(minutes=1)


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


def _not_future(project: Project, at: datetime, now: datetime | None) -> None:
    """Clock times are not in the future (a minute of slack for clocks that disagree)."""
    if now is not None and at > now + FUTURE_SLACK:
        raise InvalidInput("clock.future", at=local_hhmm(project, at))


def _whose(session: Session, *, project: Project, actor: str, user_id: str | None, is_admin: bool) -> str:
    """Whom a clock event is for: the actor, or someone else when a foreman or pm says so."""
    who = user_id or actor
    if who != actor:
        require(session, project=project, user_id=actor, roles=("foreman",), is_admin=is_admin)
    return who


def clock_in(
    session: Session,
    *,
    project: Project,
    actor: str,
    at: datetime,
    user_id: str | None = None,
    is_admin: bool = False,
    slack_channel: str | None = None,
    slack_ts: str | None = None,
    now: datetime | None = None,
) -> Shift:
    """Open a shift for the actor (or, for a foreman/pm, for `user_id`)."""
    who = _whose(session, project=project, actor=actor, user_id=user_id, is_admin=is_admin)
    if at.tzinfo is None:
        raise InvalidInput("clock.naive_time")
    _not_future(project, at, now)
    ensure_unlocked(session, project=project, day=local_date(project, at))
    already = open_shift(session, project=project, user_id=who)
    if already is not None:
        raise Conflict("clock.already_in", since=local_hhmm(project, already.started_at))
    shift = Shift(
        team_id=project.team_id,
        project_id=project.pk,
        user_id=who,
        started_at=at.astimezone(UTC),
        logged_by=actor,
        slack_channel=slack_channel,
        slack_ts=slack_ts,
    )
    session.add(shift)
    session.flush()
    return shift


def clock_out(
    session: Session,
    *,
    project: Project,
    actor: str,
    at: datetime,
    user_id: str | None = None,
    is_admin: bool = False,
    source: str = "clock",
    slack_channel: str | None = None,
    slack_ts: str | None = None,
    now: datetime | None = None,
) -> LaborEntry:
    """Close the open shift and store its elapsed hours as a labor entry dated the day it started."""
    who = _whose(session, project=project, actor=actor, user_id=user_id, is_admin=is_admin)
    _not_future(project, at, now)
    shift = open_shift(session, project=project, user_id=who)
    if shift is None:
        raise InvalidInput("clock.not_in")
    end = at.astimezone(UTC)
    if end <= shift.started_at:
        raise InvalidInput("clock.before_in", since=local_hhmm(project, shift.started_at))
    elapsed = Decimal((end - shift.started_at).total_seconds()) / Decimal(3600)
    hours = elapsed.quantize(CENT, rounding=ROUND_HALF_UP)
    if hours > 24:
        raise InvalidInput("clock.too_long", since=local_hhmm(project, shift.started_at), hours=str(hours))
    work_date = local_date(project, shift.started_at)
    ensure_unlocked(session, project=project, day=work_date)
    entry = LaborEntry(
        **records.new_fields(project, actor=actor, origin=Origin(source, slack_channel, slack_ts)),
        batch=uuid.uuid4().hex,
        work_date=work_date,
        user_id=who,
        headcount=1,
        hours_each=hours,
        man_hours=hours,
        overtime_hours=Decimal(0),
        currency=project.currency,
        start_time=shift.started_at.astimezone(ZoneInfo(project.timezone)).strftime("%H:%M"),
        end_time=end.astimezone(ZoneInfo(project.timezone)).strftime("%H:%M"),
    )
    limits.check_day_limit(session, project, [entry])
    limits.check_no_overlap(session, project, [entry])
    records.store(session, [entry])
    shift.ended_at = end
    shift.labor_entry_id = entry.id
    session.add(shift)
    session.flush()
    return entry

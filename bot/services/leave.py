"""Leave (请假): who is away on which days, and what that changes for prompts, nudges and the digest.

One rule lives here: a person is away on a day when a leave of theirs covers it (both ends included).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_
from sqlmodel import Session, col, select

from bot.services import audit
from bot.services.access import require
from bot.services.errors import Conflict, InvalidInput, NotFound
from bot.services.nudges import Nudge
from storage.models import Leave, Project, Worker

# Leave may be recorded after the fact, but not for long-past days (it changes no stored record).
MAX_BACK_DAYS = 31


@dataclass(frozen=True)
class Away:
    """One leave as the digest and lists show it: a Slack user or a named worker."""

    user_id: str | None
    worker: str | None
    first: date
    last: date
    reason: str | None = None


class AwayBook:
    """The leaves of some projects over some days, asked per person and day."""

    def __init__(self, leaves: Sequence[Leave]) -> None:
        self._by_user: dict[tuple[int, str], list[Leave]] = {}
        for leave in leaves:
            if leave.user_id:
                self._by_user.setdefault((leave.project_id, leave.user_id), []).append(leave)

    def is_away(self, project_id: int, user_id: str | None, day: date) -> bool:
        """Whether that Slack user is on leave in that project on `day`."""
        if not user_id:
            return False
        return any(x.first_day <= day <= x.last_day for x in self._by_user.get((project_id, user_id), []))

    def away_any(self, project_id: int, user_id: str, first: date, last: date) -> bool:
        """Whether the user is on leave on any day from `first` to `last`."""
        return any(
            x.first_day <= last and x.last_day >= first for x in self._by_user.get((project_id, user_id), [])
        )


def leaves_between(session: Session, project_ids: Sequence[int], first: date, last: date) -> list[Leave]:
    """Leaves of these projects touching the days `first`..`last` (one query)."""
    if not project_ids:
        return []
    return list(
        session.exec(
            select(Leave).where(
                col(Leave.project_id).in_(project_ids), Leave.first_day <= last, Leave.last_day >= first
            )
        ).all()
    )


def book(session: Session, project_ids: Sequence[int], first: date, last: date) -> AwayBook:
    """An AwayBook of these projects for the days `first`..`last`."""
    return AwayBook(leaves_between(session, project_ids, first, last))


def away_on(session: Session, projects: Sequence[Project], days: dict[int, date]) -> dict[int, list[Away]]:
    """Who is away on each project's day (users and named workers), for the digest's Away line."""
    if not projects:
        return {}
    ids = [p.pk for p in projects]
    rows = leaves_between(session, ids, min(days.values()), max(days.values()))
    names = _worker_names(session, {x.worker_id for x in rows if x.worker_id})
    out: dict[int, list[Away]] = {pid: [] for pid in ids}
    for x in sorted(rows, key=lambda r: (r.first_day, r.id or 0)):
        if x.first_day <= days[x.project_id] <= x.last_day:
            out[x.project_id].append(_away(x, names))
    return out


def _worker_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return {w.id or 0: w.name for w in session.exec(select(Worker).where(col(Worker.id).in_(wanted))).all()}


def _away(leave: Leave, names: dict[int, str]) -> Away:
    worker = names.get(leave.worker_id) if leave.worker_id else None
    return Away(leave.user_id, worker, leave.first_day, leave.last_day, leave.reason)


def _person(
    session: Session, *, project: Project, actor: str, is_admin: bool, user: str | None, worker: str | None
) -> tuple[str | None, Worker | None]:
    """Whose leave: the actor, or (for a pm or foreman) another user or a named worker of the project."""
    if worker is not None:
        require(session, project=project, user_id=actor, roles=("foreman",), is_admin=is_admin)
        row = session.exec(
            select(Worker).where(Worker.project_id == project.pk, Worker.name == worker)
        ).first()
        if row is None:
            raise NotFound("ooo.no_worker", name=worker)
        return None, row
    if user is not None and user != actor:
        require(session, project=project, user_id=actor, roles=("foreman",), is_admin=is_admin)
        return user, None
    return actor, None


def _mine(project: Project, user_id: str | None, worker: Worker | None) -> Any:
    """The WHERE clause of one person's leaves in the project."""
    who = col(Leave.worker_id) == worker.id if worker is not None else col(Leave.user_id) == user_id
    return and_(col(Leave.project_id) == project.pk, who)


def add_leave(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    user: str | None,
    worker: str | None,
    first: date,
    last: date,
    reason: str | None,
    today: date,
) -> Away:
    """Record a leave (both days included); refuses long-past days and overlaps with another leave."""
    if last < first:
        raise InvalidInput("ooo.backwards", first=first.isoformat(), last=last.isoformat())
    if (today - last).days > MAX_BACK_DAYS:
        raise InvalidInput("ooo.too_old", days=MAX_BACK_DAYS)
    user_id, row = _person(session, project=project, actor=actor, is_admin=is_admin, user=user, worker=worker)
    clash = session.exec(
        select(Leave).where(_mine(project, user_id, row), Leave.first_day <= last, Leave.last_day >= first)
    ).first()
    if clash is not None:
        raise Conflict("ooo.overlap", first=clash.first_day.isoformat(), last=clash.last_day.isoformat())
    leave = Leave(
        team_id=project.team_id,
        project_id=project.pk,
        user_id=user_id,
        worker_id=row.id if row else None,
        first_day=first,
        last_day=last,
        reason=reason,
        created_by=actor,
    )
    session.add(leave)
    session.flush()
    audit.record(
        session, project=project, actor=actor, action="leave", entity="leave", entity_id=leave.id, after=leave
    )
    return _away(leave, {row.id or 0: row.name} if row else {})


def list_leaves(session: Session, *, project: Project, today: date) -> list[Away]:
    """Current and coming leaves of the project, soonest first."""
    rows = session.exec(
        select(Leave)
        .where(Leave.project_id == project.pk, Leave.last_day >= today)
        .order_by(col(Leave.first_day), col(Leave.id))
    ).all()
    names = _worker_names(session, {x.worker_id for x in rows if x.worker_id})
    return [_away(x, names) for x in rows]


def cancel_leave(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    user: str | None,
    worker: str | None,
    day: date | None,
    today: date,
) -> Away:
    """End a leave: the one covering `day` (default: the current or next one). A leave already begun
    ends yesterday (its past days stay recorded); one not yet begun is removed. Returns it as it was."""
    user_id, row = _person(session, project=project, actor=actor, is_admin=is_admin, user=user, worker=worker)
    query = select(Leave).where(_mine(project, user_id, row))
    if day is not None:
        query = query.where(Leave.first_day <= day, Leave.last_day >= day)
    else:
        query = query.where(Leave.last_day >= today)
    leave = session.exec(query.order_by(col(Leave.first_day))).first()
    if leave is None:
        raise NotFound("ooo.none_to_cancel")
    before = _away(leave, {row.id or 0: row.name} if row else {})
    snapshot = audit.snapshot(leave)
    if leave.first_day < today:
        leave.last_day = min(leave.last_day, today - timedelta(days=1))
        session.add(leave)
        after: object = leave
    else:
        session.delete(leave)
        after = None
    session.flush()
    audit.record(
        session,
        project=project,
        actor=actor,
        action="leave_cancel",
        entity="leave",
        entity_id=snapshot["id"] if snapshot else None,
        before=snapshot,
        after=after,
    )
    return before


def redirect_nudges(nudges: list[Nudge], away: AwayBook, project_id: int, day: date) -> list[Nudge]:
    """Nudges whose owner is away go to the pm instead, marked "owner away"; with no pm there, none."""
    out = []
    for n in nudges:
        if n.escalate or not away.is_away(project_id, n.recipient, day):
            out.append(n)
            continue
        stand_in = next((pm for pm in n.pms if not away.is_away(project_id, pm, day)), None)
        out.append(dataclasses.replace(n, recipient=stand_in, owner_away=n.recipient))
    return out

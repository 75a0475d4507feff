"""What every request reads of its project, cached per process: the project row, its roster (workers, crews,
members' display names, open tasks), roles, pay rates, task keys and approved weeks.

Validity rests on one rule, kept here once: every write that changes any of it gives the project a new
revision in the same transaction (`project_revs.rev`, a random token). ORM flushes do so by the hooks at
the end of this module, whoever wrote; bulk Core writes call `touch`. A request reads the revision with
the channel's project in one indexed query and uses the cached copy only while it was read at that same
revision, so a change committed by any process is seen by the next request, and a change rolled back
(its token never committed) never makes a stale copy look current.
"""

from __future__ import annotations

import secrets
import threading
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import chain
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, event, func, select, text, tuple_
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import make_transient_to_detached

from bot.services import numbering
from storage.db import Prepared
from storage.models import Crew, Member, PayRate, Project, ProjectRev, Task, UserProfile, WeekApproval, Worker

MAX_PROJECTS = 4096  # snapshots kept per process (per database); the oldest go first
_SNAPS = "foreman_snapshots"  # session.info: this session's snapshots by project id
_BUMP = "foreman_bump"  # session.info: projects whose cached data the pending flush changes
# Rows of these tables belong to one project (project_id); a change to any of them changes the snapshot.
_CHILDREN = (Member, Worker, Crew, Task, PayRate, WeekApproval)
CHILD_TABLES = frozenset(str(model.__tablename__) for model in _CHILDREN)  # for writes that bypass the ORM


@dataclass(frozen=True)
class Roster:
    """What the parser needs to know of a project to read a statement: who can be named, which tasks."""

    workers: tuple[str, ...] = ()
    crews: tuple[str, ...] = ()
    members: tuple[tuple[str, str], ...] = ()  # (display name, Slack user id)
    open_tasks: tuple[tuple[str, str], ...] = ()  # (key, title), tasks not done


@dataclass(frozen=True)
class RateRow:
    """A pay rate as stored (the fields `rates` chooses by)."""

    id: int
    effective_from: date | None
    amount: Decimal
    unit: str


@dataclass(frozen=True)
class Snapshot:
    """A project as requests read it, at one revision. Never changed; `project` is never attached."""

    rev: int
    project: Project
    roster: Roster
    roles: Mapping[str, str]  # Slack user id -> role
    worker_names: Mapping[int, str]
    crew_names: Mapping[int, str]
    task_ids: Mapping[str, int]  # key (T-7) -> id, every task
    rates: Mapping[tuple[str, str], tuple[RateRow, ...]]  # (subject kind, subject) -> rows
    approved_weeks: frozenset[date]


class _Store:
    """The snapshots of one database in this process, by project id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snaps: dict[int, Snapshot] = {}

    def get(self, project_id: int, rev: int) -> Snapshot | None:
        snap = self._snaps.get(project_id)
        return snap if snap is not None and snap.rev == rev else None

    def put(self, project_id: int, snap: Snapshot) -> None:
        with self._lock:
            self._snaps.pop(project_id, None)
            self._snaps[project_id] = snap
            while len(self._snaps) > MAX_PROJECTS:
                del self._snaps[next(iter(self._snaps))]


_stores: weakref.WeakKeyDictionary[Engine, _Store] = weakref.WeakKeyDictionary()
_stores_lock = threading.Lock()

_projects = Project.__table__  # type: ignore[attr-defined]
_revs = ProjectRev.__table__  # type: ignore[attr-defined]
_REV = func.coalesce(_revs.c.rev, 0)
_BY_CHANNEL = Prepared(
    select(_projects.c.id, _REV)
    .select_from(_projects.outerjoin(_revs, _revs.c.project_id == _projects.c.id))
    .where(_projects.c.team_id == bindparam("team"), _projects.c.channel_id == bindparam("channel"))
)
_BY_ID = Prepared(select(_REV).select_from(_revs).where(_revs.c.project_id == bindparam("pid")))
_TOUCH = text(
    "INSERT INTO project_revs (project_id, rev) VALUES (:pid, :rev) "
    "ON CONFLICT (project_id) DO UPDATE SET rev = excluded.rev"
)


def _store(session: OrmSession) -> _Store:
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    store = _stores.get(engine)
    if store is None:
        with _stores_lock:
            store = _stores.setdefault(engine, _Store())
    return store


def project_for_channel(session: OrmSession, *, team_id: str, channel_id: str) -> Project | None:
    """The project bound to a channel of this workspace (attached to `session`), from the cache when its
    revision is current: one indexed query."""
    found = _BY_CHANNEL.rows(session, {"team": team_id, "channel": channel_id})
    if not found:
        return None
    row = found[0]
    snap = _current(session, int(row[0]), int(row[1]))
    return session.merge(snap.project, load=False)


def of(session: OrmSession, project: Project) -> Snapshot:
    """The project's snapshot as this session sees it (its own changes included)."""
    return of_id(session, project.pk)


def of_id(session: OrmSession, project_id: int) -> Snapshot:
    """`of` by the project's id."""
    if session.autoflush and (session.new or session.deleted or session.dirty):
        session.flush()
    local: dict[int, Snapshot] = session.info.get(_SNAPS) or {}
    snap = local.get(project_id)
    if snap is not None:
        return snap
    rev = _BY_ID.scalar(session, {"pid": project_id})
    return _current(session, project_id, int(rev or 0))


def touch(session: OrmSession, project_ids: Iterable[int]) -> None:
    """Give the projects a new revision in this transaction: cached copies of them are stale."""
    ids = sorted(set(project_ids))
    if not ids:
        return
    for pid in ids:
        # The project's row first, as numbering takes it: two transactions never lock the two in
        # opposite orders (PostgreSQL; SQLite's write lock already serializes).
        numbering.serialize_id(session, pid)  # type: ignore[arg-type]
    session.connection().execute(_TOUCH, [{"pid": pid, "rev": _token()} for pid in ids])
    local: dict[int, Snapshot] = session.info.get(_SNAPS) or {}
    for pid in ids:
        local.pop(pid, None)


def _token() -> int:
    # Random, so a revision rolled back is never taken again by a later change (0 is "never changed").
    return secrets.randbits(62) or 1


def _current(session: OrmSession, project_id: int, rev: int) -> Snapshot:
    store = _store(session)
    snap = store.get(project_id, rev)
    if snap is None:
        snap = _build(session, project_id, rev)
        store.put(project_id, snap)
    session.info.setdefault(_SNAPS, {})[project_id] = snap
    return snap


def _build(session: OrmSession, project_id: int, rev: int) -> Snapshot:
    """Read the snapshot in the session's transaction (after its revision, so it is never older)."""
    conn = session.connection()
    values = conn.execute(select(_projects).where(_projects.c.id == project_id)).mappings().one()
    project = Project(**values)
    make_transient_to_detached(project)
    m, u = Member.__table__, UserProfile.__table__  # type: ignore[attr-defined]
    roles = {str(user): str(role) for user, role in conn.execute(
        select(m.c.user_id, m.c.role).where(m.c.project_id == project_id)
    )}  # fmt: skip
    names = conn.execute(
        select(u.c.name, u.c.user_id)
        .join(m, (m.c.user_id == u.c.user_id) & (m.c.team_id == u.c.team_id))
        .where(m.c.project_id == project_id, u.c.name.is_not(None))
    ).all()
    w, c, t = Worker.__table__, Crew.__table__, Task.__table__  # type: ignore[attr-defined]
    workers: dict[int, str] = {
        int(i): str(n) for i, n in conn.execute(select(w.c.id, w.c.name).where(w.c.project_id == project_id))
    }
    crews: dict[int, str] = {
        int(i): str(n) for i, n in conn.execute(select(c.c.id, c.c.name).where(c.c.project_id == project_id))
    }
    tasks = conn.execute(
        select(t.c.id, t.c.key, t.c.title, t.c.status).where(t.c.project_id == project_id).order_by(t.c.key)
    ).all()
    r = PayRate.__table__  # type: ignore[attr-defined]
    rates: dict[tuple[str, str], list[RateRow]] = {}
    for row in conn.execute(
        select(r.c.id, r.c.subject_kind, r.c.subject, r.c.amount, r.c.unit, r.c.effective_from).where(
            r.c.project_id == project_id
        )
    ):
        rates.setdefault((row.subject_kind, row.subject), []).append(
            RateRow(row.id, row.effective_from, Decimal(row.amount), row.unit)
        )
    a = WeekApproval.__table__  # type: ignore[attr-defined]
    weeks = conn.execute(select(a.c.week_start).where(a.c.project_id == project_id)).scalars()
    roster = Roster(
        workers=tuple(workers.values()),
        crews=tuple(crews.values()),
        members=tuple((str(name), str(user)) for name, user in names if name),
        open_tasks=tuple((str(key), str(title)) for _, key, title, status in tasks if status != "done"),
    )
    return Snapshot(
        rev=rev,
        project=project,
        roster=roster,
        roles=roles,
        worker_names=workers,
        crew_names=crews,
        task_ids={str(key): int(tid) for tid, key, _, _ in tasks},
        rates={key: tuple(rows) for key, rows in rates.items()},
        approved_weeks=frozenset(weeks),
    )


# --- the rule: a flush that changes cached data gives its projects a new revision ---


@event.listens_for(OrmSession, "before_flush")
def _note_changes(session: OrmSession, _context: Any, _instances: Any) -> None:
    projects: set[int] = set()
    users: set[tuple[str, str]] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Project):
            if obj.id is not None:
                projects.add(obj.id)
        elif isinstance(obj, _CHILDREN):
            projects.add(obj.project_id)
        elif isinstance(obj, UserProfile):
            users.add((obj.team_id, obj.user_id))  # members' display names: every project they are in
    if projects or users:
        session.info[_BUMP] = (projects, users)


@event.listens_for(OrmSession, "after_flush")
def _bump(session: OrmSession, _context: Any) -> None:
    pending = session.info.pop(_BUMP, None)
    if pending is None:
        return
    projects, users = pending
    if users:
        m = Member.__table__  # type: ignore[attr-defined]
        found = session.connection().execute(
            select(m.c.project_id).where(tuple_(m.c.team_id, m.c.user_id).in_(sorted(users)))
        )
        projects |= set(found.scalars())
    touch(session, projects)

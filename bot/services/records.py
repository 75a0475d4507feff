"""The record lifecycle every money or time record shares: log, edit, void, undo, lock, audit, Slack source.

A record type (labor, expenses, next funds) describes itself once as a `RecordKind`: its table, its id
prefix (`L-12`, `E-3`, `F-2`), its catalog words and its date column. The functions here then hold the
rules every type obeys, so they live in one place:
- only the author or a pm may change a record, never once it is void or locked (approved, or in a week a
  pm approved when the kind is week-locked);
- a date may not be in the future, and more than 31 days back needs a pm;
- every edit and void is audited with the row before and after;
- a record remembers the Slack message it came from, so editing or deleting that message finds it.

Adding a record type (funds, `F-<n>`): a table with the common columns (team_id, project_id, logged_by,
source, slack_channel, slack_ts, approved, void, voided_at, created_at) and its own; a `RecordKind`; a
`log_…` that checks its own fields, builds rows with `new_fields` and `store`s them; an `apply` for edits.
Get, edit, void, undo, lock, lookups by message or period come from here unchanged.

Kinds numbered per project (`number_field="number"`: labor, expenses, funds) get their number when first
stored, in one place (`_number_new_records`, run before every flush): the next in the project, under the
project's lock; a record that replaces a voided one of the same Slack message (the message was edited)
takes that one's number, so `L-3` stays `L-3` through edits.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import bindparam, event, insert
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, SQLModel, col, func, select

from bot.services import audit, cache, numbering
from bot.services.access import require
from bot.services.errors import Conflict, InvalidInput, Locked, NotFound
from storage.db import Prepared
from storage.models import Project
from storage.types import utcnow

R = TypeVar("R", bound=SQLModel)

BACKDATE_DAYS = 31


@dataclass(frozen=True)
class Origin:
    """Where a record came from (command, message, modal, clock, home) and its Slack message, if any."""

    source: str = "command"
    slack_channel: str | None = None
    slack_ts: str | None = None


@dataclass(frozen=True)
class RecordKind(Generic[R]):
    """How one record type plugs into the lifecycle."""

    model: type[R]
    prefix: str  # shown ids: f"{prefix}-{id}"
    words: str  # catalog prefix of its refusals: "<words>.not_found", ".already_void", ".future", …
    date_field: str  # the column that dates the record (the work, the spending, the payment)
    editable: tuple[str, ...]
    entity: str = ""  # audit entity name; `words` when empty
    batch_field: str | None = None  # rows one statement logged share it; undo voids them together
    week_locked: bool = False  # a pm's week approval locks these records too
    owner_fields: tuple[str, ...] = ("logged_by",)  # whose records "mine" lists
    number_field: str = "id"  # the column behind the shown id (`number` for kinds numbered per project)

    @property
    def audit_entity(self) -> str:
        return self.entity or self.words

    def label(self, row: R) -> str:
        """The id a user types and reads, e.g. `L-12`."""
        return f"{self.prefix}-{getattr(row, self.number_field)}"

    def day_of(self, row: R) -> date:
        day: date = getattr(row, self.date_field)
        return day

    def column(self, name: str) -> Any:
        return col(getattr(self.model, name))

    def __post_init__(self) -> None:
        if self.number_field != "id":
            _NUMBERED[self.model] = self


_NUMBERED: dict[type[Any], RecordKind[Any]] = {}


def _row(row: SQLModel) -> Any:
    # The lifecycle reads the columns every record table has (id, team_id, logged_by, void, …).
    return row


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def new_fields(project: Project, *, actor: str, origin: Origin) -> dict[str, Any]:
    """The columns every new record carries: workspace, project, author and Slack source."""
    return {
        "team_id": project.team_id,
        "project_id": project.pk,
        "logged_by": actor,
        "source": origin.source,
        "slack_channel": origin.slack_channel,
        "slack_ts": origin.slack_ts,
    }


def new(model: type[R], **values: Any) -> R:
    """A new record row of `model`: its defaults, then `values`.

    Built as the ORM builds a row it loads (the instance's dict filled at once) instead of through the
    table model's `__init__`, which sets each column through pydantic and the ORM in turn (about 0.15 ms
    a row, a tenth of a `/log-labor`). Like that `__init__` for table models, nothing is validated; a
    column without a default that `values` lacks is refused here rather than by the database.
    """
    static, factories, required = _defaults(model)
    missing = required - values.keys()
    if missing:
        raise TypeError(f"{model.__name__} needs {', '.join(sorted(missing))}")
    unknown = values.keys() - static.keys() - factories.keys() - required
    if unknown:
        raise TypeError(f"{model.__name__} has no {', '.join(sorted(unknown))}")
    row: R = model._sa_class_manager.new_instance()  # type: ignore[attr-defined]
    fields = row.__dict__
    fields.update(static)
    for name, factory in factories.items():
        if name not in values:
            fields[name] = factory()
    fields.update(values)
    return row


@functools.cache
def _defaults(model: type[SQLModel]) -> tuple[dict[str, Any], dict[str, Callable[[], Any]], frozenset[str]]:
    """(static defaults, default factories, required columns) of a table model."""
    static: dict[str, Any] = {}
    factories: dict[str, Callable[[], Any]] = {}
    required: set[str] = set()
    for name, field in model.model_fields.items():
        if field.default_factory is not None:
            factories[name] = field.default_factory  # type: ignore[assignment]
        elif field.is_required():
            required.add(name)
        else:
            static[name] = field.default
    return static, factories, frozenset(required)


def next_number(session: Session, kind: RecordKind[Any], *, project: Project) -> int:
    """The next per-project number of a kind numbered per project (F-1, F-2, … in each project); the
    project stays locked for numbering until the transaction ends."""
    return _top_number(session, kind, project.pk) + 1


def _top_number(session: Session | OrmSession, kind: RecordKind[Any], project_id: int) -> int:
    numbering.serialize_id(session, project_id)  # type: ignore[arg-type]
    return int(_top_query(kind).scalar(session, {"pid": project_id}) or 0)


@functools.cache
def _top_query(kind: RecordKind[Any]) -> Prepared:
    # Built once per kind; an index on (project_id, number) answers it (voided records included).
    table = kind.model.__table__  # type: ignore[attr-defined]
    return Prepared(
        select(func.max(table.c[kind.number_field])).where(table.c.project_id == bindparam("pid"))
    )


def _replaced_numbers(
    session: OrmSession, kind: RecordKind[Any], project_id: int, rows: list[Any]
) -> list[int]:
    """The numbers of voided records of the Slack message the new rows come from that no live record
    holds: a message edit voids the old records and stores new ones, which keep the old numbers."""
    first = rows[0]
    if not getattr(first, "slack_ts", None) or not getattr(first, "slack_channel", None):
        return []
    number = kind.column(kind.number_field)
    same = (
        (kind.column("project_id") == project_id)
        & (kind.column("slack_channel") == first.slack_channel)
        & (kind.column("slack_ts") == first.slack_ts)
    )
    voided = session.execute(select(number).where(same, kind.column("void").is_(True))).scalars().all()
    if not voided:
        return []
    live = set(
        session.execute(
            select(number).where(
                kind.column("project_id") == project_id, kind.column("void").is_(False), number.in_(voided)
            )
        )
        .scalars()
        .all()
    )
    return sorted({n for n in voided if n not in live})


@event.listens_for(OrmSession, "before_flush")
def _number_new_records(session: OrmSession, _context: Any, _instances: Any) -> None:
    """Give each new record of a kind numbered per project its number (see the module's docstring)."""
    _number(session, session.new)


def _number(session: OrmSession, new: Iterable[Any]) -> None:
    groups: dict[tuple[type[Any], int], list[Any]] = {}
    for obj in new:
        kind = _NUMBERED.get(type(obj))
        if kind is not None and getattr(obj, kind.number_field) is None:
            groups.setdefault((type(obj), obj.project_id), []).append(obj)
    for (model, project_id), rows in groups.items():
        kind = _NUMBERED[model]
        top = _top_number(session, kind, project_id)
        reuse = _replaced_numbers(session, kind, project_id, rows)
        for row in rows:
            if reuse:
                setattr(row, kind.number_field, reuse.pop(0))
            else:
                top += 1
                setattr(row, kind.number_field, top)


def store(session: Session, rows: Sequence[R]) -> list[R]:
    """Add new records of one kind to the transaction, numbered, with their ids.

    One INSERT … RETURNING id through Core (the ORM's unit of work costs several times the statement on
    the ack path); the rows then join the session as loaded, unchanged objects, so later changes to them
    in the same transaction are flushed as usual.
    """
    rows = list(rows)
    if not rows:
        return rows
    model = type(rows[0])
    if any(type(row) is not model for row in rows):
        session.add_all(rows)
        session.flush()
        return rows
    if session.autoflush:
        session.flush()  # what the transaction changed before is visible to the numbering below
    _number(session, rows)
    table = model.__table__  # type: ignore[attr-defined]
    columns = [c.key for c in table.columns if c.key != "id"]
    values = [{key: getattr(row, key) for key in columns} for row in rows]
    if len(values) == 1:
        ids = [_insert_one(table).scalar(session, values[0])]
    else:
        ids = list(session.connection().execute(_insert(table), values).scalars().all())
    for row, new_id in zip(rows, ids, strict=True):
        row.id = new_id  # type: ignore[attr-defined]
        make_transient_to_detached(row)
        session.add(row)
    return rows


@functools.cache
def _insert(table: Any) -> Any:
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


@functools.cache
def _insert_one(table: Any) -> Prepared:
    columns = [c for c in table.columns if c.key != "id"]
    values = {c.key: bindparam(c.key, type_=c.type) for c in columns}
    return Prepared(insert(table).values(values).returning(table.c.id))


# --- checks ---


def ensure_unlocked(session: Session, *, project: Project, day: date) -> None:
    """Locked when a pm approved the week holding `day`."""
    if week_start(day) in cache.of(session, project).approved_weeks:
        raise Locked(week=week_start(day).isoformat())


def check_date(
    session: Session,
    kind: RecordKind[Any],
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    day: date,
    today: date,
) -> None:
    """Refuse future dates, more than 31 days back unless pm, and locked weeks for week-locked kinds."""
    if day > today:
        raise InvalidInput(f"{kind.words}.future", date=day.isoformat())
    if (today - day).days > BACKDATE_DAYS:
        require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)
    if kind.week_locked:
        ensure_unlocked(session, project=project, day=day)


def ensure_modifiable(
    session: Session, kind: RecordKind[R], *, project: Project, actor: str, is_admin: bool, row: R
) -> None:
    """Only the author or a pm may change a live record, and only while it is not locked."""
    rec = _row(row)
    if rec.void:
        raise Conflict(f"{kind.words}.already_void", id=kind.label(row))
    if rec.logged_by != actor:
        require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)
    if rec.approved:
        raise Locked(week=week_start(kind.day_of(row)).isoformat())
    if kind.week_locked:
        ensure_unlocked(session, project=project, day=kind.day_of(row))


# --- finding ---


def _of_project(kind: RecordKind[R], project: Project) -> Any:
    return select(kind.model).where(
        kind.column("project_id") == project.pk, kind.column("team_id") == project.team_id
    )


def get(session: Session, kind: RecordKind[R], *, project: Project, record_id: int) -> R:
    """A record of this project (and so of this workspace), or NotFound."""
    # A voided record may share its number with the live one that replaced it: the live one is meant.
    query = _of_project(kind, project).where(kind.column(kind.number_field) == record_id)
    row = session.exec(query.order_by(kind.column("void"), kind.column("id").desc())).first()
    if row is None:
        raise NotFound(f"{kind.words}.not_found", id=f"{kind.prefix}-{record_id}")
    return row  # type: ignore[no-any-return]


def for_message(session: Session, kind: RecordKind[R], *, team_id: str, channel: str, ts: str) -> list[R]:
    """The live records a Slack message created (for message edits and deletes)."""
    query = (
        select(kind.model)
        .where(
            kind.column("team_id") == team_id,
            kind.column("slack_channel") == channel,
            kind.column("slack_ts") == ts,
            kind.column("void").is_(False),
        )
        .order_by(kind.column("id"))
    )
    return list(session.exec(query).all())


def between(
    session: Session,
    kind: RecordKind[R],
    *,
    project: Project,
    start: date,
    end: date,
    user_id: str | None = None,
) -> list[R]:
    """Live records dated within [start, end]; only the user's own (by kind.owner_fields) when given."""
    day = kind.column(kind.date_field)
    query = _of_project(kind, project).where(kind.column("void").is_(False), day >= start, day <= end)
    if user_id is not None:
        owned = [kind.column(name) == user_id for name in kind.owner_fields]
        query = query.where(owned[0] if len(owned) == 1 else _any(owned))
    return list(session.exec(query.order_by(day, kind.column("id"))).all())


def _any(clauses: list[Any]) -> Any:
    out = clauses[0]
    for clause in clauses[1:]:
        out = out | clause
    return out


# --- changing ---


def void_rows(
    session: Session, kind: RecordKind[R], *, project: Project, actor: str, rows: list[R]
) -> list[R]:
    """Mark records void (never deleted) and audit each; callers checked they may."""
    now = utcnow()
    for row in rows:
        before = audit.snapshot(row)
        rec = _row(row)
        rec.void = True
        rec.voided_at = now
        session.add(row)
        audit.record(
            session,
            project=project,
            actor=actor,
            action="void",
            entity=kind.audit_entity,
            entity_id=rec.id,
            before=before,
            after=row,
        )
    session.flush()
    return rows


def void(
    session: Session, kind: RecordKind[R], *, project: Project, actor: str, is_admin: bool, record_id: int
) -> R:
    """Void one record, by its shown number (author or pm, not locked)."""
    row = get(session, kind, project=project, record_id=record_id)
    return void_record(session, kind, project=project, actor=actor, is_admin=is_admin, row=row)


def void_record(
    session: Session, kind: RecordKind[R], *, project: Project, actor: str, is_admin: bool, row: R
) -> R:
    """Void this very record (author or pm, not locked): for a record already in hand, such as the one a
    Slack message produced, whose row id is not its shown number."""
    ensure_modifiable(session, kind, project=project, actor=actor, is_admin=is_admin, row=row)
    return void_rows(session, kind, project=project, actor=actor, rows=[row])[0]


def void_batch(
    session: Session, kind: RecordKind[R], *, project: Project, actor: str, is_admin: bool, batch: str
) -> list[R]:
    """Void every live record one statement logged; refused as a whole when any of them is locked."""
    assert kind.batch_field is not None
    query = _of_project(kind, project).where(
        kind.column(kind.batch_field) == batch, kind.column("void").is_(False)
    )
    rows: list[R] = list(session.exec(query.order_by(kind.column("id"))).all())
    if not rows:
        raise NotFound(f"{kind.words}.batch_not_found")
    for row in rows:
        ensure_modifiable(session, kind, project=project, actor=actor, is_admin=is_admin, row=row)
    return void_rows(session, kind, project=project, actor=actor, rows=rows)


def undo_last(
    session: Session, kind: RecordKind[R], *, project: Project, actor: str, is_admin: bool
) -> list[R]:
    """Void what the actor logged last in this project (the whole statement for batched kinds)."""
    query = _of_project(kind, project).where(
        kind.column("logged_by") == actor, kind.column("void").is_(False)
    )
    last = session.exec(query.order_by(kind.column("id").desc())).first()
    if last is None:
        raise NotFound(f"{kind.words}.nothing_to_undo")
    if kind.batch_field is not None:
        batch = getattr(last, kind.batch_field)
        return void_batch(session, kind, project=project, actor=actor, is_admin=is_admin, batch=batch)
    number = getattr(last, kind.number_field)
    return [void(session, kind, project=project, actor=actor, is_admin=is_admin, record_id=number)]


def edit(
    session: Session,
    kind: RecordKind[R],
    record_id: int,
    changes: dict[str, Any],
    apply: Callable[[R, dict[str, Any]], None],
    *,
    project: Project,
    actor: str,
    is_admin: bool,
) -> R:
    """Check and apply `changes` (keys from kind.editable) to one record with `apply`, then audit it."""
    unknown = set(changes) - set(kind.editable)
    if unknown:
        raise InvalidInput(f"{kind.words}.bad_edit", fields=", ".join(sorted(unknown)))
    if not changes:
        raise InvalidInput(f"{kind.words}.nothing_to_edit")
    row = get(session, kind, project=project, record_id=record_id)
    ensure_modifiable(session, kind, project=project, actor=actor, is_admin=is_admin, row=row)
    before = audit.snapshot(row)
    apply(row, changes)
    session.add(row)
    session.flush()
    audit.record(
        session,
        project=project,
        actor=actor,
        action="edit",
        entity=kind.audit_entity,
        entity_id=_row(row).id,
        before=before,
        after=row,
    )
    return row


def lock(session: Session, kind: RecordKind[R], *, rows: Iterable[R], actor: str) -> list[R]:
    """Mark records approved (locked): no edit or void after this."""
    now = utcnow()
    locked = list(rows)
    for row in locked:
        rec = _row(row)
        rec.approved = True
        if hasattr(rec, "approved_by"):
            rec.approved_by, rec.approved_at = actor, now
        session.add(row)
    session.flush()
    return locked

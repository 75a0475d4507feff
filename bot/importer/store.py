"""Running an import: check every row, drop rows already imported, then store the rest in bulk.

Nothing is stored while any row is invalid (unless told to skip invalid rows). Each stored record gets
an `imported_rows` fingerprint (so importing the same rows again stores nothing new) and an audit row
(action `import`, naming the file and row); records carry source `import` and the import's batch.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, type_coerce
from sqlmodel import Session, col, select

from bot.importer.rows import CHECKS, Lookups, Parsed, RowError, fingerprint
from bot.importer.sheets import Sheet, SheetError, read_sheet
from bot.services import cache, records
from bot.services.expenses import EXPENSE
from bot.services.labor import Rate
from bot.services.labor.entries import LABOR
from bot.services.projects import find_by_code, local_date
from storage.models import (
    AuditLog,
    Crew,
    Expense,
    ImportedRow,
    LaborEntry,
    Project,
    Task,
    WeekApproval,
    Worker,
)
from storage.types import Quantity, utcnow

KINDS = ("labor", "expenses", "tasks")
CHUNK = 5000
Progress = Callable[[int], object]


class ImportError_(SheetError):
    """An import that cannot start (unknown project, no project given); the message says why."""


@dataclass
class Invalid:
    """A row that cannot be stored: its spreadsheet row number and why (a catalog key and params)."""

    row: int
    key: str
    params: dict[str, object]


@dataclass
class Report:
    """What an import did (or, on a dry run or with invalid rows, would do)."""

    imported: int = 0
    duplicates: int = 0
    invalid: list[Invalid] = field(default_factory=list)
    stored: bool = False
    unknown_columns: list[str] = field(default_factory=list)
    created_workers: int = 0
    created_crews: int = 0


def _project(session: Session, code: str | None, sheet: Sheet) -> Project:
    if code is None:
        codes = {str(v["project"]).strip().upper() for _, v in sheet.records() if v.get("project")}
        if len(codes) != 1:
            raise ImportError_(
                "say which project with --project CODE (the file names "
                + (", ".join(sorted(codes)) if codes else "none")
                + ")"
            )
        code = codes.pop()
    found = find_by_code(session, code=code)
    if len(found) != 1:
        raise ImportError_(
            f"no project with code {code!r}" if not found else f"project code {code!r} is ambiguous"
        )
    return found[0]


def _lookups(session: Session, kind: str, project: Project, now: datetime) -> Lookups:
    pid = project.pk
    tasks = {
        str(k).upper(): int(i or 0)
        for i, k in session.exec(select(Task.id, Task.key).where(Task.project_id == pid)).all()
    }
    locked = set(
        session.exec(select(col(WeekApproval.week_start)).where(WeekApproval.project_id == pid)).all()
    )
    ctx = Lookups(project=project, today=local_date(project, now), tasks=tasks, locked_weeks=locked)
    if kind == "labor":
        names = dict(session.exec(select(Worker.id, Worker.name).where(Worker.project_id == pid)).all())
        for w in session.exec(select(Worker).where(Worker.project_id == pid)).all():
            if w.rate is not None and w.rate_unit:
                ctx.worker_rates[w.name] = Rate(Decimal(w.rate), w.rate_unit)
        for c in session.exec(select(Crew).where(Crew.project_id == pid)).all():
            if c.rate is not None and c.rate_unit:
                ctx.crew_rates[c.name] = Rate(Decimal(c.rate), c.rate_unit)
        used = session.exec(
            select(
                col(LaborEntry.user_id),
                col(LaborEntry.worker_id),
                col(LaborEntry.work_date),
                # Hours are stored as thousandths: the sum is read back through the column's exact type.
                type_coerce(func.sum(LaborEntry.hours_each + LaborEntry.overtime_hours), Quantity()),
            )
            .where(LaborEntry.project_id == pid, col(LaborEntry.void).is_(False), LaborEntry.headcount == 1)
            .group_by(col(LaborEntry.user_id), col(LaborEntry.worker_id), col(LaborEntry.work_date))
        ).all()
        for user_id, worker_id, day, hours in used:
            person = f"u:{user_id}" if user_id else (f"w:{names.get(worker_id)}" if worker_id else None)
            if person is not None:
                ctx.hours_used[(person, day)] = Decimal(hours or 0)
    return ctx


def run_import(
    session: Session,
    *,
    kind: str,
    path: Path,
    project_code: str | None,
    now: datetime,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    actor: str = "import",
) -> Report:
    """Import a file into the project; stores only when no row is invalid (or invalid rows are skipped)."""
    if kind not in KINDS:
        raise ImportError_(f"unknown import {kind!r}; use labor, expenses or tasks")
    sheet = read_sheet(kind, path)
    project = _project(session, project_code, sheet)
    ctx = _lookups(session, kind, project, now)
    check = CHECKS[kind]
    report = Report(unknown_columns=sheet.unknown)
    valid: list[tuple[int, Parsed, str]] = []
    seen: Counter[str] = Counter()
    existing_keys = set(ctx.tasks) if kind == "tasks" else set()
    pid = project.pk
    for number, values in sheet.records():
        if progress:
            progress(1)
        try:
            parsed = check(values, ctx)
        except RowError as err:
            report.invalid.append(Invalid(number, err.key, dict(err.params)))
            continue
        seen[parsed.basis] += 1
        valid.append((number, parsed, fingerprint(kind, pid, parsed.basis, seen[parsed.basis])))
    known = _known_fingerprints(session, project.pk, kind, [fp for _, _, fp in valid])
    fresh = []
    file_keys: set[str] = set()
    for number, parsed, fp in valid:
        if fp in known:
            report.duplicates += 1
            continue
        if kind == "tasks":
            key = parsed.values["key"]
            if key in existing_keys or key in file_keys:
                report.invalid.append(Invalid(number, "import.task_exists", {"task": key}))
                continue
            file_keys.add(key)
        fresh.append((number, parsed, fp))
    report.imported = len(fresh)
    report.invalid.sort(key=lambda x: x.row)
    if dry_run or (report.invalid and not skip_invalid) or not fresh:
        return report
    _store(session, kind, project, fresh, report, path.name, actor)
    report.stored = True
    return report


def _known_fingerprints(session: Session, project_id: int, kind: str, fps: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(fps), CHUNK):
        part = fps[i : i + CHUNK]
        found.update(
            session.exec(
                select(ImportedRow.fingerprint).where(
                    ImportedRow.project_id == project_id,
                    ImportedRow.kind == kind,
                    col(ImportedRow.fingerprint).in_(part),
                )
            ).all()
        )
    return found


def _names_to_ids(
    session: Session, model: Any, project: Project, names: set[str]
) -> tuple[dict[str, int], int]:
    """Ids of the named workers or crews, creating the missing ones (as /log-labor does)."""
    ids = dict(
        (n, i)
        for i, n in session.exec(select(model.id, model.name).where(model.project_id == project.pk)).all()
    )
    missing = sorted(names - set(ids))
    for name in missing:
        row = model(team_id=project.team_id, project_id=project.pk, name=name)
        session.add(row)
        session.flush()
        ids[name] = row.id
    return ids, len(missing)


NUMBERED: dict[str, records.RecordKind[Any]] = {"labor": LABOR, "expenses": EXPENSE}


def bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows in the session's transaction with the driver's executemany.

    Values go through each column type's own bind processor (exact decimals, UTC instants), exactly as
    SQLAlchemy would bind them; skipping its per-row statement machinery makes a large import several
    times faster.
    """
    if not rows:
        return
    session.flush()
    if table.name in cache.CHILD_TABLES:
        cache.touch(session, {row["project_id"] for row in rows})  # imported tasks: the roster changed
    connection = session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    processors = [table.c[n].type._cached_bind_processor(dialect) for n in names]
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer.quote
    sql = f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) VALUES ({', '.join([marker] * len(names))})"
    cursor = connection.connection.cursor()
    cache_size = None
    if dialect.name == "sqlite" and len(rows) > CHUNK:
        # SQLite's default 2 MB page cache spills a large insert's indexes to disk mid-transaction.
        cache_size = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute("PRAGMA cache_size=-65536")
    try:
        for i in range(0, len(rows), CHUNK):
            chunk = rows[i : i + CHUNK]
            columns = [_bound([r[n] for r in chunk], f) for n, f in zip(names, processors, strict=True)]
            cursor.executemany(sql, list(zip(*columns, strict=True)))
    finally:
        if cache_size is not None:
            # The connection goes back to the pool: its page cache returns to its usual bound.
            cursor.execute(f"PRAGMA cache_size={int(cache_size)}")
        cursor.close()


def _bound(values: list[Any], process: Callable[[Any], Any] | None) -> list[Any]:
    """A column's values as the driver takes them; imported rows repeat their values (dates, rates, the
    import's instant), so each distinct value is processed once."""
    if process is None:
        return values
    memo: dict[Any, Any] = {None: None}
    out = []
    for v in values:
        try:
            out.append(memo[v])
        except KeyError:
            memo[v] = processed = process(v)
            out.append(processed)
    return out


def _stored_ids(session: Session, model: Any, project: Project, stamp: datetime, n: int) -> list[int]:
    """The ids of the rows just inserted, in insertion order.

    A bulk insert without RETURNING is several times faster (RETURNING in parameter order makes SQLite
    insert row by row); rows of one executemany get increasing ids in their order on SQLite and
    PostgreSQL alike, and this transaction's rows are the only ones with this project and instant.
    """
    table = model.__table__
    ids = list(
        session.execute(
            select(table.c.id)
            .where(table.c.project_id == project.pk, table.c.created_at == stamp)
            .order_by(table.c.id)
        ).scalars()
    )
    if len(ids) != n:
        raise RuntimeError(f"import stored {len(ids)} rows, expected {n}; rolled back")
    return ids


def _store(
    session: Session,
    kind: str,
    project: Project,
    fresh: list[tuple[int, Parsed, str]],
    report: Report,
    filename: str,
    actor: str,
) -> None:
    batch = "import-" + uuid.uuid4().hex[:24]
    stamp = utcnow()
    base = {"team_id": project.team_id, "project_id": project.pk}
    if kind == "labor":
        workers, report.created_workers = _names_to_ids(
            session, Worker, project, {p.worker for _, p, _ in fresh if p.worker}
        )
        crews, report.created_crews = _names_to_ids(
            session, Crew, project, {p.crew for _, p, _ in fresh if p.crew}
        )
        model: Any = LaborEntry
        rows = [
            base
            | p.values
            | {
                "batch": batch,
                "worker_id": workers.get(p.worker) if p.worker else None,
                "crew_id": crews.get(p.crew) if p.crew else None,
                "source": "import",
                "approved": False,
                "void": False,
                "created_at": stamp,
            }
            for _, p, _ in fresh
        ]
        entity = "labor"
    elif kind == "expenses":
        model = Expense
        rows = [
            base | p.values | {"source": "import", "approved": False, "void": False, "created_at": stamp}
            for _, p, _ in fresh
        ]
        entity = "expense"
    else:
        model = Task
        rows = [
            base | p.values | {"created_by": actor, "created_at": stamp, "updated_at": stamp,
                               "blocked_since": stamp if p.values["status"] == "blocked" else None}
            for _, p, _ in fresh
        ]  # fmt: skip
        entity = "task"
    if kind in NUMBERED:
        # Per-project L-/E- numbers, allocated under the project's numbering lock like every other save.
        first = records.next_number(session, NUMBERED[kind], project=project)
        for i, row in enumerate(rows):
            row["number"] = first + i
    bulk_insert(session, model.__table__, rows)
    ids = _stored_ids(session, model, project, stamp, len(rows))
    team_id, pid = project.team_id, project.pk
    marks = [
        {
            "team_id": team_id,
            "project_id": pid,
            "kind": kind,
            "fingerprint": fp,
            "record_id": rid,
            "batch": batch,
        }
        for (_, _, fp), rid in zip(fresh, ids, strict=True)
    ]
    name = json.dumps(filename, ensure_ascii=False)
    audits = [
        {
            "team_id": team_id,
            "project_id": pid,
            "actor": actor,
            "action": "import",
            "entity": entity,
            "entity_id": str(rid),
            "before": None,
            "after": f'{{"batch": "{batch}", "file": {name}, "row": {number}}}',
            "at": stamp,
        }
        for (number, _, _), rid in zip(fresh, ids, strict=True)
    ]
    # In fingerprint order the unique index grows at its end instead of at random places: much faster.
    marks.sort(key=lambda m: str(m["fingerprint"]))
    bulk_insert(session, ImportedRow.__table__, marks)  # type: ignore[attr-defined]
    bulk_insert(session, AuditLog.__table__, audits)  # type: ignore[attr-defined]

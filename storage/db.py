"""Engine, sessions and migrations."""

from __future__ import annotations

import collections
import contextlib
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

MIGRATIONS = Path(__file__).parent / "migrations"
T = TypeVar("T")
# PostgreSQL: connections per process, one for each of a gunicorn worker's threads (bot.wsgi.THREADS),
# plus as many again for the scheduler's posting lanes and lazy listeners.
POOL_SIZE = 8
POOL_OVERFLOW = 8
READ_ONLY = "foreman_read_only"  # execution option of a read-only unit of work
# SQLite: how long a writer waits for the write lock in all, and how often the group-commit writer looks.
LOCK_WAIT = 30.0
LOCK_POLL = 0.001

# Database transactions open in this thread: a Slack call made while one is open would hold SQLite's
# write lock (or a PostgreSQL row lock) for as long as Slack takes to answer.
_open = threading.local()
STRICT = {"on": False}  # tests turn this on: a Web API call inside a transaction then fails


def transactions_open() -> int:
    """How many database transactions this thread has open right now."""
    return int(getattr(_open, "depth", 0))


def _track(engine: Engine) -> None:
    def began(conn: Any) -> None:
        _open.depth = transactions_open() + 1

    def ended(conn: Any) -> None:
        _open.depth = max(0, transactions_open() - 1)

    event.listen(engine, "begin", began)
    event.listen(engine, "commit", ended)
    event.listen(engine, "rollback", ended)


def _plain_savepoints(engine: Engine) -> None:
    """Savepoints sent to the driver as plain SQL: each request in a batch runs in one (and each claim or
    nested unit of work may add one), and SQLAlchemy would compile every SAVEPOINT statement afresh
    (about 0.2 ms, against 4 µs for the statement itself)."""
    dialect = engine.dialect

    def run(conn: Any, sql: str) -> None:
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.execute(sql)
        finally:
            cursor.close()

    def savepoint(conn: Any, name: str) -> None:
        run(conn, f"SAVEPOINT {dialect.identifier_preparer.format_savepoint(_Name(name))}")

    def rollback_to(conn: Any, name: str) -> None:
        run(conn, f"ROLLBACK TO SAVEPOINT {dialect.identifier_preparer.format_savepoint(_Name(name))}")

    def release(conn: Any, name: str) -> None:
        run(conn, f"RELEASE SAVEPOINT {dialect.identifier_preparer.format_savepoint(_Name(name))}")

    dialect.do_savepoint = savepoint  # type: ignore[method-assign,assignment]
    dialect.do_rollback_to_savepoint = rollback_to  # type: ignore[method-assign,assignment]
    dialect.do_release_savepoint = release  # type: ignore[method-assign,assignment]


class _Name:
    """What the identifier preparer formats a savepoint name from."""

    def __init__(self, ident: str) -> None:
        self.ident = ident


class Prepared:
    """A Core statement compiled once per dialect and handed straight to the driver's cursor.

    For the few statements every request sends (its claim, its project, the person's day, the next
    number, the insert): SQLAlchemy's execution costs about 40 µs a statement on top of the driver's 2
    (cache lookup, execution context, result object), a fifth of a `/log-labor`. Values still pass
    through their columns' own bind and result processors, so they are what `Connection.execute` gives;
    driver errors are wrapped as SQLAlchemy's (a lost connection invalidated, as SQLAlchemy does);
    `before_cursor_execute` listeners still see each
    statement. Not for statements with expanding IN lists or multi-row VALUES.
    """

    def __init__(self, statement: Any) -> None:
        self._statement = statement
        self._forms: dict[str, _Form] = {}

    def _form(self, dialect: Dialect) -> _Form:
        form = self._forms.get(dialect.name)
        if form is None:
            form = self._forms.setdefault(dialect.name, _Form(self._statement, dialect))
        return form

    def sql(self, dialect: Dialect) -> str:
        """The statement as `dialect` runs it."""
        return self._form(dialect).sql

    def execute(self, on: OrmSession | Connection, params: dict[str, Any]) -> tuple[list[Any], int]:
        """(rows, rowcount) of running the statement in the session's (or connection's) transaction."""
        conn = on.connection() if isinstance(on, OrmSession) else on
        form = self._form(conn.dialect)
        args = form.args(params)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            if conn._has_events or conn.engine._has_events:
                conn.dispatch.before_cursor_execute(conn, cursor, form.sql, args, None, False)
            try:
                cursor.execute(form.sql, args)
                rows = cursor.fetchall() if cursor.description is not None else []
            except conn.dialect.loaded_dbapi.Error as err:
                # As SQLAlchemy's own execution does: a lost connection is invalidated, so the pool
                # never hands it out again.
                gone = conn.dialect.is_disconnect(err, conn.connection.dbapi_connection, cursor)
                if gone:
                    conn.invalidate(err)
                raise exc.DBAPIError.instance(
                    form.sql,
                    args,
                    err,
                    conn.dialect.loaded_dbapi.Error,
                    connection_invalidated=gone,
                    dialect=conn.dialect,
                ) from err
            return [form.row(row) for row in rows], cursor.rowcount
        finally:
            with contextlib.suppress(conn.dialect.loaded_dbapi.Error):
                cursor.close()

    def rows(self, on: OrmSession | Connection, params: dict[str, Any]) -> list[Any]:
        return self.execute(on, params)[0]

    def scalar(self, on: OrmSession | Connection, params: dict[str, Any]) -> Any:
        rows = self.rows(on, params)
        return rows[0][0] if rows else None

    def rowcount(self, on: OrmSession | Connection, params: dict[str, Any]) -> int:
        return self.execute(on, params)[1]


class _Form:
    """A statement as one dialect runs it: its SQL, its parameters in order, its value processors."""

    def __init__(self, statement: Any, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        binds = compiled.binds
        self._names = list(compiled.positiontup) if dialect.positional and compiled.positiontup else None
        self._binds = {
            name: bound.type.dialect_impl(dialect).bind_processor(dialect) for name, bound in binds.items()
        }
        self._fixed = {name: bound.value for name, bound in binds.items() if not bound.required}
        columns = list(getattr(statement, "exported_columns", []))
        self._results = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
        self._tuple: Any = collections.namedtuple("Row", [str(c.key) for c in columns], rename=True)  # type: ignore[misc]

    def args(self, params: dict[str, Any]) -> Any:
        values = self._fixed | params if self._fixed else params
        out = {}
        for name, process in self._binds.items():
            value = values[name]
            out[name] = process(value) if process is not None else value
        return tuple(out[name] for name in self._names) if self._names is not None else out

    def row(self, row: tuple[Any, ...]) -> Any:
        """The row as a named tuple (`row.id`, `row[0]`), each value through its column's processor."""
        return self._tuple._make(
            process(value) if process is not None else value
            for process, value in zip(self._results, row, strict=True)
        )


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine; SQLite gets WAL, a busy timeout and enforced foreign keys."""
    engine = _make_engine(url, **kwargs)
    _plain_savepoints(engine)
    return engine


def _make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's BEGIN below own the transaction (pysqlite's implicit one defers locks).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            if ":memory:" not in url and url != "sqlite://":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT * 1000)}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # IMMEDIATE takes the write lock up front, so concurrent writers queue instead of deadlocking;
            # a read-only unit of work (execution option read_only) takes no write lock at all.
            if conn.connection.driver_connection.in_transaction:
                return  # begun by the group-commit writer (see GroupCommit._begin)
            if conn.get_execution_options().get(READ_ONLY):
                conn.exec_driver_sql("BEGIN")
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        _track(engine)
        return engine
    # A pool sized to the worker's threads, so no request waits for a connection.
    engine = create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, **kwargs)
    _track(engine)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A factory of Sessions that keep loaded attributes after commit."""
    return sessionmaker(engine, class_=Session, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session], *, read_only: bool = False) -> Iterator[Session]:
    """One Session, one transaction: committed on success, rolled back on any error.

    `read_only` work never takes SQLite's write lock up front (a plain deferred BEGIN).
    """
    session = factory()
    if read_only:
        session.connection(execution_options={"foreman_read_only": True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


class _Job(Generic[T]):
    __slots__ = ("work", "done", "result", "error")

    def __init__(self, work: Callable[[Session], T]) -> None:
        self.work = work
        # Held until the job's batch ends; the request waits by acquiring it (a plain lock costs the
        # writer a tenth of what setting an Event does).
        self.done = threading.Lock()
        self.done.acquire()
        self.result: T | None = None
        self.error: BaseException | None = None


class GroupCommit:
    """A single writer per process for SQLite: requests' work runs in batches, one transaction each.

    Each request's `work(session)` runs in the writer thread inside a savepoint of the batch's
    transaction (an error rolls back that request only); the batch commits once, and only then does
    `run` return to the request, so nothing is acknowledged before it is durable. Many request threads
    thus share one write lock and one commit instead of queueing on SQLite's busy handler.
    """

    def __init__(self, engine: Engine, *, max_batch: int = 64, idle: float = 5.0) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._idle = idle
        self._queue: queue.SimpleQueue[_Job[Any]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()

    def run(self, work: Callable[[Session], T]) -> T:
        """Run `work` in the next batch; its result once the batch is committed (its error if not)."""
        if self.in_writer():
            # Work that writes from inside a batch joins it rather than waiting for itself.
            return _in_savepoint(self._current, work)
        job: _Job[T] = _Job(work)
        self._queue.put(job)
        self._ensure_thread()
        job.done.acquire()
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[return-value]

    def in_writer(self) -> bool:
        """Whether the calling thread is this writer (running a batch)."""
        return threading.current_thread() is self._thread and self._current is not None

    @contextmanager
    def joined(self) -> Iterator[Session]:
        """From inside a batch: a Session in a savepoint of the batch's transaction."""
        session = Session(
            bind=self._current, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._pid != os.getpid():
                # A forked child has the queue but not the thread.
                self._pid, self._thread = os.getpid(), None
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="foreman-writer", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=self._idle)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        # Idle: end; the next request starts a writer again.
                        self._thread = None
                        return
                continue
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._run_batch(batch)

    def _run_batch(self, batch: list[_Job[Any]]) -> None:
        try:
            with self._engine.connect() as conn:
                self._begin(conn)
                with conn.begin():
                    self._current = conn
                    for job in batch:
                        try:
                            job.result = _in_savepoint(conn, job.work)
                        except BaseException as exc:
                            job.error = exc
        except BaseException as exc:
            # The commit (or BEGIN) failed: no request of this batch is stored, each is told so.
            for job in batch:
                if job.error is None:
                    job.error = exc
                    job.result = None
        finally:
            self._current = None  # type: ignore[assignment]
            for job in batch:
                job.done.release()

    _current: Any = None

    def _begin(self, conn: Any) -> None:
        """BEGIN IMMEDIATE, polled every LOCK_POLL seconds while another process writes.

        SQLite's own busy handler backs off to sleeps of up to 100 ms; another process's batch takes a few
        milliseconds, so polling keeps this process's requests from waiting far longer than it.
        """
        raw = conn.connection.driver_connection
        deadline = time.monotonic() + LOCK_WAIT
        raw.execute("PRAGMA busy_timeout=0")
        try:
            while True:
                try:
                    raw.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(LOCK_POLL)
        finally:
            raw.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT * 1000)}")


def _in_savepoint(conn: Any, work: Callable[[Session], T]) -> T:
    session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        result = work(session)
        session.commit()
        return result
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def group_commit_suits(engine: Engine) -> bool:
    """Whether the engine is a SQLite file (where one writer per process beats a lock convoy)."""
    url = engine.url
    return url.get_backend_name() == "sqlite" and bool(url.database) and url.database != ":memory:"


def alembic_config(url: str) -> Config:
    """An Alembic configuration pointing at our migrations and the given database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str) -> None:
    """Apply every migration not yet applied (idempotent)."""
    command.upgrade(alembic_config(url), "heads")


def ping(engine: Engine) -> bool:
    """Whether the database answers."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False

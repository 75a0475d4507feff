"""Engine, sessions and migrations."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

MIGRATIONS = Path(__file__).parent / "migrations"

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


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine; SQLite gets WAL, a busy timeout and enforced foreign keys."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's BEGIN below own the transaction (pysqlite's implicit one defers locks).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            if ":memory:" not in url and url != "sqlite://":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # IMMEDIATE takes the write lock up front, so concurrent writers queue instead of deadlocking;
            # a read-only unit of work (execution option read_only) takes no write lock at all.
            if conn.get_execution_options().get("foreman_read_only"):
                conn.exec_driver_sql("BEGIN")
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        _track(engine)
        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, **kwargs)
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

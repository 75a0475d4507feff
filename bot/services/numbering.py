"""Per-project numbering (R-<n>, L-<n>, E-<n>, F-<n>) and key checks (T-<n>) that hold under concurrent
requests."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlmodel import Session

from storage.db import Prepared
from storage.models import Project


def serialize(session: Session, project: Project) -> None:
    """Queue this transaction behind any other numbering in the same project, until it ends.

    Check-then-insert (a key's existence, max+1) is only safe when two requests cannot interleave: the
    project row's lock (SELECT … FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already serializes
    every write) makes the second request see the first one's row.
    """
    serialize_id(session, project.pk)


_PROJECTS = Project.__table__  # type: ignore[attr-defined]
_LOCK = Prepared(select(_PROJECTS.c.id).where(_PROJECTS.c.id == bindparam("pid")).with_for_update())


def serialize_id(session: Session, project_id: int) -> None:
    """`serialize` by the project's id (for code that holds a row of the project, not the project)."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        return  # the transaction began IMMEDIATE: it holds the database's one write lock already
    _LOCK.rows(conn, {"pid": project_id})

"""The statements every request sends go straight to the driver (storage.db.Prepared); what they store and
read back must be exactly what SQLAlchemy's own execution stores and reads, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, event, exc, insert, select
from sqlmodel import Session

from bot.services import records
from storage.db import Prepared
from storage.models import LaborEntry, Project

_E = LaborEntry.__table__  # type: ignore[attr-defined]
_COLUMNS = [c for c in _E.columns if c.key != "id"]
INSERT = Prepared(
    insert(_E).values({c.key: bindparam(c.key, type_=c.type) for c in _COLUMNS}).returning(_E.c.id)
)
READ = Prepared(
    select(_E.c.id, _E.c.hours_each, _E.c.cost, _E.c.work_date, _E.c.created_at, _E.c.void).where(
        _E.c.project_id == bindparam("pid")
    )
)


def _project(engine: Engine) -> int:
    with Session(engine) as session:
        project = Project(team_id="T1", channel_id="C1", name="Site", code="SITE", created_by="U1")
        session.add(project)
        session.commit()
        return int(project.id or 0)


def _entry(pid: int, **extra: Any) -> dict[str, Any]:
    row = records.new(
        LaborEntry,
        team_id="T1",
        project_id=pid,
        batch="b1",
        work_date=date(2026, 11, 27),
        user_id="U1",
        hours_each=Decimal("7.5"),
        man_hours=Decimal("7.5"),
        cost=Decimal("1234.56"),
        currency="CNY",
        logged_by="U1",
        created_at=datetime(2026, 11, 27, 9, 30, 15, 123456, tzinfo=UTC),
        number=1,
        **extra,
    )
    return {c.key: getattr(row, c.key) for c in _COLUMNS}


def test_values_go_in_and_come_back_as_sqlalchemy_gives_them(engine: Engine) -> None:
    pid = _project(engine)
    with engine.begin() as conn:
        new_id = INSERT.scalar(conn, _entry(pid))
    with engine.connect() as conn:
        ours = READ.rows(conn, {"pid": pid})
        theirs = conn.execute(select(*READ_COLUMNS).where(_E.c.project_id == pid)).all()
    assert [tuple(r) for r in ours] == [tuple(r) for r in theirs]
    row = ours[0]
    assert (row.id, row.hours_each, row.cost, row.work_date) == (
        new_id,
        Decimal("7.500"),
        Decimal("1234.56"),
        date(2026, 11, 27),
    )
    assert row.created_at == datetime(2026, 11, 27, 9, 30, 15, 123456, tzinfo=UTC) and row.void is False


READ_COLUMNS = [_E.c.id, _E.c.hours_each, _E.c.cost, _E.c.work_date, _E.c.created_at, _E.c.void]


def test_a_driver_error_is_sqlalchemys_and_stores_nothing(engine: Engine) -> None:
    pid = _project(engine)
    with engine.begin() as conn:
        INSERT.scalar(conn, _entry(pid))
    with pytest.raises(exc.IntegrityError), engine.begin() as conn:
        INSERT.scalar(conn, _entry(pid))  # the same live number twice in one project
    with engine.connect() as conn:
        assert len(READ.rows(conn, {"pid": pid})) == 1


def test_listeners_see_each_statement(engine: Engine) -> None:
    pid = _project(engine)
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        with engine.connect() as conn:
            READ.rows(conn, {"pid": pid})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert [s for s in seen if "FROM labor_entries" in s] == [READ.sql(engine.dialect)]


def test_a_row_without_a_required_column_is_refused_before_the_database() -> None:
    with pytest.raises(TypeError, match="hours_each"):
        records.new(LaborEntry, team_id="T1", project_id=1, batch="b", work_date=date(2026, 11, 27))
    with pytest.raises(TypeError, match="no hourz"):
        records.new(
            LaborEntry,
            team_id="T1",
            project_id=1,
            batch="b",
            work_date=date(2026, 11, 27),
            hours_each=Decimal(1),
            man_hours=Decimal(1),
            currency="CNY",
            logged_by="U1",
            hourz=1,
        )


def test_a_connection_lost_mid_request_never_returns_to_the_pool(pg_url: str) -> None:
    """PostgreSQL restarted (or the connection cut) between two statements: the statement fails as
    SQLAlchemy's error, its connection is invalidated, and the next request gets a live one."""
    from storage.db import make_engine

    engine = make_engine(pg_url)
    pid = 0  # no project: the statement only has to run
    try:
        with engine.connect() as conn:
            backend = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            with engine.connect() as other:
                other.exec_driver_sql(f"SELECT pg_terminate_backend({int(backend or 0)})")
            with pytest.raises(exc.OperationalError) as lost:
                READ.rows(conn, {"pid": pid})
            assert lost.value.connection_invalidated and conn.invalidated
        with engine.connect() as conn:
            assert READ.rows(conn, {"pid": pid}) == []
    finally:
        engine.dispose()

"""Migration 0006: a database created and filled at revision 0001 upgrades with every amount exact."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from alembic import command
from sqlalchemy import text
from sqlmodel import Session, func, select

from storage.db import alembic_config, make_engine, upgrade
from storage.models import AuditLog, BudgetLine, Expense, LaborEntry, Project
from tests.conftest import PG_ADMIN, require_pg

# Values that binary floating point cannot hold exactly (0.1 + 0.2 is the classic), large ones, and
# ones a float sum gets wrong.
EXPENSES = ["0.10", "0.20", "1234567.89", "3200.10", "19.99", "0.07"]
LABOR = [("8.000", "8.000", "0.000", "412.50", "300.00"), ("3.333", "9.999", "1.500", "299.97", "30.00")]


@pytest.fixture(params=["sqlite", "postgresql"])
def url_at_0001(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    require_pg()
    name = f"foreman_mig_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _fill_at_0001(url: str, *, sub_cent: bool) -> None:
    command.upgrade(alembic_config(url), "0001")
    engine = make_engine(url)
    sqlite = url.startswith("sqlite")

    def values(**kw: object) -> dict[str, object]:
        # What revision 0001's NUMERIC columns did on SQLite: Decimals went in as binary floats (REAL).
        return {k: float(v) if sqlite and isinstance(v, Decimal) else v for k, v in kw.items()}

    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO projects (team_id, channel_id, name, code, timezone, language, currency, budget,"
                " standup_time, workdays, hours_per_day, overtime_multiplier, thresholds, stale_days, tolerance,"
                " meeting_every_weeks, meeting_weekday, meeting_time, prompts_enabled, prompt_minutes_before,"
                " grace_minutes, created_by, created_at) VALUES ('T1', 'C1', 'Tower', 'TWR', 'UTC', 'en', 'CNY',"
                " :budget, '09:00', '0,1,2,3,4', :hpd, :mult, '50,80,100', 3, 15, 2, 1, '10:00', false, 30, 120,"
                " 'U1', CURRENT_TIMESTAMP)"
            ),
            values(budget=Decimal("987654.32"), hpd=Decimal("7.5"), mult=Decimal("1.5")),
        )
        conn.execute(
            text(
                "INSERT INTO budget_lines (team_id, project_id, category, amount) VALUES ('T1', 1, 'material', :a)"
            ),
            values(a=Decimal("500000.01")),
        )
        amounts = EXPENSES + (["3200.999"] if sub_cent else [])
        for amount in amounts:
            conn.execute(
                text(
                    "INSERT INTO expenses (team_id, project_id, spent_on, amount, currency, category, source,"
                    " logged_by, approved, void, created_at) VALUES ('T1', 1, '2026-11-20', :a, 'CNY', 'material',"
                    " 'command', 'U1', false, false, CURRENT_TIMESTAMP)"
                ),
                values(a=Decimal(amount)),
            )
        for i, (each, man, ot, cost, rate) in enumerate(LABOR):
            conn.execute(
                text(
                    "INSERT INTO labor_entries (team_id, project_id, batch, work_date, user_id, headcount,"
                    " hours_each, man_hours, overtime_hours, rate, rate_unit, cost, currency, source, logged_by,"
                    " approved, void, created_at) VALUES ('T1', 1, :batch, '2026-11-20', 'U1', 3, :each, :man,"
                    " :ot, :rate, 'hour', :cost, 'CNY', 'command', 'U1', false, false, CURRENT_TIMESTAMP)"
                ),
                values(
                    batch=f"b{i}",
                    each=Decimal(each),
                    man=Decimal(man),
                    ot=Decimal(ot),
                    rate=Decimal(rate),
                    cost=Decimal(cost),
                ),
            )
    engine.dispose()


def test_upgrade_from_0001_keeps_every_amount_exact(url_at_0001: str) -> None:
    _fill_at_0001(url_at_0001, sub_cent=False)
    upgrade(url_at_0001)
    engine = make_engine(url_at_0001)
    with Session(engine) as s:
        project = s.exec(select(Project)).one()
        assert (project.budget, project.hours_per_day, project.overtime_multiplier) == (
            Decimal("987654.32"),
            Decimal("7.5"),
            Decimal("1.5"),
        )
        assert s.exec(select(BudgetLine.amount)).one() == Decimal("500000.01")
        stored = sorted(s.exec(select(Expense.amount)).all())
        assert stored == sorted(Decimal(a) for a in EXPENSES)
        # The database's own SUM is exact on both engines now.
        assert s.exec(select(func.sum(Expense.amount))).one() == sum(Decimal(a) for a in EXPENSES)
        rows = s.exec(select(LaborEntry).order_by(LaborEntry.batch)).all()
        got = [(r.hours_each, r.man_hours, r.overtime_hours, r.cost, r.rate) for r in rows]
        assert got == [tuple(Decimal(v) for v in (e, m, o, c, r)) for e, m, o, c, r in LABOR]
        assert s.exec(select(func.sum(LaborEntry.cost))).one() == Decimal("712.47")
        assert s.exec(select(func.sum(LaborEntry.man_hours))).one() == Decimal("17.999")
        assert s.exec(select(AuditLog)).all() == []
    engine.dispose()


def test_sqlite_sub_cent_value_from_the_real_column_is_rounded_once_and_audited(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _fill_at_0001(url, sub_cent=True)
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        assert Decimal("3201.00") in s.exec(select(Expense.amount)).all()
        audit = s.exec(select(AuditLog).where(AuditLog.action == "exact_money")).one()
        assert (audit.entity, audit.before, audit.after) == (
            "expenses",
            '{"amount": "3200.999"}',
            '{"amount": "3201.00"}',
        )
    engine.dispose()


def test_money_is_stored_as_integers_not_real(db_url: str) -> None:
    engine = make_engine(db_url)
    with Session(engine) as s:
        s.add(
            Project(
                team_id="T1", channel_id="C1", name="P", code="P", created_by="U1", budget=Decimal("0.10")
            )
        )
        s.commit()
        raw = s.connection().execute(text("SELECT budget FROM projects")).scalar()
        assert raw == 10 and isinstance(raw, int)
    engine.dispose()

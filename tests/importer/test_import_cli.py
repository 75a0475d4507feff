"""`foreman import`: a 5,000-row Chinese-header XLSX with bad rows is refused by row number and stores
nothing; fixed, it is stored (audited as imported); imported again, nothing new is stored."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, func, select

from bot.cli import main
from bot.importer.store import CHUNK, run_import
from storage.db import make_engine, session_factory, unit_of_work
from storage.models import AuditLog, Expense, LaborEntry, Task, Worker
from tests.scheduler.sched_support import add_project, add_task

HEADER = ["日期", "姓名", "班组", "工日", "加班", "单价", "金额", "任务", "备注"]
FIRST = date(2026, 1, 5)


def _rows(n: int) -> list[list[object]]:
    """n valid rows: 50 workers over consecutive days, 1 工日 at 300/天 (cost 300), some with overtime."""
    rows: list[list[object]] = []
    for i in range(n):
        day = FIRST + timedelta(days=i // 50)
        ot = 2 if i % 10 == 0 else 0
        cost = Decimal(300) + (Decimal(ot) * Decimal("37.5") * Decimal("1.5") if ot else 0)
        rows.append(
            [
                day,
                f"工人{i % 50:02d}",
                "钢筋班",
                1,
                ot,
                300,
                float(cost),
                "T-1" if i % 7 == 0 else None,
                f"第{i}行",
            ]
        )
    return rows


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _count(url: str, model: type) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            return int(s.exec(select(func.count()).select_from(model)).one())
    finally:
        engine.dispose()


def test_chinese_xlsx_bad_rows_then_fixed_then_again(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        project = add_project(s, code="HIS", hours_per_day=Decimal(8))
        add_task(s, project, "T-1", title="Rebar")
    engine.dispose()

    rows = _rows(5000)
    good = [list(r) for r in rows]
    rows[9][3] = "一天半?"  # spreadsheet row 11: 工日 not a number
    rows[2499][0] = "2026-02-30"  # row 2501: impossible date
    rows[4997][7] = "T-99"  # row 4999: unknown task
    bad_file = _xlsx(tmp_path / "记工表.xlsx", rows)

    assert main(["import", "labor", str(bad_file), "--project", "HIS"]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "imported 0, skipped 0 duplicates, 3 invalid"
    assert "row 11: days / 工日 `一天半?` is not a number" in out
    assert "row 2501: date `2026-02-30` is not a date (use YYYY-MM-DD)" in out
    assert "row 4999: no task `T-99` in the project" in out
    assert _count(db_url, LaborEntry) == 0 and _count(db_url, Worker) == 0

    fixed = _xlsx(tmp_path / "记工表-改.xlsx", good)
    assert main(["import", "labor", str(fixed), "--project", "HIS"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "imported 5000, skipped 0 duplicates, 0 invalid"
    engine = make_engine(db_url)
    with Session(engine) as s:
        entries = s.exec(select(LaborEntry)).all()
        assert len(entries) == 5000 and {e.source for e in entries} == {"import"}
        # Imported rows are numbered in the project like typed ones: L-1 … L-5000, in the file's order.
        assert [e.number for e in sorted(entries, key=lambda e: e.id or 0)] == list(range(1, 5001))
        assert (
            sum((Decimal(e.cost or 0) for e in entries), Decimal(0))
            == Decimal(300) * 5000 + Decimal("112.50") * 500
        )
        first = min(entries, key=lambda e: e.id or 0)
        assert (first.work_date, first.hours_each, first.overtime_hours) == (
            FIRST,
            Decimal("8"),
            Decimal("2"),
        )
        assert len(s.exec(select(Worker)).all()) == 50
        audits = s.exec(select(AuditLog).where(AuditLog.action == "import")).all()
        assert len(audits) == 5000
        assert json.loads(audits[0].after or "{}")["file"] == "记工表-改.xlsx"
    engine.dispose()

    assert main(["import", "labor", str(fixed), "--project", "HIS"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "imported 0, skipped 5000 duplicates, 0 invalid"
    assert _count(db_url, LaborEntry) == 5000


def _expense_file(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    """An expenses CSV with `text`, for a database holding project EXP (DATABASE_URL set to it)."""
    monkeypatch.setenv("DATABASE_URL", url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        add_project(s, code="EXP")
    engine.dispose()
    path = tmp_path / "expenses.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_skip_invalid_dry_run_expenses_and_tasks(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = _expense_file(
        sqlite_url,
        tmp_path,
        monkeypatch,
        "project,date,amount,currency,category,vendor,note\n"
        "EXP,2026-03-02,1250.50,CNY,material,华新水泥,cement\n"
        "EXP,2026-03-02,-5,CNY,material,,refund?\n"
        "EXP,2026-03-03,480,CNY,吊车,,\n"
        "EXP,2026-03-04,3200.00,CNY,材料,钢材厂,\n",
    )
    assert main(["import", "expenses", str(csv_file), "--dry-run"]) == 2
    out = capsys.readouterr().out.splitlines()
    assert "row 3: amount / 金额 `-5` must be more than zero" in out
    assert "row 4: category `吊车` is not labor, material, equipment, subcontract or other" in out
    assert _count(sqlite_url, Expense) == 0

    assert main(["import", "expenses", str(csv_file), "--skip-invalid"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "imported 2, skipped 0 duplicates, 2 invalid"
    engine = make_engine(sqlite_url)
    with Session(engine) as s:
        amounts = sorted(Decimal(x.amount) for x in s.exec(select(Expense)).all())
    engine.dispose()
    assert amounts == [Decimal("1250.50"), Decimal("3200.00")]

    tasks_file = tmp_path / "tasks.csv"
    tasks_file.write_text(
        "编号,任务,状态,进度,截止\nT-1,基础,完成,,2026-03-01\nT-2,主体,进行中,40,2026-06-01\n",
        encoding="utf-8",
    )
    assert main(["import", "tasks", str(tasks_file), "--project", "EXP"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "imported 2, skipped 0 duplicates, 0 invalid"
    assert main(["import", "tasks", str(tasks_file), "--project", "EXP"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "imported 0, skipped 2 duplicates, 0 invalid"
    engine = make_engine(sqlite_url)
    with Session(engine) as s:
        tasks = {t.key: (t.status, t.progress) for t in s.exec(select(Task)).all()}
    engine.dispose()
    assert tasks == {"T-1": ("done", 100), "T-2": ("in_progress", 40)}


def test_amounts_with_an_exponent_or_a_decimal_comma_are_refused_not_scaled(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Excel shows a long number it rounded as 1.23457E+11 and a European sheet writes 12,00: stored, they
    would be 123,457,000,000 and 1,200 — amounts that look right. Each is refused by its row instead."""
    csv_file = _expense_file(
        sqlite_url,
        tmp_path,
        monkeypatch,
        '日期,金额,类别\n2026-03-02,"1,234.50",材料\n2026-03-02,1.23457E+11,材料\n2026-03-02,"12,00",材料\n'
        "2026-03-02,1e3,材料\n2026-03-02,¥ 20,材料\n",
    )
    assert main(["import", "expenses", str(csv_file), "--project", "EXP", "--skip-invalid"]) == 0
    out = capsys.readouterr().out.splitlines()
    for row, value in ((3, "1.23457E+11"), (4, "12,00"), (5, "1e3")):
        assert f"row {row}: amount / 金额 `{value}` is not a number" in out, out
    assert out[-1] == "imported 2, skipped 0 duplicates, 3 invalid"
    engine = make_engine(sqlite_url)
    with Session(engine) as s:
        amounts = sorted(Decimal(x.amount) for x in s.exec(select(Expense)).all())
    engine.dispose()
    assert amounts == [Decimal("20"), Decimal("1234.50")]


def test_a_big_import_leaves_its_pooled_connection_with_the_usual_page_cache(
    sqlite_url: str, tmp_path: Path
) -> None:
    """The import widens SQLite's page cache for its inserts; the connection it returns to the pool (which
    a worker then reuses for every request) is back to the usual bound."""
    engine = make_engine(sqlite_url, poolclass=QueuePool, pool_size=1, max_overflow=0)
    with Session(engine, expire_on_commit=False) as s:
        project = add_project(s, code="BIG", hours_per_day=Decimal(8))
        add_task(s, project, "T-1", title="Rebar")
        s.commit()
    with engine.connect() as conn:
        usual = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    sheet = tmp_path / "labor.csv"
    with sheet.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *_rows(CHUNK + 1)])
    with unit_of_work(session_factory(engine)) as session:
        report = run_import(session, kind="labor", path=sheet, project_code="BIG", now=datetime.now(UTC))
    assert report.stored and report.imported == CHUNK + 1
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == usual
    engine.dispose()

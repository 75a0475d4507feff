"""Throughput of `foreman import labor` on 100,000 CSV rows into SQLite, against a bare executemany baseline.

Both runs store into a fresh migrated SQLite file. The import reads and checks every row (dates, hours,
rates, costs, the 24-hour rule), fingerprints it, and stores the entry, its fingerprint and its audit row;
the baseline inserts the same 100,000 labor rows with one `executemany` and nothing else.

    .venv/bin/python bench/bench_import.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from bot.importer.store import run_import
from storage.db import make_engine, upgrade
from storage.models import LaborEntry, Project

HEADER = ["日期", "姓名", "班组", "工日", "加班", "单价", "金额", "备注"]


def write_csv(path: Path, n: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for i in range(n):
            day = date(2024, 1, 1) + timedelta(days=i // 200)
            out.writerow(
                [day.isoformat(), f"工人{i % 200:03d}", f"班组{i % 7}", 1, 0, 300, "300.00", f"r{i}"]
            )


def fresh_db(folder: Path, name: str) -> str:
    url = f"sqlite:///{folder / name}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        s.add(Project(team_id="T0BENCH", channel_id="C0BENCH", name="Bench", code="BEN", created_by="U0"))
        s.commit()
    engine.dispose()
    return url


def bench_import(url: str, path: Path) -> tuple[float, float, int]:
    engine = make_engine(url)
    cpu = time.process_time()
    start = time.perf_counter()
    with Session(engine) as s:
        report = run_import(
            s, kind="labor", path=path, project_code="BEN", now=datetime(2026, 11, 28, tzinfo=UTC)
        )
        s.commit()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    with Session(engine) as s:
        stored = len(s.exec(select(LaborEntry.id)).all())
    engine.dispose()
    assert report.imported == stored, (report.imported, stored)
    return elapsed, cpu, stored


def bench_baseline(url: str, n: int) -> tuple[float, float]:
    db = sqlite3.connect(url.removeprefix("sqlite:///"))
    project_id = db.execute("select id from projects").fetchone()[0]
    batch = uuid.uuid4().hex
    now = datetime.now(UTC).isoformat()
    rows = [
        (
            "T0BENCH", project_id, batch, (date(2024, 1, 1) + timedelta(days=i // 200)).isoformat(), 1,
            8000, 8000, 0, 30000, "day", 30000, "CNY", f"r{i}", "import", "import", 0, 0, now, i + 1,
        )
        for i in range(n)
    ]  # fmt: skip
    cpu = time.process_time()
    start = time.perf_counter()
    db.executemany(
        "insert into labor_entries (team_id, project_id, batch, work_date, headcount, hours_each, man_hours,"
        " overtime_hours, rate, rate_unit, cost, currency, note, source, logged_by, approved, void, created_at,"
        " number) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    db.commit()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    db.close()
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "labor.csv"
        write_csv(path, args.rows)
        elapsed, cpu, stored = bench_import(fresh_db(folder, "import.db"), path)
        base, base_cpu = bench_baseline(fresh_db(folder, "baseline.db"), args.rows)
    print(
        f"foreman import labor: {stored:,} rows in {elapsed:.2f} s = {stored / elapsed:,.0f} rows/s"
        f" (CPU {cpu:.2f} s = {stored / cpu:,.0f} rows/CPU-s)"
    )
    print(
        f"baseline executemany:  {args.rows:,} rows in {base:.2f} s = {args.rows / base:,.0f} rows/s"
        f" (CPU {base_cpu:.2f} s)"
    )
    print(f"ratio (import / baseline): {base / elapsed:.2f}")


if __name__ == "__main__":
    main()

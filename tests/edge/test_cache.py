"""What a request reads of its project (the project, roster, roles, pay rates, approved weeks) is cached in each
process. A change made through another process, or through this one, is seen by the very next request; a
change that rolled back is never seen; and a warm `/log-labor` reads none of those tables."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from bot.app import build_services
from bot.cli import main
from bot.services import rates
from storage.models import LaborEntry, PayRate, Project
from tests.harness import SlackHarness
from tests.records2.helpers import rows, setup


@pytest.fixture
def other(slack: SlackHarness) -> Iterator[SlackHarness]:
    """A second worker process on the same database: its own engine, its own cache (and the same
    payload counter, so its trigger ids are new deliveries)."""
    services = build_services(slack.services.settings)
    harness = SlackHarness(services, slack.fake, clock=slack.services.clock)
    harness.payloads = slack.payloads
    yield harness
    services.engine.dispose()


def test_a_rate_set_in_another_process_costs_the_next_entry(slack: SlackHarness, other: SlackHarness) -> None:
    setup(slack)
    first = slack.command("/log-labor", "8h", user="U0MEM")
    assert "rate missing" in first.text
    assert "¥50.00/hour" in other.command("/project", "rate member 50/hour").text
    second = slack.command("/log-labor", "2h", user="U0MEM")
    assert "¥100.00" in second.text, second.text
    assert [e.cost for e in rows(slack, LaborEntry)][-1] == 100


def test_a_role_given_in_another_process_holds_at_once(slack: SlackHarness, other: SlackHarness) -> None:
    setup(slack)
    refused = slack.command("/log-labor", "钢筋班 5人 8小时", user="U0MEM")
    assert not rows(slack, LaborEntry) and "*班组长*" in refused.text, refused.text
    other.command("/project", "role <@U0MEM> foreman")
    stored = slack.command("/log-labor", "钢筋班 5人 8小时", user="U0MEM")
    assert "L-1" in stored.text and len(rows(slack, LaborEntry)) == 1


def test_a_week_approved_in_another_process_is_locked_at_once(
    slack: SlackHarness, other: SlackHarness
) -> None:
    setup(slack)  # today is Thursday 2026-11-26
    assert "L-1" in slack.command("/log-labor", "8h 2026-11-17", user="U0MEM").text
    approved = other.command("/log-labor", "approve week 2026-11-17")
    assert "approved" in approved.text.lower(), approved.text
    locked = slack.command("/log-labor", "4h 2026-11-18", user="U0MEM")
    assert "L-2" not in locked.text and len(rows(slack, LaborEntry)) == 1, locked.text


def test_a_change_rolled_back_is_never_seen(slack: SlackHarness, other: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "8h", user="U0MEM")  # the cache holds the project now
    with Session(slack.services.engine) as session:
        project = session.exec(select(Project)).one()
        session.add(PayRate(team_id=project.team_id, project_id=project.pk, subject_kind="role",
                            subject="member", amount=90, unit="hour", created_by="U0PM"))  # fmt: skip
        session.flush()  # a new revision, inside this transaction only
        seen = rates.rate_for(session, project=project, day=date(2026, 11, 26), user_id="U0MEM")
        assert seen is not None and seen.amount == 90  # the transaction sees its own change (and caches it)
        session.rollback()
    assert "rate missing" in slack.command("/log-labor", "1h", user="U0MEM").text
    other.command("/project", "rate member 60/hour")  # the next committed change, from another process
    after = slack.command("/log-labor", "1h", user="U0MEM")
    assert "¥60.00" in after.text, after.text
    assert [r.amount for r in rows(slack, PayRate)] == [60]


def test_a_warm_log_labor_reads_no_roster_table(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "8h", user="U0MEM")
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(slack.services.engine, "before_cursor_execute", record)
    try:
        reply = slack.command("/log-labor", "1h", user="U0TECH")
    finally:
        event.remove(slack.services.engine, "before_cursor_execute", record)
    assert "L-2" in reply.text, reply.text
    read = " ".join(seen).lower()
    for table in ("members", "workers", "crews", "tasks", "pay_rates", "week_approvals", "user_profiles"):
        assert f"from {table}" not in read and f"join {table}" not in read, (table, seen)
    day_reads = [s for s in seen if "hours_each" in s and s.lstrip().lower().startswith("select")]
    assert len(day_reads) == 1, seen  # the person's day is read once: the 24 h check and the 12 h warning
    assert len(seen) <= 6, seen


@pytest.mark.parametrize("column", ["user_id", "worker_id"])
def test_the_24h_check_reads_one_persons_day_not_the_sites(sqlite_url: str, column: str) -> None:
    """On a busy day SQLite must find the person by their own index: reading the whole project-day (as it
    did when the project/date index matched as many columns) grows every entry's cost with the site."""
    from bot.services.labor.limits import _hours_of
    from storage.db import make_engine

    engine = make_engine(sqlite_url)
    statement = _hours_of(column, 1, 1).sql(engine.dialect)
    with engine.connect() as conn:
        plan = " ".join(
            str(row[-1])
            for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", (1, "x", "2026-11-27"))
        )
    engine.dispose()
    index = "ix_labor_user_day" if column == "user_id" else "ix_labor_worker_day"
    assert f"COVERING INDEX {index}" in plan, plan


def test_tasks_imported_by_the_cli_are_known_to_the_next_entry(
    slack: SlackHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup(slack)
    slack.command("/log-labor", "8h", user="U0MEM")  # the cache holds the project (no tasks yet)
    tasks = tmp_path / "tasks.csv"
    tasks.write_text("编号,任务,状态,进度,截止\nT-2,主体,进行中,40,2026-12-31\n", encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", slack.services.settings.database_url)
    code = rows(slack, Project)[0].code
    assert main(["import", "tasks", str(tasks), "--project", code]) == 0  # another process, bulk insert
    linked = slack.command("/log-labor", "2h T-2", user="U0MEM")
    assert "L-2" in linked.text, linked.text
    assert rows(slack, LaborEntry)[-1].task_id is not None

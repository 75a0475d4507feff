"""Time one steady-state scheduler tick over N projects with data, against baselines measured in the same run.

Baselines: N plain `SELECT 1` queries (one per project: the floor of any per-project design) and N calls of
`project_status` (what the tick's checks would cost done project by project). Best of 5 each.

    .venv/bin/python bench/bench_tick.py [--projects 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bot.app import build_services  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console.fake_slack import FakeSlack  # noqa: E402
from bot.scheduler.tick import tick  # noqa: E402
from bot.services.status import project_status  # noqa: E402
from storage.db import upgrade  # noqa: E402
from storage.models import BudgetLine, Expense, LaborEntry, Member, Project, Risk, Task  # noqa: E402

NOW = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai: digests and nudges are done


def seed(session: Session, n: int) -> None:
    """n projects, each with tasks, labor, expenses, budget lines, risks and members."""
    for i in range(n):
        project = Project(
            team_id="T0BENCH",
            channel_id=f"C{i:05d}",
            name=f"Bench {i}",
            code=f"B{i}",
            timezone="Asia/Shanghai",
            budget=Decimal("1000000"),
            created_by="U0PM",
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
            start_date=date(2026, 9, 1),
        )
        session.add(project)
        session.flush()
        pid = project.pk
        session.add_all(
            [
                Member(team_id="T0BENCH", project_id=pid, user_id=f"U{k}", role=r)
                for k, r in enumerate(("pm", "tech", "foreman", "member"))
            ]
        )
        session.add_all(
            [
                BudgetLine(team_id="T0BENCH", project_id=pid, category=c, amount=Decimal("300000"))
                for c in ("labor", "material")
            ]
        )
        session.add_all(
            [
                Risk(
                    team_id="T0BENCH",
                    project_id=pid,
                    number=k,
                    title="r",
                    probability=k,
                    impact=3,
                    created_by="U0PM",
                )
                for k in (1, 2)
            ]
        )
        for k in range(10):
            session.add(
                Task(
                    team_id="T0BENCH",
                    project_id=pid,
                    key=f"T-{k}",
                    title="t",
                    progress=k * 10,
                    status="in_progress",
                    start_date=date(2026, 9, 1) + timedelta(days=k * 7),
                    due_date=date(2026, 12, 1) + timedelta(days=k * 7),
                    owner_user_id="U3",
                )
            )
        for k in range(20):
            day = date(2026, 11, 25) - timedelta(days=k)
            session.add(
                LaborEntry(
                    team_id="T0BENCH",
                    project_id=pid,
                    batch=uuid.uuid4().hex,
                    work_date=day,
                    user_id="U3",
                    hours_each=Decimal(8),
                    man_hours=Decimal(8),
                    cost=Decimal(400),
                    currency="CNY",
                    logged_by="U3",
                )
            )
        for k in range(10):
            session.add(
                Expense(
                    team_id="T0BENCH",
                    project_id=pid,
                    spent_on=date(2026, 11, 25) - timedelta(days=k),
                    amount=Decimal("1000"),
                    currency="CNY",
                    category="material",
                    logged_by="U3",
                )
            )
    session.commit()


def best(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    upgrade(url)
    with FakeSlack(team_id="T0BENCH") as fake:
        settings = Settings(
            database_url=url,
            slack_bot_token="xoxb-bench",
            slack_signing_secret="s",
            slack_api_url=fake.url,
            foreman_scheduler="off",
            _env_file=None,
        )  # type: ignore[call-arg]
        services = build_services(settings)
        with services.unit_of_work() as session:
            if session.exec(select(Project.id)).first() is None:
                seed(session, args.projects)
        # The first tick posts what is due (alerts, skipped rows); the measured ones find nothing new.
        tick(services, NOW)
        minute = iter(range(1, 10_000))
        tick_s = best(5, lambda: tick(services, NOW + timedelta(minutes=next(minute))))

        def select_one() -> None:
            for _ in range(args.projects):
                with services.unit_of_work() as session:
                    session.exec(text("SELECT 1"))  # type: ignore[call-overload]

        def per_project_status() -> None:
            with services.unit_of_work() as session:
                for project in session.exec(select(Project)).all():
                    project_status(session, project=project, on=NOW.date())

        select_s = best(5, select_one)
        status_s = best(5, per_project_status)
        services.engine.dispose()
    n = args.projects
    dialect = url.split(":", 1)[0]
    print(f"{n} projects on {dialect}")
    print(f"tick (all projects)                 {tick_s * 1000:8.1f} ms")
    print(
        f"{n} x SELECT 1 (one per project)     {select_s * 1000:8.1f} ms   ratio tick/baseline {tick_s / select_s:.2f}"
    )
    print(
        f"{n} x project_status (per project)   {status_s * 1000:8.1f} ms   ratio tick/baseline {tick_s / status_s:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Issue #11 finding: "people" meant three things (digest summed headcount over days, /report labor showed
the busiest day, the by-worker report counted entries). One definition now: bot.domain.people."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.domain.people import people
from bot.parsing.report_command import Period
from bot.services import digest, reports
from storage.models import Crew, LaborEntry
from tests.harness import SlackHarness
from tests.records.support import rows, setup
from tests.reports.seed import project_of

MON, TUE = date(2026, 11, 23), date(2026, 11, 24)


def _entry(
    day: date,
    *,
    headcount: int = 1,
    user: str | None = None,
    worker: int | None = None,
    crew: int | None = None,
) -> LaborEntry:
    return LaborEntry(
        team_id="T", project_id=1, batch="b", work_date=day, user_id=user, worker_id=worker, crew_id=crew,
        headcount=headcount, hours_each=Decimal(8), man_hours=Decimal(8 * headcount), currency="CNY", logged_by="U",
    )  # fmt: skip


def test_people_is_distinct_persons_per_day_and_crews_by_headcount_on_the_busiest_day() -> None:
    crew_two_days = [_entry(MON, headcount=5, crew=1), _entry(TUE, headcount=5, crew=1)]
    assert people(crew_two_days) == 5  # not 10
    one_worker_two_entries = [_entry(TUE, worker=7), _entry(TUE, worker=7)]
    assert people(one_worker_two_entries) == 1  # not 2
    assert people([*crew_two_days, *one_worker_two_entries, _entry(MON, user="U1")]) == 6  # Mon 6, Tue 6
    assert people([]) == 0


def test_digest_report_and_by_worker_rows_agree_on_people(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "钢筋班 5人 8小时 2026-11-23")
    slack.command("/log-labor", "钢筋班 5人 8小时 2026-11-24")
    slack.command("/log-labor", "张三 4h 2026-11-24")
    slack.command("/log-labor", "张三 4h 2026-11-24")
    entries = rows(slack, LaborEntry)
    crews = {c.id: c.name for c in rows(slack, Crew)}
    by_crew = {c.name: c.headcount for c in digest._crews(entries, crews)}  # noqa: SLF001 - the digest's figure
    assert by_crew["钢筋班"] == 5
    with slack.services.unit_of_work() as session:
        summary = reports.labor_summary(
            session, project=project_of(slack), period=Period(MON, TUE, "range"), group_by="worker"
        )
    heads = {row.name: row.headcount for row in summary.rows}
    assert heads["张三"] == 1 and summary.total.headcount == 6

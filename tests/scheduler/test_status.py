"""Project status (AC, budget lines, earned value, late and blocked work), figures worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session

from bot.services.status import calendar_for, project_status, spend_by_project
from tests.scheduler.sched_support import (
    add_budget_line,
    add_expense,
    add_labor,
    add_project,
    add_risk,
    add_task,
)

D = Decimal
# Mon-Fri in UTC, no holidays. March 2026: Mon 2, Thu 5, Fri 6, Mon 9, Tue 10, Fri 13, Fri 20.
ON = date(2026, 3, 9)


def _fixture(session: Session):  # type: ignore[no-untyped-def]
    project = add_project(session, timezone="UTC", budget=D("100000"), code="ST")
    # A: weight 2, 50 %, planned 2 -> 13 March: 5 of 9 workdays elapsed on the 9th -> 55.56 % planned.
    add_task(
        session,
        project,
        "T-1",
        weight=2,
        progress=50,
        status="in_progress",
        start_date=date(2026, 3, 2),
        due_date=date(2026, 3, 13),
    )
    # B: weight 1, done, due the 6th -> planned 100.
    add_task(session, project, "T-2", weight=1, progress=100, status="done", due_date=date(2026, 3, 6))
    # C: weight 1, blocked, planned 10 -> 20 March -> planned 0.
    add_task(
        session,
        project,
        "T-3",
        weight=1,
        progress=0,
        status="blocked",
        blocker="rebar",
        start_date=date(2026, 3, 10),
        due_date=date(2026, 3, 20),
    )
    # D: weight 1, 20 %, due the 5th -> overdue, planned 100.
    add_task(session, project, "T-4", weight=1, progress=20, status="in_progress", due_date=date(2026, 3, 5))

    add_labor(session, project, date(2026, 3, 6), "16", "1600.00")
    add_labor(session, project, ON, "8", None)  # rate missing: no cost, flagged
    add_labor(session, project, ON, "8", "800.00", void=True)  # void: left out
    add_labor(session, project, ON, "8", "100.00", currency="USD")  # other currency: counted, left out
    add_labor(session, project, date(2026, 3, 10), "8", "500.00")  # after the date: left out
    add_expense(session, project, date(2026, 3, 5), "3000.50", "material")
    add_expense(session, project, ON, "1200", "equipment")
    add_expense(session, project, ON, "400", "labor")
    add_expense(session, project, ON, "999", "material", void=True)
    add_expense(session, project, ON, "50", "other", currency="EUR")
    add_expense(session, project, date(2026, 3, 10), "700", "material")
    add_budget_line(session, project, "material", "10000")
    add_budget_line(session, project, "labor", "5000")
    add_budget_line(session, project, "subcontract", "2000")
    add_risk(session, project, 1, 2, 3)
    add_risk(session, project, 2, 5, 4)
    add_risk(session, project, 3, 5, 5, status="closed")
    add_risk(session, project, 4, 3, 2)
    return project


def test_status_figures(session: Session) -> None:
    project = _fixture(session)
    other = add_project(session, code="OTHER")
    add_expense(session, other, ON, "123456", "material")  # another project's spend never leaks in

    status = project_status(session, project=project, on=ON)

    # AC = 1600 + 3000.50 + 1200 + 400 = 6200.50
    assert status.spent == D("6200.50")
    assert status.spend.labor.cost == D("1600.00")
    assert status.spend.labor.man_hours == D("24")
    assert (status.spend.labor.missing_rate_entries, status.spend.labor.missing_rate_man_hours) == (1, D("8"))
    assert status.spend.other_currency_items == 2
    assert status.spend.by_category == {
        "labor": D("2000.00"),
        "material": D("3000.50"),
        "equipment": D("1200.00"),
    }
    # 6200.50 / 100000 = 6.2005 % -> 6.20
    assert status.spent_pct == D("6.20")
    lines = {line.category: (line.spent, line.pct) for line in status.budget_lines}
    # material 3000.50 / 10000 = 30.005 % -> 30.01 (half up); labor 2000 / 5000 = 40 %
    assert lines == {
        "labor": (D("2000.00"), D("40.00")),
        "material": (D("3000.50"), D("30.01")),
        "subcontract": (D("0"), D("0.00")),
    }
    ev = status.earned
    # % complete = (2×50 + 100 + 0 + 20) / 5 = 44; planned = (2×55.556 + 100 + 0 + 100) / 5 = 62.22
    assert ev.pct_complete == D("44.00") and ev.planned_pct == D("62.22")
    assert ev.ev == D("44000.00") and ev.pv == D("62222.22")
    # CPI = 44000 / 6200.50 = 7.0962; SPI = 44000 / 62222.22 = 0.7071; EAC = 100000 × 6200.50 / 44000
    assert (ev.cpi, ev.spi, ev.eac) == (D("7.096"), D("0.707"), D("14092.05"))
    assert [t.key for t in status.overdue] == ["T-4"]
    assert status.overdue[0].planned_pct == D("100.00")
    assert [(t.key, t.blocker) for t in status.blocked] == [("T-3", "rebar")]
    assert [(r.key, r.score) for r in status.open_risks] == [("R-2", 20), ("R-1", 6), ("R-4", 6)]


def test_undefined_ratios_are_none(session: Session) -> None:
    empty = add_project(session, budget=D("0"), code="EMPTY")
    status = project_status(session, project=empty, on=ON)
    assert status.spent == D("0") and status.spent_pct is None
    assert (status.earned.cpi, status.earned.spi, status.earned.eac) == (None, None, None)

    # Money spent but nothing earned yet: CPI and EAC stay undefined, SPI too while nothing is planned.
    started = add_project(session, budget=D("5000"), code="STARTED")
    add_task(session, started, "T-1", progress=0, due_date=date(2026, 4, 30), start_date=date(2026, 4, 1))
    add_expense(session, started, ON, "250")
    status = project_status(session, project=started, on=ON)
    assert status.spent == D("250.00") and status.spent_pct == D("5.00")
    assert status.earned.ev == D("0.00") and status.earned.pv == D("0.00")
    assert (status.earned.cpi, status.earned.spi, status.earned.eac) == (None, None, None)


def test_spend_for_many_projects_at_once(session: Session) -> None:
    a = add_project(session, code="A1")
    b = add_project(session, code="B1", currency="USD")
    add_expense(session, a, ON, "10")
    add_expense(session, b, ON, "20")
    add_expense(session, b, ON, "30", currency="CNY")
    spend = spend_by_project(session, [a, b])
    assert spend[a.pk].total == D("10.00")
    assert (spend[b.pk].total, spend[b.pk].other_currency_items) == (D("20.00"), 1)


def test_calendar_for_reads_project_settings(session: Session) -> None:
    project = add_project(session, workdays="0,1,2,3,4,5", holidays_country="CN", timezone="Asia/Shanghai")
    cal = calendar_for(project)
    assert cal.is_workday(date(2026, 3, 7))  # a Saturday, in a Mon-Sat project
    assert not cal.is_workday(date(2026, 10, 1))  # National Day
    assert calendar_for(project) is cal


def test_eac_alert_uses_the_status_eac(session: Session) -> None:
    from bot.services.budget_alerts import alerts_for

    # BAC 1000; one task at 20 % (a bad row at 150 % counts as 100); AC 900.
    # % complete = (20 + 100) / 2 = 60; EV = 600; EAC = 1000 × 900 / 600 = 1500 > 1050: an alert.
    project = add_project(session, timezone="UTC", budget=D("1000"), code="EAC", thresholds="")
    add_task(session, project, "T-1", progress=20)
    add_task(session, project, "T-2", progress=150)
    add_expense(session, project, ON, "900", "material")

    status = project_status(session, project=project, on=ON)
    eac = [a for a in alerts_for(session, [project], {project.pk: ON})[project.pk] if a.what == "eac"]

    assert status.earned.eac == D("1500.00") and status.earned.pct_complete == D("60.00")
    assert [(a.eac, a.pct) for a in eac] == [(D("1500.00"), D("60.00"))]

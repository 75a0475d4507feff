"""Decisions needed in the meeting prompt come from the data, each with the role who decides."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlmodel import Session

from bot.services.meetings import Decision, agendas
from bot.views.scheduler_views import meeting_message
from tests.scheduler.sched_support import add_budget_line, add_expense, add_project, add_risk, add_task

DAY = date(2026, 11, 27)  # a Friday


def test_decisions_from_overdue_ratios_blocks_risks_and_lines(session: Session) -> None:
    project = add_project(session, budget=Decimal("10000"), start_date=date(2026, 11, 2))
    for n in (1, 2, 3):
        add_task(
            session, project, f"T-{n}", progress=65, start_date=date(2026, 11, 2), due_date=date(2026, 11, 20)
        )
    blocked = dict(status="blocked", weight=0, blocker="steel")
    add_task(session, project, "T-4", blocked_since=datetime(2026, 11, 26, 2, 0, tzinfo=UTC), **blocked)
    add_task(session, project, "T-5", blocked_since=datetime(2026, 11, 23, 2, 0, tzinfo=UTC), **blocked)
    add_risk(session, project, 1, 4, 3, kind="tech")  # 12, no mitigation: decide
    add_risk(session, project, 2, 4, 4, kind="management", mitigation="second supplier")  # mitigated
    add_risk(session, project, 3, 3, 3, kind="management")  # 9: below the bar
    add_risk(session, project, 4, 5, 3, kind="management")  # 15: decide
    add_budget_line(session, project, "material", "9000")
    add_budget_line(session, project, "equipment", "1000")
    add_expense(session, project, date(2026, 11, 20), "8000")  # material at 88.9 %, CPI 6500/8000
    add_expense(session, project, date(2026, 11, 20), "500", category="equipment")  # 50 %: fine

    agenda = agendas(session, [project], {project.pk: DAY}, {project.pk: date(2026, 12, 1)})[project.pk]
    assert agenda.decisions == (
        Decision("overdue", "T-1"),
        Decision("overdue", "T-2"),
        Decision("overdue", "T-3"),
        Decision("spi", figure=Decimal("0.65")),
        Decision("cpi", figure=Decimal("0.765")),  # 6500 / 8500
        Decision("blocked", "T-5"),  # 4 workdays; T-4 is blocked since yesterday only
        Decision("risk", "R-4", "pm"),  # highest score first
        Decision("risk", "R-1", "tech"),
        Decision("line", "material", figure=Decimal("88.89")),
        Decision("eac"),  # BAC / CPI is over BAC
    )
    _, blocks = meeting_message(project, agenda, "en")
    text = str(blocks)
    assert "none flagged" not in text
    assert "re-plan overdue `T-1` — pm decides" in text
    assert "schedule recovery (SPI 0.65) — pm decides" in text
    assert "cost recovery (CPI 0.76) — pm decides" in text
    assert "mitigate `R-4` — pm decides" in text
    assert "+2 more" in text  # ten decisions, eight listed


def test_a_healthy_project_needs_no_decision(session: Session) -> None:
    project = add_project(session, budget=Decimal("10000"), start_date=date(2026, 11, 2))
    for n in (1, 2, 3):
        add_task(
            session,
            project,
            f"T-{n}",
            progress=100,
            status="done",
            start_date=date(2026, 11, 2),
            due_date=date(2026, 11, 20),
        )
    add_expense(session, project, date(2026, 11, 20), "9000")
    agenda = agendas(session, [project], {project.pk: DAY}, {project.pk: date(2026, 12, 1)})[project.pk]
    assert agenda.decisions == ()
    _, blocks = meeting_message(project, agenda, "zh")
    assert "*待决策事项*" in str(blocks)

"""/report cost, schedule and risks: figures from the status service, worded in English and Chinese."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.services import status
from storage.models import BudgetLine, Expense, Risk, Task
from tests.harness import SlackHarness
from tests.reports.seed import NOW, project_of, seed_labor


def add(slack: SlackHarness, *rows: object) -> None:
    with slack.services.unit_of_work() as session:
        for row in rows:
            session.add(row)


def seed_costs(slack: SlackHarness, lang: str = "en") -> None:
    """Labor ¥2,800 this week; material ¥3,200 last week and ¥1,000 this week; equipment ¥480 this week."""
    seed_labor(slack, lang=lang)
    p = project_of(slack)
    common = {"team_id": p.team_id, "project_id": p.pk}

    def expense(day: date, amount: str, category: str) -> Expense:
        return Expense(
            **common,
            spent_on=day,
            amount=Decimal(amount),
            currency="CNY",
            category=category,
            logged_by="U0PM",
        )

    add(
        slack,
        BudgetLine(**common, category="labor", amount=Decimal("20000")),
        BudgetLine(**common, category="material", amount=Decimal("50000")),
        expense(date(2026, 11, 20), "3200", "material"),
        expense(date(2026, 11, 24), "1000", "material"),
        expense(date(2026, 11, 25), "480", "equipment"),
    )


def test_cost_week_against_budget_lines(slack: SlackHarness) -> None:
    seed_costs(slack)
    text = slack.command("/report", "cost week").text
    assert "*Cost — TWA, this week* (2026-11-23..2026-11-26)" in text
    assert "• Labor: ¥2,800.00 in period · ¥2,800.00 to date of ¥20,000.00 (14%)" in text
    assert "• Material: ¥1,000.00 in period · ¥4,200.00 to date of ¥50,000.00 (8.4%)" in text
    assert "• Equipment: ¥480.00 in period · ¥480.00 to date (no budget line)" in text
    assert "*Total:* ¥4,280.00 in period · ¥7,480.00 to date of BAC ¥100,000.00 (7.5%)" in text
    assert "Entries with no rate (rate missing): 1" in text


def test_cost_all_in_chinese(slack: SlackHarness) -> None:
    seed_costs(slack, lang="zh")
    text = slack.command("/report", "成本 全部").text
    assert "*成本 — TWA，累计*（..2026-11-26）" in text
    assert "• 材料：本期 ¥4,200.00 · 累计 ¥4,200.00 / 预算 ¥50,000.00（8.4%）" in text
    assert "*合计：* 本期 ¥7,480.00 · 累计 ¥7,480.00 / 总预算 ¥100,000.00（7.5%）" in text


def seed_schedule(slack: SlackHarness, lang: str = "en") -> None:
    """T-1 50 % planned 80 %; T-2 20 % overdue (planned 100 %); T-3 10 % blocked, no due date (planned 0 %)."""
    seed_labor(slack, lang=lang)
    p = project_of(slack)
    common = {"team_id": p.team_id, "project_id": p.pk}
    add(
        slack,
        Task(**common, key="T-1", title="Pour slab", progress=50, status="in_progress",
             start_date=date(2026, 11, 16), due_date=date(2026, 11, 30), owner_user_id="U0TECH"),
        Task(**common, key="T-2", title="Rebar cage 钢筋笼", progress=20, status="in_progress",
             due_date=date(2026, 11, 20), owner_user_id="U0FORE"),
        Task(**common, key="T-3", title="Formwork", progress=10, status="blocked", blocker="waiting for plywood"),
        Risk(**common, number=1, title="Crane availability", kind="management", probability=2, impact=3,
             created_by="U0PM"),
        Risk(**common, number=2, title="Soil bearing capacity", kind="tech", probability=4, impact=5,
             owner_user_id="U0TECH", created_by="U0PM"),
        Risk(**common, number=3, title="Closed one", probability=5, impact=5, status="closed", created_by="U0PM"),
    )  # fmt: skip


def test_schedule_figures(slack: SlackHarness) -> None:
    seed_schedule(slack)
    with slack.services.unit_of_work() as session:
        st = status.project_status(session, project=project_of(slack), on=NOW.date())
    assert (st.earned.pct_complete, st.earned.planned_pct) == (Decimal("26.67"), Decimal("60.00"))
    text = slack.command("/report", "schedule").text
    assert "*Schedule — TWA, 2026-11-26 (Thu)*" in text
    assert "% complete *26.7%* · planned 60% · SPI 0.44 · CPI 9.52" in text
    assert "EV ¥26,666.67 · PV ¥60,000.00 · AC ¥2,800.00 · EAC ¥10,500.00" in text
    assert (
        "*Overdue (1):*\n• `T-2` Rebar cage 钢筋笼 — 20% (plan 100%), due 2026-11-20, owner <@U0FORE>" in text
    )
    assert "*Blocked (1):*\n• `T-3` Formwork — waiting for plywood" in text


def test_schedule_without_cost_says_na(slack_lite: SlackHarness) -> None:
    slack_lite.services.clock = lambda: NOW
    slack_lite.create_project("Empty code EMP budget 1000 CNY tz Asia/Shanghai lang zh")
    text = slack_lite.command("/report", "进度").text
    assert "完成 *0%* · 计划 0% · SPI 暂无 · CPI 暂无" in text and "EAC 暂无" in text
    assert "没有逾期或受阻的任务" in text


def test_risks_by_score(slack: SlackHarness) -> None:
    seed_schedule(slack)
    text = slack.command("/report", "risks").text
    assert "*Open risks — TWA* (2), highest score first" in text
    first, second = text.splitlines()[1:3]
    assert first == "• `R-2` *20* (p4 × i5) Soil bearing capacity — technical, owner <@U0TECH>"
    assert second == "• `R-1` *6* (p2 × i3) Crane availability — management"
    assert "Closed one" not in text
    zh = slack.command("/report", "风险").text
    assert "• `R-2` *20*（概率4 × 影响5）Soil bearing capacity — 技术，负责人 <@U0TECH>" in zh

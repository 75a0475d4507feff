"""Issue #11 findings about exact money and figures shown: each test is named after its finding."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session, func, select

from bot.domain.metrics import TaskProgress, earned_value
from bot.services.budget_alerts import BudgetAlert
from bot.views import format as fmt
from bot.views.scheduler_views import budget_message
from storage.models import Expense
from tests.harness import SlackHarness
from tests.records.support import rows, setup
from tests.reports.seed import project_of


class _Days:
    def workdays_between(self, a: date, b: date) -> int:
        return (b - a).days


def test_sub_cent_amount_3200_999_is_refused_instead_of_stored_and_shown_rounded(slack: SlackHarness) -> None:
    setup(slack)
    reply = slack.command("/expense", "¥3,200.999 material")
    assert "more than two decimals" in reply.text and "3200.999" in reply.text
    assert rows(slack, Expense) == []
    zh = slack.command("/expense", "3200.999元 材料")
    assert "超过两位小数" in zh.text
    assert rows(slack, Expense) == []


def test_sql_sums_of_money_are_exact_on_sqlite_and_postgresql(slack: SlackHarness) -> None:
    setup(slack)
    for text in ("0.10 material", "0.20 material", "1234567.89 material", "0.07 other"):
        slack.command("/expense", text)
    with Session(slack.services.engine) as s:
        total = s.exec(select(func.sum(Expense.amount))).one()
    # REAL arithmetic gave 1234568.2600000002 on SQLite; the stored integers give the exact sum.
    assert total == Decimal("1234568.26") and isinstance(total, Decimal)


def test_percentages_are_rounded_once_half_up_when_shown() -> None:
    # 23.5453 % was first rounded to 23.55 and then again to 23.6; CPI 0.77495 → 0.775 → 0.78.
    assert fmt.percent(Decimal("23.5453"), "en") == "23.5%"
    assert fmt.percent(Decimal("23.5453"), "zh") == "23.5%"
    assert fmt.ratio(Decimal("0.77495"), "en") == "0.77"
    assert fmt.percent(Decimal("0.25"), "en") == "0.3%"  # half up, not half even
    assert fmt.money(Decimal("0.125"), "CNY") == "¥0.13"
    assert fmt.percent(None, "zh") == "暂无"


def test_cost_report_percent_of_budget_is_rounded_once(slack: SlackHarness) -> None:
    setup(slack, "Demo budget 100000 CNY tz Asia/Shanghai")
    slack.command("/expense", "23545.30 material")  # 23.5453 % of the budget
    text = slack.command("/report", "cost all").text
    assert "(23.5%)" in text and "23.55" not in text and "23.6%" not in text


def test_eac_alert_and_digest_show_the_same_percent_complete(slack: SlackHarness) -> None:
    # 170/11 = 15.4545… % complete: the alert said 15.5 %, the digest 15.4 % (15.45 rounded half even).
    tasks = [TaskProgress(Decimal(1), 100, None, None), TaskProgress(Decimal(1), 70, None, None)]
    tasks += [TaskProgress(Decimal(1), 0, None, None)] * 9
    ev = earned_value(bac=Decimal(1000), tasks=tasks, ac=Decimal(500), on=date(2026, 11, 26), cal=_Days())
    assert ev.pct_complete_exact == Decimal(170) / Decimal(11)
    setup(slack)
    project = project_of(slack)
    alert = BudgetAlert(
        key="budget:eac",
        what="eac",
        spent=Decimal(500),
        budget=Decimal(1000),
        pct=ev.pct_complete_exact,
        eac=ev.eac,
    )
    text, _ = budget_message(project, alert, "en")
    assert "at 15.5% complete" in text
    assert fmt.percent(ev.pct_complete_exact, "en") == "15.5%"

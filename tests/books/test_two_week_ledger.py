"""Two weeks of books on both databases: every money figure, percentage and ratio the digest, /report
cost|labor, the timesheet, App Home and the exports show, against an independent calculation here."""

from __future__ import annotations

import json
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bot.reports.exports import export_rows
from bot.services import digest, reports
from bot.views.scheduler_views import digest_blocks
from tests.harness import SlackHarness
from tests.records.support import NOW, setup
from tests.reports.seed import project_of

D = Decimal


def shown_money(value: Decimal) -> str:
    """¥ and two decimals, half up: written here, not imported, so the test checks the product."""
    return f"¥{value.quantize(D('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def shown_pct(part: Decimal, whole: Decimal) -> str:
    text = f"{(D(100) * part / whole).quantize(D('0.1'), rounding=ROUND_HALF_UP)}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


# Rates: U0MEM 37.50/hour; 钢筋班 333.33/day = 41.66625/hour; overtime 1.5×; USD at 7.1234.
HOURLY_MEM = D("37.50")
HOURLY_CREW = D("333.33") / 8
LABOR_COSTS = [
    D(8) * HOURLY_MEM,  # Mon 16
    D(8) * HOURLY_MEM,  # Tue 17
    (D(40) * HOURLY_CREW + D(10) * HOURLY_CREW * D("1.5")).quantize(D("0.01"), ROUND_HALF_UP),  # Wed 18
    D("7.5") * HOURLY_MEM,  # Mon 23
    (D("3.333") * HOURLY_MEM).quantize(D("0.01"), ROUND_HALF_UP),  # Tue 24: 3h20m kept as 3.333 h
    (D(40) * HOURLY_CREW).quantize(D("0.01"), ROUND_HALF_UP),  # Wed 25
]
WEEK2_LABOR = sum(LABOR_COSTS[3:], D(0))
LABOR = sum(LABOR_COSTS, D(0))
MATERIAL = D("1250.55") + D("3200.10")
EQUIPMENT = D(480) * D("7.1234")
OTHER = D("99.99") + D("0.07")
TOTAL = LABOR + MATERIAL + EQUIPMENT + OTHER
BAC = D(100000)
PCT_COMPLETE = (D(35) * 1 + D(12) * 2) / 3
CPI = BAC * PCT_COMPLETE / 100 / TOTAL


def _seed(slack: SlackHarness) -> None:
    setup(slack, "Ledger code LDG budget 100000 CNY tz Asia/Shanghai")
    for text in (
        "budget labor 30000",
        "budget material 50000",
        "rate <@U0MEM> 37.5/hour",
        "crew 钢筋班 rate 333.33/day",
    ):
        slack.command("/project", text)
    for text in ("8h 2026-11-16", "8h 2026-11-17", "7.5h 2026-11-23", "3h20m 2026-11-24"):
        assert "L-" in slack.command("/log-labor", text, user="U0MEM").text, text
    for text in ("钢筋班 5人 8小时 加班2小时 2026-11-18", "钢筋班 5人 8小时 2026-11-25"):
        assert "L-" in slack.command("/log-labor", text).text, text
    for text in (
        "1250.55 material 2026-11-17",
        "$480 crane rental 2026-11-19",
        "99.99 other 2026-11-20",
        "3200.10 material 2026-11-24",
        "0.07 other 2026-11-25",
    ):
        assert "E-" in slack.command("/expense", text).text, text
    slack.command("/project", "fx USD 7.1234")
    slack.command("/task", 'add T-1 "Slab" weight 1 due 12/31')
    slack.command("/task", 'add T-2 "Walls" weight 2 due 12/31')
    slack.command("/task", "T-1 35%")
    slack.command("/task", "T-2 12%")


def test_two_week_ledger_every_figure_shown_matches_an_independent_calculation(slack: SlackHarness) -> None:
    _seed(slack)
    assert shown_money(TOTAL) == "¥12,934.47" and shown_pct(TOTAL, BAC) == "12.9%"  # the hand check

    cost_all = slack.command("/report", "cost all").text
    assert (
        f"• Labor: {shown_money(LABOR)} in period · {shown_money(LABOR)} to date of ¥30,000.00 ({shown_pct(LABOR, D(30000))})"
        in cost_all
    )
    assert (
        f"• Material: {shown_money(MATERIAL)} in period · {shown_money(MATERIAL)} to date of ¥50,000.00 ({shown_pct(MATERIAL, D(50000))})"
        in cost_all
    )
    assert (
        f"• Equipment: {shown_money(EQUIPMENT)} in period · {shown_money(EQUIPMENT)} to date (no budget line)"
        in cost_all
    )
    assert (
        f"*Total:* {shown_money(TOTAL)} in period · {shown_money(TOTAL)} to date of BAC ¥100,000.00 ({shown_pct(TOTAL, BAC)})"
        in cost_all
    )
    assert "not counted" not in cost_all

    cost_week = slack.command("/report", "cost week").text
    week2 = WEEK2_LABOR + D("3200.10") + D("0.07")
    assert f"• Labor: {shown_money(WEEK2_LABOR)} in period · {shown_money(LABOR)} to date" in cost_week
    assert f"*Total:* {shown_money(week2)} in period · {shown_money(TOTAL)} to date" in cost_week

    labor = slack.command("/report", "labor 2026-11-16..2026-11-26").text
    assert f"{LABOR.quantize(D('0.01')):,.2f}" in labor

    with slack.services.unit_of_work() as session:
        project = project_of(slack)
        sheet = reports.timesheet(session, project=project, week_start=date(2026, 11, 23))
        assert sheet.total.cost == WEEK2_LABOR
        exported = export_rows(session, kind="labor", project=project, date_from=None, date_to=None)
        expenses = export_rows(session, kind="expenses", project=project, date_from=None, date_to=None)
        day_digest = digest.build_digest(session, project=project, day=NOW.date())
    assert [D(r["cost"]) for r in exported] == [c.quantize(D("0.01"), ROUND_HALF_UP) for c in LABOR_COSTS]
    assert sum((D(r["amount"]) for r in expenses), D(0)) == D("1250.55") + 480 + OTHER + D("3200.10")

    budget_line = (
        f"spent {shown_money(TOTAL)} of ¥100,000.00 ({shown_pct(TOTAL, BAC)}) · "
        f"{shown_pct(PCT_COMPLETE, D(100))[:-1]}% complete (plan 0%) · CPI {CPI.quantize(D('0.01'), ROUND_HALF_UP)}"
    )
    assert budget_line in json.dumps(digest_blocks(day_digest, "en"), ensure_ascii=False)

    slack.dispatch(slack.payloads.app_home_opened(user="U0PM"))
    home = json.dumps(slack.fake.calls_to("views.publish")[-1].args["view"], ensure_ascii=False)
    assert (
        f"Spent {shown_money(TOTAL)} of ¥100,000.00 ({shown_pct(TOTAL, BAC)}) · {shown_pct(PCT_COMPLETE, D(100))} complete"
        f" (plan 0%) · SPI n/a · CPI {CPI.quantize(D('0.01'), ROUND_HALF_UP)}" in home
    )

"""Issue #11 findings about rates, overtime, currencies and budget lines; each test names its finding."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.services import status
from storage.models import AuditLog, Expense, LaborEntry, PayRate, Project
from tests.harness import SlackHarness
from tests.records.support import rows, setup
from tests.reports.seed import project_of


def _spent(slack: SlackHarness) -> Decimal:
    with slack.services.unit_of_work() as session:
        project = session.get(Project, project_of(slack).pk)
        assert project is not None
        return status.project_status(session, project=project, on=date(2026, 11, 26)).spent


def test_slack_users_get_their_rate_or_their_roles_default(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/project", "role <@U0FORE> foreman")
    assert "for every date" in slack.command("/project", "rate foreman 400/day").text
    assert "¥300.00/day" in slack.command("/project", "rate <@U0MEM> 300/day").text
    slack.command("/log-labor", "8h", user="U0MEM")
    slack.command("/log-labor", "4h", user="U0FORE")
    slack.command("/log-labor", "8h", user="U0PM")  # pm has no rate: still "rate missing"
    by_user = {e.user_id: e.cost for e in rows(slack, LaborEntry)}
    assert by_user == {"U0MEM": Decimal("300.00"), "U0FORE": Decimal("200.00"), "U0PM": None}


def test_member_cannot_set_rates(slack: SlackHarness) -> None:
    setup(slack)
    reply = slack.command("/project", "rate <@U0MEM> 3000/day", user="U0MEM")
    assert "pm" in reply.text and rows(slack, PayRate) == []


def test_dated_rate_applies_from_its_date_and_never_rewrites_stored_costs(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/project", "rate <@U0MEM> 40/hour")
    slack.command("/log-labor", "8h 2026-11-23", user="U0MEM")
    reply = slack.command("/project", "rate <@U0MEM> 50/hour from 2026-11-25")
    assert "from 2026-11-25" in reply.text and "not changed" in reply.text
    slack.command("/log-labor", "8h 2026-11-24", user="U0MEM")
    slack.command("/log-labor", "8h 2026-11-25", user="U0MEM")
    costs = {e.work_date.isoformat(): e.cost for e in rows(slack, LaborEntry)}
    assert costs == {
        "2026-11-23": Decimal("320.00"),
        "2026-11-24": Decimal("320.00"),
        "2026-11-25": Decimal("400.00"),
    }
    slack.command("/project", "rate <@U0MEM> 90/hour")  # undated: does not beat the dated one
    assert [e.cost for e in rows(slack, LaborEntry)] == [
        Decimal("320.00"),
        Decimal("320.00"),
        Decimal("400.00"),
    ]


def test_crew_rate_from_a_date(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/project", "crew 钢筋班 rate 300/day")
    assert "自 2026-11-25 起" in slack.command("/project", "crew 钢筋班 rate 350/day from 2026-11-25").text
    slack.command("/log-labor", "钢筋班 2人 8小时 2026-11-24")
    slack.command("/log-labor", "钢筋班 2人 8小时 2026-11-25")
    assert [e.cost for e in rows(slack, LaborEntry)] == [Decimal("600.00"), Decimal("700.00")]


def test_hours_past_the_standard_day_become_overtime_with_set_overtime_after(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/project", "rate <@U0MEM> 40/hour")
    reply = slack.command("/project", "set overtime after 8")
    assert "overtime after (hours a day) — → 8" in reply.text
    slack.command("/log-labor", "10h", user="U0MEM")
    [entry] = rows(slack, LaborEntry)
    # 8 h regular + 2 h overtime at 1.5×: 8×40 + 2×40×1.5 = 440
    assert (entry.hours_each, entry.overtime_hours, entry.cost) == (
        Decimal("8"),
        Decimal("2"),
        Decimal("440.00"),
    )


def test_budget_in_another_currency_does_not_switch_the_project_currency_once_records_exist(
    slack: SlackHarness,
) -> None:
    setup(slack)
    slack.command("/expense", "3200 material")
    reply = slack.command("/project", "set budget 20000 USD")
    assert "cannot change to USD" in reply.text and "/project fx USD" in reply.text
    assert project_of(slack).currency == "CNY" and project_of(slack).budget == Decimal("100000")
    assert _spent(slack) == Decimal("3200.00")
    zh = slack.command("/project", "预算 20000 USD")
    assert "不能改为 USD" in zh.text


def test_foreign_expenses_count_in_the_budget_at_the_rate_of_their_date(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/expense", "3200 material")
    slack.command("/expense", "$480 crane rental")
    text = slack.command("/report", "cost all").text
    # What Slack receives: the placeholder `<rate>` escaped on the way out (shown as `<rate>`).
    assert "1 items in USD are not counted — set `/project fx USD &lt;rate&gt;`" in text
    assert _spent(slack) == Decimal("3200.00")
    assert "1 USD = 7.1 CNY from 2026-11-27" in slack.command("/project", "fx USD 7.1 from 2026-11-27").text
    assert _spent(slack) == Decimal("3200.00")  # the rate starts after the expense's date
    slack.command("/project", "fx USD 7.12")
    assert _spent(slack) == Decimal("3200.00") + Decimal("480") * Decimal("7.12")  # 6617.60
    assert "not counted" not in slack.command("/report", "cost all").text
    assert [(e.amount, e.currency) for e in rows(slack, Expense)][1] == (Decimal("480.00"), "USD")
    assert "1 EUR = 7.8 CNY，适用于所有日期" in slack.command("/project", "汇率 EUR 7.8").text


def test_fx_rate_of_the_project_currency_is_refused(slack: SlackHarness) -> None:
    setup(slack)
    assert "own currency" in slack.command("/project", "fx CNY 1").text


def test_budget_lines_over_the_total_are_warned(slack: SlackHarness) -> None:
    setup(slack)  # total budget 100,000
    assert "more than" not in slack.command("/project", "budget labor 60000").text
    reply = slack.command("/project", "budget material 50000")
    assert (
        "Budget lines add up to ¥110,000.00, more than the total budget ¥100,000.00 (by ¥10,000.00)"
        in reply.text
    )
    assert "¥110,000.00" in slack.command("/project", "status").text
    assert "超过总预算" in slack.command("/project", "预算 设备 1").text
    assert rows(slack, AuditLog, entity="budget_line")

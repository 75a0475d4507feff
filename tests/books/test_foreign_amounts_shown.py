"""Foreign-currency expenses are shown with both amounts (at the rate of their date, the rule the budget
counts with), or as not counted until a rate exists: in the reply, the list and edits, both languages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.services import status
from storage.models import Project
from tests.harness import SlackHarness
from tests.records.support import setup
from tests.reports.seed import project_of


def _spent(slack: SlackHarness) -> Decimal:
    with slack.services.unit_of_work() as session:
        project = session.get(Project, project_of(slack).pk)
        assert project is not None
        return status.project_status(session, project=project, on=date(2026, 11, 26)).spent


def test_reply_and_list_show_both_amounts_at_the_rate(slack: SlackHarness) -> None:
    setup(slack)  # CNY project
    slack.command("/project", "fx USD 7.12")
    reply = slack.command("/expense", "$480 crane rental")
    assert "$480.00 (≈ ¥3,417.60 at 7.12)" in reply.text  # 480 × 7.12 = 3,417.60
    listed = slack.command("/expense", "list").text
    assert "$480.00 (≈ ¥3,417.60 at 7.12)" in listed
    # The figure shown is the one the budget counts.
    assert _spent(slack) == Decimal("3417.60")


def test_converted_once_half_up_from_the_exact_product(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/project", "fx USD 7.123456")
    # 10.05 × 7.123456 = 71.5907328 → ¥71.59; 0.07 × 7.123456 = 0.49864192 → ¥0.50 (half up, once)
    assert "$10.05 (≈ ¥71.59 at 7.123456)" in slack.command("/expense", "$10.05 nails").text
    assert "$0.07 (≈ ¥0.50 at 7.123456)" in slack.command("/expense", "$0.07 tape").text


def test_rate_of_the_records_date_is_used(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/project", "fx USD 7")
    slack.command("/project", "fx USD 7.5 from 2026-11-25")
    slack.command("/expense", "$100 crane 2026-11-24")
    slack.command("/expense", "$100 crane 2026-11-25")
    listed = slack.command("/expense", "list").text
    assert "$100.00 (≈ ¥700.00 at 7)" in listed and "$100.00 (≈ ¥750.00 at 7.5)" in listed


def test_without_a_rate_the_reply_says_not_counted(slack: SlackHarness) -> None:
    setup(slack)
    reply = slack.command("/expense", "$480 crane rental")
    assert "$480.00 (not counted — set `/project fx USD …`)" in reply.text
    assert "not counted — set `/project fx USD …`" in slack.command("/expense", "list").text
    assert _spent(slack) == Decimal("0")
    slack.command("/project", "fx USD 7.12")
    assert "$480.00 (≈ ¥3,417.60 at 7.12)" in slack.command("/expense", "list").text


def test_chinese_reply_and_edit_show_both_amounts(slack: SlackHarness) -> None:
    setup(slack)
    assert "$480.00（未计入 — 请设置 `/project 汇率 USD …`）" in slack.command("/expense", "$480 吊车").text
    slack.command("/project", "汇率 USD 7.12")
    assert "$480.00（≈ ¥3,417.60，汇率 7.12）" in slack.command("/expense", "列表").text
    edited = slack.command("/expense", "edit E-1 amount 500")
    assert "$500.00 (≈ ¥3,560.00 at 7.12)" in edited.text


def test_project_currency_records_show_one_amount(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/project", "fx USD 7.12")
    reply = slack.command("/expense", "3200 material")
    assert "¥3,200.00, material" in reply.text and "≈" not in reply.text and "not counted" not in reply.text

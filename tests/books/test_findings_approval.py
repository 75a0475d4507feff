"""Issue #11 finding: approving the current week on a Saturday locked the rest of it, nothing reopened a
week, and an open shift in a locked week could never be closed."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.models import LaborEntry, WeekApproval
from tests.harness import SlackHarness
from tests.records.support import audit_rows, rows, setup

SATURDAY = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)  # Sat 10:00 in Shanghai


def test_approve_week_defaults_to_the_last_completed_week(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "8h 2026-11-20", user="U0MEM")  # last week
    slack.command("/log-labor", "8h", user="U0MEM")  # this week (Thu 26)
    slack.services.clock = lambda: SATURDAY
    reply = slack.command("/log-labor", "approve week")
    assert "2026-11-16" in reply.text and "entries locked: 1" in reply.text
    assert [w.week_start.isoformat() for w in rows(slack, WeekApproval)] == ["2026-11-16"]
    assert [e.approved for e in rows(slack, LaborEntry)] == [True, False]


def test_unfinished_week_needs_its_date_and_force(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "8h", user="U0MEM")
    slack.services.clock = lambda: SATURDAY
    refused = slack.command("/log-labor", "approve week 2026-11-26")
    assert "not over yet" in refused.text and "approve week 2026-11-23 force" in refused.text
    assert rows(slack, WeekApproval) == []
    assert "entries locked: 1" in slack.command("/log-labor", "approve week 2026-11-26 force").text


def test_open_shifts_are_listed_and_block_approval(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "in 07:30", user="U0MEM")
    slack.services.clock = lambda: SATURDAY
    reply = slack.command("/log-labor", "approve week 2026-11-26 force")
    assert "open shifts" in reply.text and "<@U0MEM> 2026-11-26 07:30" in reply.text
    assert rows(slack, WeekApproval) == []


def test_reopen_week_is_for_pm_and_audited(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "8h 2026-11-20", user="U0MEM")
    slack.command("/log-labor", "approve week")
    [entry] = rows(slack, LaborEntry)
    assert "locked" in slack.command("/log-labor", f"edit L-{entry.id} hours 7", user="U0MEM").text
    assert "*pm*" in slack.command("/log-labor", "reopen week 2026-11-20", user="U0MEM").text
    reply = slack.command("/log-labor", "reopen week 2026-11-20")
    assert "reopened" in reply.text and rows(slack, WeekApproval) == []
    [(before, after)] = audit_rows(slack, "reopen", "week")
    assert before and before["approved"] is True and after and after["entries"] == [entry.id]
    slack.command("/log-labor", f"edit L-{entry.id} hours 7", user="U0MEM")
    assert rows(slack, LaborEntry)[0].hours_each == 7
    assert "2026-11-16 这一周未审批，无需重开" in slack.command("/log-labor", "重开 周 2026-11-20").text

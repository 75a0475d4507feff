"""The timesheet's Approve week button obeys the command's rule: a week not over is refused in place
(saying how to force it with the command), open shifts block it, and nothing is stored on a refusal."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from storage.models import AuditLog, LaborEntry, WeekApproval
from tests.harness import SlackHarness
from tests.reports.seed import project_of, seed_labor
from tests.reports.test_approval_home import approve_button, rows

MONDAY_AFTER = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Mon 10:00 in Shanghai: the week of 11-23 is over


def _nothing_stored(slack: SlackHarness) -> None:
    assert rows(slack, WeekApproval) == []
    assert not any(e.approved for e in rows(slack, LaborEntry))
    assert [a for a in rows(slack, AuditLog) if a.entity == "week"] == []


def test_button_refuses_a_week_not_over_in_place_and_says_how_to_force(slack: SlackHarness) -> None:
    seed_labor(slack)  # Thursday 2026-11-26: the week of 2026-11-23 is still running
    sheet = slack.command("/report", "timesheet 11/24")
    value = approve_button(sheet.json["blocks"])["value"]
    slack.action("rep_approve_week", value, user="U0PM")
    [reply] = slack.fake.calls_to("response_url")
    assert reply.args["replace_original"] is True  # answered in place, the timesheet kept under it
    assert "The week of 2026-11-23 is not over yet" in reply.args["text"]
    assert "`/log-labor approve week 2026-11-23 force`" in reply.args["text"]
    assert approve_button(reply.args["blocks"])["value"] == value
    _nothing_stored(slack)
    # The command's force is the way through; the button then finds the week approved.
    forced = slack.command("/log-labor", "approve week 2026-11-23 force")
    assert "entries locked: 4" in forced.text
    assert len(rows(slack, WeekApproval)) == 1


def test_button_in_the_home_modal_refuses_in_chinese(slack: SlackHarness) -> None:
    seed_labor(slack, lang="zh")
    pid = project_of(slack).pk
    slack.dispatch(
        slack.payloads.block_action(
            "rep_approve_week", f"{pid}:2026-11-23", user="U0PM", channel=None, view={"id": "V9"}
        )
    )
    [updated] = slack.fake.calls_to("views.update")
    text = json.dumps(updated.args["view"], ensure_ascii=False)
    assert "2026-11-23 这一周还没结束" in text and "/log-labor 审批 周 2026-11-23 强制" in text
    _nothing_stored(slack)


def test_button_approves_the_week_it_shows_once_it_is_over(slack: SlackHarness) -> None:
    seed_labor(slack)
    pid = project_of(slack).pk
    slack.services.clock = lambda: MONDAY_AFTER
    slack.action("rep_approve_week", f"{pid}:2026-11-23", user="U0PM")
    [reply] = slack.fake.calls_to("response_url")
    assert "approved by <@U0PM> (entries locked: 4)" in reply.args["text"]
    assert [w.week_start.isoformat() for w in rows(slack, WeekApproval)] == ["2026-11-23"]


def test_button_lists_open_shifts_instead_of_calling_the_week_approved(slack: SlackHarness) -> None:
    seed_labor(slack)
    pid = project_of(slack).pk
    slack.command("/log-labor", "in 07:30", user="U0PM")  # Thursday, still open
    slack.services.clock = lambda: MONDAY_AFTER
    slack.action("rep_approve_week", f"{pid}:2026-11-23", user="U0PM")
    [reply] = slack.fake.calls_to("response_url")
    assert "open shifts" in reply.args["text"] and "<@U0PM> 2026-11-26 07:30" in reply.args["text"]
    assert "already approved" not in reply.args["text"]
    _nothing_stored(slack)

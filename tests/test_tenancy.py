"""A workspace can never change another's records, even by forging button values or guessing ids."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlmodel import Session, select

from bot.views.approval_views import approve_value
from storage.models import LaborEntry, Task, WeekApproval
from tests.harness import SlackHarness

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def test_forged_buttons_from_another_workspace_change_nothing(slack: SlackHarness) -> None:
    slack.services.clock = lambda: NOW
    slack.create_project()
    slack.command("/task", 'add T-1 "Slab"')
    slack.message("钢筋班 5人 8小时", ts="1764122400.000100")
    with Session(slack.services.engine) as s:
        project_id = s.exec(select(Task.project_id)).one()

    # Team B has a project on a channel with the same id and presses buttons carrying team A's values.
    other = slack.as_team("T0TEAMB")
    other.create_project("Other budget 10")
    other.action("rec_undo", json.dumps({"ts": "1764122400.000100"}), message_ts="1764122400.000200")
    other.action("rec_task_done", json.dumps({"key": "T-1"}))
    other.action("rep_approve_week", approve_value(project_id, date(2026, 11, 23)))
    other.command("/log-labor", "void L-1")
    other.command("/task", "T-1 done")

    with Session(slack.services.engine) as s:
        entries = s.exec(select(LaborEntry).where(LaborEntry.team_id == "T0TEAMA")).all()
        task = s.exec(select(Task).where(Task.team_id == "T0TEAMA")).one()
        approvals = s.exec(select(WeekApproval)).all()
    assert [e.void for e in entries] == [False]
    assert (task.status, task.progress) == ("todo", 0)
    assert approvals == []

    # The same buttons pressed in team A do act, so the refusals above are the workspace boundary.
    slack.action("rec_task_done", json.dumps({"key": "T-1"}))
    slack.services.clock = lambda: datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # the week is over: approvable
    slack.action("rep_approve_week", approve_value(project_id, date(2026, 11, 23)))
    with Session(slack.services.engine) as s:
        assert s.exec(select(Task.status).where(Task.team_id == "T0TEAMA")).one() == "done"
        assert len(s.exec(select(WeekApproval)).all()) == 1

"""Snooze follows the commands' role rules: a pm escalation is the pm's to snooze, a task's nudge its
owner's (or tech/pm); anyone else gets a refusal naming the role and nothing is snoozed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import Session, select

from bot.scheduler.tick import tick
from storage.models import Snooze
from tests.harness import SlackHarness
from tests.scheduler.sched_support import add_member, add_project, add_task
from tests.scheduler.test_posts import NUDGE_TIME, STANDUP


def _snoozes(slack: SlackHarness) -> list[tuple[str, str]]:
    with Session(slack.services.engine) as s:
        return [(r.condition, r.user_id) for r in s.exec(select(Snooze)).all()]


def test_only_the_pm_snoozes_an_escalation(slack: SlackHarness) -> None:
    with Session(slack.services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=0)
        add_member(s, project, "U1", "member")
        add_member(s, project, "U2", "member")
        add_task(
            s,
            project,
            "T-7",
            owner_user_id="U1",
            status="blocked",
            blocker="rebar",
            blocked_since=datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
            created_at=STANDUP,
            updated_at=STANDUP,
        )
        add_task(s, project, "T-8", owner_user_id="U2", due_date=datetime(2026, 11, 20).date())
    slack.services.clock = lambda: NUDGE_TIME
    tick(slack.services, STANDUP)
    tick(slack.services, NUDGE_TIME)
    escalation = json.dumps({"p": project.pk, "c": "blocked:T-7"})
    overdue = json.dumps({"p": project.pk, "c": "overdue:T-8"})

    for user in ("U2", "U1"):  # another member, and even the task's owner
        slack.action("sched_snooze", escalation, user=user, channel=project.channel_id)
        assert "*pm*" in slack.fake.calls_to("response_url")[-1].args["text"]
    slack.action("sched_snooze", overdue, user="U1", channel=project.channel_id)
    assert "*tech*" in slack.fake.calls_to("response_url")[-1].args["text"]
    assert _snoozes(slack) == []

    slack.action("sched_snooze", overdue, user="U2", channel=project.channel_id)  # the owner
    slack.action("sched_snooze", escalation, user="U0PM", channel=project.channel_id)
    assert "Snoozed until" in slack.fake.calls_to("response_url")[-1].args["text"]
    assert sorted(_snoozes(slack)) == [("blocked:T-7", "U0PM"), ("overdue:T-8", "U2")]

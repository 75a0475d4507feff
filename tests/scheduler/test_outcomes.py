"""Ledger outcomes: what Slack did with a post decides whether it is retried, verified first, or given up
(and the pm told once). Every case posts at most once; exactly once when Slack is back within grace."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session

from bot.app import Services
from bot.console.fake_slack import FakeSlack
from bot.scheduler import posting
from bot.scheduler.tick import tick
from storage.models import Project
from tests.scheduler.sched_support import add_expense, add_project, add_task, deliveries

NOW = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 09:00 Shanghai: the standup is due
KEY = "standup:2026-11-26"


def _project(services: Services, **values: object) -> Project:
    with Session(services.engine, expire_on_commit=False) as s:
        return add_project(s, budget=Decimal("0"), **values)


def _row(services: Services, key: str = KEY) -> tuple[str, str | None, int]:
    with Session(services.engine) as s:
        [row] = [r for r in deliveries(s) if r.period_key == key]
        return row.status, row.outcome, row.attempts


def _in_slack(fake: FakeSlack, channel: str) -> list[dict[str, object]]:
    """Messages Slack has in the channel (accepted calls, whether or not their answer arrived)."""
    return fake.history.get(channel, [])


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(posting, "POST_TIMEOUT", 1)
    monkeypatch.setattr(posting, "_clients", {})


@pytest.mark.parametrize("mode", ["reset", "timeout"])
def test_lost_answer_is_verified_not_posted_again(
    services: Services, fake_slack: FakeSlack, short_timeout: None, mode: str
) -> None:
    project = _project(services)
    fake_slack.drop_next("chat.postMessage", mode=mode, delay=2.5)
    assert tick(services, NOW) == []
    assert _row(services) == ("failed", "ambiguous", 1)
    assert len(_in_slack(fake_slack, project.channel_id)) == 1  # Slack took it before the answer was lost

    [post] = tick(services, NOW + timedelta(minutes=1))
    assert post.key == KEY
    assert len(fake_slack.calls_to("chat.postMessage")) == 1  # found by its metadata, not posted again
    [history] = fake_slack.calls_to("conversations.history")
    assert history.args["channel"] == project.channel_id
    assert _row(services)[0] == "posted"
    assert tick(services, NOW + timedelta(minutes=2)) == []
    assert len(_in_slack(fake_slack, project.channel_id)) == 1


def test_lost_answer_of_a_post_slack_never_kept_is_posted_once(
    services: Services, fake_slack: FakeSlack, short_timeout: None
) -> None:
    project = _project(services)
    fake_slack.drop_next("chat.postMessage", mode="reset")
    assert tick(services, NOW) == []
    fake_slack.history.clear()  # Slack lost it after all
    [post] = tick(services, NOW + timedelta(minutes=1))
    assert post.key == KEY
    assert len(_in_slack(fake_slack, project.channel_id)) == 1
    assert _row(services) == ("posted", None, 2)


def test_lost_answer_unverifiable_within_grace_is_skipped_never_twice(
    services: Services, fake_slack: FakeSlack, short_timeout: None
) -> None:
    project = _project(services)
    fake_slack.drop_next("chat.postMessage", mode="reset")
    assert tick(services, NOW) == []
    fake_slack.down = True  # Slack cannot be asked within the grace window
    for minute in (1, 30, 90):
        assert tick(services, NOW + timedelta(minutes=minute)) == []
    fake_slack.down = False
    assert tick(services, NOW + timedelta(minutes=121)) == []
    assert _row(services)[0] == "skipped"
    assert len(_in_slack(fake_slack, project.channel_id)) == 1


@pytest.mark.parametrize(
    ("status", "retry_after", "error"), [(500, None, "Slack answered 500"), (429, 30, "Retry-After 30")]
)
def test_refused_before_reading_is_retried_and_posted_once(
    services: Services, fake_slack: FakeSlack, status: int, retry_after: int | None, error: str
) -> None:
    project = _project(services)
    fake_slack.fail_next("chat.postMessage", status=status, retry_after=retry_after)
    assert tick(services, NOW) == []
    assert _row(services)[:2] == ("failed", "transient")
    with Session(services.engine) as s:
        [row] = [r for r in deliveries(s) if r.period_key == KEY]
        assert error in (row.error or "")
    assert _in_slack(fake_slack, project.channel_id) == []
    [post] = tick(services, NOW + timedelta(minutes=1))
    assert post.key == KEY
    assert len(_in_slack(fake_slack, project.channel_id)) == 1
    assert fake_slack.calls_to("conversations.history") == []  # nothing to verify: Slack never had it


def test_connection_refused_is_transient(services: Services, fake_slack: FakeSlack) -> None:
    _project(services)
    fake_slack.stop()
    assert tick(services, NOW) == []
    assert _row(services) == ("failed", "transient", 1)


def test_not_in_channel_is_given_up_and_the_pm_told_once(services: Services, fake_slack: FakeSlack) -> None:
    project = _project(services)
    fake_slack.refuse_next("chat.postMessage", "not_in_channel", times=1000, channel=project.channel_id)
    assert tick(services, NOW) == []
    for minute in range(1, 30):
        assert tick(services, NOW + timedelta(minutes=minute)) == []
    assert len(fake_slack.refused) == 1
    assert _row(services) == ("failed", "permanent", 1)
    [notice] = fake_slack.calls_to("chat.postMessage")
    assert notice.args["channel"] == "D0PM"  # a DM to the pm: Foreman cannot speak in the channel
    assert f"<#{project.channel_id}>" in notice.args["text"] and "/invite @Foreman" in notice.args["text"]


def test_a_permanently_failing_alert_over_240_ticks_one_attempt_one_notice(
    services: Services, fake_slack: FakeSlack
) -> None:
    project = _project(services, standup_time="23:00")
    with Session(services.engine, expire_on_commit=False) as s:
        project.budget = Decimal("1000")
        s.add(project)
        s.commit()
        add_expense(s, project, date(2026, 11, 25), "600")
    fake_slack.refuse_next("chat.postMessage", "invalid_blocks", times=10_000, channel=project.channel_id)
    start = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    for minute in range(240):
        tick(services, start + timedelta(minutes=minute))
    alert, notice = fake_slack.refused  # one attempt of the alert, one of the notice; nothing after
    assert "50%" in str(alert.args["text"]) and "`invalid_blocks`" in str(notice.args["text"])
    assert {alert.args["channel"], notice.args["channel"]} == {project.channel_id}
    assert fake_slack.calls_to("chat.postMessage") == []
    assert _row(services, "budget:total:50") == ("failed", "permanent", 1)
    # The notice was refused in the channel too; it is not retried either.
    with Session(services.engine) as s:
        notices = [r for r in deliveries(s) if r.kind == "delivery_notice"]
    assert [(n.period_key, n.status) for n in notices] == [
        (f"notice:invalid_blocks:{project.channel_id}:2026-11-26", "failed")
    ]


def test_a_refused_alert_notice_reaches_the_channel_once(services: Services, fake_slack: FakeSlack) -> None:
    project = _project(services, standup_time="23:00")
    with Session(services.engine, expire_on_commit=False) as s:
        project.budget = Decimal("1000")
        s.add(project)
        s.commit()
        add_expense(s, project, date(2026, 11, 25), "600")
    fake_slack.refuse_next("chat.postMessage", "msg_too_long", channel=project.channel_id)
    start = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    for minute in range(240):
        tick(services, start + timedelta(minutes=minute))
    assert len(fake_slack.refused) == 1
    [notice] = fake_slack.calls_to("chat.postMessage")
    assert notice.args["channel"] == project.channel_id
    assert "`msg_too_long`" in notice.args["text"] and "<@U0PM>" in notice.args["text"]


def test_a_transient_alert_is_retried_only_within_grace_from_its_first_due_time(
    services: Services, fake_slack: FakeSlack
) -> None:
    project = _project(services, standup_time="23:00", grace_minutes=30)
    with Session(services.engine, expire_on_commit=False) as s:
        project.budget = Decimal("1000")
        s.add(project)
        s.commit()
        add_expense(s, project, date(2026, 11, 25), "600")
    fake_slack.down = True
    start = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    for minute in range(240):
        tick(services, start + timedelta(minutes=minute))
    status, outcome, attempts = _row(services, "budget:total:50")
    assert status == "skipped" and attempts == 31  # minutes 0..30, then the grace window is over
    fake_slack.down = False
    tick(services, start + timedelta(minutes=241))
    assert _in_slack(fake_slack, project.channel_id) == []


def test_a_failed_check_is_not_a_reason_to_post_blind(
    services: Services, fake_slack: FakeSlack, short_timeout: None
) -> None:
    project = _project(services)
    fake_slack.drop_next("chat.postMessage", mode="reset")
    assert tick(services, NOW) == []
    fake_slack.fail_next("conversations.history", status=500, retry_after=None)
    assert tick(services, NOW + timedelta(minutes=1)) == []  # Slack could not say: ask again later
    assert _row(services)[:2] == ("failed", "ambiguous")
    [post] = tick(services, NOW + timedelta(minutes=2))
    assert post.key == KEY
    assert len(_in_slack(fake_slack, project.channel_id)) == 1


def test_a_post_that_can_never_be_checked_is_skipped(
    services: Services, fake_slack: FakeSlack, short_timeout: None
) -> None:
    project = _project(services)
    fake_slack.drop_next("chat.postMessage", mode="timeout", delay=2.5)
    assert tick(services, NOW) == []
    fake_slack.refuse_next("conversations.history", "missing_scope")
    assert tick(services, NOW + timedelta(minutes=1)) == []
    assert _row(services)[0] == "skipped"
    assert tick(services, NOW + timedelta(minutes=2)) == []
    assert len(_in_slack(fake_slack, project.channel_id)) == 1


def test_a_dm_slack_refuses_is_told_in_the_channel_once(services: Services, fake_slack: FakeSlack) -> None:
    project = _project(services)
    with Session(services.engine, expire_on_commit=False) as s:
        add_task(
            s, project, "T-1", owner_user_id="U1", due_date=date(2026, 11, 20), created_at=NOW, updated_at=NOW
        )
    fake_slack.refuse_next("conversations.open", "user_not_found", times=100)
    for minute in (0, 60, 61, 90):
        tick(services, NOW + timedelta(minutes=minute))
    assert len(fake_slack.refused) == 1
    notices = [c for c in fake_slack.calls_to("chat.postMessage") if "could not send" in str(c.args["text"])]
    assert [c.args["channel"] for c in notices] == [project.channel_id]
    assert "<@U1>" in notices[0].args["text"] and "`user_not_found`" in notices[0].args["text"]
    assert _row(services, "nudge:overdue:T-1:2026-11-26")[:2] == ("failed", "permanent")

"""One idempotency gate for every request type: a retried delivery (same trigger or event id) runs no
listener a second time — stored once, answered once — and a delivery whose listener failed can be retried."""

from __future__ import annotations

from typing import Any

import pytest

from bot.services import idempotency
from storage.models import Expense, LaborEntry, ProcessedRequest, Task
from tests.harness import SlackHarness
from tests.records2.helpers import button, confirmation_of, posts, rows, setup, whispers

TS = "1764122400.000100"


def _text(value: str) -> dict[str, Any]:
    return {"value": {"type": "plain_text_input", "value": value}}


def test_retried_command_stores_once(slack: SlackHarness) -> None:
    setup(slack)
    body = slack.payloads.command_body("/task", 'add T-1 "Pour slab"', user="U0PM", channel="C0PROJ")
    first = slack.dispatch(body)
    again = slack.dispatch(body, retry_num=1)
    assert "T-1" in first.text and "twice" in again.text
    assert len(rows(slack, Task)) == 1


def test_retried_channel_message_stores_once_and_confirms_once(slack: SlackHarness) -> None:
    setup(slack)
    body = slack.payloads.message_event("钢筋班 5人 8小时", user="U0PM", channel="C0PROJ", ts=TS)
    assert slack.dispatch(body).status == 200
    assert slack.dispatch(body, retry_num=1).status == 200
    assert len(rows(slack, LaborEntry)) == 1
    assert len(posts(slack)) == 1


def test_retried_button_press_acts_once(slack: SlackHarness) -> None:
    setup(slack)
    slack.message("钢筋班 5人 8小时", ts=TS)
    value = button(posts(slack)[0], "rec_undo")
    body = slack.payloads.block_action(
        "rec_undo", value, user="U0PM", channel="C0PROJ", message_ts=confirmation_of(slack, TS)
    )
    slack.dispatch(body)
    slack.dispatch(body, retry_num=1)
    assert rows(slack, LaborEntry)[0].void
    assert len(slack.fake.calls_to("chat.update")) == 1
    assert not any("already undone" in w["text"] for w in whispers(slack))


def test_retried_form_submission_stores_once(slack: SlackHarness) -> None:
    setup(slack)
    meta = '{"channel": "C0PROJ"}'
    values = {"amount": _text("480"), "vendor": _text("Acme")}
    body = slack.payloads.view_submission("records.expense", values, user="U0PM", private_metadata=meta)
    first = slack.dispatch(body)
    again = slack.dispatch(body, retry_num=1)
    assert first.status == again.status == 200 and "response_action" not in first.json
    assert len(rows(slack, Expense)) == 1


def test_a_failed_listener_gives_its_claim_back(slack: SlackHarness, monkeypatch: pytest.MonkeyPatch) -> None:
    setup(slack)
    body = slack.payloads.command_body("/task", 'add T-2 "Formwork"', user="U0PM", channel="C0PROJ")
    from bot.services import tasks

    real = tasks.add_task

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(tasks, "add_task", broken)
    assert slack.dispatch(body).status == 500
    monkeypatch.setattr(tasks, "add_task", real)
    retried = slack.dispatch(body, retry_num=1)
    assert "T-2" in retried.text and len(rows(slack, Task)) == 1


def test_old_delivery_keys_are_pruned_in_batches(slack: SlackHarness) -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    with slack.services.unit_of_work() as s:
        for n in range(2100):
            s.add(ProcessedRequest(team_id="T0TEAMA", key=f"old{n}", created_at=now - timedelta(days=8)))
        s.add(ProcessedRequest(team_id="T0TEAMA", key="recent", created_at=now - timedelta(days=6)))
    assert idempotency.prune(slack.services.unit_of_work, now=now, batches=2) == 2000
    from bot.scheduler.tick import tick

    tick(slack.services, now)
    assert [r.key for r in rows(slack, ProcessedRequest)] == ["recent"]

"""Channel messages: statements become records with one threaded confirmation; everything else is silent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session

from bot.listeners.messages import make_matcher
from storage.models import Confirmation, Expense, LaborEntry, Meeting, Shift, Task, TaskUpdate
from tests.harness import SlackHarness
from tests.records2.helpers import api_calls, confirmation_of, posts, rows, setup, whispers


def _with_task(slack: SlackHarness) -> SlackHarness:
    setup(slack)
    slack.command("/task", 'add T-7 "Pour slab" owner <@U0MEM>')
    slack.fake.reset()
    return slack


def test_crew_labor_in_chinese(slack: SlackHarness) -> None:
    _with_task(slack).message("钢筋班 5人 8小时", ts="1764122400.000100")
    [entry] = rows(slack, LaborEntry)
    assert (entry.headcount, entry.man_hours, entry.source) == (5, Decimal("40.000"), "message")
    assert (entry.slack_channel, entry.slack_ts) == ("C0PROJ", "1764122400.000100")
    [post] = posts(slack)
    assert post["thread_ts"] == "1764122400.000100" and post["channel"] == "C0PROJ"
    assert f"`L-{entry.id}`" in post["text"] and "钢筋班" in post["text"]
    assert "rec_undo" in str(post["blocks"]) and "rec_edit" in str(post["blocks"])


def test_expense_in_chinese(slack: SlackHarness) -> None:
    _with_task(slack).message("买水泥 ¥3,200", ts="1764122400.000200")
    [expense] = rows(slack, Expense)
    assert (expense.amount, expense.category, expense.slack_ts) == (
        Decimal("3200.00"),
        "material",
        "1764122400.000200",
    )
    [post] = posts(slack)
    assert f"`E-{expense.id}`" in post["text"] and "¥3,200.00" in post["text"]


def test_task_progress_and_blocker(slack: SlackHarness) -> None:
    _with_task(slack).message("T-7 is 60% done", user="U0MEM", ts="1764122400.000300")
    slack.message("T-7 卡住了，等钢材", user="U0MEM", ts="1764122400.000400")
    task = rows(slack, Task)[0]
    assert (task.status, task.progress, task.blocker) == ("blocked", 60, "等钢材")
    updates = [u for u in rows(slack, TaskUpdate) if u.source == "message"]
    assert [(u.slack_ts, u.status_after) for u in updates] == [
        ("1764122400.000300", "in_progress"),
        ("1764122400.000400", "blocked"),
    ]
    first, second = posts(slack)
    assert (
        "`T-7`" in first["text"] and "0% → 60%" in first["text"] and first["thread_ts"] == "1764122400.000300"
    )
    assert "受阻" in second["text"] and "等钢材" in second["text"]
    assert "rec_task_done" in str(first["blocks"]) and "rec_task_progress" in str(first["blocks"])


def test_clock_in_and_out(slack: SlackHarness) -> None:
    _with_task(slack).message("clocked in 7:15", user="U0MEM", ts="1764122400.000500")
    [shift] = rows(slack, Shift)
    assert shift.user_id == "U0MEM" and shift.ended_at is None
    assert "07:15" in posts(slack)[0]["text"]
    slack.message("clocked out 9:45", user="U0MEM", ts="1764122400.000600")
    [entry] = rows(slack, LaborEntry)
    assert entry.man_hours == Decimal("2.500") and entry.slack_ts == "1764122400.000600"
    assert f"`L-{entry.id}`" in posts(slack)[1]["text"]


@pytest.mark.parametrize("text", ["lunch?", "8 people at the meeting", "good morning team", "明天开会吗"])
def test_chit_chat_gets_nothing(slack: SlackHarness, text: str) -> None:
    _with_task(slack).message(text)
    assert rows(slack, LaborEntry) == [] and rows(slack, Expense) == []
    assert api_calls(slack) == []


def test_incomplete_statement_gets_a_private_hint(slack_lite: SlackHarness) -> None:
    _with_task(slack_lite).message("worked 8h tomorrow", user="U0MEM")
    assert rows(slack_lite, LaborEntry) == [] and posts(slack_lite) == []
    [hint] = whispers(slack_lite)
    assert hint["user"] == "U0MEM" and "future" in hint["text"]


def test_unknown_task_gets_a_private_hint(slack_lite: SlackHarness) -> None:
    _with_task(slack_lite).message("T-99 is 50% done", user="U0MEM")
    assert posts(slack_lite) == []
    assert "T-99" in whispers(slack_lite)[0]["text"]


def test_member_updating_someone_elses_task_is_refused(slack_lite: SlackHarness) -> None:
    _with_task(slack_lite).message("T-7 50%", user="U0OTHER")
    assert rows(slack_lite, Task)[0].progress == 0
    [hint] = whispers(slack_lite)
    assert "*tech*" in hint["text"] and hint["user"] == "U0OTHER"


def test_retried_event_stores_once(slack: SlackHarness) -> None:
    _with_task(slack)
    body = slack.payloads.message_event(
        "钢筋班 5人 8小时", user="U0PM", channel="C0PROJ", ts="1764122400.000700"
    )
    slack.dispatch(body)
    slack.dispatch(body, retry_num=1)
    slack.dispatch(body, retry_num=2)
    assert len(rows(slack, LaborEntry)) == 1
    assert len(posts(slack)) == 1


def test_edited_message_updates_its_record(slack: SlackHarness) -> None:
    _with_task(slack).message("钢筋班 5人 8小时", ts="1764122400.000800")
    slack.dispatch(
        slack.payloads.message_changed(
            "钢筋班 5人 6小时", user="U0PM", channel="C0PROJ", ts="1764122400.000800"
        )
    )
    old, new = rows(slack, LaborEntry)
    assert (
        old.void
        and not new.void
        and new.man_hours == Decimal("30.000")
        and new.slack_ts == "1764122400.000800"
    )
    [update] = slack.fake.calls_to("chat.update")
    assert update.args["ts"] == confirmation_of(slack, "1764122400.000800")
    # Contract §5: the replacement keeps the entry's number (L-1 stays L-1 through the edit).
    assert new.number == old.number == 1
    assert "`L-1`" in update.args["text"] and len(posts(slack)) == 1
    slack.dispatch(
        slack.payloads.message_changed("never mind", user="U0PM", channel="C0PROJ", ts="1764122400.000800")
    )
    assert all(e.void for e in rows(slack, LaborEntry))
    assert "no longer" in slack.fake.calls_to("chat.update")[-1].args["text"]


def test_edited_task_update_restores_the_task(slack: SlackHarness) -> None:
    _with_task(slack).message("T-7 60%", user="U0MEM", ts="1764122400.000900")
    slack.dispatch(
        slack.payloads.message_changed("T-7 40%", user="U0MEM", channel="C0PROJ", ts="1764122400.000900")
    )
    task = rows(slack, Task)[0]
    assert task.progress == 40
    live = [u for u in rows(slack, TaskUpdate) if u.source == "message" and not u.void]
    assert [(u.progress_before, u.progress_after) for u in live] == [(0, 40)]


def test_deleted_message_voids_its_record(slack: SlackHarness) -> None:
    _with_task(slack).message("买水泥 ¥3,200", ts="1764122400.001000")
    slack.dispatch(slack.payloads.message_deleted(user="U0PM", channel="C0PROJ", ts="1764122400.001000"))
    [expense] = rows(slack, Expense)
    assert expense.void
    [update] = slack.fake.calls_to("chat.update")
    assert f"E-{expense.id}" in update.args["text"] and "deleted" in update.args["text"]


def test_deleted_task_message_restores_the_task(slack: SlackHarness) -> None:
    _with_task(slack).message("T-7 done", user="U0MEM", ts="1764122400.001100")
    assert rows(slack, Task)[0].status == "done"
    slack.dispatch(slack.payloads.message_deleted(user="U0MEM", channel="C0PROJ", ts="1764122400.001100"))
    task = rows(slack, Task)[0]
    assert (task.status, task.progress) == ("todo", 0)


def test_bots_dms_and_unknown_channels_are_ignored(slack: SlackHarness) -> None:
    _with_task(slack)
    slack.message("钢筋班 5人 8小时", extra={"bot_id": "B0OTHER"})
    slack.message("钢筋班 5人 8小时", subtype="bot_message")
    slack.message("钢筋班 5人 8小时", user="UFOREMAN0")
    slack.message("钢筋班 5人 8小时", channel="C0NOPROJ")
    assert rows(slack, LaborEntry) == []
    assert api_calls(slack) == []


def test_direct_messages_are_left_to_the_standup_listener(slack_lite: SlackHarness) -> None:
    matches = make_matcher(slack_lite.services)
    dm = {"team_id": "T0TEAMA", "event": {"type": "message", "channel": "D0PM", "channel_type": "im", "user": "U0PM",
                                          "ts": "1.0", "text": "8h"}}  # fmt: skip
    channel = {"team_id": "T0TEAMA", "event": dm["event"] | {"channel": "C0PROJ", "channel_type": "channel"}}
    assert not matches(body=dm, context={})
    assert matches(body=channel, context={})


def test_thread_replies_are_read_but_meeting_threads_are_not(slack: SlackHarness) -> None:
    _with_task(slack)
    with Session(slack.services.engine) as s:
        project_id = rows(slack, Task)[0].project_id
        s.add(Meeting(team_id="T0TEAMA", project_id=project_id, period_key="2026-W48", meeting_on=rows(slack, Task)[0].created_at.date(),
                      slack_channel="C0PROJ", slack_ts="1764000000.000001"))  # fmt: skip
        s.commit()
    slack.message("钢筋班 5人 8小时", thread_ts="1764000000.000001")
    assert rows(slack, LaborEntry) == []
    slack.message("钢筋班 5人 8小时", ts="1764122400.001300", thread_ts="1764100000.000001")
    assert len(rows(slack, LaborEntry)) == 1
    assert posts(slack)[-1]["thread_ts"] == "1764100000.000001"


def test_confirmation_is_remembered_per_message(slack: SlackHarness) -> None:
    _with_task(slack).message("钢筋班 5人 8小时", ts="1764122400.001400")
    confirmed = [(r.channel, r.message_ts) for r in rows(slack, Confirmation)]
    assert ("C0PROJ", "1764122400.001400") in confirmed


def test_a_statement_that_takes_a_day_past_12_hours_warns_in_its_confirmation(slack: SlackHarness) -> None:
    _with_task(slack).message("worked 8h today", ts="1764122400.000100")
    first = posts(slack)[-1]
    assert first["thread_ts"] == "1764122400.000100" and "12 h" not in first["text"], first["text"]
    slack.message("今天又干了6小时", ts="1764122400.000200")
    warned = posts(slack)[-1]
    assert warned["thread_ts"] == "1764122400.000200"
    assert "共 14 小时，超过 12 小时" in warned["text"], warned["text"]
    assert len(rows(slack, LaborEntry)) == 2


def test_edits_and_deletes_of_an_expense_message_touch_only_its_own_expense(slack: SlackHarness) -> None:
    """An expense's row id is not its shown number once another project has expenses: editing or deleting
    the message must void that message's expense, never another one that happens to carry the number."""
    setup(slack)
    slack.command("/project", "create Other budget 5000 CNY tz Asia/Shanghai", channel="C0OTHR")
    slack.command("/expense", "100 gloves", channel="C0OTHR")  # row 1, E-1 of the other project
    ts = "1764122400.002000"
    slack.message("买了水泥 ¥3200", ts=ts)  # row 2, E-1 here
    slack.dispatch(slack.payloads.message_changed("买了水泥 ¥3500", user="U0PM", channel="C0PROJ", ts=ts))
    slack.command("/expense", "800 gloves")  # E-2 here
    slack.dispatch(slack.payloads.message_changed("买了水泥 ¥3800", user="U0PM", channel="C0PROJ", ts=ts))

    def live() -> list[tuple[int, str, Decimal]]:
        return sorted((e.project_id, e.note or "", e.amount) for e in rows(slack, Expense) if not e.void)

    here = rows(slack, Expense)[1].project_id
    other = rows(slack, Expense)[0].project_id
    assert live() == sorted([(other, "gloves", Decimal("100.00")), (here, "gloves", Decimal("800.00")),
                             (here, "水泥", Decimal("3800.00"))])  # fmt: skip
    slack.dispatch(slack.payloads.message_deleted(user="U0PM", channel="C0PROJ", ts=ts))
    assert live() == sorted([(other, "gloves", Decimal("100.00")), (here, "gloves", Decimal("800.00"))])

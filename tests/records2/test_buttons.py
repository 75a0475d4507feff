"""Buttons on confirmations: Undo, Edit, Mark done, Update progress; double clicks store nothing twice."""

from __future__ import annotations

import json
from decimal import Decimal

from storage.models import AuditLog, Expense, LaborEntry, Task, TaskUpdate
from tests.harness import SlackHarness
from tests.records2.helpers import button, confirmation_of, posts, rows, setup, whispers

TS = "1764122400.000100"


def _labor(slack: SlackHarness, user: str = "U0PM") -> tuple[str, str]:
    setup(slack)
    slack.command("/project", "role <@U0FOREMAN> foreman")
    slack.message("钢筋班 5人 8小时", user=user, ts=TS)
    [post] = posts(slack)
    return confirmation_of(slack, TS), button(post, "rec_undo")


def test_undo_voids_and_double_click_stays_single(slack: SlackHarness) -> None:
    confirmation, value = _labor(slack)
    slack.action("rec_undo", value, message_ts=confirmation)
    slack.action("rec_undo", value, message_ts=confirmation)
    [entry] = rows(slack, LaborEntry)
    assert entry.void
    assert len(rows(slack, AuditLog, entity="labor_entry", action="void")) == 1
    [update] = slack.fake.calls_to("chat.update")
    # Answered in the statement's language (Chinese here, in an English project), as its confirmation was.
    assert (
        update.args["ts"] == confirmation
        and "已撤销" in update.args["text"]
        and f"L-{entry.id}" in update.args["text"]
    )
    assert "rec_undo" not in str(update.args["blocks"])
    assert "已经撤销过了" in whispers(slack)[-1]["text"]


def test_undo_of_an_english_statement_is_answered_in_english(slack: SlackHarness) -> None:
    setup(slack)
    slack.message("rebar crew x5 8h", ts=TS)
    slack.action("rec_undo", button(posts(slack)[0], "rec_undo"), message_ts=confirmation_of(slack, TS))
    [update] = slack.fake.calls_to("chat.update")
    assert "Undone" in update.args["text"] and rows(slack, LaborEntry)[0].void


def test_undo_by_someone_else_is_refused(slack: SlackHarness) -> None:
    confirmation, value = _labor(slack, user="U0FOREMAN")
    slack.action("rec_undo", value, user="U0MEM", message_ts=confirmation)
    assert not rows(slack, LaborEntry)[0].void
    assert "项目经理" in whispers(slack)[-1]["text"]  # the Chinese statement's refusal, in Chinese
    slack.action("rec_undo", value, user="U0PM", message_ts=confirmation)
    assert rows(slack, LaborEntry)[0].void


def test_undo_task_update_restores_the_task(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/task", 'add T-7 "Pour slab"')
    slack.message("T-7 卡住了，等钢材", ts=TS)
    post = posts(slack)[-1]
    slack.action("rec_undo", button(post, "rec_undo"), message_ts=confirmation_of(slack, TS))
    task = rows(slack, Task)[0]
    assert (task.status, task.blocker, task.blocked_since) == ("todo", None, None)
    assert [u.void for u in rows(slack, TaskUpdate) if u.source == "message"] == [True]


def test_mark_done_double_click_records_once(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/task", 'add T-7 "Pour slab" owner <@U0MEM>')
    slack.message("T-7 60%", user="U0MEM", ts=TS)
    post = posts(slack)[-1]
    value = button(post, "rec_task_done")
    slack.action("rec_task_done", value, user="U0MEM", message_ts=confirmation_of(slack, TS))
    slack.action("rec_task_done", value, user="U0MEM", message_ts=confirmation_of(slack, TS))
    task = rows(slack, Task)[0]
    assert (task.status, task.progress) == ("done", 100)
    assert len([u for u in rows(slack, TaskUpdate) if u.status_after == "done"]) == 1
    first, second = whispers(slack)[-2:]
    assert "60% → 100%" in first["text"] and "nothing changed" in second["text"]


def test_mark_done_by_non_owner_member_is_refused(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/task", 'add T-7 "Pour slab" owner <@U0TECH>')
    slack.message("T-7 60%", user="U0TECH", ts=TS)
    post = posts(slack)[-1]
    slack.action(
        "rec_task_done", button(post, "rec_task_done"), user="U0MEM", message_ts=confirmation_of(slack, TS)
    )
    assert rows(slack, Task)[0].status == "in_progress"
    assert "*tech*" in whispers(slack)[-1]["text"]


def test_update_progress_form(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/task", 'add T-7 "Pour slab"')
    slack.message("T-7 60%", ts=TS)
    post = posts(slack)[-1]
    slack.action(
        "rec_task_progress", button(post, "rec_task_progress"), message_ts=confirmation_of(slack, TS)
    )
    [opened] = slack.fake.calls_to("views.open")
    view = json.loads(opened.args["view"]) if isinstance(opened.args["view"], str) else opened.args["view"]
    assert view["callback_id"] == "rec_task_progress_form" and '"60"' in json.dumps(view)
    meta = view["private_metadata"]
    bad = slack.submit("rec_task_progress_form", {"progress": {"value": {"type": "number_input", "value": "150"}}},
                       private_metadata=meta)  # fmt: skip
    assert "progress" in bad.json["errors"]
    ok = slack.submit("rec_task_progress_form", {"progress": {"value": {"type": "number_input", "value": "85"}}},
                      private_metadata=meta)  # fmt: skip
    assert not ok.json.get("errors")
    assert rows(slack, Task)[0].progress == 85
    assert "60% → 85%" in whispers(slack)[-1]["text"]


def test_edit_button_opens_prefilled_form_and_updates_the_record(slack: SlackHarness) -> None:
    setup(slack)
    slack.message("买水泥 ¥3,200", ts=TS)
    post = posts(slack)[-1]
    slack.action("rec_edit", button(post, "rec_edit"), message_ts=confirmation_of(slack, TS))
    [opened] = slack.fake.calls_to("views.open")
    view = json.loads(opened.args["view"]) if isinstance(opened.args["view"], str) else opened.args["view"]
    assert "3200.00 CNY material" in json.dumps(view, ensure_ascii=False)
    meta = view["private_metadata"]
    bad = slack.submit("rec_edit_form", {"statement": {"value": {"type": "plain_text_input", "value": "¥3500 明天"}}},
                       private_metadata=meta)  # fmt: skip
    assert "statement" in bad.json["errors"]
    assert not rows(slack, Expense)[0].void
    ok = slack.submit("rec_edit_form", {"statement": {"value": {"type": "plain_text_input", "value": "3500 CNY material"}}},
                      private_metadata=meta)  # fmt: skip
    assert not ok.json.get("errors")
    old, new = rows(slack, Expense)
    assert old.void and new.amount == Decimal("3500.00") and new.slack_ts == TS
    update = slack.fake.calls_to("chat.update")[-1]
    # Contract §5: the replacement keeps the record's number (E-1 stays E-1 through the edit).
    assert new.number == old.number == 1
    assert update.args["ts"] == confirmation_of(slack, TS) and "`E-1`" in update.args["text"]


def test_edit_labor_prefill_round_trips(slack: SlackHarness) -> None:
    confirmation, _ = _labor(slack)
    post = posts(slack)[-1]
    slack.action("rec_edit", button(post, "rec_edit"), message_ts=confirmation)
    view = slack.fake.calls_to("views.open")[0].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    statement = view["blocks"][0]["element"]["initial_value"]
    assert "钢筋班" in statement and "8h" in statement
    ok = slack.submit("rec_edit_form", {"statement": {"value": {"type": "plain_text_input", "value": statement.replace("8h", "6h")}}},
                      private_metadata=view["private_metadata"])  # fmt: skip
    assert not ok.json.get("errors")
    old, new = rows(slack, LaborEntry)
    assert old.void and new.man_hours == Decimal("30.000") and new.headcount == 5

"""/task through signed slash commands: add, updates, owner/due changes, lists, roles, tenants, forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from storage.models import AuditLog, Task, TaskUpdate
from tests.harness import SlackHarness
from tests.records2.helpers import NOW, rows, setup


def test_add_task_in_english_with_future_dates(slack: SlackHarness) -> None:
    setup(slack)
    reply = slack.command(
        "/task", 'add t-7 "Pour slab" owner <@U0MEM> start 12/1 due next Fri weight 3', user="U0TECH"
    )
    [task] = rows(slack, Task)
    assert (task.key, task.title, task.owner_user_id) == ("T-7", "Pour slab", "U0MEM")
    assert (task.start_date, task.due_date, task.weight) == (
        date(2026, 12, 1),
        date(2026, 12, 4),
        Decimal("3"),
    )
    assert (task.status, task.progress, task.created_by) == ("todo", 0, "U0TECH")
    assert (
        "`T-7`" in reply.text
        and "Pour slab" in reply.text
        and "2026-12-04" in reply.text
        and "<@U0MEM>" in reply.text
    )
    [created] = rows(slack, TaskUpdate)
    assert created.note == "created" and created.user_id == "U0TECH"


def test_add_task_in_chinese(slack: SlackHarness) -> None:
    setup(slack, lang="zh")
    reply = slack.command("/task", "添加 HIS-4 “基坑支护” 负责人 <@U0MEM> 截止 下周五 权重 2")
    [task] = rows(slack, Task)
    assert (task.key, task.title, task.due_date, task.weight) == (
        "HIS-4",
        "基坑支护",
        date(2026, 12, 4),
        Decimal("2"),
    )
    assert "已添加任务" in reply.text and "`HIS-4`" in reply.text and "2026-12-04" in reply.text


@pytest.mark.parametrize(
    ("text", "due"),
    [("12/15", date(2026, 12, 15)), ("2026-12-15", date(2026, 12, 15)), ("in 3 days", date(2026, 11, 29)),
     ("3天后", date(2026, 11, 29)), ("Fri", date(2026, 11, 27)), ("3/31", date(2027, 3, 31)),
     ("1月5日", date(2027, 1, 5)),
     # a month-day means the nearest one: last week's 11/20 is already overdue, not next year's
     ("11/20", date(2026, 11, 20)), ("24 Nov", date(2026, 11, 24))],
)  # fmt: skip
def test_due_dates_read_forward(slack_lite: SlackHarness, text: str, due: date) -> None:
    setup(slack_lite)
    slack_lite.command("/task", f'add T-1 "Slab" due {text}')
    [task] = rows(slack_lite, Task)
    assert task.due_date == due


def test_duplicate_key_is_refused(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/task", 'add T-1 "Slab"')
    reply = slack.command("/task", 'add t-01 "Other"')
    assert reply.ephemeral and "already exists" in reply.text
    assert [t.title for t in rows(slack, Task)] == ["Slab"]


def test_progress_done_blocked_unblocked_in_both_languages(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/task", 'add T-7 "Pour slab" owner <@U0MEM>')
    first = slack.command("/task", "T-7 60%", user="U0MEM")
    assert "0% → 60%" in first.text
    blocked = slack.command("/task", "T-7 受阻 等钢材", user="U0MEM")
    task = rows(slack, Task)[0]
    assert (task.status, task.blocker, task.progress) == ("blocked", "等钢材", 60)
    assert task.blocked_since == NOW
    assert "受阻" in blocked.text and "等钢材" in blocked.text
    slack.command("/task", "T-7 unblocked", user="U0MEM")
    task = rows(slack, Task)[0]
    assert (task.status, task.blocker, task.blocked_since) == ("in_progress", None, None)
    done = slack.command("/task", "T-7 完成", user="U0MEM")
    task = rows(slack, Task)[0]
    assert (task.status, task.progress) == ("done", 100)
    assert "已完成" in done.text
    updates = rows(slack, TaskUpdate)[1:]
    assert [(u.progress_before, u.progress_after, u.status_before, u.status_after) for u in updates] == [
        (0, 60, "todo", "in_progress"),
        (60, 60, "in_progress", "blocked"),
        (60, 60, "blocked", "in_progress"),
        (60, 100, "in_progress", "done"),
    ]
    assert all(u.user_id == "U0MEM" and u.source == "command" for u in updates)
    assert len(rows(slack, AuditLog, entity="task")) == 5


def test_progress_100_means_done(slack_lite: SlackHarness) -> None:
    setup(slack_lite)
    slack_lite.command("/task", 'add T-2 "Rebar"')
    reply = slack_lite.command("/task", "T-2 100%")
    assert rows(slack_lite, Task)[0].status == "done" and "done" in reply.text


def test_due_and_owner_changes_by_tech(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/task", 'add T-3 "Formwork" due 12/10')
    due = slack.command("/task", "T-3 due 12/20", user="U0TECH")
    owner = slack.command("/task", "T-3 负责人 <@U0MEM>", user="U0TECH")
    task = rows(slack, Task)[0]
    assert (task.due_date, task.owner_user_id) == (date(2026, 12, 20), "U0MEM")
    assert "2026-12-20" in due.text and "<@U0MEM>" in owner.text and "负责人" in owner.text
    notes = [u.note for u in rows(slack, TaskUpdate)[1:]]
    assert notes == ["due: 2026-12-10 → 2026-12-20", "owner: — → U0MEM"]


def test_member_may_update_only_own_tasks(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/task", 'add T-1 "Mine" owner <@U0MEM>')
    slack.command("/task", 'add T-2 "Not mine" owner <@U0TECH>')
    refused = slack.command("/task", "T-2 50%", user="U0MEM")
    assert refused.ephemeral and "*tech*" in refused.text
    zh = slack.command("/task", "T-2 完成", user="U0MEM")
    assert "*技术负责人* 角色（你是 *成员*）" in zh.text, zh.text
    owner_change = slack.command("/task", "T-1 owner <@U0MEM>", user="U0MEM")
    assert "*tech*" in owner_change.text
    add = slack.command("/task", 'add T-9 "x"', user="U0MEM")
    assert "*tech*" in add.text
    ok = slack.command("/task", "T-1 50%", user="U0MEM")
    assert "50%" in ok.text
    assert {t.key: t.progress for t in rows(slack, Task)} == {"T-1": 50, "T-2": 0}


def test_lists(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/task", 'add T-1 "Late" owner <@U0MEM> due 2026-11-20')
    slack.command("/task", 'add T-2 "Stuck" due 12/10')
    slack.command("/task", 'add T-3 "Finished"')
    slack.command("/task", "T-2 blocked waiting for rebar")
    slack.command("/task", "T-3 done")
    assert "T-1" in slack.command("/task", "list").text and "T-3" not in slack.command("/task", "list").text
    mine = slack.command("/task", "list mine", user="U0MEM").text
    assert "T-1" in mine and "T-2" not in mine
    overdue = slack.command("/task", "list overdue").text
    assert "T-1" in overdue and "overdue since" in overdue and "T-2" not in overdue
    blocked = slack.command("/task", "列表 受阻").text
    assert "T-2" in blocked and "waiting for rebar" in blocked and "T-1" not in blocked
    assert "T-3" in slack.command("/task", "list all").text
    assert "/task add" in slack.command("/task", "help").text
    assert "/task add" in slack.command("/task", "帮助").text


def test_unknown_task_and_other_team(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/task", 'add T-1 "Slab"')
    other = slack.as_team("T0TEAMB")
    other.create_project()
    reply = other.command("/task", "T-1 50%")
    assert reply.ephemeral and "No task `T-1`" in reply.text
    assert "No task `T-1`" in other.command("/task", "T-1 due 12/20").text
    assert rows(slack, Task)[0].progress == 0
    assert "`T-1`" not in other.command("/task", "list all").text


def test_bad_input_gets_usage(slack_lite: SlackHarness) -> None:
    setup(slack_lite)
    assert "Example:" in slack_lite.command("/task", 'add T-1 "x" due someday').text
    assert "/task T-12 70%" in slack_lite.command("/task", "whatever").text
    assert rows(slack_lite, Task) == []


def test_no_text_opens_form_and_submit_adds_task(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/task", "")
    [opened] = slack.fake.calls_to("views.open")
    assert "rec_task_add" in str(opened.args["view"])
    meta = '{"c": "C0PROJ", "l": "en"}'
    bad = slack.submit("rec_task_add", {"key": {"value": {"type": "plain_text_input", "value": "12"}},
                                         "title": {"value": {"type": "plain_text_input", "value": ""}}},
                       private_metadata=meta)  # fmt: skip
    assert set(bad.json["errors"]) == {"key", "title"}
    values = {
        "key": {"value": {"type": "plain_text_input", "value": "t-5"}},
        "title": {"value": {"type": "plain_text_input", "value": "Scaffold"}},
        "owner": {"value": {"type": "users_select", "selected_user": "U0MEM"}},
        "start": {"value": {"type": "datepicker", "selected_date": None}},
        "due": {"value": {"type": "datepicker", "selected_date": "2026-12-18"}},
        "weight": {"value": {"type": "plain_text_input", "value": "2"}},
    }
    ok = slack.submit("rec_task_add", values, private_metadata=meta)
    assert ok.status == 200 and not ok.json.get("errors")
    [task] = rows(slack, Task)
    assert (task.key, task.owner_user_id, task.due_date) == ("T-5", "U0MEM", date(2026, 12, 18))
    [whisper] = slack.fake.calls_to("chat.postEphemeral")
    assert "`T-5`" in whisper.args["text"]
    again = slack.submit("rec_task_add", values, private_metadata=meta)
    assert "already exists" in again.json["errors"]["key"]


def test_a_field_given_twice_is_refused_not_the_last_one_kept(slack: SlackHarness) -> None:
    setup(slack)
    reply = slack.command("/task", 'add T-1 "Slab" due 12/10 due 12/12')
    assert "`due` is given twice (`12/10` and `12/12`)" in reply.text and rows(slack, Task) == []
    assert "写了两次" in slack.command("/task", 'add T-2 "墙" 截止 下周五 权重 2 权重 3').text
    assert rows(slack, Task) == []
    slack.command("/task", 'add T-3 "Walls" due 12/10')
    assert "given twice" in slack.command("/task", "T-3 weight 2 weight 3").text
    assert [(t.key, t.weight) for t in rows(slack, Task)] == [("T-3", Decimal(1))]

"""Understanding people can trust, end to end over signed Slack requests (issue #10, contract §5):
refusals quoting what was not understood, tasks named by title, names written together, the roster's
display names, and replies in the language typed."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from storage.models import Expense, LaborEntry, Task, TaskUpdate, UserProfile, Worker
from tests.harness import Reply, SlackHarness
from tests.records2.helpers import NOW, posts, rows, setup, whispers

TS = "1764122400.000100"


def _buttons(blocks: Any, action_id: str = "rec_task_pick") -> list[dict[str, Any]]:
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return [
        e
        for b in blocks
        for e in b.get("elements", [])
        if str(e.get("action_id", "")).split(":")[0] == action_id
    ]


def _tasks(slack: SlackHarness, *titles: tuple[str, str]) -> None:
    for key, title in titles:
        reply = slack.command("/task", f'add {key} "{title}"')
        assert key in reply.text, reply.text


def _task(slack: SlackHarness, key: str) -> Task:
    [task] = rows(slack, Task, key=key)
    return task


def _changes(slack: SlackHarness) -> list[TaskUpdate]:
    """Task updates after creation (adding a task records its first state)."""
    return [u for u in rows(slack, TaskUpdate) if u.progress_before is not None and not u.void]


# --- Refusals that quote the part not understood; nothing stored ---


def test_log_labor_with_an_impossible_day_quotes_it_and_stores_nothing(slack: SlackHarness) -> None:
    setup(slack)
    reply = slack.command("/log-labor", "8h 32号")
    assert reply.ephemeral and "“32号”" in reply.text and "未保存" in reply.text
    assert rows(slack, LaborEntry) == []


def test_expense_in_scientific_notation_is_refused(slack: SlackHarness) -> None:
    setup(slack)
    reply = slack.command("/expense", "1e9 材料")
    assert reply.ephemeral and "“1e9”" in reply.text
    assert rows(slack, Expense) == []


def test_negative_hours_are_refused_not_stored_as_positive(slack: SlackHarness) -> None:
    setup(slack)
    reply = slack.command("/log-labor", "-8h")
    assert "“-8h”" in reply.text and "Nothing was saved" in reply.text
    assert rows(slack, LaborEntry) == []


def test_a_refused_channel_message_stays_silent(slack: SlackHarness) -> None:
    setup(slack)
    slack.message("8h 32号", ts=TS)
    slack.message("报价3200元", ts="1764122400.000200")
    assert rows(slack, LaborEntry) == [] and rows(slack, Expense) == []
    assert posts(slack) == [] and whispers(slack) == []


# --- The examples that touch storage ---


def test_chinese_numerals_in_full_store_the_exact_amount(slack: SlackHarness) -> None:
    setup(slack)
    reply = slack.command("/expense", "二百零三元")
    [expense] = rows(slack, Expense)
    assert expense.amount == Decimal("203.00") and expense.currency == "CNY"
    assert "203.00" in reply.text


def test_day_labor_pay_in_a_channel_message_is_labor_with_a_rate(slack: SlackHarness) -> None:
    setup(slack)
    slack.message("11月20日 点工3人 每人300元/天", ts=TS)
    [entry] = rows(slack, LaborEntry)
    assert (entry.headcount, entry.rate, entry.rate_unit) == (3, Decimal("300.00"), "day")
    assert entry.work_date == date(2026, 11, 20) and entry.hours_each == Decimal("8")
    assert rows(slack, Expense) == []


# --- Tasks by title ---


def test_one_title_match_is_used_and_the_reply_names_the_key(slack: SlackHarness) -> None:
    setup(slack)
    _tasks(slack, ("T-3", "三层楼板浇筑"), ("T-4", "屋面防水"))
    slack.message("三层楼板浇筑完成70%", ts=TS)
    assert _task(slack, "T-3").progress == 70 and _task(slack, "T-4").progress == 0
    assert "T-3" in posts(slack)[-1]["text"]
    reply = slack.command("/task", "屋面防水 40%")
    assert "T-4" in reply.text and _task(slack, "T-4").progress == 40


def test_two_title_matches_ask_with_a_button_each_and_a_press_updates_that_task(
    slack: SlackHarness,
) -> None:
    setup(slack)
    _tasks(slack, ("T-1", "东区浇筑"), ("T-2", "西区浇筑"))
    slack.message("东区浇筑和西区浇筑完成50%", ts=TS)
    assert _changes(slack) == []
    [question] = whispers(slack)
    assert "T-1" in question["text"] and "T-2" in question["text"]
    picks = _buttons(question["blocks"])
    assert [json.loads(b["value"])["key"] for b in picks] == ["T-1", "T-2"]
    value = next(b["value"] for b in picks if json.loads(b["value"])["key"] == "T-2")
    slack.action("rec_task_pick", value)
    assert _task(slack, "T-2").progress == 50 and _task(slack, "T-1").progress == 0
    assert "T-2" in posts(slack)[-1]["text"]
    # A second press (or the other button) changes nothing more: the message already made its update.
    slack.action("rec_task_pick", value)
    other = next(b["value"] for b in picks if json.loads(b["value"])["key"] == "T-1")
    slack.action("rec_task_pick", other)
    assert len(_changes(slack)) == 1 and _task(slack, "T-1").progress == 0
    assert "T-2" in whispers(slack)[-1]["text"]
    # The update belongs to the message: deleting it reverts the task.
    slack.dispatch(slack.payloads.message_deleted(user="U0PM", channel="C0PROJ", ts=TS))
    assert _task(slack, "T-2").progress == 0


def test_slash_command_naming_two_tasks_asks_with_buttons(slack: SlackHarness) -> None:
    setup(slack)
    _tasks(slack, ("T-1", "East pour"), ("T-2", "West pour"))
    reply = slack.command("/task", "East pour West pour 60%")
    assert reply.ephemeral and "T-1" in reply.text and "T-2" in reply.text
    picks = _buttons(reply.json["blocks"])
    assert len(picks) == 2 and _changes(slack) == []
    slack.action("rec_task_pick", picks[0]["value"])
    assert _task(slack, "T-1").progress == 60 and _task(slack, "T-2").progress == 0
    assert "T-1" in whispers(slack)[-1]["text"]


def test_a_close_but_unsure_title_is_asked_never_guessed(slack: SlackHarness) -> None:
    setup(slack)
    _tasks(slack, ("T-3", "三层楼板浇筑"))
    slack.message("三层楼板完成70%", ts=TS)
    assert _task(slack, "T-3").progress == 0 and _changes(slack) == []
    [question] = whispers(slack)
    assert "T-3" in question["text"] and len(_buttons(question["blocks"])) == 1


def test_no_title_match_stores_nothing(slack: SlackHarness) -> None:
    setup(slack)
    _tasks(slack, ("T-3", "三层楼板浇筑"))
    slack.message("地下室防水完成70%", ts=TS)
    reply = slack.command("/task", "地下室防水 70%")
    assert "T-" in reply.text and "任务" in reply.text  # the refusal asks for a key, in Chinese
    assert _changes(slack) == [] and _task(slack, "T-3").progress == 0
    assert posts(slack) == []


# --- Names written together, and members' display names ---


def test_names_written_together_split_against_the_roster(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/project", "worker 张三")
    slack.command("/project", "worker 李四")
    slack.message("张三李四今天各干了8个小时，加班2小时", ts=TS)
    names = {w.id: w.name for w in rows(slack, Worker)}
    entries = rows(slack, LaborEntry)
    assert sorted(names[e.worker_id] for e in entries) == ["张三", "李四"]
    assert all(e.user_id is None and e.work_date == date(2026, 11, 26) for e in entries)
    assert all((e.hours_each, e.overtime_hours) == (Decimal("8"), Decimal("2")) for e in entries)


def test_a_members_display_name_names_that_member(slack: SlackHarness) -> None:
    setup(slack)
    with Session(slack.services.engine) as s:
        s.add(UserProfile(team_id=slack.team_id, user_id="U0MEM", name="王工", fetched_at=NOW))
        s.commit()
    slack.command("/log-labor", "王工 8h")
    [entry] = rows(slack, LaborEntry)
    assert entry.user_id == "U0MEM" and entry.logged_by == "U0PM"


# --- Reply language: the language typed ---


def test_chinese_command_in_an_english_project_gets_a_chinese_reply(slack: SlackHarness) -> None:
    setup(slack, lang="en")
    reply = slack.command("/expense", "300元 材料")
    assert "已记录" in reply.text or "支出" in reply.text, reply.text
    refusal = slack.command("/log-labor", "8小时 32号")
    assert "没看懂" in refusal.text


def test_english_command_in_a_chinese_project_gets_an_english_reply(slack: SlackHarness) -> None:
    setup(slack, lang="zh")
    reply = slack.command("/expense", "$480 crane rental")
    assert _no_chinese(reply) and "480" in reply.text
    refusal = slack.command("/log-labor", "8h on the 32nd")
    assert "I did not understand “32nd”" in refusal.text and "没看懂" not in refusal.text
    slack.message("8h on site", ts=TS)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in posts(slack)[-1]["text"])


def _no_chinese(reply: Reply) -> bool:
    return bool(reply.text) and not any("\u4e00" <= ch <= "\u9fff" for ch in reply.text)

"""What the posts say and what answers to them store: digest, prompts and DM answers, nudges and Snooze,
the joint meeting prompt with its thread replies and reminder."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, select

from bot.scheduler.tick import tick
from bot.services.digest import build_digest
from bot.views.mrkdwn import blocks as slack_blocks
from bot.views.scheduler_views import digest_blocks
from storage.models import Crew, LaborEntry, Meeting, Task, TaskUpdate
from tests.harness import SlackHarness
from tests.scheduler.sched_support import (
    add_expense,
    add_labor,
    add_member,
    add_project,
    add_risk,
    add_task,
    deliveries,
)

THU = date(2026, 11, 26)
STANDUP = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 09:00 Shanghai
NUDGE_TIME = STANDUP + timedelta(hours=1)


def _text(blocks: list[dict]) -> str:  # type: ignore[type-arg]
    return json.dumps(blocks, ensure_ascii=False)


def test_digest_content_in_both_languages(slack: SlackHarness) -> None:
    with Session(slack.services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("10000"))
        add_member(s, project, "U1", "member")
        add_member(s, project, "U2", "foreman")
        add_member(s, project, "U3", "tech")
        crew = Crew(team_id=project.team_id, project_id=project.pk, name="钢筋班")
        s.add(crew)
        s.commit()
        add_labor(
            s,
            project,
            date(2026, 11, 25),
            "40",
            "2000.00",
            crew_id=crew.id,
            user_id=None,
            headcount=5,
            logged_by="U2",
        )
        add_labor(s, project, date(2026, 11, 25), "8", None, user_id="U1", logged_by="U1")
        add_labor(s, project, date(2026, 11, 20), "8", "400.00", user_id="U3")  # before the period
        add_expense(s, project, date(2026, 11, 25), "3200", "material")
        add_expense(s, project, date(2026, 11, 25), "480", "equipment")
        task = add_task(
            s,
            project,
            "T-12",
            title="Rebar L3",
            progress=70,
            status="blocked",
            blocker="rebar late",
            weight=1,
        )
        add_task(s, project, "T-13", title="Pour slab", due_date=THU, owner_user_id="U1")
        add_task(
            s,
            project,
            "T-9",
            title="Formwork",
            due_date=date(2026, 11, 20),
            progress=40,
            status="in_progress",
        )
        s.add(
            TaskUpdate(
                team_id=project.team_id,
                project_id=project.pk,
                task_id=task.pk,
                user_id="U3",
                at=datetime(2026, 11, 25, 3, 0, tzinfo=UTC),
                progress_before=50,
                progress_after=70,
                status_before="in_progress",
                status_after="blocked",
                blocker="rebar late",
            )
        )
        s.commit()
        add_risk(s, project, 1, 4, 5, title="Crane failure")
        digest = build_digest(s, project=project, day=THU)

    assert (digest.first_day, digest.last_day) == (date(2026, 11, 25), date(2026, 11, 25))
    assert digest.man_hours == Decimal("48") and digest.labor_cost == Decimal("2000.00")
    assert digest.missing_rate_entries == 1
    assert [(c.name, c.headcount) for c in digest.crews] == [("钢筋班", 5), (None, 1)]
    assert digest.not_logged == ("U3",)
    en = _text(slack_blocks(digest_blocks(digest, "en")))
    for expected in (
        "48 man-h",
        "¥2,000.00",
        "rate missing on entries: 1",
        "钢筋班: 5 people",
        "individuals: 1 person, 8 man-h",  # one person is not "1 people"
        "¥3,200.00",
        "`T-12` Rebar L3: blocked — rebar late",
        "*Due today*: `T-13` Pour slab (<@U1>)",
        "*Overdue*: `T-9` Formwork",
        "CPI 0.60",
        "`R-1` Crane failure (4×5=20)",
        "*Not logged*: <@U3>",
    ):
        assert expected in en, expected
    zh = _text(slack_blocks(digest_blocks(digest, "zh")))
    for expected in (
        "站会日报",
        "48 工时",
        "缺少单价",
        "材料",
        "受阻 — rebar late",
        "今日到期",
        "已逾期",
        "未记工",
    ):
        assert expected in zh, expected


def test_empty_day_still_posts(slack: SlackHarness) -> None:
    with Session(slack.services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("0"))
    [post] = tick(slack.services, STANDUP)
    assert post.kind == "standup"
    [call] = slack.fake.calls_to("chat.postMessage")
    assert call.args["channel"] == project.channel_id
    blocks = _text(call.args["blocks"])
    assert "Nothing logged in this period." in blocks and call.args["text"]
    assert "CPI n/a · SPI n/a" in blocks


def test_prompt_dm_answer_is_stored_and_shown_in_the_digest(slack: SlackHarness) -> None:
    with Session(slack.services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("0"), prompts_enabled=True)
        add_member(s, project, "U1", "member")
        add_task(s, project, "T-1", title="Walls", owner_user_id="U1", progress=10, status="in_progress")
    asked = tick(slack.services, STANDUP - timedelta(minutes=30))
    assert [(p.kind, p.key, p.channel) for p in asked] == [
        ("standup_prompt", "standup_prompt:2026-11-26:U1", "D1")
    ]
    assert slack.fake.calls_to("conversations.open")[0].args["users"] == "U1"

    slack.services.clock = lambda: STANDUP - timedelta(minutes=20)
    slack.message(
        "yesterday: 8h\nT-1 70%\nblockers: none", user="U1", channel="D1", extra={"channel_type": "im"}
    )
    reply = slack.fake.calls_to("chat.postMessage")[-1]
    assert reply.args["channel"] == "D1" and project.code in reply.args["text"]
    with Session(slack.services.engine) as s:
        task = s.exec(select(Task).where(Task.key == "T-1")).one()
        assert task.progress == 70
        [entry] = s.exec(select(LaborEntry)).all()
        assert (entry.user_id, entry.work_date, entry.man_hours) == (
            "U1",
            date(2026, 11, 25),
            Decimal("8.000"),
        )

    [post] = tick(slack.services, STANDUP)
    assert post.kind == "standup"
    blocks = _text(slack.fake.calls_to("chat.postMessage")[-1].args["blocks"])
    assert "`T-1` Walls: 10% → 70%" in blocks
    assert "<@U1>: yesterday: 8h" in blocks and "8 man-h" in blocks
    assert "*Not logged*" not in blocks


def test_channel_messages_are_not_taken_by_the_answer_listener(slack: SlackHarness) -> None:
    with Session(slack.services.engine, expire_on_commit=False) as s:
        add_project(s, channel_id="C0PROJ", budget=Decimal("0"))
    slack.message("just chatting", user="U1", channel="C0PROJ")
    assert all(c.args.get("channel") != "D1" for c in slack.fake.calls_to("chat.postMessage"))


def test_nudges_once_a_day_and_snooze(slack: SlackHarness) -> None:
    with Session(slack.services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("0"))
        add_member(s, project, "U1", "member")
        add_task(
            s,
            project,
            "T-5",
            title="Scaffold",
            owner_user_id="U1",
            progress=30,
            status="in_progress",
            due_date=date(2026, 11, 24),
            created_at=STANDUP,
            updated_at=STANDUP,
        )
    slack.services.clock = lambda: NUDGE_TIME
    tick(slack.services, STANDUP)
    first = tick(slack.services, NUDGE_TIME)
    assert [(p.kind, p.key, p.channel) for p in first] == [("nudge", "nudge:overdue:T-5:2026-11-26", "D1")]
    dm = slack.fake.calls_to("chat.postMessage")[-1]
    assert "`T-5` Scaffold was due 2026-11-24 (2 days ago)" in dm.args["text"]
    actions = next(b for b in dm.args["blocks"] if b["type"] == "actions")["elements"]
    assert [a["action_id"] for a in actions] == ["sched_snooze", "sched_update"]
    assert tick(slack.services, NUDGE_TIME + timedelta(minutes=30)) == []

    # Update opens the progress modal; submitting it stores the progress.
    slack.action("sched_update", actions[1]["value"], user="U1", channel="D1")
    view = slack.fake.calls_to("views.open")[-1].args["view"]
    assert view["callback_id"] == "sched_progress"
    slack.submit(
        "sched_progress",
        {"progress": {"value": {"type": "number_input", "value": "55"}}},
        user="U1",
        private_metadata=view["private_metadata"],
    )
    with Session(slack.services.engine) as s:
        assert s.exec(select(Task).where(Task.key == "T-5")).one().progress == 55
    assert "`T-5` is now at 55%" in slack.fake.calls_to("chat.postMessage")[-1].args["text"]

    # Snooze: tomorrow's nudge for the same condition is recorded as skipped, not sent.
    slack.action("sched_snooze", actions[0]["value"], user="U1", channel="D1")
    assert "Snoozed until 2026-11-27 10:00" in slack.fake.calls_to("response_url")[-1].args["text"]
    friday = NUDGE_TIME + timedelta(days=1)
    tick(slack.services, friday - timedelta(hours=1))
    assert [p for p in tick(slack.services, friday) if p.kind == "nudge"] == []
    with Session(slack.services.engine) as s:
        rows = {r.period_key: (r.status, r.error) for r in deliveries(s) if r.kind == "nudge"}
    assert rows["nudge:overdue:T-5:2026-11-27"] == ("skipped", "snoozed")
    # After the snooze, Monday's nudge goes out again.
    monday = NUDGE_TIME + timedelta(days=4)
    tick(slack.services, monday - timedelta(hours=1))
    assert [p.key for p in tick(slack.services, monday) if p.kind == "nudge"] == [
        "nudge:overdue:T-5:2026-11-30"
    ]


def test_blocked_task_is_escalated_to_the_pm_in_the_channel(slack: SlackHarness) -> None:
    with Session(slack.services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("0"), language="zh")
        add_task(
            s,
            project,
            "T-7",
            title="钢筋",
            owner_user_id="U1",
            status="blocked",
            blocker="等钢筋",
            blocked_since=datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
            created_at=STANDUP,
            updated_at=STANDUP,
        )
    tick(slack.services, STANDUP)
    posts = tick(slack.services, NUDGE_TIME)
    assert [(p.key, p.channel) for p in posts] == [("nudge:blocked:T-7:2026-11-26", project.channel_id)]
    text = slack.fake.calls_to("chat.postMessage")[-1].args["text"]
    assert "已受阻 4 个工作日" in text and "<@U0PM>" in text and "<@U1>" in text


def test_meeting_prompt_thread_replies_and_reminder(slack: SlackHarness) -> None:
    with Session(slack.services.engine, expire_on_commit=False) as s:
        project = add_project(
            s,
            budget=Decimal("10000"),
            start_date=date(2026, 11, 16),
            channel_id="C0PROJ",
            standup_time="18:00",
        )
        add_member(s, project, "U0TECH", "tech")
        add_member(s, project, "U1", "member")
        add_task(s, project, "T-1", title="Walls", status="blocked", blocker="design", weight=1)
        add_risk(s, project, 1, 4, 4, title="Soil")
    # Meetings every 2 weeks on Tuesday 10:00 from the week of 16 November: 17 Nov, 1 Dec. The prompt for
    # 1 December goes out two workdays before, Friday 27 November at 10:00 (02:00 UTC).
    prompt_at = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    assert [p.kind for p in tick(slack.services, prompt_at - timedelta(minutes=1))] == []
    [post] = [p for p in tick(slack.services, prompt_at) if p.kind == "meeting_prompt"]
    assert post.key == "meeting:2026-W49"
    call = slack.fake.calls_to("chat.postMessage")[-1]
    blocks = _text(call.args["blocks"])
    for expected in (
        "Joint tech–management meeting",
        "SPI",
        "1 blocked",
        "`R-1` Soil (4×4=16)",
        "unblock `T-1`",
        "mitigate `R-1`",
        "<@U0TECH>: please post the *technical risk assessment*",
        "<@U0PM>: please post the *updated risk plan*",
    ):
        assert expected in blocks, expected
    with Session(slack.services.engine) as s:
        meeting = s.exec(select(Meeting)).one()
        assert (meeting.period_key, meeting.meeting_on) == ("2026-W49", date(2026, 12, 1))
        thread = meeting.slack_ts
    assert thread

    slack.services.clock = lambda: prompt_at + timedelta(hours=1)
    slack.message("Soil report pending; piling risk high", user="U0TECH", channel="C0PROJ", thread_ts=thread)
    slack.message("random chatter", user="U1", channel="C0PROJ", thread_ts=thread)
    with Session(slack.services.engine) as s:
        meeting = s.exec(select(Meeting)).one()
        assert meeting.tech_assessment == "Soil report pending; piling risk high"
        assert meeting.tech_user_id == "U0TECH" and meeting.pm_update is None
    ack = slack.fake.calls_to("chat.postMessage")[-1]
    assert ack.args["thread_ts"] == thread and "technical risk assessment" in ack.args["text"]
    assert slack.fake.calls_to("reactions.add")

    # Monday 30 November 10:00: the pm's update is missing, so the reminder goes out in the thread.
    remind_at = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    [reminder] = [p for p in tick(slack.services, remind_at) if p.kind == "meeting_reminder"]
    assert reminder.key == "meeting_reminder:2026-W49"
    call = slack.fake.calls_to("chat.postMessage")[-1]
    assert call.args["thread_ts"] == thread
    assert "the risk plan update (<@U0PM>)" in call.args["text"] and "technical" not in call.args["text"]
    assert [
        p for p in tick(slack.services, remind_at + timedelta(minutes=5)) if p.kind.startswith("meeting")
    ] == []


def test_no_reminder_when_both_answered(slack: SlackHarness) -> None:
    with Session(slack.services.engine, expire_on_commit=False) as s:
        add_project(
            s, budget=Decimal("0"), start_date=date(2026, 11, 16), channel_id="C0PROJ", standup_time="18:00"
        )
    prompt_at = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    tick(slack.services, prompt_at)
    with Session(slack.services.engine) as s:
        thread = s.exec(select(Meeting)).one().slack_ts
    slack.services.clock = lambda: prompt_at
    slack.message("risk plan updated: R-1 owner assigned", user="U0PM", channel="C0PROJ", thread_ts=thread)
    with Session(slack.services.engine) as s:
        meeting = s.exec(select(Meeting)).one()
        meeting.tech_assessment = "ok"
        s.add(meeting)
        s.commit()
        assert meeting.pm_update == "risk plan updated: R-1 owner assigned"
    remind_at = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    assert [p for p in tick(slack.services, remind_at) if p.kind == "meeting_reminder"] == []


def test_digest_calls_a_task_added_since_the_last_digest_new(slack: SlackHarness) -> None:
    slack.services.clock = lambda: STANDUP - timedelta(hours=12)
    slack.create_project("Demo budget 1000 tz Asia/Shanghai standup 09:00")
    slack.command("/task", 'add T-3 "Formwork" due 12/15')
    slack.command("/task", 'add T-4 "Rebar" due 12/20')
    slack.command("/task", "T-4 30%")
    slack.command("/task", 'add T-5 "Scaffold"')
    slack.command("/task", "T-5 blocked waiting for permit")
    tick(slack.services, STANDUP)
    blocks = _text(slack.fake.calls_to("chat.postMessage")[-1].args["blocks"])
    assert "`T-3` Formwork: new task, 0%" in blocks
    assert "`T-4` Rebar: new task, 30%" in blocks
    assert "`T-5` Scaffold: blocked — waiting for permit" in blocks
    assert "0% → 0%" not in blocks


def test_digest_expenses_count_foreign_spend_at_its_rate_and_say_what_is_not_counted(
    slack: SlackHarness,
) -> None:
    """$100 at 7.00 is ¥700 in the Expenses line, as in the Budget line of the same digest (it was left
    out); a €50 without a rate is said to be not counted, never silently dropped."""
    from storage.models import FxRate

    wed = date(2026, 11, 25)
    with Session(slack.services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("100000"))
        s.add(FxRate(team_id=project.team_id, project_id=project.pk, currency="USD", rate=Decimal("7"),
                     created_by="U0PM"))  # fmt: skip
        s.commit()
        add_expense(s, project, wed, "500", "material")
        add_expense(s, project, wed, "100", "equipment", currency="USD")
        add_expense(s, project, wed, "50", "other", currency="EUR")
        digest = build_digest(s, project=project, day=THU)
    assert dict(digest.expenses) == {"equipment": Decimal("700"), "material": Decimal("500")}
    assert digest.expenses_not_counted == 1
    en = _text(slack_blocks(digest_blocks(digest, "en")))
    assert "*Expenses*: ¥1,200.00 (+ 1 in another currency not counted" in en, en
    zh = _text(slack_blocks(digest_blocks(digest, "zh")))
    assert "另有 1 笔外币支出未计入" in zh, zh


def test_digest_labor_cost_of_entries_without_a_rate_is_unknown_not_zero(slack: SlackHarness) -> None:
    wed = date(2026, 11, 25)
    with Session(slack.services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("100000"))
        add_labor(s, project, wed, "8", None, user_id="U1")
        digest = build_digest(s, project=project, day=THU)
    assert digest.missing_rate_entries == 1 and digest.labor_cost == 0
    en = _text(slack_blocks(digest_blocks(digest, "en")))
    assert "*Labor*: 8 man-h, cost unknown (rate missing on entries: 1)" in en, en
    assert "成本 未知" in _text(slack_blocks(digest_blocks(digest, "zh")))

"""Leave through the real app and the scheduler: /ooo silences prompts, sends nudges to the pm marked
"owner away", keeps the person off "not logged", shows in the digest's Away line, and ends when it ends."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from bot.scheduler.tick import tick
from storage.models import AuditLog, Leave
from tests.harness import SlackHarness
from tests.scheduler.sched_support import add_task

SETUP = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # Fri 20 Nov, 10:00 Shanghai


def standup(day: date) -> datetime:
    """09:00 Shanghai on `day`."""
    return datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)


def _posts(slack: SlackHarness, since: int) -> list[dict]:  # type: ignore[type-arg]
    return [c.args for c in slack.fake.calls_to("chat.postMessage")[since:]]


def _digest_text(slack: SlackHarness) -> str:
    [digest] = [
        c.args
        for c in slack.fake.calls_to("chat.postMessage")
        if "Standup —" in json.dumps(c.args, ensure_ascii=False)
    ][-1:]
    return json.dumps(digest["blocks"], ensure_ascii=False)


def test_leave_silences_prompts_and_nudges_shows_away_and_ends(slack: SlackHarness) -> None:
    slack.services.clock = lambda: SETUP
    slack.create_project("Tower budget 100000 CNY tz Asia/Shanghai")
    slack.command("/project", "set prompts on")
    slack.command("/project", "role <@U1> member")
    slack.command("/project", "role <@U2> foreman")
    with Session(slack.services.engine, expire_on_commit=False) as s:
        from storage.models import Project

        project = s.exec(select(Project)).one()
        assert project.prompts_enabled
        add_task(
            s,
            project,
            "T-5",
            title="Scaffold",
            owner_user_id="U1",
            progress=30,
            status="in_progress",
            due_date=date(2026, 11, 24),
            created_at=SETUP,
            updated_at=SETUP,
        )

    # U1 goes away Thu 26 – Fri 27 Nov (both included), typed in Chinese.
    reply = slack.command("/ooo", "请假 11月26日-11月27日 -- 回老家", user="U1")
    assert "<@U1>" in reply.text and "2026-11-26" in reply.text and "2026-11-27" in reply.text
    assert "回老家" in reply.text and "请假" in reply.text

    thu = date(2026, 11, 26)
    slack.services.clock = lambda: standup(thu)
    prompts = tick(slack.services, standup(thu) - timedelta(minutes=30))
    assert sorted(p.key for p in prompts if p.kind == "standup_prompt") == ["standup_prompt:2026-11-26:U2"]

    tick(slack.services, standup(thu))
    digest = _digest_text(slack)
    assert "*Away*: <@U1> (until 2026-11-27)" in digest
    assert "*Not logged*: <@U2>" in digest and "<@U1>," not in digest.split("*Not logged*")[1].split("\\n")[0]

    seen = len(slack.fake.calls_to("chat.postMessage"))
    nudges = [p for p in tick(slack.services, standup(thu) + timedelta(hours=1)) if p.kind == "nudge"]
    # Both conditions of the away owner's task reach the pm in the day's one DM, each line marked.
    assert [p.channel for p in nudges] == ["D0PM"]
    assert nudges[0].key in {"nudge:overdue:T-5:2026-11-26", "nudge:stale:T-5:2026-11-26"}
    dms = _posts(slack, seen)
    assert len(dms) == 1
    lines = [line for line in dms[0]["text"].split("\n") if "`T-5` Scaffold" in line]
    assert len(lines) == 2
    assert all("Owner away" in line and "<@U1>" in line for line in lines), lines

    # Monday 30 Nov: the leave is over. U1 is prompted and nudged again; no Away line.
    mon = date(2026, 11, 30)
    slack.services.clock = lambda: standup(mon)
    prompts = tick(slack.services, standup(mon) - timedelta(minutes=30))
    assert sorted(p.key for p in prompts if p.kind == "standup_prompt") == [
        "standup_prompt:2026-11-30:U1",
        "standup_prompt:2026-11-30:U2",
    ]
    tick(slack.services, standup(mon))
    digest = _digest_text(slack)
    assert "*Away*" not in digest
    # Monday's digest covers Fri–Sun: U1 was away on Friday, so not "not logged"; Tuesday's lists U1.
    assert "<@U1>" not in digest.split("*Not logged*")[1].split('"')[0]
    seen = len(slack.fake.calls_to("chat.postMessage"))
    nudges = [p for p in tick(slack.services, standup(mon) + timedelta(hours=1)) if p.kind == "nudge"]
    assert {p.channel for p in nudges} == {"D1"} and "nudge:overdue:T-5:2026-11-30" in {p.key for p in nudges}
    assert not any("Owner away" in dm["text"] for dm in _posts(slack, seen))
    tue = date(2026, 12, 1)
    tick(slack.services, standup(tue))
    assert "*Not logged*: <@U1>, <@U2>" in _digest_text(slack)


def test_foreman_marks_a_named_worker_and_a_colleague_away_list_and_cancel(slack: SlackHarness) -> None:
    slack.services.clock = lambda: SETUP
    slack.create_project()
    slack.command("/project", "role <@U2> foreman")
    slack.command("/project", "worker 张三")
    member = slack.command("/ooo", "<@U3> 11/23-11/24", user="U1")
    assert "You need the *foreman* role" in member.text
    two = slack.command("/ooo", "<@U3> 11/23-11/24", user="U2").text
    assert "<@U3>" in two and "(2 days, both included)" in two, two
    named = slack.command("/ooo", "张三 12月1日-12月3日 -- 病假", user="U2")
    assert "张三" in named.text and "2026-12-01" in named.text
    unknown = slack.command("/ooo", "李四 12月1日", user="U2")
    assert "李四" in unknown.text and "未保存" in unknown.text
    overlap = slack.command("/ooo", "张三 12月2日", user="U2")
    assert "重叠" in overlap.text
    listing = slack.command("/ooo", "list").text
    assert "<@U3>" in listing and "张三" in listing and "病假" in listing
    # Cancelling a leave not yet begun removes it; the audit log keeps who did what.
    cancelled = slack.command("/ooo", "取消 张三 12月2日", user="U2")
    assert "张三" in cancelled.text and "取消" in cancelled.text
    assert "张三" not in slack.command("/ooo", "list").text
    bad = slack.command("/ooo", "12/5-12/1")
    assert "before it starts" in bad.text
    with Session(slack.services.engine) as s:
        assert len(s.exec(select(Leave)).all()) == 1
        actions = [a.action for a in s.exec(select(AuditLog).where(AuditLog.entity == "leave")).all()]
        assert actions == ["leave", "leave", "leave_cancel"]


def test_cancel_after_the_leave_began_keeps_the_past_days(slack: SlackHarness) -> None:
    slack.services.clock = lambda: SETUP
    slack.create_project()
    slack.command("/ooo", "11/19-11/25", user="U1")
    slack.command("/ooo", "cancel", user="U1")
    with Session(slack.services.engine) as s:
        [leave] = s.exec(select(Leave)).all()
        assert (leave.first_day, leave.last_day) == (date(2026, 11, 19), date(2026, 11, 19))


def test_a_one_day_leave_says_one_day(slack: SlackHarness) -> None:
    slack.create_project("Tower budget 100000 CNY tz Asia/Shanghai")
    reply = slack.command("/ooo", "12/10").text
    assert "(1 day, both included)" in reply, reply  # not "1 days"

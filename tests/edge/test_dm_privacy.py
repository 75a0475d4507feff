"""Direct messages: only answers to the day's standup prompt are stored and shown in the channel digest;
any other DM gets a private help reply and nothing is stored or reposted. A retried DM stores once."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from sqlmodel import Session, select

from bot.scheduler.tick import tick
from storage.models import AuditLog, LaborEntry
from tests.harness import SlackHarness
from tests.scheduler.sched_support import add_member, add_project
from tests.scheduler.test_posts import STANDUP

DM = {"channel_type": "im"}


def _channel_posts(slack: SlackHarness) -> str:
    return json.dumps(
        [
            c.args
            for c in slack.fake.calls_to("chat.postMessage")
            if not str(c.args.get("channel")).startswith("D")
        ],
        ensure_ascii=False,
    )


def _stored(slack: SlackHarness) -> tuple[int, int]:
    with Session(slack.services.engine) as s:
        answers = s.exec(select(AuditLog).where(AuditLog.entity == "standup")).all()
        return len(answers), len(s.exec(select(LaborEntry)).all())


def test_a_dm_without_a_prompt_stays_private(slack: SlackHarness) -> None:
    with Session(slack.services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("0"), prompts_enabled=False)
        add_member(s, project, "U1", "member")
    slack.services.clock = lambda: STANDUP - timedelta(minutes=20)
    slack.message("my wife is sick, 8h yesterday", user="U1", channel="D1", extra=DM)

    [reply] = slack.fake.calls_to("chat.postMessage")
    assert reply.args["channel"] == "D1" and "Nothing else you send here is stored" in reply.args["text"]
    assert _stored(slack) == (0, 0)
    tick(slack.services, STANDUP)
    digest = _channel_posts(slack)
    assert "Standup" in digest and "wife" not in digest


def test_a_dm_the_day_after_the_prompt_is_not_an_answer(slack: SlackHarness) -> None:
    with Session(slack.services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("0"), prompts_enabled=True)
        add_member(s, project, "U1", "member")
    tick(slack.services, STANDUP - timedelta(minutes=30))  # the prompt goes out on Thursday
    slack.services.clock = lambda: STANDUP + timedelta(days=1, hours=5)
    slack.message("我老婆病了", user="U1", channel="D1", extra=DM)
    reply = slack.fake.calls_to("chat.postMessage")[-1]
    assert reply.args["channel"] == "D1" and "不会被保存" in reply.args["text"]
    assert _stored(slack) == (0, 0)


def test_prompt_answers_are_announced_and_retries_store_once(slack: SlackHarness) -> None:
    with Session(slack.services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("0"), prompts_enabled=True)
        add_member(s, project, "U1", "member")
    tick(slack.services, STANDUP - timedelta(minutes=30))
    [prompt] = slack.fake.calls_to("chat.postMessage")
    assert "appear in the channel's standup digest" in json.dumps(prompt.args)

    slack.services.clock = lambda: STANDUP - timedelta(minutes=20)
    body = slack.payloads.message_event("yesterday: 8h", user="U1", channel="D1", extra=DM)
    first = slack.dispatch(body)
    again = slack.dispatch(body, retry_num=1)
    assert first.status == again.status == 200
    replies = [c for c in slack.fake.calls_to("chat.postMessage") if c.args.get("channel") == "D1"][1:]
    assert len(replies) == 1 and "channel digest" in replies[0].args["text"]
    assert _stored(slack) == (1, 1)

    # A reply in the prompt's thread is an answer too.
    thread = str(prompt.response["ts"])
    slack.message("T-1 blocked waiting for rebar", user="U1", channel="D1", thread_ts=thread, extra=DM)
    assert _stored(slack)[0] == 2


def test_an_answer_says_what_each_line_stored_and_which_were_refused(slack: SlackHarness) -> None:
    """The answer is acknowledged; its sender must see that `8h yesterday` was logged, and that a line with
    hours that could not be stored (past 24 h, or with a part not understood) was not."""
    with Session(slack.services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("0"), prompts_enabled=True)
        add_member(s, project, "U1", "member")
    tick(slack.services, STANDUP - timedelta(minutes=30))
    slack.services.clock = lambda: STANDUP - timedelta(minutes=20)
    slack.message(
        "yesterday: 8h\nyesterday 20h\n8h yesterday, today formwork\ntoday: formwork on level 3",
        user="U1",
        channel="D1",
        extra=DM,
    )
    reply = [c for c in slack.fake.calls_to("chat.postMessage") if c.args.get("channel") == "D1"][-1]
    text = reply.args["text"]
    assert "channel digest" in text and "`L-1`" in text, text  # the stored line, with its number
    assert "“yesterday 20h” was not stored" in text and "24" in text, text  # past 24 h with the 8 h
    assert "“8h yesterday, today formwork” was not stored" in text and "“today”" in text, text
    assert "formwork on level 3" not in text  # plain answer text is only kept for the digest
    assert _stored(slack) == (1, 1)


def test_an_answer_under_the_today_label_updates_its_task(slack: SlackHarness) -> None:
    """The prompt asks for yesterday / today / blockers: "today: T-1 40%" is the task's progress (it was
    answered "noted" and stored nothing, the label read as a date the update cannot have)."""
    from sqlmodel import select

    from storage.models import Task
    from tests.scheduler.sched_support import add_task

    with Session(slack.services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("0"), prompts_enabled=True)
        add_member(s, project, "U1", "member")
        add_task(s, project, "T-1", title="Walls", owner_user_id="U1", progress=10, status="in_progress")
    tick(slack.services, STANDUP - timedelta(minutes=30))
    slack.services.clock = lambda: STANDUP - timedelta(minutes=20)
    slack.message("today: T-1 40%\n今天：8h", user="U1", channel="D1", extra=DM)
    with Session(slack.services.engine) as s:
        assert s.exec(select(Task)).one().progress == 40
    reply = [c for c in slack.fake.calls_to("chat.postMessage") if c.args.get("channel") == "D1"][-1]
    assert "40%" in reply.args["text"], reply.args["text"]

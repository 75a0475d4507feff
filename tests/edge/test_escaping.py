"""User text is shown, never obeyed: mentions and markup planted in every field a user writes never reach
Slack as a mention, in any payload Foreman sends (messages, ephemerals, modals, Home, file comments)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.scheduler.tick import tick
from bot.views import mrkdwn
from tests.harness import Reply, SlackHarness
from tests.records2.helpers import button, setup

PLANT = "<!channel> <!here> <!everyone> <@UEVIL1> *x* &lt;"
UNMEANT = ("<!channel", "<!here", "<!everyone", "<@UEVIL1")
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def _everything(slack: SlackHarness, replies: list[Reply]) -> str:
    sent = [c.args for c in slack.fake.calls]
    return json.dumps(sent, ensure_ascii=False) + "".join(r.raw for r in replies)


def test_planted_mentions_never_reach_slack(slack: SlackHarness) -> None:
    setup(slack)
    slack.fake.add_user("U0PM", name="pm")
    replies: list[Reply] = []

    def cmd(command: str, text: str, **kw: Any) -> None:
        replies.append(slack.command(command, text, **kw))

    cmd("/project", f"set name {PLANT} Tower")
    cmd("/project", f"crew {PLANT}rebar rate 300/day")
    cmd("/project", f"worker {PLANT}Li rate 40/hour")
    cmd("/task", f'add T-1 "{PLANT} pour slab" owner <@U0MEM> due 2026-11-20')
    cmd("/task", "T-1 blocked <!channel> <!here> <!everyone> *x* &lt; rebar late")
    cmd("/risk", f'add "{PLANT} crane" management p high i 4 -- {PLANT} chase')
    cmd("/expense", f"100 material vendor {PLANT} -- {PLANT} gloves")
    cmd("/log-labor", f"8h -- {PLANT} note")
    replies.append(slack.message(f"T-1 60% {PLANT}", ts="1764122400.000100"))
    replies.append(slack.message(f"买水泥 ¥3,200 {PLANT}", ts="1764122401.000100"))
    replies.append(slack.message(f"T-99 60% {PLANT}", ts="1764122402.000100"))  # a private hint
    expense_post = [c for c in slack.fake.calls_to("chat.postMessage") if "3,200" in json.dumps(c.args)][-1]
    replies.append(
        slack.action(
            "rec_edit", button(expense_post.args, "rec_edit"), message_ts=str(expense_post.response["ts"])
        )
    )
    for command, text in (
        ("/task", "list all"),
        ("/risk", "list"),
        ("/report", "risks"),
        ("/report", "schedule"),
        ("/report", "labor week"),
        ("/report", "cost month"),
        ("/log-labor", "list week"),
        ("/expense", "list month"),
        ("/project", "status"),
        ("/report", "export expenses csv"),
    ):
        cmd(command, text)
    replies.append(slack.dispatch(slack.payloads.app_home_opened(user="U0MEM")))
    replies.append(slack.dispatch(slack.payloads.app_home_opened(user="U0PM")))
    tick(slack.services, NOW + timedelta(days=1) - timedelta(hours=1, minutes=1))  # Friday's standup
    tick(slack.services, NOW + timedelta(days=1))  # Friday's nudges

    everything = _everything(slack, replies)
    for unmeant in UNMEANT:
        assert unmeant not in everything, unmeant
    # The planted text is there, shown as text (escaped once, never twice).
    assert "&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@UEVIL1&gt;" in everything
    assert "&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; *x* &lt; rebar late" in everything  # blocker
    assert "&amp;amp;" not in everything and "&amp;lt;" not in everything
    assert "<@U0MEM>" in everything  # mentions Foreman means still work
    assert {c.method for c in slack.fake.calls} >= {
        "chat.postMessage",
        "chat.postEphemeral",
        "views.publish",
        "views.open",
        "files.completeUploadExternal",
    }
    assert slack.fake.invalid == []


def test_one_escaping_rule() -> None:
    assert mrkdwn.escape("a & b <!here> &lt; &amp;") == "a &amp; b &lt;!here&gt; &lt; &amp;"
    assert mrkdwn.escape(mrkdwn.escape("<&>")) == mrkdwn.escape("<&>")
    assert mrkdwn.to_mrkdwn(f"hi {mrkdwn.mention('U1')} <@U2>") == "hi <@U1> &lt;@U2&gt;"
    assert mrkdwn.to_plain(f"by {mrkdwn.mention('U1')}") == "by @U1"

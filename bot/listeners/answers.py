"""Answers to scheduled posts: standup answers sent as DMs, and replies in a joint-meeting prompt's thread.

Registered before messages.py (module names sort first); the matcher takes only DMs and replies in a
meeting thread, so every other message falls through to the records listener.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.app import Services
from bot.commands import answers
from bot.services import meetings

log = logging.getLogger(__name__)


def _is_person(event: dict[str, Any], context: dict[str, Any]) -> bool:
    return (
        event.get("type") == "message"
        and event.get("subtype") is None
        and not event.get("bot_id")
        and bool(event.get("user"))
        and event.get("user") != context.get("bot_user_id")
    )


def _is_dm(event: dict[str, Any]) -> bool:
    return event.get("channel_type") == "im"


def _thread(event: dict[str, Any]) -> str | None:
    thread = event.get("thread_ts")
    return str(thread) if thread and thread != event.get("ts") else None


def make_matcher(services: Services) -> Any:
    def matches(body: dict[str, Any], context: dict[str, Any]) -> bool:
        """A person's DM, or a person's reply in a meeting prompt's thread."""
        event = body.get("event") or {}
        if not _is_person(event, context):
            return False
        if _is_dm(event):
            return True
        thread = _thread(event)
        if thread is None:
            return False
        with services.reading() as session:
            meeting = meetings.meeting_for_thread(
                session, team_id=str(body.get("team_id")), channel=str(event.get("channel")), thread_ts=thread
            )
        return meeting is not None

    return matches


def register(app: App, services: Services) -> None:
    def answer(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        """Store the answer (the gate makes a retried delivery run nothing); the reply goes after the ack."""
        ack()
        event = body.get("event") or {}
        team_id, channel = str(body.get("team_id")), str(event.get("channel"))
        user = str(event.get("user"))
        text = str(event.get("text") or "").strip()
        if _is_dm(event):
            thread = _thread(event)
            reply = answers.standup_answer(
                services, team_id=team_id, user=user, text=text, event=event, thread=thread
            )
            context["answer_reply"] = {"channel": channel, "thread_ts": thread, "text": reply}
            return
        thread = _thread(event)
        assert thread is not None
        now = services.clock()
        said = answers.meeting_reply(
            services, team_id=team_id, channel=channel, thread=thread, user=user, text=text, now=now
        )
        if said is not None:
            context["answer_reply"] = {"channel": channel, "thread_ts": thread, "text": said.text}
            context["answer_react"] = str(event.get("ts"))

    def say(context: BoltContext, client: WebClient) -> None:
        """Send what the answer decided (a 429 here no longer delays the ack, so Slack does not retry)."""
        reply = context.get("answer_reply")
        if not reply:
            return
        if context.get("answer_react"):
            client.reactions_add(channel=reply["channel"], timestamp=context["answer_react"], name="memo")
        args = {"channel": reply["channel"], "text": reply["text"]}
        if reply.get("thread_ts"):
            args["thread_ts"] = reply["thread_ts"]
        client.chat_postMessage(**args)

    app.event("message", matchers=[make_matcher(services)])(ack=answer, lazy=[say])

"""Channel messages: recognised statements become records with a threaded confirmation; edits and
deletes follow; everything else gets no reply at all. The policy lives in bot/commands/messages.py."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import select

from bot.app import Services
from bot.commands.core import Who
from bot.commands.messages import Statement, record
from bot.listeners.outbox import send_outcome
from storage.models import Meeting

# Message subtypes that are a person's statement; everything else (joins, topics, bots) is not read.
_READ = {None, "thread_broadcast", "file_share", "message_changed", "message_deleted"}


def _event(body: dict[str, Any]) -> dict[str, Any]:
    return body.get("event") or {}


def _is_bot(message: dict[str, Any], context: dict[str, Any]) -> bool:
    user = message.get("user")
    return bool(
        message.get("bot_id")
        or message.get("subtype") == "bot_message"
        or (user and user == context.get("bot_user_id"))
    )


def _author_message(event: dict[str, Any]) -> dict[str, Any]:
    """The message as the author wrote it (for an edit: the new version)."""
    if event.get("subtype") == "message_changed":
        return event.get("message") or {}
    if event.get("subtype") == "message_deleted":
        return event.get("previous_message") or {}
    return event


def make_matcher(services: Services) -> Any:
    def matches(body: dict[str, Any], context: dict[str, Any]) -> bool:
        """Project-channel statements only: not DMs, not bots, not meeting threads (the scheduler reads those)."""
        event = _event(body)
        if event.get("type") != "message" or event.get("subtype") not in _READ:
            return False
        if event.get("channel_type") in ("im", "mpim") or str(event.get("channel", "")).startswith("D"):
            return False
        message = _author_message(event)
        if _is_bot(event, context) or _is_bot(message, context):
            return False
        thread_ts = message.get("thread_ts") or event.get("thread_ts")
        if thread_ts and thread_ts != message.get("ts"):
            with services.reading() as session:
                meeting = session.exec(
                    select(Meeting.id).where(
                        Meeting.team_id == body.get("team_id"), Meeting.slack_ts == thread_ts
                    )
                ).first()
            if meeting is not None:
                return False
        return True

    return matches


def statement(body: dict[str, Any]) -> Statement | None:
    """The statement a message event carries, or None when there is nothing to read."""
    event = _event(body)
    subtype = event.get("subtype")
    message = _author_message(event)
    user = message.get("user") or event.get("user")
    ts = str(message.get("ts") or event.get("deleted_ts") or "")
    if not user or not ts:
        return None
    text = str(message.get("text") or "").strip()
    previous = (event.get("previous_message") or {}).get("text")
    if subtype == "message_changed" and previous is not None and previous == text:
        return None  # link unfurls and other edits that do not touch the text
    who = Who(team_id=str(body.get("team_id")), user_id=str(user), channel_id=str(event.get("channel")))
    thread_ts = str(message.get("thread_ts") or ts)
    files = tuple(f for f in message.get("files") or () if isinstance(f, dict))
    return Statement(who, text, ts, thread_ts, subtype, key=f"event:{body.get('event_id')}", files=files)


def register(app: App, services: Services) -> None:
    def on_message(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """Store (or replace, or void) in the request, deciding the replies; a lazy listener sends them."""
        ack()
        st = statement(body)
        if st is not None:
            record(services, client, st)

    def reply(body: dict[str, Any], client: WebClient) -> None:
        """Send the replies the request decided, once even when Slack delivers the event again."""
        send_outcome(
            services,
            client,
            team_id=str(body.get("team_id")),
            outcome_key=f"event:{body.get('event_id')}",
            sent_key=f"reply:{body.get('event_id')}",
        )

    app.event("message", matchers=[make_matcher(services)])(ack=on_message, lazy=[reply])

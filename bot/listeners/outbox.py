"""Sending the replies a request decided: post, update or whisper, once even when Slack redelivers."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.app import Services
from bot.services import idempotency, message_records

log = logging.getLogger(__name__)


def send_outcome(
    services: Services, client: WebClient, *, team_id: str, outcome_key: str, sent_key: str
) -> None:
    """Post, update or whisper the replies a request decided, once even when Slack delivers it again.

    The claim and the lookups commit before any Slack call and the new confirmation ts are stored after,
    so no database transaction (SQLite's write lock) stays open while Slack answers.
    """
    with services.unit_of_work() as session:
        ops = message_records.load_outcome(session, team_id=team_id, key=outcome_key)
        if not ops or not idempotency.claim(session, team_id=team_id, key=sent_key):
            return
        existing = {
            op["ts"]: message_records.confirmation_ts(
                session, team_id=team_id, channel=op["channel"], ts=op["ts"]
            )
            for op in ops
            if op["op"] in ("update", "confirm")
        }
    posted: list[tuple[str, str, str]] = []
    for op in ops:
        try:
            if op["op"] == "ephemeral":
                args = {"channel": op["channel"], "user": op["user"], "text": op["text"]}
                if op.get("thread_ts"):
                    args["thread_ts"] = op["thread_ts"]
                if op.get("blocks"):
                    args["blocks"] = op["blocks"]
                client.chat_postEphemeral(**args)
            elif op["op"] == "post":  # a plain reply in a thread
                client.chat_postMessage(channel=op["channel"], thread_ts=op["thread_ts"], text=op["text"])
            elif op["op"] == "replace":  # a message Foreman posted itself, shown as it stands now
                client.chat_update(channel=op["channel"], ts=op["ts"], text=op["text"], blocks=op["blocks"])
            elif confirmation := existing.get(op["ts"]):
                client.chat_update(
                    channel=op["channel"], ts=confirmation, text=op["text"], blocks=op["blocks"]
                )
            elif op["op"] == "confirm":
                response = client.chat_postMessage(
                    channel=op["channel"], thread_ts=op["thread_ts"], text=op["text"], blocks=op["blocks"]
                )
                posted.append((op["channel"], op["ts"], str(response["ts"])))
        except SlackApiError as exc:
            log.warning("reply %s failed: %s", op["op"], exc.response.get("error"))
    if posted:
        with services.unit_of_work() as session:
            for channel, ts, confirmation in posted:
                message_records.remember_confirmation(
                    session, team_id=team_id, channel=channel, ts=ts, confirmation=confirmation
                )

"""Signed Slack requests built from recorded payload shapes (console and tests)."""

from __future__ import annotations

import copy
import itertools
import json
import time
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

SHAPES = Path(__file__).parent / "shapes"
_seq = itertools.count(1)


@cache
def _shape(name: str) -> dict[str, Any]:
    return json.loads((SHAPES / f"{name}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def shape(name: str) -> dict[str, Any]:
    """A fresh copy of a recorded payload shape."""
    return copy.deepcopy(_shape(name))


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends with a body signed by `secret`."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = str(SignatureVerifier(secret).generate_signature(timestamp=ts, body=body))
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


class Payloads:
    """Builds Slack request bodies for one workspace; `response_base` receives response_url posts."""

    def __init__(self, *, secret: str, team_id: str, response_base: str = "https://hooks.slack.com") -> None:
        self.secret = secret
        self.team_id = team_id
        self.response_base = response_base.rstrip("/")

    def command_body(self, command: str, text: str, *, user: str, channel: str) -> str:
        body: dict[str, Any] = shape("slash_command")
        n = next(_seq)
        body.update(
            team_id=self.team_id,
            channel_id=channel,
            user_id=user,
            user_name=user.lower(),
            command=command,
            text=text,
            response_url=f"{self.response_base}/response/cmd{n}",
            trigger_id=f"{n}.{int(time.time())}.{n:08x}",
        )
        return urlencode(body)

    def message_event(
        self,
        text: str,
        *,
        user: str,
        channel: str,
        ts: str | None = None,
        thread_ts: str | None = None,
        subtype: str | None = None,
        extra: dict[str, Any] | None = None,
        event_id: str | None = None,
    ) -> str:
        body = shape("event_message")
        n = next(_seq)
        ts = ts or f"{int(time.time())}.{n:06d}"
        body["team_id"] = self.team_id
        body["event_id"] = event_id or f"Ev{n:010d}"
        body["event_time"] = int(float(ts))
        body["authorizations"][0]["team_id"] = self.team_id
        event = body["event"]
        event.update(
            channel=channel,
            user=user,
            text=text,
            ts=ts,
            event_ts=ts,
            team=self.team_id,
            client_msg_id=f"msg-{n}",
        )
        if thread_ts:
            event["thread_ts"] = thread_ts
        if subtype:
            event["subtype"] = subtype
        event.update(extra or {})
        return json.dumps(body)

    def message_changed(self, text: str, *, user: str, channel: str, ts: str) -> str:
        n = next(_seq)
        edited = {
            "type": "message",
            "user": user,
            "text": text,
            "ts": ts,
            "edited": {"user": user, "ts": f"{int(time.time())}.{n:06d}"},
        }
        return self.message_event(
            "",
            user=user,
            channel=channel,
            subtype="message_changed",
            extra={
                "message": edited,
                "previous_message": {"ts": ts, "user": user},
                "hidden": True,
                "user": None,
            },
        )

    def message_deleted(self, *, user: str, channel: str, ts: str) -> str:
        return self.message_event(
            "",
            user=user,
            channel=channel,
            subtype="message_deleted",
            extra={
                "deleted_ts": ts,
                "previous_message": {"ts": ts, "user": user},
                "hidden": True,
                "user": None,
            },
        )

    def app_home_opened(self, *, user: str) -> str:
        body = shape("app_home_opened")
        n = next(_seq)
        body["team_id"] = self.team_id
        body["event_id"] = f"EvHome{n:06d}"
        body["authorizations"][0]["team_id"] = self.team_id
        body["event"].update(user=user, channel="D" + user[1:])
        return json.dumps(body)

    def block_action(
        self,
        action_id: str,
        value: str,
        *,
        user: str,
        channel: str | None,
        message_ts: str | None = None,
        view: dict[str, Any] | None = None,
    ) -> str:
        body = shape("block_actions")
        n = next(_seq)
        body["user"].update(id=user, username=user.lower(), name=user.lower(), team_id=self.team_id)
        body["team"]["id"] = self.team_id
        body["trigger_id"] = f"{n}.{int(time.time())}.act{n:06d}"
        body["response_url"] = f"{self.response_base}/response/act{n}"
        action = body["actions"][0]
        action.update(action_id=action_id, value=value, action_ts=f"{time.time():.6f}")
        if channel is None:
            body.pop("channel")
            body["container"] = {"type": "view", "view_id": (view or {}).get("id", "V0")}
            body.pop("message")
            body["view"] = view or {}
        else:
            body["channel"]["id"] = channel
            body["container"].update(channel_id=channel, message_ts=message_ts or "1.0")
            body["message"]["ts"] = message_ts or "1.0"
        return urlencode({"payload": json.dumps(body)})

    def view_submission(
        self, callback_id: str, values: dict[str, dict[str, Any]], *, user: str, private_metadata: str = ""
    ) -> str:
        body = shape("view_submission")
        n = next(_seq)
        body["team"]["id"] = self.team_id
        body["user"].update(id=user, username=user.lower(), team_id=self.team_id)
        body["trigger_id"] = f"{n}.{int(time.time())}.view{n:06d}"
        body["view"].update(
            id=f"V{n:06d}",
            team_id=self.team_id,
            callback_id=callback_id,
            private_metadata=private_metadata,
            state={"values": values},
        )
        return urlencode({"payload": json.dumps(body)})

    def request(
        self,
        body: str,
        *,
        timestamp: int | None = None,
        retry_num: int | None = None,
        content_type: str | None = None,
    ) -> BoltRequest:
        """A signed BoltRequest for `app.dispatch`."""
        headers = self.headers(body, timestamp=timestamp, retry_num=retry_num, content_type=content_type)
        return BoltRequest(body=body, headers={k: [v] for k, v in headers.items()})

    def headers(
        self,
        body: str,
        *,
        timestamp: int | None = None,
        retry_num: int | None = None,
        content_type: str | None = None,
    ) -> dict[str, str]:
        """Signed HTTP headers for a body (JSON events or form-encoded commands/interactions)."""
        ctype = content_type or (
            "application/json" if body.startswith("{") else "application/x-www-form-urlencoded"
        )
        headers = {"Content-Type": ctype} | sign(self.secret, body, timestamp)
        if retry_num is not None:
            headers |= {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return headers

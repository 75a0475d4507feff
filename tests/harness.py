"""Drives the real app with signed Slack payloads, as Slack would."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

from slack_bolt.response import BoltResponse

from bot.app import Services, build_app
from bot.console.fake_slack import FakeSlack, validate
from bot.console.inline import InlineExecutor
from bot.console.payloads import Payloads


class Reply:
    """What Slack got back from one request: HTTP status and the ack body."""

    def __init__(self, response: BoltResponse) -> None:
        self.status = response.status
        self.raw = response.body
        try:
            self.json: dict[str, Any] = json.loads(response.body) if response.body else {}
        except ValueError:
            self.json = {"text": parse_qs(response.body).get("text", [response.body])[0]}

    @property
    def text(self) -> str:
        return str(self.json.get("text", ""))

    @property
    def ephemeral(self) -> bool:
        return self.json.get("response_type", "ephemeral") == "ephemeral"


class SlackHarness:
    """One workspace (team) talking to the app; `as_team` gives another workspace on the same app."""

    def __init__(
        self,
        services: Services,
        fake: FakeSlack,
        *,
        team_id: str = "T0TEAMA",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.services = services
        self.fake = fake
        if clock is not None:
            services.clock = clock
        self.app = build_app(services.settings, services=services, listener_executor=InlineExecutor())
        self.payloads = Payloads(
            secret=services.settings.slack_signing_secret or "", team_id=team_id, response_base=fake.base
        )
        self.team_id = team_id

    def as_team(self, team_id: str) -> SlackHarness:
        other = SlackHarness.__new__(SlackHarness)
        other.__dict__.update(self.__dict__)
        other.payloads = Payloads(secret=self.payloads.secret, team_id=team_id, response_base=self.fake.base)
        other.team_id = team_id
        return other

    def dispatch(self, body: str, **kwargs: Any) -> Reply:
        reply = Reply(self.app.dispatch(self.payloads.request(body, **kwargs)))
        # An ack's content is a payload too: the fake Slack's checks apply (failing the test at teardown).
        validate(self.fake, "views.open" if "view" in reply.json else "ack", reply.json)
        return reply

    def command(self, command: str, text: str = "", *, user: str = "U0PM", channel: str = "C0PROJ") -> Reply:
        return self.dispatch(self.payloads.command_body(command, text, user=user, channel=channel))

    def message(
        self, text: str, *, user: str = "U0PM", channel: str = "C0PROJ", ts: str | None = None, **kwargs: Any
    ) -> Reply:
        return self.dispatch(self.payloads.message_event(text, user=user, channel=channel, ts=ts, **kwargs))

    def action(
        self,
        action_id: str,
        value: str,
        *,
        user: str = "U0PM",
        channel: str | None = "C0PROJ",
        message_ts: str | None = None,
    ) -> Reply:
        return self.dispatch(
            self.payloads.block_action(action_id, value, user=user, channel=channel, message_ts=message_ts)
        )

    def submit(
        self,
        callback_id: str,
        values: dict[str, dict[str, Any]],
        *,
        user: str = "U0PM",
        private_metadata: str = "",
    ) -> Reply:
        return self.dispatch(
            self.payloads.view_submission(callback_id, values, user=user, private_metadata=private_metadata)
        )

    def create_project(
        self,
        text: str = "Demo budget 100000 CNY tz Asia/Shanghai",
        *,
        user: str = "U0PM",
        channel: str = "C0PROJ",
    ) -> Reply:
        reply = self.command("/project", f"create {text}", user=user, channel=channel)
        assert reply.status == 200 and "`" in reply.text, reply.text
        return reply

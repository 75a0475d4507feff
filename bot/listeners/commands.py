"""The Bolt adapter for the routed slash commands: a Request in, the Decision back to Slack."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Services
from bot.commands import router
from bot.commands.core import Request
from bot.commands.table import ROUTES
from bot.delivery import delivery_key
from bot.listeners.common import who_from_command
from bot.listeners.outbox import send_outcome
from bot.listeners.report_files import report_files


def replies(services: Services) -> Callable[..., None]:
    """The lazy listener that sends what a command left in the outbox (the daily post a confirmation
    updates), once even when Slack delivers the command again."""

    def send(body: dict[str, Any], client: WebClient) -> None:
        key = command_request(body).key
        send_outcome(services, client, team_id=body["team_id"], outcome_key=key, sent_key=f"sent:{key}")

    return send


# Work after the ack, by command: the files and charts /report puts in the channel, /daily's replies.
LAZY = {"/report": report_files, "/daily": replies}


def command_request(body: dict[str, Any]) -> Request:
    """Who typed what where; the trigger id makes the delivery count once (the router claims its key)."""
    who = who_from_command(body)
    trigger = body.get("trigger_id")
    key = delivery_key(body) or f"cmd:{trigger}"
    return Request(who=who, text=body.get("text") or "", key=key, trigger_id=trigger)


def register(app: App, services: Services) -> None:
    # One listener for every command without work after the ack (one matcher for Bolt to try), then one
    # per command with lazy work.
    plain = sorted(command for command in ROUTES if command not in LAZY)
    app.command(re.compile("^(" + "|".join(map(re.escape, plain)) + ")$"))(_listener(services))
    for command, lazy in LAZY.items():
        app.command(command)(ack=_listener(services), lazy=[lazy(services)])


def _listener(services: Services) -> Any:
    def on_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        route = ROUTES[body["command"]]
        decision = router.run(services, client, route, command_request(body))
        if decision.view is not None:
            client.views_open(trigger_id=body["trigger_id"], view=decision.view)
        if decision.text is None:
            ack()
            return
        visibility = "in_channel" if decision.public else "ephemeral"
        if decision.blocks is not None:
            ack(response_type=visibility, text=decision.text, blocks=decision.blocks)
        else:
            ack(response_type=visibility, text=decision.text)

    return on_command

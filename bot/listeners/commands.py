"""The Bolt adapter for the routed slash commands: a Request in, the Decision back to Slack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Services
from bot.commands import router
from bot.commands.core import Request
from bot.commands.table import ROUTES
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
    """Who typed what where; the trigger id makes the delivery count once."""
    who = who_from_command(body)
    trigger = body.get("trigger_id")
    return Request(who=who, text=body.get("text") or "", key=f"cmd:{trigger}", trigger_id=trigger)


def register(app: App, services: Services) -> None:
    for route in ROUTES.values():
        lazy = LAZY.get(route.command)
        if lazy is None:
            app.command(route.command)(_listener(services, route))
        else:
            app.command(route.command)(ack=_listener(services, route), lazy=[lazy(services)])


def _listener(services: Services, route: router.Route) -> Any:
    def on_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
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

"""The Bolt adapter for the routed slash commands: a Request in, the Decision back to Slack."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Services
from bot.commands import router
from bot.commands.core import Request
from bot.commands.table import ROUTES
from bot.listeners.common import who_from_command


def command_request(body: dict[str, Any]) -> Request:
    """Who typed what where; the trigger id makes the delivery count once."""
    who = who_from_command(body)
    trigger = body.get("trigger_id")
    return Request(who=who, text=body.get("text") or "", key=f"cmd:{trigger}", trigger_id=trigger)


def register(app: App, services: Services) -> None:
    for route in ROUTES.values():
        app.command(route.command)(_listener(services, route))


def _listener(services: Services, route: router.Route) -> Any:
    def on_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        decision = router.run(services, client, route, command_request(body))
        if decision.view is not None:
            client.views_open(trigger_id=body["trigger_id"], view=decision.view)
        if decision.text is None:
            ack()
            return
        ack(response_type="in_channel" if decision.public else "ephemeral", text=decision.text)

    return on_command

"""The Bolt adapter for the buttons on confirmations (the decisions live in bot/commands/buttons)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Services
from bot.commands import buttons, daily
from bot.commands.core import Decision, Who
from bot.listeners.outbox import send_outcome
from bot.views import confirmations, daily_views


def click(body: dict[str, Any]) -> buttons.Click:
    """The press as plain data: who, the button's JSON value, the message and thread it is on."""
    who = Who(
        team_id=str((body.get("team") or {}).get("id") or body["user"].get("team_id")),
        user_id=str(body["user"]["id"]),
        channel_id=str((body.get("channel") or {}).get("id") or ""),
    )
    raw = str(body["actions"][0].get("value") or "")
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        value = {}
    message = body.get("message") or {}
    return buttons.Click(
        who=who,
        trigger_id=str(body.get("trigger_id")),
        value=value if isinstance(value, dict) else {},
        message_ts=str(message.get("ts") or ""),
        thread_ts=message.get("thread_ts") or message.get("ts"),
        raw=raw,
    )


def register(app: App, services: Services) -> None:
    def send(body: dict[str, Any], client: WebClient) -> None:
        """Send what the click decided (once)."""
        send_outcome(
            services,
            client,
            team_id=click(body).who.team_id,
            outcome_key=f"act:{body.get('trigger_id')}",
            sent_key=f"sent:{body.get('trigger_id')}",
        )

    def stores(decide: Callable[[Services, buttons.Click], buttons.Decide]) -> Callable[..., None]:
        def on_click(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            ack()
            press = click(body)
            buttons.keep_replies(services, client, press, decide(services, press))

        return on_click

    def opens(form: Callable[[Services, buttons.Click], Decision]) -> Callable[..., None]:
        def on_click(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            ack()
            press = click(body)
            decision = form(services, press)
            if decision.view is not None:
                client.views_open(trigger_id=body["trigger_id"], view=decision.view)
            elif decision.text is not None:
                args: dict[str, Any] = {"channel": press.channel, "user": press.who.user_id}
                if decision.thread_ts:
                    args["thread_ts"] = decision.thread_ts
                client.chat_postEphemeral(text=decision.text, **args)

        return on_click

    app.action(confirmations.UNDO)(ack=stores(buttons.undo), lazy=[send])
    app.action(confirmations.DONE)(ack=stores(buttons.mark_done), lazy=[send])
    app.action(confirmations.PICK_TASK_IDS)(ack=stores(buttons.pick_task), lazy=[send])
    app.action(confirmations.PROGRESS)(opens(buttons.progress_form))
    app.action(confirmations.EDIT)(opens(buttons.edit_form))
    app.action(daily_views.CONFIRM_ACTION)(ack=stores(daily.confirm_click), lazy=[send])
    app.action(daily_views.EDIT_ACTION)(opens(daily.edit_click))

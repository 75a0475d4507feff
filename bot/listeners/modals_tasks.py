"""The Bolt adapter for the task, risk, progress, edit and daily-log forms (the checks live in
bot/commands/task_forms and bot/commands/daily)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Services
from bot.commands import daily, task_forms
from bot.commands.core import Who
from bot.listeners.outbox import send_outcome
from bot.views import daily_views, modals_tasks

Read = Callable[[Services, task_forms.Submission], task_forms.Plan]


def _state(body: dict[str, Any]) -> dict[str, Any]:
    values = body["view"]["state"]["values"]
    out: dict[str, Any] = {}
    for block_id, actions in values.items():
        element: dict[str, Any] = actions.get("value") or next(iter(actions.values()), {})
        if "selected_option" in element:
            out[block_id] = (element.get("selected_option") or {}).get("value")
        elif "selected_user" in element:
            out[block_id] = element.get("selected_user")
        elif "selected_date" in element:
            out[block_id] = element.get("selected_date")
        else:
            out[block_id] = element.get("value")
    return out


def _meta(body: dict[str, Any]) -> dict[str, Any]:
    try:
        found = json.loads(body["view"].get("private_metadata") or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def submission(body: dict[str, Any]) -> task_forms.Submission:
    """The submitted form as plain data."""
    meta = _meta(body)
    channel = str(meta.get("c") or "")
    who = Who(team_id=str(body["team"]["id"]), user_id=str(body["user"]["id"]), channel_id=channel)
    return task_forms.Submission(who=who, view_id=str(body["view"]["id"]), values=_state(body), meta=meta)


def register(app: App, services: Services) -> None:
    def adapter(read: Read) -> Callable[..., None]:
        def on_submit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            sub = submission(body)
            decision = task_forms.submit(services, client, sub, read(services, sub))
            if decision.errors:
                ack(response_action="errors", errors=decision.errors)
                return
            ack()

        return on_submit

    def send(body: dict[str, Any], client: WebClient) -> None:
        send_outcome(
            services,
            client,
            team_id=str(body["team"]["id"]),
            outcome_key=f"view:{body['view']['id']}",
            sent_key=f"sent:{body['view']['id']}",
        )

    for callback, read in (
        (modals_tasks.TASK_FORM, task_forms.task_add),
        (modals_tasks.RISK_FORM, task_forms.risk_add),
        (modals_tasks.PROGRESS_FORM, task_forms.progress),
        (modals_tasks.EDIT_FORM, task_forms.edit),
        (daily_views.EDIT_CALLBACK, daily.form_submitted),
    ):
        app.view(callback)(ack=adapter(read), lazy=[send])

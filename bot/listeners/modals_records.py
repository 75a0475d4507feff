"""The Bolt adapter for the /log-labor, /expense and /project forms (the checks live in bot/commands/forms)."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Services
from bot.commands import forms
from bot.commands.core import Decision, Request, Who
from bot.views import modals_records


def _meta(body: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(body["view"].get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    return meta if isinstance(meta, dict) else {}


def form_request(body: dict[str, Any]) -> Request:
    """Who submitted which view; the view id and hash make the submission count once."""
    who = Who(team_id=body["team"]["id"], user_id=body["user"]["id"], channel_id=_meta(body).get("channel"))
    view = body["view"]
    return Request(who=who, text="", key=f"view:{view.get('id')}:{view.get('hash')}")


def _values(body: dict[str, Any]) -> dict[str, Any]:
    return body["view"]["state"]["values"]


def finish(ack: Ack, client: WebClient, req: Request, decision: Decision) -> None:
    """Field errors back to the form; else close it and tell the user what was stored."""
    if decision.errors:
        ack(response_action="errors", errors=decision.errors)
        return
    ack()
    if decision.text is not None and req.who.channel_id:
        client.chat_postEphemeral(channel=req.who.channel_id, user=req.who.user_id, text=decision.text)


def register(app: App, services: Services) -> None:
    @app.view(modals_records.LABOR_CALLBACK)
    def labor_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        req = form_request(body)
        finish(ack, client, req, forms.submit(services, client, req, forms.labor_form(_values(body))))

    @app.view(modals_records.EXPENSE_CALLBACK)
    def expense_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        req = form_request(body)
        finish(ack, client, req, forms.submit(services, client, req, forms.expense_form(_values(body))))

    @app.view(modals_records.PROJECT_CREATE_CALLBACK)
    def project_create_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        req = form_request(body)
        form, errors = forms.project_create_form(services, _values(body))
        decision = Decision(errors=errors) if errors else forms.submit(services, client, req, form)
        finish(ack, client, req, decision)

    @app.view(modals_records.PROJECT_SETTINGS_CALLBACK)
    def project_settings_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        req = form_request(body)
        finish(
            ack,
            client,
            req,
            forms.submit(services, client, req, forms.project_settings_form(services, _values(body))),
        )

"""Confirm and Dispute on a person's wage-sheet DM, and the dispute form (contract §9)."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.app import Services
from bot.commands.core import refusal
from bot.services import digest, idempotency, wages
from bot.services.errors import ForemanError
from bot.views import wage_views
from bot.views.catalog import t

log = logging.getLogger(__name__)


def _team_user(body: dict[str, Any]) -> tuple[str, str]:
    team = str((body.get("team") or {}).get("id") or body["user"].get("team_id"))
    return team, str(body["user"]["id"])


def _json(raw: str | None) -> dict[str, Any]:
    try:
        found = json.loads(raw or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def register(app: App, services: Services) -> None:
    @app.action(wage_views.CONFIRM_ACTION)
    def confirm(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        team, user = _team_user(body)
        value = _json(body["actions"][0].get("value"))
        lang = "en"
        try:
            with services.unit_of_work() as session:
                project = digest.project_by_id(session, team_id=team, project_id=int(value.get("p") or 0))
                lang, month = project.language, str(value.get("m"))
                # A redelivered click answers nothing twice.
                if not idempotency.claim(session, team_id=team, key=f"act:{body.get('trigger_id')}"):
                    return
                done = wages.answer(session, project=project, month=month, user_id=user, status="confirmed")
                text = t(lang, "wages.already_confirmed" if done.already else "wages.confirmed", month=month)
        except ForemanError as err:
            text = refusal(lang, err)
        client.chat_postMessage(channel=user, text=text)

    @app.action(wage_views.DISPUTE_ACTION)
    def dispute(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        team, _user = _team_user(body)
        value = _json(body["actions"][0].get("value"))
        with services.unit_of_work() as session:
            project = digest.project_by_id(session, team_id=team, project_id=int(value.get("p") or 0))
            view = wage_views.dispute_form(
                lang=project.language, project_id=project.pk, month=str(value.get("m"))
            )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(wage_views.DISPUTE_CALLBACK)
    def dispute_sent(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        team, user = _team_user(body)
        meta = _json(view.get("private_metadata"))
        lang, month = str(meta.get("lang") or "en"), str(meta.get("m"))
        raw = (((view.get("state") or {}).get("values") or {}).get("reason") or {}).get("value") or {}
        reason = str(raw.get("value") or "").strip()
        if not reason:
            ack(response_action="errors", errors={"reason": t(lang, "wages.dispute_needed")})
            return
        try:
            with services.unit_of_work() as session:
                project = digest.project_by_id(session, team_id=team, project_id=int(meta.get("p") or 0))
                done = wages.answer(
                    session, project=project, month=month, user_id=user, status="disputed", reason=reason
                )
                leads = wage_views.mentions(wages.leads(session, project=project), lang)
                line = wage_views.line_text(done.line, lang=lang, currency=project.currency)
                channel, thread = done.sheet.thread or (project.channel_id, None)
        except ForemanError as err:
            ack(response_action="errors", errors={"reason": refusal(lang, err)})
            return
        ack()
        post = t(lang, "wages.disputed_thread", user=user, month=month, reason=reason, line=line, leads=leads)
        try:
            client.chat_postMessage(channel=channel, thread_ts=thread, text=post)
            client.chat_postMessage(channel=user, text=t(lang, "wages.disputed_dm", month=month, leads=leads))
        except SlackApiError as exc:
            log.warning("wage dispute post failed: %s", exc.response.get("error"))

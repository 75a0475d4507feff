"""/log-labor: labor for self, others, named workers and crews."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.listeners.common import as_user, refusal, text_lang, who_from_command
from bot.parsing import parse
from bot.services import idempotency, labor, projects
from bot.services.errors import ForemanError, InvalidInput
from bot.views import labor_views
from bot.views.catalog import t


def register(app: App, services: Services) -> None:
    @app.command("/log-labor")
    def log_labor_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        who = who_from_command(body)
        text = (body.get("text") or "").strip()

        def work(session: Session, is_admin: bool) -> str:
            project = projects.require_project(session, team_id=who.team_id, channel_id=str(who.channel_id))
            lang = text_lang(text, project.language)
            now = services.clock()
            result = parse(
                text,
                now=now,
                tz=project.timezone,
                currency=project.currency,
                command="/log-labor",
                standard_hours=float(project.hours_per_day),
            )
            if result.error:
                raise InvalidInput("parse.error", message=result.error)
            if result.intent != "labor" or result.labor is None or result.date is None:
                raise InvalidInput("labor.not_understood")
            if not idempotency.claim(session, team_id=who.team_id, key=f"cmd:{body.get('trigger_id')}"):
                return t(lang, "request.duplicate")
            today = now.astimezone(labor_views.zone(project)).date()
            rows = labor.log_labor(
                session,
                project=project,
                actor=who.user_id,
                is_admin=is_admin,
                intent=result.labor,
                work_date=result.date,
                today=today,
                slack_channel=who.channel_id,
            )
            return labor_views.logged_text(session, project, rows, lang=lang, actor=who.user_id)

        try:
            reply = as_user(services, client, who, work)
        except ForemanError as err:
            lang = text_lang(text)
            ack(response_type="ephemeral", text=refusal(lang, err, t(lang, "usage.log_labor")))
            return
        ack(response_type="ephemeral", text=reply)

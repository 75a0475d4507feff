"""/risk: the risk register — add, list, update, close; no text opens a form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.listeners.common import as_user, refusal, text_lang, who_from_command
from bot.parsing.risk_command import RiskCommandError, parse_risk_command
from bot.services import idempotency, projects, risks
from bot.services.errors import ForemanError, InvalidInput
from bot.views import modals_tasks, risk_views
from bot.views.catalog import t


def register(app: App, services: Services) -> None:
    @app.command("/risk")
    def risk_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        who = who_from_command(body)
        text = (body.get("text") or "").strip()

        def work(session: Session, is_admin: bool) -> str:
            project = projects.require_project(session, team_id=who.team_id, channel_id=str(who.channel_id))
            lang = text_lang(text, project.language)
            try:
                cmd = parse_risk_command(text)
            except RiskCommandError as exc:
                raise InvalidInput(exc.key, **exc.params) from exc
            if cmd.action == "help":
                return t(lang, "risk.help")
            if cmd.action == "list":
                return risk_views.list_text(project, risks.open_risks(session, project=project), lang=lang)
            if not idempotency.claim(session, team_id=who.team_id, key=f"cmd:{body.get('trigger_id')}"):
                return t(lang, "request.duplicate")
            now = services.clock()
            if cmd.action == "add":
                risk = risks.add_risk(
                    session, project=project, actor=who.user_id, is_admin=is_admin, values=cmd.values, now=now
                )
                return risk_views.added_text(risk, lang=lang)
            assert cmd.number is not None
            if cmd.action == "close":
                risk = risks.close_risk(
                    session,
                    project=project,
                    actor=who.user_id,
                    is_admin=is_admin,
                    number=cmd.number,
                    values=cmd.values,
                    now=now,
                )
            else:
                risk = risks.update_risk(
                    session,
                    project=project,
                    actor=who.user_id,
                    is_admin=is_admin,
                    number=cmd.number,
                    values=cmd.values,
                    now=now,
                )
            return risk_views.updated_text(risk, lang=lang)

        if not text:
            with services.unit_of_work() as session:
                project = projects.project_for_channel(
                    session, team_id=who.team_id, channel_id=str(who.channel_id)
                )
                lang = project.language if project else "en"
            client.views_open(
                trigger_id=body["trigger_id"],
                view=modals_tasks.risk_form(lang=lang, channel=str(who.channel_id)),
            )
            ack()
            return
        try:
            reply = as_user(services, client, who, work)
        except ForemanError as err:
            lang = text_lang(text)
            ack(response_type="ephemeral", text=refusal(lang, err, t(lang, "usage.risk")))
            return
        ack(response_type="ephemeral", text=reply)

"""/ooo: leave (请假) for yourself, a colleague or a named worker — add, list, cancel."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.listeners.common import as_user, local_today, refusal, text_lang, who_from_command
from bot.parsing.ooo_command import OooCommandError, parse_ooo_command
from bot.services import idempotency, leave, projects
from bot.services.errors import ForemanError, InvalidInput
from bot.views import leave_views
from bot.views.catalog import t


def register(app: App, services: Services) -> None:
    @app.command("/ooo")
    def ooo_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        who = who_from_command(body)
        text = (body.get("text") or "").strip()

        def work(session: Session, is_admin: bool) -> str:
            project = projects.require_project(session, team_id=who.team_id, channel_id=str(who.channel_id))
            lang = text_lang(text, project.language)
            today = local_today(services, project)
            try:
                cmd = parse_ooo_command(text, today=today)
            except OooCommandError as exc:
                raise InvalidInput(exc.key, **exc.params) from exc
            if cmd.action == "help":
                return t(lang, "ooo.help")
            if cmd.action == "list":
                return leave_views.list_text(leave.list_leaves(session, project=project, today=today), lang)
            if not idempotency.claim(session, team_id=who.team_id, key=f"cmd:{body.get('trigger_id')}"):
                return t(lang, "request.duplicate")
            person = {"user": cmd.user, "worker": cmd.worker}
            if cmd.action == "cancel":
                away = leave.cancel_leave(
                    session,
                    project=project,
                    actor=who.user_id,
                    is_admin=is_admin,
                    day=cmd.first,
                    today=today,
                    **person,
                )
                return leave_views.cancelled_text(away, lang)
            assert cmd.first is not None and cmd.last is not None
            away = leave.add_leave(
                session,
                project=project,
                actor=who.user_id,
                is_admin=is_admin,
                first=cmd.first,
                last=cmd.last,
                reason=cmd.reason,
                today=today,
                **person,
            )
            return leave_views.added_text(away, lang)

        try:
            reply = as_user(services, client, who, work)
        except ForemanError as err:
            lang = text_lang(text)
            ack(response_type="ephemeral", text=refusal(lang, err, t(lang, "usage.ooo")))
            return
        ack(response_type="ephemeral", text=reply)

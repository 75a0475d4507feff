"""/daily and the daily log's Confirm and Edit buttons and form (施工日志); the work is in daily_handlers."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.listeners.common import Who, as_user, refusal, text_lang, who_from_command
from bot.listeners.daily_handlers import refresh_post, run_command, target
from bot.parsing.daily_command import DailySyntaxError, parse_daily
from bot.services import daily_log, idempotency, projects
from bot.services.errors import ForemanError, InvalidInput, NotFound
from bot.views import daily_views
from bot.views.catalog import t
from storage.models import Project


def _who(body: dict[str, Any]) -> Who:
    return Who(body["team"]["id"], body["user"]["id"], (body.get("channel") or {}).get("id"))


def register(app: App, services: Services) -> None:
    def daily_ack(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        who = who_from_command(body)
        text = (body.get("text") or "").strip()
        try:
            kind, payload = as_user(
                services,
                client,
                who,
                lambda s, admin: run_command(s, services, who, text, admin, f"cmd:{body.get('trigger_id')}"),
            )
        except ForemanError as err:
            lang = text_lang(text)
            usage = t(lang, "daily.help") if isinstance(err, InvalidInput) else None
            ack(response_type="ephemeral", text=refusal(lang, err, usage))
            return
        if kind == "form":
            client.views_open(trigger_id=body["trigger_id"], view=payload)
            ack()
        elif kind == "log":
            ack(response_type="ephemeral", text=payload[0], blocks=payload[1])
        elif kind == "confirmed":
            ack(response_type="in_channel", text=payload[2])
        else:
            ack(response_type="ephemeral", text=payload)

    def daily_after(body: dict[str, Any], client: WebClient) -> None:
        """After a confirmation by command, the day's post shows it too."""
        who = who_from_command(body)
        with services.unit_of_work() as session:
            project = projects.project_for_channel(
                session, team_id=who.team_id, channel_id=str(who.channel_id)
            )
            try:
                cmd = (
                    parse_daily(body.get("text") or "", now=services.clock(), tz=project.timezone)
                    if project
                    else None
                )
            except DailySyntaxError:
                return
        if project is not None and cmd is not None and cmd.action == "confirm":
            refresh_post(services, client, team_id=who.team_id, project_id=project.pk, day=cmd.day)

    def button_ack(ack: Ack) -> None:
        ack()

    def confirm_clicked(body: dict[str, Any], client: WebClient) -> None:
        who = _who(body)
        value = body["actions"][0].get("value") or ""

        def work(session: Session, is_admin: bool) -> tuple[int, date, str] | None:
            found = target(session, who.team_id, value)
            if found is None:
                raise NotFound("daily.gone")
            project, day = found
            if not idempotency.claim(
                session, team_id=who.team_id, key=f"daily_confirm:{body.get('trigger_id')}"
            ):
                return None
            now = services.clock()
            daily_log.confirm(
                session, project=project, actor=who.user_id, is_admin=is_admin, day=day, now=now
            )
            return project.pk, day, t(project.language, "daily.confirmed", day=day, user=who.user_id)

        try:
            done = as_user(services, client, who, work)
        except ForemanError as err:
            with services.unit_of_work() as session:
                found = target(session, who.team_id, value)
                lang = found[0].language if found else "en"
            client.chat_postEphemeral(channel=str(who.channel_id), user=who.user_id, text=refusal(lang, err))
            return
        if done is not None:
            client.chat_postMessage(
                channel=str(who.channel_id), thread_ts=body["message"]["ts"], text=done[2]
            )
            refresh_post(services, client, team_id=who.team_id, project_id=done[0], day=done[1])

    def edit_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        with services.unit_of_work() as session:
            found = target(session, body["team"]["id"], body["actions"][0].get("value") or "")
            if found is None:
                return
            data = daily_log.build_log(session, project=found[0], day=found[1])
            view = daily_views.edit_modal(data, found[0].language)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def form_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        who = Who(body["team"]["id"], body["user"]["id"], None)
        value = str(json.loads(view.get("private_metadata") or "{}").get("value") or "")
        texts = daily_views.form_texts(view["state"]["values"])

        def work(session: Session, is_admin: bool) -> tuple[Project, date] | None:
            found = target(session, who.team_id, value)
            if found is not None:
                now = services.clock()
                daily_log.replace_sections(
                    session, project=found[0], actor=who.user_id, day=found[1], texts=texts, now=now
                )
            return found

        saved = as_user(services, client, who, work)
        ack()
        if saved is not None:
            project, day = saved
            text = t(project.language, "daily.form.saved", day=day, user=who.user_id)
            client.chat_postEphemeral(channel=project.channel_id, user=who.user_id, text=text)
            refresh_post(services, client, team_id=who.team_id, project_id=project.pk, day=day)

    app.command("/daily")(ack=daily_ack, lazy=[daily_after])
    app.action(daily_views.CONFIRM_ACTION)(ack=button_ack, lazy=[confirm_clicked])
    app.action(daily_views.EDIT_ACTION)(edit_clicked)
    app.view(daily_views.EDIT_CALLBACK)(form_submitted)

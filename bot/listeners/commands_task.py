"""/task: add tasks, update progress and status, change owner and due date, list; no text opens a form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.listeners.common import as_user, refusal, text_lang, who_from_command
from bot.parsing import parse
from bot.parsing.task_command import CommandError, parse_task_command
from bot.services import idempotency, projects, tasks
from bot.services.errors import ForemanError, InvalidInput
from bot.views import modals_tasks, task_views
from bot.views.catalog import t


def register(app: App, services: Services) -> None:
    @app.command("/task")
    def task_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        who = who_from_command(body)
        text = (body.get("text") or "").strip()

        def work(session: Session, is_admin: bool) -> str:
            project = projects.require_project(session, team_id=who.team_id, channel_id=str(who.channel_id))
            lang = text_lang(text, project.language)
            now = services.clock()
            today = projects.local_date(project, now)
            try:
                cmd = parse_task_command(text, now=now, tz=project.timezone)
            except CommandError as exc:
                raise InvalidInput(exc.key, **exc.params) from exc
            if cmd.action == "help":
                return t(lang, "task.help")
            if cmd.action == "list":
                found = tasks.list_tasks(
                    session, project=project, which=cmd.list_filter, user_id=who.user_id, today=today
                )
                return task_views.list_text(project, found, which=cmd.list_filter, lang=lang, today=today)
            if not idempotency.claim(session, team_id=who.team_id, key=f"cmd:{body.get('trigger_id')}"):
                return t(lang, "request.duplicate")
            assert cmd.key is not None
            if cmd.action == "add":
                task = tasks.add_task(
                    session,
                    project=project,
                    actor=who.user_id,
                    is_admin=is_admin,
                    key=cmd.key,
                    title=cmd.title or cmd.key,
                    owner=cmd.values.get("owner"),  # type: ignore[arg-type]
                    start=cmd.values.get("start"),  # type: ignore[arg-type]
                    due=cmd.values.get("due"),  # type: ignore[arg-type]
                    weight=cmd.values.get("weight"),  # type: ignore[arg-type]
                    now=now,
                )
                return task_views.added_text(task, lang=lang)
            if cmd.action == "set":
                task = tasks.set_fields(
                    session,
                    project=project,
                    actor=who.user_id,
                    is_admin=is_admin,
                    key=cmd.key,
                    values=cmd.values,
                    now=now,
                )
                return task_views.fields_text(task, cmd.values, lang=lang)
            result = parse(text, now=now, tz=project.timezone, currency=project.currency, command="/task")
            if result.error:
                raise InvalidInput("parse.error", message=result.error)
            if result.task_update is None:
                raise InvalidInput("task.no_change", task=cmd.key)
            task, update = tasks.update_task(
                session,
                project=project,
                actor=who.user_id,
                is_admin=is_admin,
                key=cmd.key,
                change=result.task_update,
                now=now,
            )
            return task_views.updated_text(task, update, lang=lang)

        if not text:
            _open_form(services, client, body, who.team_id, str(who.channel_id))
            ack()
            return
        try:
            reply = as_user(services, client, who, work)
        except ForemanError as err:
            lang = text_lang(text)
            ack(response_type="ephemeral", text=refusal(lang, err, t(lang, "usage.task")))
            return
        ack(response_type="ephemeral", text=reply)


def _open_form(
    services: Services, client: WebClient, body: dict[str, Any], team_id: str, channel: str
) -> None:
    with services.unit_of_work() as session:
        project = projects.project_for_channel(session, team_id=team_id, channel_id=channel)
        lang = project.language if project else "en"
    client.views_open(trigger_id=body["trigger_id"], view=modals_tasks.task_form(lang=lang, channel=channel))

"""Buttons on nudges (Snooze, Update) and the progress modal the Update button opens."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.commands.core import Who, as_user, refusal
from bot.services import digest, nudges, tasks
from bot.services.errors import ForemanError
from bot.services.status import calendar_for
from bot.views.catalog import t
from bot.views.scheduler_views import progress_modal


def _who(body: dict[str, Any]) -> Who:
    team = str((body.get("team") or {}).get("id") or body["user"].get("team_id"))
    return Who(team_id=team, user_id=str(body["user"]["id"]), channel_id=None)


def _value(raw: str | None) -> dict[str, Any]:
    try:
        found = json.loads(raw or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def register(app: App, services: Services) -> None:
    @app.action("sched_snooze")
    def snooze(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        who = _who(body)
        value = _value(body["actions"][0].get("value"))
        now = services.clock()
        seen = {"lang": "en"}

        def work(session: Session, is_admin: bool) -> str:
            project = digest.project_by_id(session, team_id=who.team_id, project_id=int(value.get("p", 0)))
            seen["lang"] = project.language
            until = nudges.snooze(
                session,
                project=project,
                condition=str(value.get("c")),
                user_id=who.user_id,
                now=now,
                is_admin=is_admin,
            )
            local = until.astimezone(calendar_for(project).zone).strftime("%Y-%m-%d %H:%M")
            return t(project.language, "sched.nudge.snoozed", until=local)

        try:
            text = as_user(services, client, who, work)
        except ForemanError as err:
            text = refusal(seen["lang"], err)
        respond(text=text, replace_original=False, response_type="ephemeral")

    @app.action("sched_update")
    def update(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        who = _who(body)
        value = _value(body["actions"][0].get("value"))
        with services.reading() as session:
            project = digest.project_by_id(session, team_id=who.team_id, project_id=int(value.get("p", 0)))
            task = tasks.get_task(session, project=project, key=str(value.get("k")))
            view = progress_modal(
                project_id=project.pk, task_key=task.key, progress=task.progress, lang=project.language
            )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view("sched_progress")
    def save(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        who = _who(body)
        meta = _value(view.get("private_metadata"))
        lang = str(meta.get("lang") or "en")
        raw = (((view.get("state") or {}).get("values") or {}).get("progress") or {}).get("value") or {}
        try:
            progress = int(str(raw.get("value")))
            if not 0 <= progress <= 100:
                raise ValueError
        except ValueError:
            ack(response_action="errors", errors={"progress": t(lang, "sched.progress.bad")})
            return

        def work(session: Session, is_admin: bool) -> str:
            project = digest.project_by_id(session, team_id=who.team_id, project_id=int(meta.get("p", 0)))
            task, _ = tasks.update_task(
                session,
                project=project,
                actor=who.user_id,
                is_admin=is_admin,
                key=str(meta.get("k")),
                change=tasks.Change(progress=progress),
                now=services.clock(),
                origin=tasks.Origin(source="modal"),
            )
            return t(lang, "sched.progress.saved", tkey=task.key, progress=task.progress)

        try:
            text = as_user(services, client, who, work)
        except ForemanError as err:
            ack(response_action="errors", errors={"progress": refusal(lang, err)})
            return
        ack()
        client.chat_postMessage(channel=who.user_id, text=text)

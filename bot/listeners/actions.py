"""Buttons on confirmations: Undo, Edit, Mark done, Update progress."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.commands.core import Who, as_user, refusal
from bot.listeners.outbox import send_outcome
from bot.services import idempotency, lookups, message_records, projects, tasks
from bot.services.errors import ForemanError
from bot.views import confirmations, modals_tasks, task_views
from bot.views.catalog import t
from storage.models import Task

Work = Callable[[Session, bool, Any], list[dict[str, Any]]]


def _who(body: dict[str, Any]) -> Who:
    return Who(
        team_id=str((body.get("team") or {}).get("id") or body["user"].get("team_id")),
        user_id=str(body["user"]["id"]),
        channel_id=str((body.get("channel") or {}).get("id") or ""),
    )


def _value(body: dict[str, Any]) -> dict[str, Any]:
    try:
        found = json.loads(body["actions"][0].get("value") or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _thread(body: dict[str, Any]) -> str | None:
    message = body.get("message") or {}
    return message.get("thread_ts") or message.get("ts")


def run(services: Services, client: WebClient, body: dict[str, Any], work: Work) -> None:
    """Decide in one transaction (claimed by trigger_id, so a re-delivery stores nothing), keep the replies."""
    who = _who(body)
    key = f"act:{body.get('trigger_id')}"

    def guarded(session: Session, is_admin: bool) -> list[dict[str, Any]]:
        project = projects.require_project(session, team_id=who.team_id, channel_id=str(who.channel_id))
        if not idempotency.claim(session, team_id=who.team_id, key=key):
            return []
        ops = work(session, is_admin, project)
        message_records.save_outcome(session, team_id=who.team_id, key=key, outcome=ops)
        return ops

    try:
        as_user(services, client, who, guarded)
    except ForemanError as err:
        with services.unit_of_work() as session:
            project = projects.project_for_channel(
                session, team_id=who.team_id, channel_id=str(who.channel_id)
            )
            lang = project.language if project else "en"
            if idempotency.claim(session, team_id=who.team_id, key=key):
                hint = _whisper(body, who, refusal(lang, err))
                message_records.save_outcome(session, team_id=who.team_id, key=key, outcome=[hint])


def _whisper(body: dict[str, Any], who: Who, text: str) -> dict[str, Any]:
    return {
        "op": "ephemeral",
        "channel": who.channel_id,
        "user": who.user_id,
        "text": text,
        "thread_ts": _thread(body),
    }


def register(app: App, services: Services) -> None:
    def send(body: dict[str, Any], client: WebClient) -> None:
        """Send what the click decided (once)."""
        who = _who(body)
        send_outcome(
            services,
            client,
            team_id=who.team_id,
            outcome_key=f"act:{body.get('trigger_id')}",
            sent_key=f"sent:{body.get('trigger_id')}",
        )

    def undo(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        who = _who(body)
        src = str(_value(body).get("ts") or "")
        confirmation = str((body.get("message") or {}).get("ts") or "")

        def work(session: Session, is_admin: bool, project: Any) -> list[dict[str, Any]]:
            lang = project.language
            produced = message_records.find(session, project=project, channel=str(who.channel_id), ts=src)
            if not produced:
                return [_whisper(body, who, t(lang, "rec.already_undone"))]
            message_records.void(
                session,
                project=project,
                actor=who.user_id,
                is_admin=is_admin,
                produced=produced,
                now=services.clock(),
            )
            text, blocks = confirmations.plain(
                t(lang, "rec.undone", user=who.user_id, what=message_records.ids_text(produced, lang))
            )
            return [
                {
                    "op": "update",
                    "channel": who.channel_id,
                    "ts": src,
                    "confirmation_ts": confirmation,
                    "text": text,
                    "blocks": blocks,
                }
            ]

        run(services, client, body, work)

    def mark_done(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        who = _who(body)
        key = str(_value(body).get("key") or "")

        def work(session: Session, is_admin: bool, project: Any) -> list[dict[str, Any]]:
            task, update = tasks.update_task(
                session,
                project=project,
                actor=who.user_id,
                is_admin=is_admin,
                key=key,
                change=tasks.Change(progress=100, status="done"),
                now=services.clock(),
                origin=tasks.Origin("button"),
            )
            return [_whisper(body, who, task_views.updated_text(task, update, lang=project.language))]

        run(services, client, body, work)

    def progress(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        who = _who(body)
        key = str(_value(body).get("key") or "")
        try:
            with services.unit_of_work() as session:
                project = projects.require_project(
                    session, team_id=who.team_id, channel_id=str(who.channel_id)
                )
                task = tasks.get_task(session, project=project, key=key)
                view = modals_tasks.progress_form(
                    lang=project.language,
                    channel=str(who.channel_id),
                    key=task.key,
                    progress=task.progress,
                    confirmation_ts=_thread(body),
                )
        except ForemanError as err:
            client.chat_postEphemeral(channel=str(who.channel_id), user=who.user_id, text=refusal("en", err))
            return
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def edit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        who = _who(body)
        src = str(_value(body).get("ts") or "")
        confirmation = str((body.get("message") or {}).get("ts") or "")
        with services.unit_of_work() as session:
            project = projects.project_for_channel(
                session, team_id=who.team_id, channel_id=str(who.channel_id)
            )
            if project is None:
                return
            lang = project.language
            produced = message_records.find(session, project=project, channel=str(who.channel_id), ts=src)
            statement = _statement(session, produced, lang)
        if statement is None:
            client.chat_postEphemeral(
                channel=str(who.channel_id),
                user=who.user_id,
                text=t(lang, "rec.already_undone"),
                thread_ts=_thread(body),
            )
            return
        kind = "labor" if produced.labor else "expense"
        view = modals_tasks.edit_form(
            lang=lang,
            channel=str(who.channel_id),
            ts=src,
            kind=kind,
            statement=statement,
            confirmation_ts=confirmation,
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    app.action(confirmations.UNDO)(ack=undo, lazy=[send])
    app.action(confirmations.DONE)(ack=mark_done, lazy=[send])
    app.action(confirmations.PROGRESS)(progress)
    app.action(confirmations.EDIT)(edit)


def _statement(session: Session, produced: message_records.Produced, lang: str) -> str | None:
    """The stored record as text for the Edit form; None when nothing editable is left."""
    if produced.labor:
        names = lookups.labor_names(session, produced.labor)
        workers, crews = names.workers, names.crews
        task = session.get(Task, produced.labor[0].task_id) if produced.labor[0].task_id else None
        return confirmations.labor_statement(
            produced.labor, workers=workers, crews=crews, lang=lang, task_key=task.key if task else None
        )
    if produced.expense is not None:
        expense = produced.expense
        task = session.get(Task, expense.task_id) if expense.task_id else None
        return confirmations.expense_statement(expense, task_key=task.key if task else None)
    return None

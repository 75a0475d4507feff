"""Form submissions: add a task, register a risk, update progress, edit a recorded statement."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.commands.core import Who, as_user, refusal
from bot.commands.messages import confirmation_op
from bot.listeners.outbox import send_outcome
from bot.parsing import parse
from bot.parsing.task_command import canonical_key
from bot.services import idempotency, message_records, projects, risks, tasks
from bot.services.errors import Conflict, ForemanError, InvalidInput
from bot.views import modals_tasks, risk_views, task_views
from bot.views.catalog import t
from storage.models import Crew, Project, Worker

Decide = Callable[[Session, bool, Project], list[dict[str, Any]]]


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


def register(app: App, services: Services) -> None:
    def submit(ack: Ack, body: dict[str, Any], client: WebClient, decide: Decide, field: str) -> None:
        """Validate and store in one transaction (claimed by view id); refusals become field errors."""
        meta = _meta(body)
        channel = str(meta.get("c") or "")
        lang = str(meta.get("l") or "en")
        who = Who(team_id=str(body["team"]["id"]), user_id=str(body["user"]["id"]), channel_id=channel)
        key = f"view:{body['view']['id']}"

        def work(session: Session, is_admin: bool) -> list[dict[str, Any]]:
            project = projects.require_project(session, team_id=who.team_id, channel_id=channel)
            if not idempotency.claim(session, team_id=who.team_id, key=key):
                return []
            ops = decide(session, is_admin, project)
            message_records.save_outcome(session, team_id=who.team_id, key=key, outcome=ops)
            return ops

        try:
            as_user(services, client, who, work)
        except FieldError as err:
            ack(response_action="errors", errors={err.block: err.text(lang)})
            return
        except ForemanError as err:
            ack(response_action="errors", errors={field: refusal(lang, err)})
            return
        ack()

    def send(body: dict[str, Any], client: WebClient) -> None:
        send_outcome(
            services,
            client,
            team_id=str(body["team"]["id"]),
            outcome_key=f"view:{body['view']['id']}",
            sent_key=f"sent:{body['view']['id']}",
        )

    def whisper(body: dict[str, Any], text: str) -> dict[str, Any]:
        meta = _meta(body)
        thread = meta.get("m")
        return {
            "op": "ephemeral",
            "channel": meta.get("c"),
            "user": body["user"]["id"],
            "text": text,
            "thread_ts": thread,
        }

    def task_add(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        values = _state(body)
        lang = str(_meta(body).get("l") or "en")
        key = canonical_key(str(values.get("key") or ""))
        title = str(values.get("title") or "").strip()
        errors: dict[str, str] = {}
        if key is None:
            errors["key"] = t(lang, "rec.bad_key")
        if not title:
            errors["title"] = t(lang, "rec.field_required")
        weight: Decimal | None = None
        if values.get("weight"):
            try:
                weight = Decimal(str(values["weight"]).strip())
            except InvalidOperation:
                weight = Decimal(-1)
            if not weight.is_finite() or weight <= 0:
                errors["weight"] = t(lang, "rec.bad_weight")
        if errors:
            ack(response_action="errors", errors=errors)
            return

        def decide(session: Session, is_admin: bool, project: Project) -> list[dict[str, Any]]:
            from datetime import date

            try:
                task = tasks.add_task(
                    session,
                    project=project,
                    actor=body["user"]["id"],
                    is_admin=is_admin,
                    key=str(key),
                    title=title,
                    owner=values.get("owner") or None,
                    start=date.fromisoformat(values["start"]) if values.get("start") else None,
                    due=date.fromisoformat(values["due"]) if values.get("due") else None,
                    weight=weight,
                    now=services.clock(),
                    origin=tasks.Origin("modal"),
                )
            except Conflict as err:
                raise FieldError("key", err) from err
            except InvalidInput as err:
                raise FieldError("due", err) from err
            return [whisper(body, task_views.added_text(task, lang=lang))]

        submit(ack, body, client, decide, "key")

    def risk_add(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        values = _state(body)
        lang = str(_meta(body).get("l") or "en")
        title = str(values.get("title") or "").strip()
        if not title:
            ack(response_action="errors", errors={"title": t(lang, "rec.field_required")})
            return
        fields: dict[str, object] = {
            "title": title,
            "kind": values.get("kind") or "tech",
            "probability": int(values.get("probability") or 3),
            "impact": int(values.get("impact") or 3),
        }
        if values.get("owner"):
            fields["owner"] = values["owner"]
        if values.get("mitigation"):
            fields["mitigation"] = str(values["mitigation"]).strip()

        def decide(session: Session, is_admin: bool, project: Project) -> list[dict[str, Any]]:
            risk = risks.add_risk(
                session,
                project=project,
                actor=body["user"]["id"],
                is_admin=is_admin,
                values=fields,
                now=services.clock(),
            )
            return [whisper(body, risk_views.added_text(risk, lang=lang))]

        submit(ack, body, client, decide, "kind")

    def progress(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        meta = _meta(body)
        lang = str(meta.get("l") or "en")
        raw = str(_state(body).get("progress") or "").strip()
        if not raw.isdigit() or not 0 <= int(raw) <= 100:
            ack(response_action="errors", errors={"progress": t(lang, "rec.progress_range")})
            return
        value = int(raw)

        def decide(session: Session, is_admin: bool, project: Project) -> list[dict[str, Any]]:
            task, update = tasks.update_task(
                session,
                project=project,
                actor=body["user"]["id"],
                is_admin=is_admin,
                key=str(meta.get("k") or ""),
                change=tasks.Change(progress=value, status="done" if value == 100 else "in_progress"),
                now=services.clock(),
                origin=tasks.Origin("modal"),
            )
            return [whisper(body, task_views.updated_text(task, update, lang=lang))]

        submit(ack, body, client, decide, "progress")

    def edit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        meta = _meta(body)
        lang = str(meta.get("l") or "en")
        text = str(_state(body).get("statement") or "").strip()
        kind = str(meta.get("kind") or "labor")
        channel, ts = str(meta.get("c") or ""), str(meta.get("ts") or "")
        actor = str(body["user"]["id"])

        def decide(session: Session, is_admin: bool, project: Project) -> list[dict[str, Any]]:
            now = services.clock()
            workers = [w.name for w in session.exec(_select(Worker, project)).all()]
            crews = [c.name for c in session.exec(_select(Crew, project)).all()]
            result = parse(
                text,
                now=now,
                tz=project.timezone,
                currency=project.currency,
                command="/log-labor" if kind == "labor" else "/expense",
                standard_hours=float(project.hours_per_day),
                known_workers=workers,
                known_crews=crews,
            )
            if result.error:
                raise FieldError("statement", InvalidInput("parse.error", message=result.error))
            if result.intent not in ("labor", "expense"):
                raise FieldError("statement", InvalidInput("rec.edit_not_understood"))
            before = message_records.find(session, project=project, channel=channel, ts=ts)
            if not before:
                raise FieldError("statement", InvalidInput("rec.already_undone"))
            try:
                message_records.void(
                    session, project=project, actor=actor, is_admin=is_admin, produced=before, now=now
                )
                produced = message_records.store(
                    session,
                    project=project,
                    actor=_author(before, actor),
                    is_admin=is_admin,
                    result=result,
                    now=now,
                    channel=channel,
                    ts=ts,
                )
            except ForemanError as err:
                raise FieldError("statement", err) from err
            op = confirmation_op(
                session,
                project,
                produced,
                lang=lang,
                actor=actor,
                channel=channel,
                ts=ts,
                thread_ts=ts,
                edited=True,
            )
            if meta.get("m"):
                op["confirmation_ts"] = meta["m"]
            return [op]

        submit(ack, body, client, decide, "statement")

    for callback, handler in (
        (modals_tasks.TASK_FORM, task_add),
        (modals_tasks.RISK_FORM, risk_add),
        (modals_tasks.PROGRESS_FORM, progress),
        (modals_tasks.EDIT_FORM, edit),
    ):
        app.view(callback)(ack=handler, lazy=[send])


def _author(produced: message_records.Produced, editor: str) -> str:
    """An edit keeps the record's author (a pm may correct someone else's statement)."""
    if produced.labor:
        return produced.labor[0].logged_by
    if produced.expense is not None:
        return produced.expense.logged_by
    return editor


def _select(model: Any, project: Project) -> Any:
    from sqlmodel import select

    return select(model).where(model.project_id == project.id)


class FieldError(ForemanError):
    """A refusal that belongs to one input of a form."""

    def __init__(self, block: str, err: ForemanError) -> None:
        super().__init__(err.key, **err.params)
        self.block = block
        self.err = err

    def text(self, lang: str) -> str:
        return refusal(lang, self.err)

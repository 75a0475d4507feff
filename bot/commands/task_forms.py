"""Submissions of the task, risk, progress and edit-a-statement forms: check, store, decide the replies.

A form is read into a Plan before the transaction: field errors found by reading the input alone, or
the `decide` step that stores and returns the reply operations (sent by the lazy outbox sender).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.commands.core import Decision, Who, as_user, refusal
from bot.commands.messages import Op, confirmation_op, parse_message
from bot.parsing.task_command import canonical_key
from bot.services import idempotency, message_records, projects, risks, tasks
from bot.services.errors import Conflict, ForemanError, InvalidInput
from bot.views import risk_views, task_views
from bot.views.catalog import t
from storage.models import Project

Decide = Callable[[Session, bool, Project], list[Op]]


@dataclass(frozen=True)
class Submission:
    """A submitted form as plain data: who, the values by block, what the opener put in metadata."""

    who: Who
    view_id: str
    values: dict[str, Any]
    meta: dict[str, Any]

    @property
    def lang(self) -> str:
        return str(self.meta.get("l") or "en")

    @property
    def key(self) -> str:
        return f"view:{self.view_id}"

    def whisper(self, text: str) -> Op:
        """A reply only the submitter sees, in the thread the form was opened from."""
        channel, thread = self.meta.get("c"), self.meta.get("m")
        return {
            "op": "ephemeral",
            "channel": channel,
            "user": self.who.user_id,
            "text": text,
            "thread_ts": thread,
        }


@dataclass(frozen=True)
class Plan:
    """What a submission will do: errors found in the input alone, or the store step and its field."""

    decide: Decide | None = None
    block: str = ""  # the input a refusal is shown under
    errors: dict[str, str] = field(default_factory=dict)


class FieldError(ForemanError):
    """A refusal that belongs to one input of a form."""

    def __init__(self, block: str, err: ForemanError) -> None:
        super().__init__(err.key, **err.params)
        self.block = block
        self.err = err


def submit(services: Services, client: WebClient, sub: Submission, plan: Plan) -> Decision:
    """Store in one transaction (claimed by view id) and save the replies; refusals become field errors."""
    if plan.errors or plan.decide is None:
        return Decision(errors=plan.errors)
    decide = plan.decide

    def work(session: Session, is_admin: bool) -> list[Op]:
        project = projects.require_project(
            session, team_id=sub.who.team_id, channel_id=str(sub.who.channel_id)
        )
        if not idempotency.claim(session, team_id=sub.who.team_id, key=sub.key):
            return []
        ops = decide(session, is_admin, project)
        message_records.save_outcome(session, team_id=sub.who.team_id, key=sub.key, outcome=ops)
        return ops

    try:
        as_user(services, client, sub.who, work)
    except FieldError as err:
        return Decision(errors={err.block: refusal(sub.lang, err.err)})
    except ForemanError as err:
        return Decision(errors={plan.block: refusal(sub.lang, err)})
    return Decision()


def _common(sub: Submission, project: Project, is_admin: bool) -> dict[str, Any]:
    return {"project": project, "actor": sub.who.user_id, "is_admin": is_admin}


def task_add(services: Services, sub: Submission) -> Plan:
    """A new task: key, title and optional owner, dates and weight."""
    values, lang = sub.values, sub.lang
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
        return Plan(errors=errors)

    def decide(session: Session, is_admin: bool, project: Project) -> list[Op]:
        try:
            task = tasks.add_task(
                session,
                **_common(sub, project, is_admin),
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
        return [sub.whisper(task_views.added_text(task, lang=lang))]

    return Plan(decide, "key")


def risk_add(services: Services, sub: Submission) -> Plan:
    """A new risk: title, kind, probability, impact, owner, mitigation."""
    values = sub.values
    title = str(values.get("title") or "").strip()
    if not title:
        return Plan(errors={"title": t(sub.lang, "rec.field_required")})
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

    def decide(session: Session, is_admin: bool, project: Project) -> list[Op]:
        risk = risks.add_risk(session, **_common(sub, project, is_admin), values=fields, now=services.clock())
        return [sub.whisper(risk_views.added_text(risk, lang=sub.lang))]

    return Plan(decide, "kind")


def progress(services: Services, sub: Submission) -> Plan:
    """A task's progress from the button's form: 0 to 100, 100 marks it done."""
    raw = str(sub.values.get("progress") or "").strip()
    if not raw.isdigit() or not 0 <= int(raw) <= 100:
        return Plan(errors={"progress": t(sub.lang, "rec.progress_range")})
    value = int(raw)

    def decide(session: Session, is_admin: bool, project: Project) -> list[Op]:
        task, update = tasks.update_task(
            session,
            **_common(sub, project, is_admin),
            key=str(sub.meta.get("k") or ""),
            change=tasks.Change(progress=value, status="done" if value == 100 else "in_progress"),
            now=services.clock(),
            origin=tasks.Origin("modal"),
        )
        return [sub.whisper(task_views.updated_text(task, update, lang=sub.lang))]

    return Plan(decide, "progress")


def edit(services: Services, sub: Submission) -> Plan:
    """A recorded statement rewritten: the old records voided, the new ones stored, the confirmation updated."""
    meta = sub.meta
    text = str(sub.values.get("statement") or "").strip()
    kind = str(meta.get("kind") or "labor")
    channel, ts = str(meta.get("c") or ""), str(meta.get("ts") or "")
    actor = sub.who.user_id

    def decide(session: Session, is_admin: bool, project: Project) -> list[Op]:
        now = services.clock()
        command = "/log-labor" if kind == "labor" else "/expense"
        result = parse_message(session, project, text, now, command=command)
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
            lang=sub.lang,
            actor=actor,
            channel=channel,
            ts=ts,
            thread_ts=ts,
            edited=True,
        )
        if meta.get("m"):
            op["confirmation_ts"] = meta["m"]
        return [op]

    return Plan(decide, "statement")


def _author(produced: message_records.Produced, editor: str) -> str:
    """An edit keeps the record's author (a pm may correct someone else's statement)."""
    if produced.labor:
        return produced.labor[0].logged_by
    if produced.expense is not None:
        return produced.expense.logged_by
    return editor

"""/expense: money spent; list, edit, void, undo; no text opens the form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.listeners.common import as_user, local_today, open_record_form, refusal, text_lang, who_from_command
from bot.parsing import parse
from bot.parsing.record_commands import (
    Period,
    RecordSyntaxError,
    entry_id,
    expense_changes,
    normalize_mentions,
    period,
    split_id,
    subcommand,
)
from bot.services import access, expenses, idempotency, projects
from bot.services.errors import ForemanError, InvalidInput
from bot.views import expense_views, modals_records
from bot.views.catalog import t


def period_label(lang: str, p: Period) -> str:
    if p.kind in ("week", "month"):
        return t(lang, f"expense.period.{p.kind}")
    if p.kind == "today":
        return t(lang, "labor.period.today")
    if p.kind == "day":
        return t(lang, "labor.period.day", date=p.start.isoformat())
    return t(lang, "records.period.range", start=p.start.isoformat(), end=p.end.isoformat())


def register(app: App, services: Services) -> None:
    @app.command("/expense")
    def expense_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        who = who_from_command(body)
        text = normalize_mentions((body.get("text") or "").strip())
        seen = {"lang": text_lang(text)}
        sub = subcommand(text)
        if sub is not None and sub.name == "help":
            ack(response_type="ephemeral", text=t(seen["lang"], "expense.help"))
            return
        if not text:
            problem = open_record_form(
                services,
                client,
                who,
                body["trigger_id"],
                lambda project, today: modals_records.expense_modal(
                    project, channel=str(who.channel_id), today=today
                ),
            )
            ack(response_type="ephemeral", text=problem) if problem else ack()
            return

        def work(session: Session, is_admin: bool) -> str:
            project = projects.require_project(session, team_id=who.team_id, channel_id=str(who.channel_id))
            lang = seen["lang"] = text_lang(text, project.language)
            now = services.clock()
            today = local_today(services, project)
            common: dict[str, Any] = {"project": project, "actor": who.user_id, "is_admin": is_admin}
            if sub is not None and sub.name == "list":
                span = period(sub.rest, now=now, tz=project.timezone, default="week")
                role = access.role_of(session, project=project, user_id=who.user_id, is_admin=is_admin)
                mine = None if role == "pm" else who.user_id
                rows = expenses.expenses_between(
                    session, project=project, start=span.start, end=span.end, user_id=mine
                )
                return expense_views.list_text(
                    session, project, rows, lang=lang, period=period_label(lang, span)
                )
            if sub is not None and sub.name == "approve":
                raise InvalidInput("expense.nothing_to_edit")
            if not idempotency.claim(session, team_id=who.team_id, key=f"cmd:{body.get('trigger_id')}"):
                return t(lang, "request.duplicate")
            if sub is not None and sub.name == "edit":
                number, rest = split_id(sub.rest, "E")
                changes = expense_changes(
                    rest, now=now, tz=project.timezone, category_of=expenses.category_of
                )
                row = expenses.edit_expense(
                    session, **common, expense_id=number, changes=changes, today=today
                )
                return expense_views.edited_text(session, row, lang=lang)
            if sub is not None and sub.name == "void":
                row = expenses.void_expense(session, **common, expense_id=entry_id(sub.rest, "E"))
                return expense_views.voided_text(row, lang=lang)
            if sub is not None and sub.name == "undo":
                row = expenses.undo_last_expense(session, **common)
                return expense_views.voided_text(row, lang=lang)
            result = parse(text, now=now, tz=project.timezone, currency=project.currency, command="/expense")
            if result.intent != "expense" or result.expense is None or result.date is None:
                raise InvalidInput("expense.bad_amount", amount="")
            if result.error:
                raise InvalidInput("parse.error", message=result.error)
            row = expenses.log_expense(
                session,
                **common,
                intent=result.expense,
                spent_on=result.date,
                today=today,
                slack_channel=who.channel_id,
            )
            return expense_views.logged_text(session, project, row, lang=lang, actor=who.user_id)

        try:
            reply = as_user(services, client, who, work)
        except RecordSyntaxError as exc:
            lang = seen["lang"]
            err = InvalidInput("records.bad_field", field=exc.field, value=exc.value)
            ack(response_type="ephemeral", text=refusal(lang, err, t(lang, "usage.expense")))
            return
        except ForemanError as err:
            lang = seen["lang"]
            hint = t(lang, "usage.expense") if isinstance(err, InvalidInput) else None
            ack(response_type="ephemeral", text=refusal(lang, err, hint))
            return
        ack(response_type="ephemeral", text=reply)

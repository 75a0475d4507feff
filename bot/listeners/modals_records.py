"""Submissions of the /log-labor, /expense and /project forms: validate, store, confirm."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.listeners.common import Who, as_user, local_today
from bot.parsing import ExpenseIntent, LaborIntent
from bot.parsing.money import parse_money
from bot.parsing.project_command import ProjectSpec, SpecError, parse_field
from bot.parsing.record_commands import RecordSyntaxError, currency_value, hours_value, rate_value
from bot.services import expenses, idempotency, labor, projects
from bot.services.errors import ForemanError, PermissionDenied
from bot.views import expense_views, labor_views, modals_records, project_views
from bot.views.catalog import t
from bot.views.replies import error_text

_TASK = re.compile(r"^[A-Za-z]{1,10}-\d{1,6}$")
_URL = re.compile(r"^https?://\S+$")


def _value(values: dict[str, Any], block: str) -> Any:
    """The submitted value of an input block (text, date, users or option)."""
    element = (values.get(block) or {}).get("value") or {}
    for key in ("value", "selected_date", "selected_users"):
        if element.get(key) not in (None, "", []):
            return element[key]
    option = element.get("selected_option")
    return option.get("value") if option else None


def _text(values: dict[str, Any], block: str) -> str:
    value = _value(values, block)
    return str(value).strip() if value else ""


def _meta(body: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(body["view"].get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    return meta if isinstance(meta, dict) else {}


def _who(body: dict[str, Any]) -> Who:
    return Who(team_id=body["team"]["id"], user_id=body["user"]["id"], channel_id=_meta(body).get("channel"))


def _claim(session: Session, who: Who, body: dict[str, Any]) -> bool:
    view = body["view"]
    return idempotency.claim(session, team_id=who.team_id, key=f"view:{view.get('id')}:{view.get('hash')}")


def _field_for(err: ForemanError, default: str) -> str:
    if isinstance(err, PermissionDenied):
        return "users" if default == "hours" else default
    if err.key.startswith("task."):
        return "task"
    if err.key in ("labor.future", "expense.future", "error.locked"):
        return "date"
    return default


def _tell(client: WebClient, who: Who, text: str) -> None:
    if who.channel_id:
        client.chat_postEphemeral(channel=who.channel_id, user=who.user_id, text=text)


def register(app: App, services: Services) -> None:
    @app.view(modals_records.LABOR_CALLBACK)
    def labor_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        who = _who(body)
        values = body["view"]["state"]["values"]
        lang = "en"
        errors: dict[str, str] = {}
        hours = overtime = None
        rate = None
        try:
            hours = hours_value(_text(values, "hours"))
            if hours <= 0:
                raise RecordSyntaxError("hours", str(hours))
        except RecordSyntaxError:
            errors["hours"] = "modal.bad_number"
        if _text(values, "overtime"):
            try:
                overtime = hours_value(_text(values, "overtime"))
            except RecordSyntaxError:
                errors["overtime"] = "modal.bad_number"
        headcount = None
        if _text(values, "headcount"):
            try:
                headcount = int(hours_value(_text(values, "headcount")))
            except RecordSyntaxError:
                errors["headcount"] = "modal.bad_number"
        if _text(values, "rate"):
            try:
                rate = rate_value(_text(values, "rate"))
            except RecordSyntaxError:
                errors["rate"] = "modal.bad_rate"
        task = _text(values, "task").upper() or None
        if task and not _TASK.match(task):
            errors["task"] = "modal.bad_task"
        raw_date = _value(values, "date")

        def work(session: Session, is_admin: bool) -> str | dict[str, str] | None:
            nonlocal lang
            project = projects.require_project(session, team_id=who.team_id, channel_id=str(who.channel_id))
            lang = project.language
            today = local_today(services, project)
            work_date = date.fromisoformat(raw_date) if raw_date else today
            if work_date > today:
                errors.setdefault("date", "modal.bad_date")
            if errors:
                return {k: t(lang, v) for k, v in errors.items()}
            if not _claim(session, who, body):
                return None
            users = tuple(_value(values, "users") or ())
            workers = tuple(w for w in re.split(r"[,，、;；\s]+", _text(values, "workers")) if w)
            crew = _text(values, "crew") or None
            count = headcount or (len(users) + len(workers)) or 1
            intent = LaborIntent(
                users=users,
                workers=workers,
                crew=crew,
                headcount=count,
                hours_each=float(hours or 0),
                overtime_hours=float((overtime or Decimal(0)) * count),
                rate_amount=rate[0] if rate else None,
                rate_unit=rate[1] if rate else None,  # type: ignore[arg-type]
                task=task,
                note=_text(values, "note") or None,
            )
            rows = labor.log_labor(
                session,
                project=project,
                actor=who.user_id,
                is_admin=is_admin,
                intent=intent,
                work_date=work_date,
                today=today,
                source="modal",
                slack_channel=who.channel_id,
            )
            return labor_views.logged_text(session, project, rows, lang=lang, actor=who.user_id)

        _finish(services, ack, client, who, work, lambda: lang, default_field="hours")

    @app.view(modals_records.EXPENSE_CALLBACK)
    def expense_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        who = _who(body)
        values = body["view"]["state"]["values"]
        lang = "en"
        errors: dict[str, str] = {}
        money = parse_money(_text(values, "amount")) if _text(values, "amount") else None
        if money is None or money[0] <= 0:
            errors["amount"] = "modal.bad_number"
        currency = None
        if _text(values, "currency"):
            try:
                currency = currency_value(_text(values, "currency"))
            except RecordSyntaxError:
                errors["currency"] = "modal.bad_currency"
        task = _text(values, "task").upper() or None
        if task and not _TASK.match(task):
            errors["task"] = "modal.bad_task"
        receipt = _text(values, "receipt") or None
        if receipt and not _URL.match(receipt):
            errors["receipt"] = "modal.bad_url"
        raw_date = _value(values, "date")

        def work(session: Session, is_admin: bool) -> str | dict[str, str] | None:
            nonlocal lang
            project = projects.require_project(session, team_id=who.team_id, channel_id=str(who.channel_id))
            lang = project.language
            today = local_today(services, project)
            spent_on = date.fromisoformat(raw_date) if raw_date else today
            if spent_on > today:
                errors.setdefault("date", "modal.bad_date")
            if errors:
                return {k: t(lang, v) for k, v in errors.items()}
            if not _claim(session, who, body):
                return None
            assert money is not None
            intent = ExpenseIntent(
                amount=money[0],
                currency=currency or money[1] or project.currency,
                category=_text(values, "category") or "other",
                vendor=_text(values, "vendor") or None,
                task=task,
                note=_text(values, "note") or None,
                receipt=receipt,
            )
            row = expenses.log_expense(
                session,
                project=project,
                actor=who.user_id,
                is_admin=is_admin,
                intent=intent,
                spent_on=spent_on,
                today=today,
                source="modal",
                slack_channel=who.channel_id,
            )
            return expense_views.logged_text(session, project, row, lang=lang, actor=who.user_id)

        _finish(services, ack, client, who, work, lambda: lang, default_field="amount")

    @app.view(modals_records.PROJECT_CREATE_CALLBACK)
    def project_create_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        who = _who(body)
        values = body["view"]["state"]["values"]
        lang = _text(values, "lang") if _text(values, "lang") in ("en", "zh") else "en"
        spec = ProjectSpec(name=_text(values, "name")[:200] or None)
        errors = _project_fields(services, values, spec.values, with_code=True)
        if not spec.name:
            errors["name"] = t(lang, "modal.required")
        if errors:
            ack(response_action="errors", errors=errors)
            return
        spec.values.setdefault("timezone", "UTC")

        def work(session: Session, is_admin: bool) -> str | dict[str, str] | None:
            if not _claim(session, who, body):
                return None
            project = projects.create_project(
                session,
                team_id=who.team_id,
                channel_id=str(who.channel_id),
                user_id=who.user_id,
                spec=spec,
                now=services.clock(),
            )
            return project_views.created_text(project, who.user_id)

        _finish(services, ack, client, who, work, lambda: lang, default_field="name")

    @app.view(modals_records.PROJECT_SETTINGS_CALLBACK)
    def project_settings_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        who = _who(body)
        values = body["view"]["state"]["values"]
        changes: dict[str, Any] = {}
        errors = _project_fields(services, values, changes, with_code=False)
        lang = "en"

        def work(session: Session, is_admin: bool) -> str | dict[str, str] | None:
            nonlocal lang
            project = projects.require_project(session, team_id=who.team_id, channel_id=str(who.channel_id))
            lang = project.language
            if errors:
                return errors
            if not _claim(session, who, body):
                return None
            changed = {k: v for k, v in changes.items() if getattr(project, k) != v}
            if not changed:
                return t(lang, "modal.project.saved")
            before = {k: getattr(project, k) for k in changed}
            projects.update_settings(
                session, project=project, actor=who.user_id, is_admin=is_admin, values=changed
            )
            return project_views.set_text(before, project, lang=lang)

        _finish(services, ack, client, who, work, lambda: lang, default_field="budget")


def _project_fields(
    services: Services, values: dict[str, Any], into: dict[str, Any], *, with_code: bool
) -> dict[str, str]:
    """Read the project form's fields into model attributes; errors by block id."""
    errors: dict[str, str] = {}
    blocks = ["budget", "currency", "tz", "standup", "workdays", "holidays", "lang"]
    if with_code:
        blocks.insert(0, "code")
    for block in blocks:
        raw = _text(values, block)
        if not raw:
            continue
        try:
            into.update(parse_field(block, raw, now=services.clock(), tz=into.get("timezone", "UTC")))
        except SpecError as exc:
            errors[block] = t("en", "project.bad_field", field=exc.field, value=exc.value)
    if (
        "budget" in into
        and isinstance(into["budget"], Decimal)
        and "currency" in into
        and _text(values, "currency")
    ):
        into["currency"] = _text(values, "currency").upper()
    return errors


def _finish(
    services: Services,
    ack: Ack,
    client: WebClient,
    who: Who,
    work: Any,
    lang: Any,
    *,
    default_field: str,
) -> None:
    """Run the store in one transaction; field errors go back to the form, a confirmation to the channel."""
    try:
        result = as_user(services, client, who, work)
    except ForemanError as err:
        ack(response_action="errors", errors={_field_for(err, default_field): error_text(lang(), err)})
        return
    if isinstance(result, dict):
        ack(response_action="errors", errors=result)
        return
    ack()
    # A repeated submission (same view and hash) was stored before; it needs no second confirmation.
    if result is not None:
        _tell(client, who, result)

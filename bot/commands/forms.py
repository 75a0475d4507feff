"""Submissions of the /log-labor, /expense and /project forms: read and check the fields, store, confirm.

A form handler is two steps: `check` returns field errors (nothing stored, nothing claimed), `store`
runs after the submission is claimed. `submit` is the skeleton around them, shared by every form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.commands import expense as expense_command
from bot.commands import labor as labor_command
from bot.commands.core import Ctx, Decision, Request, as_user, channel_project, claim
from bot.commands.project import create_here
from bot.parsing import ExpenseIntent, LaborIntent
from bot.parsing.money import parse_money
from bot.parsing.project_command import ProjectSpec, SpecError, parse_field
from bot.parsing.record_commands import RecordSyntaxError, currency_value, hours_value, rate_value
from bot.services import projects
from bot.services.errors import ForemanError, NoProject, PermissionDenied
from bot.views import project_views
from bot.views.catalog import t
from bot.views.replies import error_text

_TASK = re.compile(r"^[A-Za-z]{1,10}-\d{1,6}$")
_URL = re.compile(r"^https?://\S+$")
_NAMES = re.compile(r"[,，、;；\s]+")


class Fields:
    """The submitted values of a form's input blocks (text, date, users or option)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def value(self, block: str) -> Any:
        element = (self.values.get(block) or {}).get("value") or {}
        for key in ("value", "selected_date", "selected_users"):
            if element.get(key) not in (None, "", []):
                return element[key]
        option = element.get("selected_option")
        return option.get("value") if option else None

    def text(self, block: str) -> str:
        value = self.value(block)
        return str(value).strip() if value else ""

    def date_or(self, today: date) -> date:
        raw = self.value("date")
        return date.fromisoformat(raw) if raw else today


@dataclass(frozen=True)
class FormHandler:
    """Check (field errors by block id, message keys or words) then store (the confirmation)."""

    check: Callable[[Ctx], dict[str, str]]  # field errors in words, by block id
    store: Callable[[Ctx], str | None]
    default_field: str
    needs_project: bool = True
    lang: str | None = None  # the form's own language (create); else the project's


def _field_for(err: ForemanError, default: str) -> str:
    if isinstance(err, PermissionDenied):
        return "users" if default == "hours" else default
    if err.key.startswith("task."):
        return "task"
    if err.key in ("labor.future", "expense.future", "error.locked"):
        return "date"
    return default


def submit(services: Services, client: WebClient, req: Request, form: FormHandler) -> Decision:
    """Check and store in one transaction: field errors go back to the form, the confirmation to the user.

    A repeated submission (same view and hash) was stored before; it gets no second confirmation."""
    seen = {"lang": form.lang or "en"}

    def work(session: Session, is_admin: bool) -> Decision:
        project = channel_project(session, req.who)
        if project is None and form.needs_project:
            raise NoProject()
        lang = seen["lang"] = form.lang or (project.language if project else "en")
        ctx = Ctx(services, client, session, req, is_admin, project, lang)
        errors = form.check(ctx)
        if errors:
            return Decision(errors=errors)
        if not claim(session, req):
            return Decision()
        return Decision(form.store(ctx))

    try:
        return as_user(services, client, req.who, work)
    except ForemanError as err:
        return Decision(errors={_field_for(err, form.default_field): error_text(seen["lang"], err)})


def _dated_check(fields: Fields, errors: dict[str, str]) -> Callable[[Ctx], dict[str, str]]:
    """The record form's errors in words, with a date after today there refused too."""

    def check(ctx: Ctx) -> dict[str, str]:
        if fields.date_or(ctx.today) > ctx.today:
            errors.setdefault("date", "modal.bad_date")
        return {block: t(ctx.lang, key) for block, key in errors.items()}

    return check


def _task(fields: Fields, errors: dict[str, str]) -> str | None:
    task = fields.text("task").upper() or None
    if task and not _TASK.match(task):
        errors["task"] = "modal.bad_task"
    return task


def _hours(fields: Fields, block: str, errors: dict[str, str]) -> Decimal | None:
    if not fields.text(block):
        return None
    try:
        return hours_value(fields.text(block))
    except RecordSyntaxError:
        errors[block] = "modal.bad_number"
        return None


def labor_form(values: dict[str, Any]) -> FormHandler:
    """The labor form: hours for the chosen people, workers or crew on a day."""
    fields, errors = Fields(values), dict[str, str]()
    hours = _hours(fields, "hours", errors)
    if "hours" not in errors and (hours is None or hours <= 0):
        errors["hours"] = "modal.bad_number"
    overtime = _hours(fields, "overtime", errors)
    headcount = _hours(fields, "headcount", errors)
    rate = None
    if fields.text("rate"):
        try:
            rate = rate_value(fields.text("rate"))
        except RecordSyntaxError:
            errors["rate"] = "modal.bad_rate"
    task = _task(fields, errors)

    check = _dated_check(fields, errors)

    def store(ctx: Ctx) -> str:
        users = tuple(fields.value("users") or ())
        workers = tuple(w for w in _NAMES.split(fields.text("workers")) if w)
        count = int(headcount or 0) or (len(users) + len(workers)) or 1
        intent = LaborIntent(
            users=users,
            workers=workers,
            crew=fields.text("crew") or None,
            headcount=count,
            hours_each=float(hours or 0),
            overtime_hours=float((overtime or Decimal(0)) * count),
            rate_amount=rate[0] if rate else None,
            rate_unit=rate[1] if rate else None,  # type: ignore[arg-type]
            task=task,
            note=fields.text("note") or None,
        )
        return labor_command.log(ctx, intent, fields.date_or(ctx.today), source="modal")

    return FormHandler(check, store, default_field="hours")


def expense_form(values: dict[str, Any]) -> FormHandler:
    """The expense form: an amount, its category, vendor, task and receipt link on a day."""
    fields, errors = Fields(values), dict[str, str]()
    money = parse_money(fields.text("amount")) if fields.text("amount") else None
    if money is None or money[0] <= 0:
        errors["amount"] = "modal.bad_number"
    currency = None
    if fields.text("currency"):
        try:
            currency = currency_value(fields.text("currency"))
        except RecordSyntaxError:
            errors["currency"] = "modal.bad_currency"
    task = _task(fields, errors)
    receipt = fields.text("receipt") or None
    if receipt and not _URL.match(receipt):
        errors["receipt"] = "modal.bad_url"

    check = _dated_check(fields, errors)

    def store(ctx: Ctx) -> str:
        assert money is not None
        intent = ExpenseIntent(
            amount=money[0],
            currency=currency or money[1] or ctx.proj.currency,
            category=fields.text("category") or "other",
            vendor=fields.text("vendor") or None,
            task=task,
            note=fields.text("note") or None,
            receipt=receipt,
        )
        return expense_command.log(ctx, intent, fields.date_or(ctx.today), source="modal")

    return FormHandler(check, store, default_field="amount")


def project_fields(
    services: Services, fields: Fields, into: dict[str, Any], *, with_code: bool
) -> dict[str, str]:
    """Read the project form's fields into model attributes; errors (in words) by block id."""
    errors: dict[str, str] = {}
    blocks = ["budget", "currency", "tz", "standup", "workdays", "holidays", "lang"]
    if with_code:
        blocks.insert(0, "code")
    for block in blocks:
        raw = fields.text(block)
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
        and fields.text("currency")
    ):
        into["currency"] = fields.text("currency").upper()
    return errors


def project_create_form(services: Services, values: dict[str, Any]) -> tuple[FormHandler, dict[str, str]]:
    """The create form, and the errors it has before anything is looked up."""
    fields = Fields(values)
    lang = fields.text("lang") if fields.text("lang") in ("en", "zh") else "en"
    spec = ProjectSpec(name=fields.text("name")[:200] or None)
    errors = project_fields(services, fields, spec.values, with_code=True)
    if not spec.name:
        errors["name"] = t(lang, "modal.required")
    spec.values.setdefault("timezone", "UTC")

    form = FormHandler(
        lambda ctx: {},
        lambda ctx: create_here(ctx, spec),
        default_field="name",
        needs_project=False,
        lang=lang,
    )
    return form, errors


def project_settings_form(services: Services, values: dict[str, Any]) -> FormHandler:
    """The settings form of the channel's project: only what changed is stored."""
    changes: dict[str, Any] = {}
    errors = project_fields(services, Fields(values), changes, with_code=False)

    def store(ctx: Ctx) -> str:
        changed = {k: v for k, v in changes.items() if getattr(ctx.proj, k) != v}
        if not changed:
            return t(ctx.lang, "modal.project.saved")
        before = {k: getattr(ctx.proj, k) for k in changed}
        projects.update_settings(ctx.session, **ctx.common, values=changed)
        return project_views.set_text(before, ctx.proj, lang=ctx.lang)

    return FormHandler(lambda ctx: errors, store, default_field="budget")

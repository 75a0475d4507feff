"""/expense: money spent; list, edit, void, undo; no text opens the form."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from bot.commands.core import Ctx, read
from bot.commands.router import Handler, Route, help_handler, record_form
from bot.parsing import ExpenseIntent
from bot.parsing.record_commands import (
    SUBCOMMANDS,
    entry_id,
    expense_changes,
    normalize_mentions,
    period,
    split_id,
)
from bot.services import access, expenses, lookups, rates
from bot.services.errors import ForemanError, InvalidInput
from bot.views import expense_views, modals_records
from bot.views.format import period_label
from storage.models import Expense, Project


def logged_text(session: Session, project: Project, row: Expense, *, lang: str, actor: str) -> str:
    """The confirmation of a stored expense, its task key looked up for the view."""
    tasks = lookups.task_keys(session, [row])
    fx = rates.converted_expenses(session, project=project, rows=[row])
    return expense_views.logged_text(project, row, lang=lang, actor=actor, tasks=tasks, fx=fx)


def _list(ctx: Ctx) -> str:
    project = ctx.proj
    span = period(ctx.rest, now=ctx.now, tz=project.timezone, default="week")
    role = access.role_of(ctx.session, project=project, user_id=ctx.user, is_admin=ctx.is_admin)
    mine = None if role == "pm" else ctx.user
    rows = expenses.expenses_between(
        ctx.session, project=project, start=span.start, end=span.end, user_id=mine
    )
    tasks = lookups.task_keys(ctx.session, rows)
    label = period_label(ctx.lang, span, record="expense")
    fx = rates.converted_expenses(ctx.session, project=project, rows=rows)
    return expense_views.list_text(project, rows, lang=ctx.lang, period=label, tasks=tasks, fx=fx)


def _approve(ctx: Ctx) -> str:
    raise InvalidInput("expense.nothing_to_edit")


def _edit(ctx: Ctx) -> str:
    number, rest = split_id(ctx.rest, "E")
    changes = expense_changes(rest, now=ctx.now, tz=ctx.proj.timezone, category_of=expenses.category_of)
    row = expenses.edit_expense(
        ctx.session, **ctx.common, expense_id=number, changes=changes, today=ctx.today
    )
    fx = rates.converted_expenses(ctx.session, project=ctx.proj, rows=[row])
    return expense_views.edited_text(row, lang=ctx.lang, tasks=lookups.task_keys(ctx.session, [row]), fx=fx)


def _void(ctx: Ctx) -> str:
    row = expenses.void_expense(ctx.session, **ctx.common, expense_id=entry_id(ctx.rest, "E"))
    return expense_views.voided_text(row, lang=ctx.lang)


def _undo(ctx: Ctx) -> str:
    return expense_views.voided_text(expenses.undo_last_expense(ctx.session, **ctx.common), lang=ctx.lang)


def _log(ctx: Ctx) -> str:
    project = ctx.proj
    result = read(ctx.session, project, ctx.rest, ctx.now, command="/expense")
    if result.error:  # a refusal quoting what was not understood: nothing is stored
        raise InvalidInput("parse.error", message=result.error)
    if result.intent != "expense" or result.expense is None or result.date is None:
        raise InvalidInput("expense.bad_amount", amount="")
    return log(ctx, result.expense, result.date)


def log(ctx: Ctx, intent: ExpenseIntent, spent_on: date, *, source: str = "command") -> str:
    """Store an expense from the command or the form; the confirmation."""
    row = expenses.log_expense(
        ctx.session,
        **ctx.common,
        intent=intent,
        spent_on=spent_on,
        today=ctx.today,
        source=source,
        slack_channel=ctx.req.who.channel_id,
    )
    return logged_text(ctx.session, ctx.proj, row, lang=ctx.lang, actor=ctx.user)


def _usage(sub: str | None, err: ForemanError, syntax: bool) -> str | None:
    return "usage.expense" if syntax or isinstance(err, InvalidInput) else None


ROUTE = Route(
    command="/expense",
    words=SUBCOMMANDS,
    handlers={
        "help": help_handler("expense.help"),
        "list": Handler(_list),
        "approve": Handler(_approve),
        "edit": Handler(_edit),
        "void": Handler(_void),
        "undo": Handler(_undo),
        None: Handler(_log),
    },
    usage=_usage,
    form=record_form(
        lambda project, channel, today: modals_records.expense_modal(project, channel=channel, today=today)
    ),
    normalize=lambda text: normalize_mentions(text.strip()),
)

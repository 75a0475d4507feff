"""/log-labor: labor for self, others, named workers and crews; clock in/out; list, edit, void, undo,
approve and reopen a week; no text opens the form."""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session

from bot.commands.core import Ctx, Decision, read
from bot.commands.router import Handler, Route, help_handler, record_form
from bot.parsing import LaborIntent
from bot.parsing.record_commands import (
    SUBCOMMANDS,
    entry_id,
    labor_changes,
    normalize_mentions,
    period,
    split_id,
    week_request,
)
from bot.services import access, labor, lookups, wages
from bot.services.errors import ForemanError, InvalidInput
from bot.views import labor_views, modals_records, wage_views
from bot.views.format import period_label
from storage.models import LaborEntry, Project

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)>")


def logged_text(session: Session, project: Project, rows: list[LaborEntry], *, lang: str, actor: str) -> str:
    """The confirmation of stored entries, names looked up for the view."""
    names = lookups.labor_names(session, rows)
    return labor_views.logged_text(project, rows, lang=lang, actor=actor, names=names)


def clock_out_text(session: Session, project: Project, entry: LaborEntry, *, lang: str, actor: str) -> str:
    """The confirmation of a clock-out, names looked up for the view."""
    names = lookups.labor_names(session, [entry])
    return labor_views.clock_out_text(project, entry, lang=lang, actor=actor, names=names)


def _list(ctx: Ctx) -> str:
    project = ctx.proj
    span = period(ctx.rest, now=ctx.now, tz=project.timezone, default="week")
    role = access.role_of(ctx.session, project=project, user_id=ctx.user, is_admin=ctx.is_admin)
    mine = None if role in ("pm", "foreman") else ctx.user
    rows = labor.entries_between(ctx.session, project=project, start=span.start, end=span.end, user_id=mine)
    names = lookups.labor_names(ctx.session, rows)
    label = period_label(ctx.lang, span, record="labor")
    return labor_views.list_text(project, rows, lang=ctx.lang, actor=ctx.user, period=label, names=names)


def _edit(ctx: Ctx) -> str:
    number, rest = split_id(ctx.rest, "L")
    changes = labor_changes(rest, now=ctx.now, tz=ctx.proj.timezone)
    if "rate" in changes and changes["rate"] is not None:
        changes["rate"] = labor.Rate(*changes["rate"])
    before = labor.get_entry(ctx.session, project=ctx.proj, entry_id=number).work_date
    entry = labor.edit_entry(ctx.session, **ctx.common, entry_id=number, changes=changes, today=ctx.today)
    names = lookups.labor_names(ctx.session, [entry])
    text = labor_views.edited_text(entry, lang=ctx.lang, actor=ctx.user, names=names)
    return text + _long_days(ctx, [entry]) + _wages_reset(ctx, {before, entry.work_date})


def _long_days(ctx: Ctx, rows: list[LaborEntry]) -> str:
    """A warning for each person whose day the rows bring past 12 h (contract §5), else ''."""
    return labor_views.long_day_warnings(labor.long_days(ctx.session, ctx.proj, rows), lang=ctx.lang)


def _void(ctx: Ctx) -> str:
    entry = labor.void_entry(ctx.session, **ctx.common, entry_id=entry_id(ctx.rest, "L"))
    return labor_views.voided_text([entry], lang=ctx.lang) + _wages_reset(ctx, {entry.work_date})


def _wages_reset(ctx: Ctx, days: set[date]) -> str:
    """A confirmed wage line that the change touched is pending again; the reply says so."""
    reset = wages.reset_changed(ctx.session, project=ctx.proj, days=days)
    return "".join("\n" + wage_views.reset_text(month, users, lang=ctx.lang) for month, users in reset)


def _undo(ctx: Ctx) -> str:
    return labor_views.voided_text(labor.undo_last(ctx.session, **ctx.common), lang=ctx.lang)


def _approve(ctx: Ctx) -> Decision:
    """`approve week [<date>] [force]`: the last completed week by default; a week not over needs `force`."""
    monday, force = week_request(ctx.rest, now=ctx.now, tz=ctx.proj.timezone)
    count = labor.approve_week(ctx.session, **ctx.common, week_start=monday, today=ctx.today, force=force)
    return Decision(labor_views.approved_text(monday, count, lang=ctx.lang), public=True)


def _reopen(ctx: Ctx) -> Decision:
    """`reopen week <date>` (pm, audited): the week's entries can be changed again."""
    monday, _ = week_request(ctx.rest or "this", now=ctx.now, tz=ctx.proj.timezone)
    count = labor.reopen_week(ctx.session, **ctx.common, week_start=monday)
    return Decision(labor_views.reopened_text(monday, count, lang=ctx.lang), public=True)


def _log(ctx: Ctx) -> str:
    """A statement: hours for people, workers or a crew, or a clock-in/out."""
    project, text = ctx.proj, ctx.rest
    result = read(ctx.session, project, text, ctx.now, command="/log-labor")
    if result.intent in ("clock_in", "clock_out"):
        # The parser reads no mentions in clock statements; a foreman names whom they clock.
        result = read(ctx.session, project, _MENTION.sub(" ", text), ctx.now, command="/log-labor")
    if result.error:
        raise InvalidInput("parse.error", message=result.error)
    channel = ctx.req.who.channel_id
    if result.intent in ("clock_in", "clock_out") and result.clock is not None and result.clock.at:
        mentioned = _MENTION.findall(text)
        target = mentioned[0] if mentioned else None
        if result.intent == "clock_in":
            shift = labor.clock_in(
                ctx.session,
                **ctx.common,
                at=result.clock.at,
                user_id=target,
                slack_channel=channel,
                now=ctx.now,
            )
            return labor_views.clock_in_text(project, shift, lang=ctx.lang, actor=ctx.user)
        entry = labor.clock_out(
            ctx.session, **ctx.common, at=result.clock.at, user_id=target, slack_channel=channel, now=ctx.now
        )
        return clock_out_text(ctx.session, project, entry, lang=ctx.lang, actor=ctx.user) + _long_days(
            ctx, [entry]
        )
    if result.intent != "labor" or result.labor is None or result.date is None:
        raise InvalidInput("labor.not_understood")
    return log(ctx, result.labor, result.date)


def log(ctx: Ctx, intent: LaborIntent, work_date: date, *, source: str = "command") -> str:
    """Store labor from the command or the form; the confirmation."""
    logged = labor.log_labor(
        ctx.session,
        **ctx.common,
        intent=intent,
        work_date=work_date,
        today=ctx.today,
        source=source,
        slack_channel=ctx.req.who.channel_id,
    )
    warnings = labor_views.long_day_warnings(logged.long_days, lang=ctx.lang)
    return logged_text(ctx.session, ctx.proj, logged.rows, lang=ctx.lang, actor=ctx.user) + warnings


def _usage(sub: str | None, err: ForemanError, syntax: bool) -> str | None:
    if syntax:
        return "usage.labor_edit" if sub is not None else "usage.log_labor"
    return "usage.log_labor" if isinstance(err, InvalidInput) else None


ROUTE = Route(
    command="/log-labor",
    words=SUBCOMMANDS,
    handlers={
        "help": help_handler("labor.help"),
        "list": Handler(_list),
        "edit": Handler(_edit),
        "void": Handler(_void),
        "undo": Handler(_undo),
        "approve": Handler(_approve),
        "reopen": Handler(_reopen),
        None: Handler(_log),
    },
    usage=_usage,
    form=record_form(
        lambda project, channel, today: modals_records.labor_modal(project, channel=channel, today=today)
    ),
    normalize=lambda text: normalize_mentions(text.strip()),
)

"""/ooo: leave (请假) for yourself, a colleague or a named worker — add, list, cancel."""

from __future__ import annotations

from bot.commands.core import Ctx
from bot.commands.router import Handler, Route, always, help_handler
from bot.parsing.common import normalize
from bot.parsing.ooo_command import WORDS, OooCommand, parse_ooo_command
from bot.services import leave
from bot.views import leave_views
from bot.views.catalog import t


def _command(ctx: Ctx) -> OooCommand:
    return parse_ooo_command(ctx.req.text, today=ctx.today)


def _list(ctx: Ctx) -> str:
    return leave_views.list_text(leave.list_leaves(ctx.session, project=ctx.proj, today=ctx.today), ctx.lang)


def _cancel(ctx: Ctx, cmd: OooCommand) -> str:
    away = leave.cancel_leave(
        ctx.session, **ctx.common, day=cmd.first, today=ctx.today, user=cmd.user, worker=cmd.worker
    )
    return leave_views.cancelled_text(away, ctx.lang)


def _add(ctx: Ctx, cmd: OooCommand) -> str:
    assert cmd.first is not None and cmd.last is not None
    away = leave.add_leave(
        ctx.session,
        **ctx.common,
        first=cmd.first,
        last=cmd.last,
        reason=cmd.reason,
        today=ctx.today,
        user=cmd.user,
        worker=cmd.worker,
    )
    return leave_views.added_text(away, ctx.lang)


def _act(ctx: Ctx) -> str:
    """Add or cancel a leave; a mention may come before the word (`@ana cancel`), so the parser decides."""
    cmd = _command(ctx)
    if cmd.action == "help":
        return t(ctx.lang, "ooo.help")
    if cmd.action == "list":
        return _list(ctx)
    return _cancel(ctx, cmd) if cmd.action == "cancel" else _add(ctx, cmd)


ROUTE = Route(
    command="/ooo",
    words=WORDS,
    handlers={
        "help": help_handler("ooo.help"),
        "list": Handler(_list),
        "cancel": Handler(_act),
        None: Handler(_act),
    },
    usage=always("usage.ooo"),
    normalize=normalize,
)

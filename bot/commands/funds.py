"""/funds: money received (pm), wage advances and wages paid (foreman or pm); list, void, undo, help."""

from __future__ import annotations

from bot.commands.core import Ctx
from bot.commands.router import Handler, Route, help_handler
from bot.parsing.funds_command import SUBCOMMANDS, parse_payment, split_glued
from bot.parsing.record_commands import entry_id, normalize_mentions, period
from bot.services import funds
from bot.services.errors import ForemanError, InvalidInput
from bot.services.records import Origin
from bot.views import funds_views
from bot.views.catalog import t
from bot.views.format import period_label

_KIND = {"in": "receipt", "advance": "advance", "wage": "wage"}


def _pay(sub: str) -> Handler:
    kind = _KIND[sub]

    def run(ctx: Ctx) -> str:
        project = ctx.proj
        payment = parse_payment(ctx.rest, now=ctx.now, tz=project.timezone, person=kind != "receipt")
        row = funds.log_payment(
            ctx.session,
            **ctx.common,
            kind=kind,
            amount=payment.amount,
            currency=payment.currency,
            day=payment.day,
            today=ctx.today,
            payee=funds.Payee(payment.user_id, payment.worker),
            note=payment.note,
            origin=Origin("command", ctx.req.who.channel_id),
        )
        names = funds.worker_names(ctx.session, [row])
        return funds_views.logged_text(project, row, lang=ctx.lang, names=names)

    return Handler(run)


def _list(ctx: Ctx) -> str:
    project = ctx.proj
    span = period(ctx.rest, now=ctx.now, tz=project.timezone, default="month")
    rows = funds.between(ctx.session, project=project, start=span.start, end=span.end)
    label = period_label(ctx.lang, span, record="funds")
    names = funds.worker_names(ctx.session, rows)
    return funds_views.list_text(project, rows, lang=ctx.lang, period=label, names=names)


def _void(ctx: Ctx) -> str:
    row = funds.void_payment(ctx.session, **ctx.common, number=entry_id(ctx.rest, "F"))
    return funds_views.voided_text(row, lang=ctx.lang, names=funds.worker_names(ctx.session, [row]))


def _undo(ctx: Ctx) -> str:
    row = funds.undo_last(ctx.session, **ctx.common)
    return funds_views.voided_text(row, lang=ctx.lang, names=funds.worker_names(ctx.session, [row]))


def _unknown(ctx: Ctx) -> str:
    if not ctx.rest.strip():
        return t(ctx.lang, "funds.help")  # `/funds` alone: what it takes, not "`` is not a /funds command"
    raise InvalidInput("funds.unknown_sub", sub=ctx.rest.split(" ", 1)[0])


def _usage(sub: str | None, err: ForemanError, syntax: bool) -> str | None:
    return "usage.funds" if syntax or isinstance(err, InvalidInput) else None


ROUTE = Route(
    command="/funds",
    words=SUBCOMMANDS,
    handlers={
        "help": help_handler("funds.help"),
        "in": _pay("in"),
        "advance": _pay("advance"),
        "wage": _pay("wage"),
        "list": Handler(_list),
        "void": Handler(_void),
        "undo": Handler(_undo),
        None: Handler(_unknown),
    },
    usage=_usage,
    normalize=lambda text: split_glued(normalize_mentions(text.strip())),
)

"""/risk: the risk register — add, list, update, close; no text opens the form."""

from __future__ import annotations

from bot.commands.core import Ctx
from bot.commands.router import Handler, Route, always, help_handler, language_form
from bot.parsing.common import normalize
from bot.parsing.risk_command import WORDS, RiskCommand, parse_risk_command
from bot.services import risks
from bot.views import modals_tasks, risk_views
from bot.views.catalog import t


def _command(ctx: Ctx) -> RiskCommand:
    return parse_risk_command(ctx.req.text.strip())


def _list(ctx: Ctx) -> str:
    return risk_views.list_text(ctx.proj, risks.open_risks(ctx.session, project=ctx.proj), lang=ctx.lang)


def _add(ctx: Ctx) -> str:
    cmd = _command(ctx)
    risk = risks.add_risk(ctx.session, **ctx.common, values=cmd.values, now=ctx.now)
    return risk_views.added_text(risk, lang=ctx.lang)


def _close(ctx: Ctx) -> str:
    cmd = _command(ctx)
    assert cmd.number is not None
    risk = risks.close_risk(ctx.session, **ctx.common, number=cmd.number, values=cmd.values, now=ctx.now)
    return risk_views.updated_text(risk, lang=ctx.lang)


def _update(ctx: Ctx) -> str:
    cmd = _command(ctx)
    assert cmd.number is not None
    risk = risks.update_risk(ctx.session, **ctx.common, number=cmd.number, values=cmd.values, now=ctx.now)
    return risk_views.updated_text(risk, lang=ctx.lang)


def _unknown(ctx: Ctx) -> str:
    _command(ctx)  # raises: the text names no risk sub-command
    return t(ctx.lang, "risk.help")


ROUTE = Route(
    command="/risk",
    words=WORDS,
    handlers={
        "help": help_handler("risk.help"),
        "list": Handler(_list),
        "add": Handler(_add),
        "close": Handler(_close),
        "update": Handler(_update),
        None: Handler(_unknown),
    },
    usage=always("usage.risk"),
    form=language_form(lambda lang, channel: modals_tasks.risk_form(lang=lang, channel=channel)),
    normalize=normalize,
)

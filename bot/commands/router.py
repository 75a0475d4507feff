"""One router: a table from (command, sub-command word in English or Chinese) to a handler.

`run` is the skeleton every slash command used to repeat: open the form on empty text, pick the handler,
find the channel's project, choose the reply language, claim the delivery, retry a role refusal for
workspace admins, and word a refusal with the command's usage example.

A command's delivery is claimed here, in the same transaction as what it stores (the edge's gate leaves
commands to the router): one short transaction per request, and a retry of a delivery whose work rolled
back finds no claim.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.commands.core import (
    Ctx,
    Decision,
    Request,
    as_user,
    channel_project,
    claim,
    local_today,
    refusal,
    text_lang,
)
from bot.parsing.daily_command import DailySyntaxError
from bot.parsing.numbers import to_simplified
from bot.parsing.ooo_command import OooCommandError
from bot.parsing.project_command import SpecError
from bot.parsing.record_commands import RecordSyntaxError
from bot.parsing.risk_command import RiskCommandError
from bot.parsing.task_command import CommandError
from bot.services.errors import ForemanError, InvalidInput, NoProject
from bot.views.catalog import t
from storage.models import Project

Handle = Callable[[Ctx], "Decision | str"]
# The words before the usage example: (sub-command, the refusal, was it a syntax error) -> usage key.
Usage = Callable[[str | None, ForemanError, bool], str | None]
Form = Callable[[Services, Session, Request, Project | None], Decision]


@dataclass(frozen=True)
class Handler:
    """A handler and what the router does around it."""

    run: Handle
    needs_project: bool = True
    # Work before the transaction (a Slack profile lookup, parsing that needs no database).
    prepare: Callable[[Services, WebClient, Request, str, str], Any] | None = None


@dataclass(frozen=True)
class Route:
    """One slash command: its sub-command words, handlers (None: the text itself is the statement)."""

    command: str
    handlers: Mapping[str | None, Handler]
    words: Mapping[str, str] = field(default_factory=dict)
    usage: Usage = lambda sub, err, syntax: None
    form: Form | None = None
    normalize: Callable[[str], str] = str.strip


def help_handler(key: str) -> Handler:
    """The command's help, in the reply language; no project needed, nothing claimed."""
    return Handler(lambda ctx: t(ctx.lang, key), needs_project=False)


def always(key: str) -> Usage:
    """A usage example shown with every refusal of the command."""
    return lambda sub, err, syntax: key


def record_form(build: Callable[[Project, str, date], dict[str, Any]]) -> Form:
    """A record's form for the channel's project, dated today there; refused where there is no project."""

    def form(services: Services, session: Session, req: Request, project: Project | None) -> Decision:
        if project is None:
            return Decision(t("en", "error.no_project"))
        return Decision(view=build(project, str(req.who.channel_id), local_today(services, project)))

    return form


def language_form(build: Callable[[str, str], dict[str, Any]]) -> Form:
    """A form in the project's language (English where the channel has none yet)."""

    def form(services: Services, session: Session, req: Request, project: Project | None) -> Decision:
        return Decision(view=build(project.language if project else "en", str(req.who.channel_id)))

    return form


def syntax_refusal(exc: Exception) -> ForemanError:
    """A parser's complaint as the refusal the user reads."""
    if isinstance(exc, RecordSyntaxError):
        return InvalidInput("records.bad_field", field=exc.field, value=exc.value)
    if isinstance(exc, SpecError):
        return InvalidInput("project.bad_field", field=exc.field, value=exc.value)
    if isinstance(exc, (RiskCommandError, CommandError, DailySyntaxError, OooCommandError)):
        return InvalidInput(exc.key, **exc.params)
    raise exc


SYNTAX_ERRORS = (
    RecordSyntaxError,
    SpecError,
    RiskCommandError,
    CommandError,
    DailySyntaxError,
    OooCommandError,
)


def pick(route: Route, text: str) -> tuple[str | None, str]:
    """The sub-command the text names (None for a statement) and the text after its word."""
    head, _, rest = text.partition(" ")
    # The command words in traditional script too (撤銷, 修改, 發工資, 列表): folded to simplified.
    sub = route.words.get(to_simplified(head.lower()))
    if sub is None:
        return None, text
    return sub, rest.strip()


def run(services: Services, client: WebClient, route: Route, req: Request) -> Decision:
    """Answer one slash command: the decision the adapter carries back to Slack."""
    text = route.normalize(req.text)
    if not text and route.form is not None:
        opener = route.form

        def form(session: Session) -> Decision:
            if not claim(session, req):
                return Decision(t("en", "request.duplicate"))
            return opener(services, session, req, channel_project(session, req.who))

        return services.write(form)
    sub, rest = pick(route, text)
    handler = route.handlers.get(sub) or route.handlers[None]
    seen = {"lang": text_lang(text)}

    def work(session: Session, is_admin: bool) -> Decision:
        if not claim(session, req):
            return Decision(t(seen["lang"], "request.duplicate"))
        project = channel_project(session, req.who)
        if project is None and handler.needs_project:
            raise NoProject()
        lang = seen["lang"] = text_lang(text, project.language if project else "en")
        ctx = Ctx(services, client, session, req, is_admin, project, lang, rest, prepared)
        out = handler.run(ctx)
        return out if isinstance(out, Decision) else Decision(out)

    try:
        prepared = handler.prepare(services, client, req, rest, seen["lang"]) if handler.prepare else None
        return as_user(services, client, req.who, work)
    except SYNTAX_ERRORS as exc:
        err, syntax = syntax_refusal(exc), True
    except ForemanError as exc:
        err, syntax = exc, False
    lang = seen["lang"]
    usage = route.usage(sub, err, syntax)
    return Decision(refusal(lang, err, t(lang, usage) if usage else None))

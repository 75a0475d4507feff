"""/task: add tasks, update progress and status, change owner and due date, list; no text opens the form."""

from __future__ import annotations

from sqlmodel import Session

from bot.app import Services
from bot.commands.core import Ctx, Decision, Request
from bot.commands.router import Handler, Route
from bot.parsing import parse
from bot.parsing.common import normalize
from bot.parsing.task_command import WORDS, TaskCommand, parse_task_command
from bot.services import tasks
from bot.services.errors import ForemanError, InvalidInput
from bot.views import modals_tasks, task_views
from bot.views.catalog import t
from storage.models import Project


def _command(ctx: Ctx) -> TaskCommand:
    return parse_task_command(ctx.req.text.strip(), now=ctx.now, tz=ctx.proj.timezone)


def _help(ctx: Ctx) -> str:
    return t(ctx.lang, "task.help")


def _list(ctx: Ctx) -> str:
    cmd, today = _command(ctx), ctx.today
    found = tasks.list_tasks(
        ctx.session, project=ctx.proj, which=cmd.list_filter, user_id=ctx.user, today=today
    )
    return task_views.list_text(ctx.proj, found, which=cmd.list_filter, lang=ctx.lang, today=today)


def _add(ctx: Ctx) -> str:
    cmd = _command(ctx)
    assert cmd.key is not None
    task = tasks.add_task(
        ctx.session,
        **ctx.common,
        key=cmd.key,
        title=cmd.title or cmd.key,
        owner=cmd.values.get("owner"),  # type: ignore[arg-type]
        start=cmd.values.get("start"),  # type: ignore[arg-type]
        due=cmd.values.get("due"),  # type: ignore[arg-type]
        weight=cmd.values.get("weight"),  # type: ignore[arg-type]
        now=ctx.now,
    )
    return task_views.added_text(task, lang=ctx.lang)


def _change(ctx: Ctx) -> str:
    """`T-7 60% …` (progress and status, read by the parser) or `T-7 due … owner …` (fields)."""
    cmd, project, text = _command(ctx), ctx.proj, ctx.req.text.strip()
    assert cmd.key is not None
    if cmd.action == "set":
        task = tasks.set_fields(ctx.session, **ctx.common, key=cmd.key, values=cmd.values, now=ctx.now)
        return task_views.fields_text(task, cmd.values, lang=ctx.lang)
    result = parse(text, now=ctx.now, tz=project.timezone, currency=project.currency, command="/task")
    if result.error:
        raise InvalidInput("parse.error", message=result.error)
    if result.task_update is None:
        raise InvalidInput("task.no_change", task=cmd.key)
    task, update = tasks.update_task(
        ctx.session, **ctx.common, key=cmd.key, change=result.task_update, now=ctx.now
    )
    return task_views.updated_text(task, update, lang=ctx.lang)


def form(services: Services, session: Session, req: Request, project: Project | None) -> Decision:
    """The task form, in the project's language."""
    lang = project.language if project else "en"
    return Decision(view=modals_tasks.task_form(lang=lang, channel=str(req.who.channel_id)))


def _usage(sub: str | None, err: ForemanError, syntax: bool) -> str:
    return "usage.task"


ROUTE = Route(
    command="/task",
    words=WORDS,
    handlers={
        "help": Handler(_help, writes=False, needs_project=False),
        "list": Handler(_list, writes=False),
        "add": Handler(_add),
        None: Handler(_change),
    },
    usage=_usage,
    form=form,
    normalize=normalize,
)

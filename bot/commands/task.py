"""/task: add tasks, update progress and status, change owner and due date, list; no text opens the form."""

from __future__ import annotations

from bot.commands.core import Ctx, Decision, read
from bot.commands.messages import task_change
from bot.commands.router import Handler, Route, always, help_handler, language_form
from bot.parsing.common import normalize
from bot.parsing.task_command import WORDS, CommandError, TaskCommand, parse_task_command
from bot.services import tasks
from bot.services.errors import InvalidInput
from bot.views import confirmations, modals_tasks, task_views


def _command(ctx: Ctx) -> TaskCommand:
    return parse_task_command(ctx.req.text.strip(), now=ctx.now, tz=ctx.proj.timezone)


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


def _change(ctx: Ctx) -> Decision | str:
    """`T-7 60% …` (progress and status, read by the parser) or `T-7 due … owner …` (fields); an open task's
    title stands for its key (`三层楼板浇筑 70%`): one match is used, several or an unsure one are asked."""
    project, text = ctx.proj, ctx.req.text.strip()
    try:
        cmd = _command(ctx)
    except CommandError as exc:
        if exc.key != "task.no_key":
            raise
        return _by_title(ctx, exc)
    assert cmd.key is not None
    if cmd.action == "set":
        task = tasks.set_fields(ctx.session, **ctx.common, key=cmd.key, values=cmd.values, now=ctx.now)
        return task_views.fields_text(task, cmd.values, lang=ctx.lang)
    result = read(ctx.session, project, text, ctx.now, command="/task")
    if result.error:
        raise InvalidInput("parse.error", message=result.error)
    if result.task_update is None:
        raise InvalidInput("task.no_change", task=cmd.key)
    task, update = tasks.update_task(
        ctx.session, **ctx.common, key=cmd.key, change=result.task_update, now=ctx.now
    )
    return task_views.updated_text(task, update, lang=ctx.lang)


def _by_title(ctx: Ctx, no_key: CommandError) -> Decision | str:
    """A statement without a key: the open task its title names, the question which, or the refusal."""
    result = read(ctx.session, ctx.proj, ctx.req.text.strip(), ctx.now, command="/task")
    update = result.task_update
    if result.candidates and update is not None and result.error is not None:
        text, blocks = confirmations.task_choices(
            result.error,
            lang=ctx.lang,
            candidates=[(c.key, c.title) for c in result.candidates],
            change=task_change(result),
        )
        return Decision(text, blocks=blocks)
    if update is None or update.task is None:
        raise no_key  # no open task's title is in the text: the usual refusal, nothing stored
    if result.error:
        raise InvalidInput("parse.error", message=result.error)
    task, stored = tasks.update_task(ctx.session, **ctx.common, key=update.task, change=update, now=ctx.now)
    return task_views.updated_text(task, stored, lang=ctx.lang)


ROUTE = Route(
    command="/task",
    words=WORDS,
    handlers={
        "help": help_handler("task.help"),
        "list": Handler(_list),
        "add": Handler(_add),
        None: Handler(_change),
    },
    usage=always("usage.task"),
    form=language_form(lambda lang, channel: modals_tasks.task_form(lang=lang, channel=channel)),
    normalize=normalize,
)

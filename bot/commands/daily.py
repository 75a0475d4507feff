"""/daily: the day's construction log (施工日志) — show it, add a line, confirm it, open the Edit form; and
the Confirm and Edit buttons on the day's post and the Edit form's submission.

A confirmation (by command, button or form) leaves the refreshed post in the outbox, so the lazy sender
updates the day's post after the transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import Session

from bot.app import Services
from bot.commands.buttons import Click, Decide
from bot.commands.core import Ctx, Decision, channel_project
from bot.commands.messages import Op
from bot.commands.router import Handler, Route, help_handler
from bot.commands.task_forms import Plan, Submission
from bot.parsing.daily_command import SECTIONS, WORDS, DailyCommand, parse_daily
from bot.services import daily_log, message_records
from bot.services.errors import InvalidInput, NotFound
from bot.views import daily_views
from bot.views.catalog import t
from storage.models import Project


def _command(ctx: Ctx) -> DailyCommand:
    return parse_daily(ctx.req.text, now=ctx.now, tz=ctx.proj.timezone)


def refreshed_post(session: Session, project: Project, day: date) -> list[Op]:
    """The day's scheduled post shown as the log is stored now (status, addendum); none before it is out."""
    row = daily_log.find_log(session, project=project, day=day)
    if row is None or not row.slack_ts or not row.slack_channel:
        return []
    text, blocks = daily_views.log_message(
        daily_log.build_log(session, project=project, day=day), project.language
    )
    return [
        {"op": "replace", "channel": row.slack_channel, "ts": row.slack_ts, "text": text, "blocks": blocks}
    ]


def _show(ctx: Ctx, cmd: DailyCommand) -> Decision:
    data = daily_log.build_log(ctx.session, project=ctx.proj, day=cmd.day)
    text, blocks = daily_views.log_message(data, ctx.lang)
    return Decision(text, blocks=blocks)


def _edit(ctx: Ctx, cmd: DailyCommand) -> Decision:
    data = daily_log.build_log(ctx.session, project=ctx.proj, day=cmd.day)
    return Decision(view=daily_views.edit_modal(data, ctx.lang, channel=ctx.proj.channel_id))


def _confirm(ctx: Ctx, cmd: DailyCommand) -> Decision:
    daily_log.confirm(ctx.session, **ctx.common, day=cmd.day, now=ctx.now)
    ops = refreshed_post(ctx.session, ctx.proj, cmd.day)
    message_records.save_outcome(ctx.session, team_id=ctx.proj.team_id, key=ctx.req.key, outcome=ops)
    return Decision(t(ctx.lang, "daily.confirmed", day=cmd.day, user=ctx.user), public=True)


def _add(ctx: Ctx, cmd: DailyCommand) -> str:
    assert cmd.section is not None
    project, lang = ctx.proj, ctx.lang
    entry = daily_log.add_line(
        ctx.session,
        project=project,
        actor=ctx.user,
        day=cmd.day,
        section=cmd.section,
        text=cmd.text,
        now=ctx.now,
    )
    stored = daily_log.build_log(ctx.session, project=project, day=cmd.day)
    late = any(x.late for x in stored.lines if x.text == entry.text and x.section == entry.section)
    key = "daily.added_late" if late else "daily.added"
    section = t(lang, f"daily.sec.{cmd.section}")
    return t(lang, key, day=cmd.day.isoformat(), section=section, text=cmd.text)


ACTIONS: dict[str, Callable[[Ctx, DailyCommand], Decision | str]] = {
    "show": _show,
    "edit": _edit,
    "confirm": _confirm,
    "add": _add,
    "help": lambda ctx, cmd: t(ctx.lang, "daily.help"),
}


def _act(ctx: Ctx) -> Decision | str:
    """Do what the parser reads in the whole text: the sub-command words choose only whether the request
    is claimed first (a date alone or 天气晴, the word glued on, come without a word the router knows)."""
    cmd = _command(ctx)
    return ACTIONS[cmd.action](ctx, cmd)


ROUTE = Route(
    command="/daily",
    words={word: "add" if action in SECTIONS else action for word, action in WORDS.items()},
    handlers={
        "help": help_handler("daily.help"),
        "show": Handler(_act),
        "edit": Handler(_act),
        "confirm": Handler(_act),
        "add": Handler(_act),
        None: Handler(_act),
    },
    usage=lambda sub, err, syntax: "daily.help" if isinstance(err, InvalidInput) else None,
)


def _named_day(project: Project, value: str) -> date | None:
    """The day a Confirm/Edit button or the form names, when it names this project (ids can be forged)."""
    found = daily_views.read_button_value(value)
    return found[1] if found is not None and found[0] == project.pk else None


def _log_day(project: Project, value: str) -> date:
    day = _named_day(project, value)
    if day is None:
        raise NotFound("daily.gone")
    return day


def confirm_click(services: Services, click: Click) -> Decide:
    """Confirm on the day's post: lock the log (tech or pm), say so in the post's thread, show it there."""

    def decide(session: Session, is_admin: bool, project: Project) -> list[Op]:
        day, user = _log_day(project, click.raw), click.who.user_id
        daily_log.confirm(
            session, project=project, actor=user, is_admin=is_admin, day=day, now=services.clock()
        )
        text = t(project.language, "daily.confirmed", day=day, user=user)
        said: Op = {"op": "post", "channel": click.channel, "thread_ts": click.message_ts, "text": text}
        return [said, *refreshed_post(session, project, day)]

    return decide


def edit_click(services: Services, click: Click) -> Decision:
    """Edit on the day's post: the form for the free-text sections (nothing when the log is not ours)."""
    with services.unit_of_work() as session:
        project = channel_project(session, click.who)
        day = _named_day(project, click.raw) if project is not None else None
        if project is None or day is None:
            return Decision()
        data = daily_log.build_log(session, project=project, day=day)
        return Decision(view=daily_views.edit_modal(data, project.language, channel=project.channel_id))


def form_submitted(services: Services, sub: Submission) -> Plan:
    """The Edit form: each section becomes what was typed (after confirmation, new lines are the addendum)."""
    texts = daily_views.form_texts(sub.values)
    value = str(sub.meta.get("value") or "")

    def decide(session: Session, is_admin: bool, project: Project) -> list[Op]:
        day, user = _log_day(project, value), sub.who.user_id
        daily_log.replace_sections(
            session, project=project, actor=user, day=day, texts=texts, now=services.clock()
        )
        saved = sub.whisper(t(project.language, "daily.form.saved", day=day, user=user))
        return [saved, *refreshed_post(session, project, day)]

    return Plan(decide=decide, block="daily_note")

"""Buttons on confirmations: Undo, Mark done, Update progress and Edit — what a click stores and says."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.commands.core import Decision, Who, as_user, channel_project, refusal
from bot.commands.messages import Op, confirmation_op
from bot.parsing import ParseResult, TaskUpdateIntent
from bot.services import idempotency, lookups, message_records, projects, tasks
from bot.services.errors import ForemanError
from bot.views import confirmations, modals_tasks, task_views
from bot.views.catalog import t
from storage.models import Project, Task

Decide = Callable[[Session, bool, Project], list[Op]]


@dataclass(frozen=True)
class Click:
    """A button press as plain data: who, the button's value, the message it sits on."""

    who: Who
    trigger_id: str
    value: dict[str, Any]
    message_ts: str  # the confirmation the button is on
    thread_ts: str | None  # the thread replies go to
    raw: str = ""  # the button's value as sent (daily-log buttons name their log as `<project>|<day>`)

    @property
    def key(self) -> str:
        return f"act:{self.trigger_id}"

    @property
    def channel(self) -> str:
        return str(self.who.channel_id)

    def whisper(self, text: str) -> Op:
        return {
            "op": "ephemeral",
            "channel": self.channel,
            "user": self.who.user_id,
            "text": text,
            "thread_ts": self.thread_ts,
        }


def keep_replies(services: Services, client: WebClient, click: Click, decide: Decide) -> None:
    """Decide in one transaction (claimed by trigger id, so a re-delivery stores nothing), keep the replies;
    a refusal is kept as a whisper in the project's language."""
    who = click.who

    def guarded(session: Session, is_admin: bool) -> list[Op]:
        project = projects.require_project(session, team_id=who.team_id, channel_id=click.channel)
        if not idempotency.claim(session, team_id=who.team_id, key=click.key):
            return []
        ops = decide(session, is_admin, project)
        message_records.save_outcome(session, team_id=who.team_id, key=click.key, outcome=ops)
        return ops

    try:
        as_user(services, client, who, guarded)
    except ForemanError as err:
        with services.unit_of_work() as session:
            project = channel_project(session, who)
            lang = click_lang(click, project.language if project else "en")
            if idempotency.claim(session, team_id=who.team_id, key=click.key):
                hint = click.whisper(refusal(lang, err))
                message_records.save_outcome(session, team_id=who.team_id, key=click.key, outcome=[hint])


def click_lang(click: Click, default: str) -> str:
    """The language of the confirmation the button is on (the statement's, carried in its value), so a
    press on a Chinese statement's Undo is answered in Chinese whatever the project's language."""
    lang = click.value.get("l")
    return str(lang) if lang in ("en", "zh") else default


def undo(services: Services, click: Click) -> Decide:
    """Undo: void what the statement stored and say so in its confirmation."""
    src = str(click.value.get("ts") or "")

    def decide(session: Session, is_admin: bool, project: Project) -> list[Op]:
        lang, who = click_lang(click, project.language), click.who
        produced = message_records.find(session, project=project, channel=click.channel, ts=src)
        if not produced:
            return [click.whisper(t(lang, "rec.already_undone"))]
        now = services.clock()
        message_records.void(
            session, project=project, actor=who.user_id, is_admin=is_admin, produced=produced, now=now
        )
        what = message_records.ids_text(produced, lang)
        text, blocks = confirmations.plain(t(lang, "rec.undone", user=who.user_id, what=what))
        update = {"op": "update", "channel": click.channel, "ts": src, "confirmation_ts": click.message_ts}
        return [update | {"text": text, "blocks": blocks}]

    return decide


def mark_done(services: Services, click: Click) -> Decide:
    """Mark done: the task at 100 %."""
    key = str(click.value.get("key") or "")

    def decide(session: Session, is_admin: bool, project: Project) -> list[Op]:
        task, update = tasks.update_task(
            session,
            project=project,
            actor=click.who.user_id,
            is_admin=is_admin,
            key=key,
            change=tasks.Change(progress=100, status="done"),
            now=services.clock(),
            origin=tasks.Origin("button"),
        )
        return [
            click.whisper(task_views.updated_text(task, update, lang=click_lang(click, project.language)))
        ]

    return decide


def pick_task(services: Services, click: Click) -> Decide:
    """A task chosen from the question a title raised: the statement's change applied to that task. From a
    channel message it is stored as that message's record (edit/delete follow it; a second press changes
    nothing); from a slash command it is an update by button."""
    value = click.value
    key, src = str(value.get("key") or ""), str(value.get("ts") or "")
    progress = value.get("p")
    status = value.get("s") if value.get("s") in ("in_progress", "done", "blocked") else None
    change = TaskUpdateIntent(
        task=key,
        progress=progress if isinstance(progress, int) else None,
        status=status,
        blocker=str(value["b"]) if value.get("b") else None,
    )

    def decide(session: Session, is_admin: bool, project: Project) -> list[Op]:
        lang = click_lang(click, project.language)
        actor, now = click.who.user_id, services.clock()
        if not src:
            task, update = tasks.update_task(
                session, project=project, actor=actor, is_admin=is_admin, key=key, change=change, now=now,
                origin=tasks.Origin("button", click.channel),
            )  # fmt: skip
            return [click.whisper(task_views.updated_text(task, update, lang=lang))]
        before = message_records.find(session, project=project, channel=click.channel, ts=src)
        if before:
            shown = before.task.key if before.task is not None else key
            return [click.whisper(t(lang, "rec.task_already_picked", task=shown))]
        result = ParseResult(intent="task_update", lang="zh" if lang == "zh" else "en", task_update=change)
        produced = message_records.store(
            session, project=project, actor=actor, is_admin=is_admin, result=result, now=now,
            channel=click.channel, ts=src,
        )  # fmt: skip
        op = confirmation_op(
            session, project, produced, lang=lang, actor=actor, channel=click.channel, ts=src, thread_ts=src
        )
        return [op]

    return decide


def progress_form(services: Services, click: Click) -> Decision:
    """Update progress: the form with the task's current progress, or the refusal."""
    key = str(click.value.get("key") or "")
    try:
        with services.unit_of_work() as session:
            project = projects.require_project(session, team_id=click.who.team_id, channel_id=click.channel)
            task = tasks.get_task(session, project=project, key=key)
            return Decision(
                view=modals_tasks.progress_form(
                    lang=click_lang(click, project.language),
                    channel=click.channel,
                    key=task.key,
                    progress=task.progress,
                    confirmation_ts=click.thread_ts,
                )
            )
    except ForemanError as err:
        return Decision(refusal("en", err))


def edit_form(services: Services, click: Click) -> Decision:
    """Edit: the form holding the stored record as a statement; a note when nothing is left to edit."""
    src = str(click.value.get("ts") or "")
    with services.unit_of_work() as session:
        project = channel_project(session, click.who)
        if project is None:
            return Decision()
        lang = click_lang(click, project.language)
        produced = message_records.find(session, project=project, channel=click.channel, ts=src)
        statement = _statement(session, produced, lang)
    if statement is None:
        return Decision(t(lang, "rec.already_undone"), thread_ts=click.thread_ts)
    view = modals_tasks.edit_form(
        lang=lang,
        channel=click.channel,
        ts=src,
        kind="labor" if produced.labor else "expense",
        statement=statement,
        confirmation_ts=click.message_ts,
    )
    return Decision(view=view)


def _statement(session: Session, produced: message_records.Produced, lang: str) -> str | None:
    """The stored record as text for the Edit form; None when nothing editable is left."""
    if produced.labor:
        names = lookups.labor_names(session, produced.labor)
        task = session.get(Task, produced.labor[0].task_id) if produced.labor[0].task_id else None
        return confirmations.labor_statement(
            produced.labor,
            workers=names.workers,
            crews=names.crews,
            lang=lang,
            task_key=task.key if task else None,
        )
    if produced.expense is not None:
        expense = produced.expense
        task = session.get(Task, expense.task_id) if expense.task_id else None
        return confirmations.expense_statement(expense, task_key=task.key if task else None)
    return None

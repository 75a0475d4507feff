"""Channel statements: what a new, edited or deleted message stores, voids or replaces, and the replies;
every message also feeds the day's construction log.

The decision is a list of reply operations (post a threaded confirmation, update one, whisper a hint);
it is saved with the request so the lazy sender posts them once, after the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.commands.core import Who, as_user, read, refusal, text_lang
from bot.commands.expense import logged_text as expense_logged_text
from bot.commands.labor import clock_out_text, logged_text
from bot.parsing import ParseResult
from bot.services import daily_log, idempotency, message_records, projects
from bot.services.errors import ForemanError
from bot.views import confirmations, labor_views, task_views
from bot.views.catalog import t
from storage.models import Project

Op = dict[str, Any]


@dataclass(frozen=True)
class Statement:
    """A message event as the author wrote it."""

    who: Who
    text: str
    ts: str
    thread_ts: str
    subtype: str | None
    key: str  # event:<event_id>, the delivery's idempotency key
    files: tuple[dict[str, Any], ...] = ()  # the files shared with the message (photos feed the daily log)

    @property
    def channel(self) -> str:
        return str(self.who.channel_id)

    def whisper(self, text: str) -> Op:
        """A reply only the author sees, in the thread when the statement was in one."""
        thread = self.thread_ts if self.thread_ts != self.ts else None
        return {
            "op": "ephemeral",
            "channel": self.channel,
            "user": self.who.user_id,
            "text": text,
            "thread_ts": thread,
        }

    def update(self, text: str) -> Op:
        """A replacement of the confirmation already posted for this statement."""
        plain_text, blocks = confirmations.plain(text)
        return {"op": "update", "channel": self.channel, "ts": self.ts, "text": plain_text, "blocks": blocks}


def render(
    session: Session, project: Project, produced: message_records.Produced, *, lang: str, actor: str
) -> str:
    """What a message stored, in words."""
    if produced.kind == "labor":
        warnings = labor_views.long_day_warnings(produced.long_days, lang=lang)
        return logged_text(session, project, produced.labor, lang=lang, actor=actor) + warnings
    if produced.kind == "clock_out":
        return clock_out_text(session, project, produced.labor[0], lang=lang, actor=actor)
    if produced.kind == "clock_in" and produced.shift is not None:
        return labor_views.clock_in_text(project, produced.shift, lang=lang, actor=actor)
    if produced.kind == "expense" and produced.expense is not None:
        return expense_logged_text(session, project, produced.expense, lang=lang, actor=actor)
    assert produced.task is not None
    return task_views.updated_text(produced.task, produced.update, lang=lang)


def confirmation_op(
    session: Session,
    project: Project,
    produced: message_records.Produced,
    *,
    lang: str,
    actor: str,
    channel: str,
    ts: str,
    thread_ts: str,
    edited: bool = False,
) -> Op:
    """The post (or update) of a threaded confirmation with its buttons."""
    text = render(session, project, produced, lang=lang, actor=actor)
    if edited:
        text = t(lang, "rec.edited_now") + "\n" + text
    kind = {"clock_out": "clock", "clock_in": "clock", "task_update": "task"}.get(
        produced.kind, produced.kind
    )
    key = produced.task.key if produced.task is not None else None
    text, blocks = confirmations.confirmation(text, lang=lang, kind=kind, ts=ts, task_key=key)
    return {
        "op": "confirm",
        "channel": channel,
        "ts": ts,
        "thread_ts": thread_ts,
        "text": text,
        "blocks": blocks,
    }


def parse_message(session: Session, project: Project, text: str, now: Any, command: str | None = None) -> Any:
    """The parser's reading of a statement, knowing the project's roster and open tasks."""
    return read(session, project, text, now, command)


def ask_task(st: Statement, result: ParseResult, lang: str) -> Op:
    """The whispered question which task the statement meant, a button per candidate."""
    assert result.task_update is not None and result.error is not None
    text, blocks = confirmations.task_choices(
        result.error,
        lang=lang,
        candidates=[(c.key, c.title) for c in result.candidates],
        change=task_change(result),
        ts=st.ts,
    )
    return st.whisper(text) | {"blocks": blocks}


def task_change(result: ParseResult) -> dict[str, Any]:
    """The progress, status and blocker a task statement asks for (what a candidate's button applies)."""
    assert result.task_update is not None
    update = result.task_update
    return {"progress": update.progress, "status": update.status, "blocker": update.blocker}


def decide(services: Services, session: Session, st: Statement, is_admin: bool) -> list[Op]:
    """Store, replace or void what the statement says; the replies it gets (none for chit-chat)."""
    project = projects.project_for_channel(session, team_id=st.who.team_id, channel_id=st.channel)
    if project is None:
        return []
    now = services.clock()
    lang = text_lang(st.text, project.language)
    deleted = st.subtype == "message_deleted"
    result = None if deleted else parse_message(session, project, st.text, now)
    recognised = result is not None and result.intent in message_records.KINDS
    # The day's construction log reads every message (weather/safety/quality lines, photos); it finds
    # the lines a message already gave, so a redelivery changes nothing.
    daily_log.capture(
        session,
        project=project,
        channel=st.channel,
        ts=st.ts,
        user=st.who.user_id,
        text=st.text,
        files=st.files,
        subtype=st.subtype,
        is_record=recognised,
        now=now,
    )
    if st.subtype not in ("message_changed", "message_deleted") and not recognised:
        return []  # chit-chat: nothing stored, nothing claimed, no reply
    if not idempotency.claim(session, team_id=st.who.team_id, key=st.key):
        return []
    before = message_records.find(session, project=project, channel=st.channel, ts=st.ts)
    common: dict[str, Any] = {"project": project, "actor": st.who.user_id, "is_admin": is_admin, "now": now}
    if deleted:
        if not before:
            return []
        message_records.void(session, **common, produced=before)
        what = message_records.ids_text(before, project.language)
        return [st.update(t(project.language, "rec.deleted", what=what))]
    assert result is not None
    if st.subtype == "message_changed" and before:
        message_records.void(session, **common, produced=before)
        if not recognised or result.error:
            return [st.update(t(lang, "rec.no_longer", what=message_records.ids_text(before, lang)))]
    if not recognised:
        return []
    if result.candidates and result.task_update is not None:
        return [ask_task(st, result, lang)]  # a title named several tasks, or not surely one: ask which
    if result.error:
        return [st.whisper(result.error)]
    produced = message_records.store(session, **common, result=result, channel=st.channel, ts=st.ts)
    op = confirmation_op(
        session,
        project,
        produced,
        lang=lang,
        actor=st.who.user_id,
        channel=st.channel,
        ts=st.ts,
        thread_ts=st.thread_ts,
        edited=bool(before),
    )
    return [op]


def record(services: Services, client: WebClient, st: Statement) -> None:
    """Decide in one transaction and save the replies for the sender; a refusal is whispered."""

    def work(session: Session, is_admin: bool) -> list[Op]:
        ops = decide(services, session, st, is_admin)
        if ops:
            message_records.save_outcome(session, team_id=st.who.team_id, key=st.key, outcome=ops)
        return ops

    try:
        as_user(services, client, st.who, work)
    except ForemanError as err:
        hint = st.whisper(refusal(text_lang(st.text), err))
        with services.unit_of_work() as session:
            if idempotency.claim(session, team_id=st.who.team_id, key=st.key):
                message_records.save_outcome(session, team_id=st.who.team_id, key=st.key, outcome=[hint])

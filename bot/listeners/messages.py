"""Channel messages: recognised statements become records with a threaded confirmation; edits and
deletes follow; everything else gets no reply at all."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session, select

from bot.app import Services
from bot.listeners.common import Who, as_user, refusal, text_lang
from bot.parsing import parse
from bot.services import daily_log, idempotency, message_records, projects
from bot.services.errors import ForemanError
from bot.views import confirmations, expense_views, labor_views, task_views
from bot.views.catalog import t
from storage.models import Meeting, Project

log = logging.getLogger(__name__)
# Message subtypes that are a person's statement; everything else (joins, topics, bots) is not read.
_READ = {None, "thread_broadcast", "file_share", "message_changed", "message_deleted"}


def _event(body: dict[str, Any]) -> dict[str, Any]:
    return body.get("event") or {}


def _is_bot(message: dict[str, Any], context: dict[str, Any]) -> bool:
    user = message.get("user")
    return bool(
        message.get("bot_id")
        or message.get("subtype") == "bot_message"
        or (user and user == context.get("bot_user_id"))
    )


def _author_message(event: dict[str, Any]) -> dict[str, Any]:
    """The message as the author wrote it (for an edit: the new version)."""
    if event.get("subtype") == "message_changed":
        return event.get("message") or {}
    if event.get("subtype") == "message_deleted":
        return event.get("previous_message") or {}
    return event


def make_matcher(services: Services) -> Any:
    def matches(body: dict[str, Any], context: dict[str, Any]) -> bool:
        """Project-channel statements only: not DMs, not bots, not meeting threads (the scheduler reads those)."""
        event = _event(body)
        if event.get("type") != "message" or event.get("subtype") not in _READ:
            return False
        if event.get("channel_type") in ("im", "mpim") or str(event.get("channel", "")).startswith("D"):
            return False
        message = _author_message(event)
        if _is_bot(event, context) or _is_bot(message, context):
            return False
        thread_ts = message.get("thread_ts") or event.get("thread_ts")
        if thread_ts and thread_ts != message.get("ts"):
            with services.unit_of_work() as session:
                meeting = session.exec(
                    select(Meeting.id).where(
                        Meeting.team_id == body.get("team_id"), Meeting.slack_ts == thread_ts
                    )
                ).first()
            if meeting is not None:
                return False
        return True

    return matches


def render(
    session: Session, project: Project, produced: message_records.Produced, *, lang: str, actor: str
) -> str:
    """What a message stored, in words."""
    if produced.kind == "labor":
        return labor_views.logged_text(session, project, produced.labor, lang=lang, actor=actor)
    if produced.kind == "clock_out":
        return labor_views.clock_out_text(session, project, produced.labor[0], lang=lang, actor=actor)
    if produced.kind == "clock_in" and produced.shift is not None:
        return labor_views.clock_in_text(project, produced.shift, lang=lang, actor=actor)
    if produced.kind == "expense" and produced.expense is not None:
        return expense_views.logged_text(session, project, produced.expense, lang=lang, actor=actor)
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
) -> dict[str, Any]:
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


def parse_message(session: Session, project: Project, text: str, now: Any) -> Any:
    workers, crews = projects.known_names(session, project)
    return parse(
        text,
        now=now,
        tz=project.timezone,
        currency=project.currency,
        standard_hours=float(project.hours_per_day),
        known_workers=workers,
        known_crews=crews,
    )


def register(app: App, services: Services) -> None:
    def record(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """Store (or replace, or void) in the request, deciding the replies; a lazy listener sends them."""
        ack()
        event = _event(body)
        team_id = str(body.get("team_id"))
        channel = str(event.get("channel"))
        subtype = event.get("subtype")
        message = _author_message(event)
        user = message.get("user") or event.get("user")
        ts = str(message.get("ts") or event.get("deleted_ts") or "")
        if not user or not ts:
            return
        text = str(message.get("text") or "").strip()
        previous = (event.get("previous_message") or {}).get("text")
        if subtype == "message_changed" and previous is not None and previous == text:
            return  # link unfurls and other edits that do not touch the text
        thread_ts = str(message.get("thread_ts") or ts)
        request_key = f"event:{body.get('event_id')}"
        who = Who(team_id=team_id, user_id=str(user), channel_id=channel)

        def work(session: Session, is_admin: bool) -> list[dict[str, Any]]:
            ops = decide(session, is_admin)
            if ops:
                message_records.save_outcome(session, team_id=team_id, key=request_key, outcome=ops)
            return ops

        def decide(session: Session, is_admin: bool) -> list[dict[str, Any]]:
            project = projects.project_for_channel(session, team_id=team_id, channel_id=channel)
            if project is None:
                return []
            now = services.clock()
            lang = text_lang(text, project.language)
            result = parse_message(session, project, text, now) if subtype != "message_deleted" else None
            daily_log.capture(  # the day's construction log (issue 16): weather/safety/quality, photos
                session, project=project, channel=channel, ts=ts, user=who.user_id, message=message,
                subtype=subtype, is_record=result is not None and result.intent in message_records.KINDS, now=now,
            )  # fmt: skip
            if (
                subtype not in ("message_changed", "message_deleted")
                and result is not None
                and result.intent not in message_records.KINDS
            ):
                return []  # chit-chat: nothing stored, nothing claimed, no reply
            if not idempotency.claim(session, team_id=team_id, key=request_key):
                return []
            before = message_records.find(session, project=project, channel=channel, ts=ts)
            if subtype == "message_deleted":
                if not before:
                    return []
                message_records.void(
                    session, project=project, actor=who.user_id, is_admin=is_admin, produced=before, now=now
                )
                done = confirmations.plain(
                    t(
                        project.language,
                        "rec.deleted",
                        what=message_records.ids_text(before, project.language),
                    )
                )
                ops = [{"op": "update", "channel": channel, "ts": ts, "text": done[0], "blocks": done[1]}]
            else:
                assert result is not None
                recognised = result.intent in message_records.KINDS
                if subtype == "message_changed" and before:
                    message_records.void(
                        session,
                        project=project,
                        actor=who.user_id,
                        is_admin=is_admin,
                        produced=before,
                        now=now,
                    )
                    if not recognised or result.error:
                        gone = confirmations.plain(
                            t(lang, "rec.no_longer", what=message_records.ids_text(before, lang))
                        )
                        return [
                            {"op": "update", "channel": channel, "ts": ts, "text": gone[0], "blocks": gone[1]}
                        ]
                if not recognised:
                    return []
                if result.error:
                    return [
                        {
                            "op": "ephemeral",
                            "channel": channel,
                            "user": who.user_id,
                            "text": result.error,
                            "thread_ts": thread_ts if thread_ts != ts else None,
                        }
                    ]
                produced = message_records.store(
                    session,
                    project=project,
                    actor=who.user_id,
                    is_admin=is_admin,
                    result=result,
                    now=now,
                    channel=channel,
                    ts=ts,
                )
                ops = [
                    confirmation_op(
                        session,
                        project,
                        produced,
                        lang=lang,
                        actor=who.user_id,
                        channel=channel,
                        ts=ts,
                        thread_ts=thread_ts,
                        edited=bool(before),
                    )
                ]
            return ops

        try:
            as_user(services, client, who, work)
        except ForemanError as err:
            lang = text_lang(text)
            hint = {
                "op": "ephemeral",
                "channel": channel,
                "user": who.user_id,
                "text": refusal(lang, err),
                "thread_ts": thread_ts if thread_ts != ts else None,
            }
            with services.unit_of_work() as session:
                if idempotency.claim(session, team_id=team_id, key=request_key):
                    message_records.save_outcome(session, team_id=team_id, key=request_key, outcome=[hint])

    def reply(body: dict[str, Any], client: WebClient) -> None:
        """Send the replies the request decided, once even when Slack delivers the event again."""
        send_outcome(
            services,
            client,
            team_id=str(body.get("team_id")),
            outcome_key=f"event:{body.get('event_id')}",
            sent_key=f"reply:{body.get('event_id')}",
        )

    app.event("message", matchers=[make_matcher(services)])(ack=record, lazy=[reply])


def send_outcome(
    services: Services, client: WebClient, *, team_id: str, outcome_key: str, sent_key: str
) -> None:
    """Post, update or whisper the replies a request decided, once even when Slack delivers it again.

    The claim and the lookups commit before any Slack call and the new confirmation ts are stored after,
    so no database transaction (SQLite's write lock) stays open while Slack answers.
    """
    with services.unit_of_work() as session:
        ops = message_records.load_outcome(session, team_id=team_id, key=outcome_key)
        if not ops or not idempotency.claim(session, team_id=team_id, key=sent_key):
            return
        existing = {
            op["ts"]: message_records.confirmation_ts(
                session, team_id=team_id, channel=op["channel"], ts=op["ts"]
            )
            for op in ops
            if op["op"] != "ephemeral"
        }
    posted: list[tuple[str, str, str]] = []
    for op in ops:
        try:
            if op["op"] == "ephemeral":
                args = {"channel": op["channel"], "user": op["user"], "text": op["text"]}
                if op.get("thread_ts"):
                    args["thread_ts"] = op["thread_ts"]
                client.chat_postEphemeral(**args)
            elif confirmation := existing.get(op["ts"]):
                client.chat_update(
                    channel=op["channel"], ts=confirmation, text=op["text"], blocks=op["blocks"]
                )
            elif op["op"] == "confirm":
                response = client.chat_postMessage(
                    channel=op["channel"], thread_ts=op["thread_ts"], text=op["text"], blocks=op["blocks"]
                )
                posted.append((op["channel"], op["ts"], str(response["ts"])))
        except SlackApiError as exc:
            log.warning("reply %s failed: %s", op["op"], exc.response.get("error"))
    if posted:
        with services.unit_of_work() as session:
            for channel, ts, confirmation in posted:
                message_records.remember_confirmation(
                    session, team_id=team_id, channel=channel, ts=ts, confirmation=confirmation
                )

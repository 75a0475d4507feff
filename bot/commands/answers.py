"""Answers to scheduled posts: a standup answer sent as a DM, a reply in a joint-meeting prompt's thread.

A DM answer is kept whole for the digest and each line that is a record is stored the way a channel
statement is (the same parser and message_records.store); a meeting reply is recorded once per person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.app import Services
from bot.commands.core import read, refusal, text_lang
from bot.commands.messages import render
from bot.services import digest, meetings, message_records
from bot.services.access import role_of
from bot.services.errors import ForemanError
from bot.views.catalog import t

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MeetingReply:
    """What to tell a meeting thread: the reply was recorded (a reaction and a line)."""

    text: str


def meeting_reply(
    services: Services, *, team_id: str, channel: str, thread: str, user: str, text: str, now: datetime
) -> MeetingReply | None:
    """Record a reply in a meeting prompt's thread; None when it is not a meeting or was not recorded."""
    with services.unit_of_work() as session:
        meeting = meetings.meeting_for_thread(session, team_id=team_id, channel=channel, thread_ts=thread)
        if meeting is None:
            return None
        project = digest.project_by_id(session, team_id=team_id, project_id=meeting.project_id)
        role = role_of(session, project=project, user_id=user)
        recorded = meetings.record_reply(
            session, meeting=meeting, user_id=user, role=role, text=text, now=now
        )
        day = meeting.meeting_on.isoformat()
        lang = text_lang(text, project.language)
    if recorded is None:
        return None
    return MeetingReply(t(lang, f"sched.meeting.recorded_{recorded}", day=day))


def standup_answer(
    services: Services,
    *,
    team_id: str,
    user: str,
    text: str,
    event: dict[str, Any],
    thread: str | None = None,
) -> str:
    """A DM to Foreman: an answer to today's standup prompt (or a reply in a prompt's thread) is stored line
    by line and kept whole for the channel digest; any other DM is answered with private help and nothing
    is stored or shown anywhere."""
    now = services.clock()
    with services.unit_of_work() as session:
        project = digest.prompted_project(session, team_id=team_id, user_id=user, now=now, thread_ts=thread)
        if project is None:
            return t(text_lang(text), "dm.help")
        lang = text_lang(text, project.language)
        digest.record_answer(session, project=project, user_id=user, text=text, now=now)
        code, project_id = project.code, project.pk
    told = [
        said
        for line in filter(None, (part.strip() for part in text.splitlines()))
        if (said := _store_line(services, team_id=team_id, project_id=project_id, user=user, line=line,
                                event=event, lang=lang)) is not None
    ]  # fmt: skip
    # What each line stored, and each line that stated hours or money but was refused, is said back: the
    # answer is acknowledged, so its sender must not believe a refused 8h was logged.
    return "\n".join([t(lang, "sched.answer.recorded", code=code), *told])


def _store_line(
    services: Services,
    *,
    team_id: str,
    project_id: int,
    user: str,
    line: str,
    event: dict[str, Any],
    lang: str,
) -> str | None:
    """What the line stored, in words; the refusal of a line that stated a record; None for answer text."""
    now = services.clock()
    try:
        with services.unit_of_work() as session:
            project = digest.project_by_id(session, team_id=team_id, project_id=project_id)
            labelled, bare = _read_forms(line)
            result, refused = _parse_answer(session, labelled, project, now)
            if result is None and refused is None and bare != labelled:
                # "today: T-2 40%": the day label is not a date of a task update; read it without the label
                # (never hours, which keep the day they were stated under: a refused line stays refused).
                result, refused = _parse_answer(session, bare, project, now)
            if result is None:
                return (
                    None
                    if refused is None
                    else t(lang, "sched.answer.line_refused", line=line, reason=refused)
                )
            produced = _store(session, project, user, result, now, event)
            return render(session, project, produced, lang=lang, actor=user)
    except ForemanError as err:
        log.info("standup answer line not stored (%s): %s", err.key, line)
        return t(lang, "sched.answer.line_refused", line=line, reason=refusal(lang, err))


def _parse_answer(session: Session, line: str, project: Any, now: Any) -> tuple[Any, str | None]:
    """(a line as a channel statement, or else as labor ("yesterday 8h" answers the prompt's question), read
    knowing the project's roster and open tasks; or None and, when the line stated hours or an amount that
    could not all be read, why)."""
    result = read(session, project, line, now)
    if result.intent == "none":
        result = read(session, project, line, now, command="/log-labor")
        if result.intent != "labor":
            return None, None
    if result.intent == "none":
        return None, None
    if result.error:
        stated = (result.labor is not None and result.labor.hours_each is not None) or (
            result.expense is not None and result.expense.amount is not None
        )
        return None, (result.error if stated else None)
    return result, None


def _store(
    session: Session, project: Any, user: str, result: Any, now: Any, event: dict[str, Any]
) -> message_records.Produced:
    return message_records.store(
        session,
        project=project,
        actor=user,
        is_admin=False,
        result=result,
        now=now,
        channel=str(event.get("channel")),
        ts=str(event.get("ts")),
        source="prompt",
    )


_BLOCKER_LABELS = ("blockers", "blocker", "阻碍")
_DAY_LABELS = ("yesterday", "today", "昨天", "今天")


def _read_forms(line: str) -> tuple[str, str]:
    """The line as read with the prompt's label ("blockers: T-3 …" → "T-3 …", "yesterday: 8h" →
    "yesterday 8h", a date) and without it ("today: T-2 40%" → "T-2 40%")."""
    head, sep, rest = line.replace("：", ":").partition(":")
    label = head.strip().lower()
    if not sep or label not in (*_BLOCKER_LABELS, *_DAY_LABELS):
        return line, line
    if label in _BLOCKER_LABELS:
        return rest.strip(), rest.strip()
    return f"{head.strip()} {rest.strip()}", rest.strip()

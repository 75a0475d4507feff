"""What /daily and the log's buttons decide (the replies, the log to show, the form) and the refresh of
the day's post; kept apart from the Bolt adapters in commands_daily."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.app import Services
from bot.listeners.common import Who, text_lang
from bot.parsing.daily_command import DailySyntaxError, parse_daily
from bot.services import daily_log, idempotency, projects, reports
from bot.services.errors import InvalidInput
from bot.views import daily_views
from bot.views.catalog import t
from storage.models import Project


def run_command(
    session: Session, services: Services, who: Who, text: str, is_admin: bool, request_key: str
) -> tuple[str, Any]:
    """What a /daily text does: (kind, payload) — reply text, the log to show, or the form to open."""
    project = projects.require_project(session, team_id=who.team_id, channel_id=str(who.channel_id))
    lang = text_lang(text, project.language)
    now = services.clock()
    try:
        cmd = parse_daily(text, now=now, tz=project.timezone)
    except DailySyntaxError as exc:
        raise InvalidInput(exc.key, **exc.params) from exc
    if cmd.action == "help":
        return "text", t(lang, "daily.help")
    if cmd.action == "show":
        return "log", daily_views.log_message(
            daily_log.build_log(session, project=project, day=cmd.day), lang
        )
    if cmd.action == "edit":
        return "form", daily_views.edit_modal(
            daily_log.build_log(session, project=project, day=cmd.day), lang
        )
    if not idempotency.claim(session, team_id=who.team_id, key=request_key):
        return "text", t(lang, "request.duplicate")
    if cmd.action == "confirm":
        daily_log.confirm(
            session, project=project, actor=who.user_id, is_admin=is_admin, day=cmd.day, now=now
        )
        return "confirmed", (project.pk, cmd.day, t(lang, "daily.confirmed", day=cmd.day, user=who.user_id))
    assert cmd.section is not None
    entry = daily_log.add_line(
        session, project=project, actor=who.user_id, day=cmd.day, section=cmd.section, text=cmd.text, now=now
    )
    locked = daily_log.build_log(session, project=project, day=cmd.day)
    late = any(x.late for x in locked.lines if x.text == entry.text and x.section == entry.section)
    key = "daily.added_late" if late else "daily.added"
    section = t(lang, f"daily.sec.{cmd.section}")
    return "text", t(lang, key, day=cmd.day.isoformat(), section=section, text=daily_views._esc(cmd.text))


def refresh_post(services: Services, client: WebClient, *, team_id: str, project_id: int, day: date) -> None:
    """Update the day's scheduled post to show the log as stored now (status, addendum)."""
    with services.unit_of_work() as session:
        project = reports.project_in_team(session, team_id=team_id, project_id=project_id)
        row = daily_log.find_log(session, project=project, day=day) if project else None
        if project is None or row is None or not row.slack_ts or not row.slack_channel:
            return
        text, blocks = daily_views.log_message(
            daily_log.build_log(session, project=project, day=day), project.language
        )
        channel, ts = row.slack_channel, row.slack_ts
    try:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError:
        return


def target(session: Session, team_id: str, value: str) -> tuple[Project, date] | None:
    """The project (of this workspace only) and day a Confirm/Edit button or form names."""
    found = daily_views.read_button_value(value)
    project = reports.project_in_team(session, team_id=team_id, project_id=found[0]) if found else None
    return (project, found[1]) if project is not None and found is not None else None

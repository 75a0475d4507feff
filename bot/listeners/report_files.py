"""After a /report is answered: put its export, chart, daily log or long labor summary in the channel (once)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.app import Services
from bot.commands import daily_report
from bot.commands.core import Upload, Who, text_lang
from bot.commands.report import Confirmation, build_upload, confirmation
from bot.listeners.common import who_from_command
from bot.parsing.daily_command import is_daily_report
from bot.parsing.report_command import ReportSyntaxError, parse_report
from bot.services import digest, idempotency, projects, wages
from bot.views.catalog import t
from bot.views.format import people_count
from bot.views.mrkdwn import mention
from storage.models import Project

log = logging.getLogger(__name__)


def _pending(
    session: Session, services: Services, who: Who, project: Project, text: str, lang: str
) -> tuple[Upload | daily_report.DailyFile | None, Confirmation | None]:
    """What the text puts in the channel: a file (or the daily logs to make one from), and the wage
    sheet's post and DMs when it asks workers to confirm."""
    if is_daily_report(text):
        return daily_report.read_days(session, services, project, text), None
    try:
        req = parse_report(text, now=services.clock(), tz=project.timezone)
    except ReportSyntaxError:
        return None, None
    if req.kind not in ("export", "chart", "labor", "wages"):
        return None, None
    confirm = confirmation(session, project, req, lang) if req.confirm else None
    return build_upload(session, services, who, project, req, lang), confirm


def report_files(services: Services) -> Callable[..., None]:
    """The lazy listener that uploads what the command announced."""

    def report_files(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        who = who_from_command(body)
        text = (body.get("text") or "").strip()
        with services.unit_of_work() as session:
            project = projects.project_for_channel(
                session, team_id=who.team_id, channel_id=str(who.channel_id)
            )
            if project is None:
                return
            lang = text_lang(text, project.language)
            pending, confirm = _pending(session, services, who, project, text, lang)
            # A redelivered command must not put the same file in the channel twice.
            if pending is None or not idempotency.claim(
                session, team_id=who.team_id, key=f"report:{body.get('trigger_id')}"
            ):
                return
        # The daily log's names and photos come from Slack, after the transaction.
        upload = (
            pending
            if isinstance(pending, Upload)
            else daily_report.make_upload(services, client, who, lang, pending)
        )
        if isinstance(upload, str):
            respond(response_type="ephemeral", text=upload)
            return
        try:
            client.files_upload_v2(
                channel=who.channel_id,
                file=upload.data,
                filename=upload.filename,
                title=upload.title,
                initial_comment=upload.comment,
            )
        except SlackApiError as exc:
            log.warning("report upload failed: %s", exc.response.get("error"))
            respond(
                response_type="ephemeral",
                text=t(lang, "report.upload_failed", error=exc.response.get("error")),
            )
        if confirm is not None:
            send_confirmations(services, client, who, confirm)

    return report_files


def send_confirmations(services: Services, client: WebClient, who: Who, confirm: Confirmation) -> None:
    """Post the wage sheet in the channel (its thread hears disputes), then DM each person their line."""
    with services.unit_of_work() as session:
        project = digest.project_by_id(session, team_id=who.team_id, project_id=confirm.project_id)
        head = t(
            project.language,
            "wages.posted",
            month=confirm.month,
            people=people_count(len(confirm.dms), project.language),
            user=mention(who.user_id),
        )
    try:
        posted = client.chat_postMessage(channel=str(who.channel_id), text=f"{head}\n{confirm.post}")
        with services.unit_of_work() as session:
            project = digest.project_by_id(session, team_id=who.team_id, project_id=confirm.project_id)
            wages.remember_post(
                session,
                project=project,
                month=confirm.month,
                channel=str(who.channel_id),
                ts=str(posted["ts"]),
            )
    except SlackApiError as exc:
        log.warning("wage sheet post failed: %s", exc.response.get("error"))
    for user, text, blocks in confirm.dms:
        try:
            channel = client.conversations_open(users=user)["channel"]["id"]
            client.chat_postMessage(channel=channel, text=text, blocks=blocks)
        except SlackApiError as exc:
            log.warning("wage sheet DM to %s failed: %s", user, exc.response.get("error"))

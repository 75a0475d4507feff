"""`/report daily`: the answer at once, the PDF or XLSX uploaded after the ack (called from commands_report)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.app import Services
from bot.listeners.common import refusal, text_lang, who_from_command
from bot.parsing.daily_command import DailySyntaxError, is_daily_report, parse_daily_report
from bot.reports.daily_pdf import daily_pdf, daily_xlsx, slack_fetcher
from bot.services import daily_log, idempotency, projects
from bot.services.errors import InvalidInput, NoProject
from bot.views.catalog import t

log = logging.getLogger(__name__)
__all__ = ["is_daily_report", "report_ack", "report_upload"]


def _range(first: Any, last: Any) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"


def report_ack(services: Services, ack: Ack, body: dict[str, Any]) -> None:
    """Say the file is coming, or why the text cannot be read."""
    who = who_from_command(body)
    text = (body.get("text") or "").strip()
    with services.unit_of_work() as session:
        project = projects.project_for_channel(session, team_id=who.team_id, channel_id=str(who.channel_id))
        tz = project.timezone if project else "UTC"
    lang = text_lang(text, project.language if project else "en")
    if project is None:
        ack(response_type="ephemeral", text=refusal(lang, NoProject()))
        return
    try:
        req = parse_daily_report(text, now=services.clock(), tz=tz)
    except DailySyntaxError as exc:
        ack(response_type="ephemeral", text=refusal(lang, InvalidInput(exc.key, **exc.params)))
        return
    rng = _range(req.first, req.last)
    ack(response_type="ephemeral", text=t(lang, "daily.report.preparing", fmt=req.fmt.upper(), range=rng))


def report_upload(services: Services, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    """Build the file (photos downloaded with the bot token) and upload it to the channel once."""
    who = who_from_command(body)
    text = (body.get("text") or "").strip()
    with services.unit_of_work() as session:
        project = projects.project_for_channel(session, team_id=who.team_id, channel_id=str(who.channel_id))
        if project is None:
            return
        lang, code = text_lang(text, project.language), project.code
        try:
            req = parse_daily_report(text, now=services.clock(), tz=project.timezone)
        except DailySyntaxError:
            return
        # A redelivered command must not put the same file in the channel twice.
        if not idempotency.claim(session, team_id=who.team_id, key=f"report:{body.get('trigger_id')}"):
            return
        logs = daily_log.build_logs(session, project=project, first=req.first, last=req.last)
        file_lang = project.language
    rng = _range(req.first, req.last)
    if not logs:
        respond(response_type="ephemeral", text=t(lang, "daily.report.nothing", range=rng))
        return
    _fill_names(client, logs)
    # Photos are downloaded here, outside any transaction.
    fetch = slack_fetcher(client.token, services.settings.slack_api_url)
    data = daily_pdf(logs, file_lang, fetch=fetch) if req.fmt == "pdf" else daily_xlsx(logs, file_lang)
    name = f"{code}-daily-{rng.replace('..', '_')}.{req.fmt}"
    comment = t(lang, "daily.report.comment", project=code, range=rng, fmt=req.fmt.upper(), user=who.user_id)
    try:
        client.files_upload_v2(
            channel=who.channel_id, file=data, filename=name, title=name, initial_comment=comment
        )
    except SlackApiError as exc:
        log.warning("daily log upload failed: %s", exc.response.get("error"))
        respond(
            response_type="ephemeral", text=t(lang, "report.upload_failed", error=exc.response.get("error"))
        )


def _fill_names(client: WebClient, logs: list[daily_log.DailyLogData]) -> None:
    """Names for the people a file lists that Foreman has not cached yet (a file shows names, not ids)."""
    known: dict[str, str] = {}
    for data in logs:
        for user in {*data.recorded_by, data.confirmed_by} - {None, *data.names}:
            assert user is not None
            if user not in known:
                try:
                    info = client.users_info(user=user)["user"]
                except SlackApiError:
                    continue
                profile = info.get("profile") or {}
                known[user] = str(profile.get("display_name") or info.get("real_name") or user)
            data.names[user] = known[user]

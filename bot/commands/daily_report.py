"""`/report daily [<date>|<from>..<to>] [pdf|xlsx]`: the answer at once; the file after the ack.

The days are read inside the request's transaction; the names (users.info), the photos (downloaded with
the bot token) and the PDF or XLSX are made after it, so no Slack call runs while a transaction is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.app import Services
from bot.commands.core import Ctx, Upload, Who
from bot.parsing.daily_command import DailySyntaxError, parse_daily_report
from bot.reports.daily_pdf import daily_pdf, daily_xlsx, slack_fetcher
from bot.services import daily_log
from bot.views.catalog import t
from storage.models import Project


def _range(first: date, last: date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"


def answer(ctx: Ctx) -> str:
    """Say the file is coming (the parser refuses a period it cannot read)."""
    req = parse_daily_report(ctx.req.text, now=ctx.now, tz=ctx.proj.timezone)
    return t(ctx.lang, "daily.report.preparing", fmt=req.fmt.upper(), range=_range(req.first, req.last))


@dataclass(frozen=True)
class DailyFile:
    """The logs a /report daily puts in one file, read inside the transaction."""

    logs: list[daily_log.DailyLogData]
    first: date
    last: date
    fmt: str
    code: str
    language: str  # the file is in the project's language


def read_days(session: Session, services: Services, project: Project, text: str) -> DailyFile | None:
    """The logs the text asks for; None when the text cannot be read (the answer said why)."""
    try:
        req = parse_daily_report(text, now=services.clock(), tz=project.timezone)
    except DailySyntaxError:
        return None
    logs = daily_log.build_logs(session, project=project, first=req.first, last=req.last)
    return DailyFile(logs, req.first, req.last, req.fmt, project.code, project.language)


def make_upload(services: Services, client: WebClient, who: Who, lang: str, found: DailyFile) -> Upload | str:
    """The file to put in the channel, or the words when none of the days has a log."""
    rng = _range(found.first, found.last)
    if not found.logs:
        return t(lang, "daily.report.nothing", range=rng)
    _fill_names(client, found.logs)
    if found.fmt == "pdf":
        data = daily_pdf(
            found.logs, found.language, fetch=slack_fetcher(client.token, services.settings.slack_api_url)
        )
    else:
        data = daily_xlsx(found.logs, found.language)
    name = f"{found.code}-daily-{rng.replace('..', '_')}.{found.fmt}"
    comment = t(
        lang, "daily.report.comment", project=found.code, range=rng, fmt=found.fmt.upper(), user=who.user_id
    )
    return Upload(data, name, name, comment)


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

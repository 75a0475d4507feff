"""`foreman export daily --from --to --format pdf|xlsx -o FILE [--project CODE]` (contract §3)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from sqlmodel import col, select

from bot.config import Settings
from bot.services import daily_log, projects
from storage.models import Project


def cli_export(settings: Settings, args: argparse.Namespace) -> int:
    """Write the daily logs of one project; exit 2 with one line on stderr when something is wrong."""
    from bot.app import build_services
    from bot.reports.daily_pdf import daily_pdf, daily_xlsx, slack_fetcher

    fmt = args.format or "pdf"
    if fmt not in ("pdf", "xlsx"):
        return _fail(f"daily logs are PDF or XLSX, not {fmt}")
    if not args.output:
        return _fail("the daily log needs -o FILE")
    try:
        first = date.fromisoformat(args.date_from) if args.date_from else None
        last = date.fromisoformat(args.date_to) if args.date_to else None
    except ValueError as exc:
        return _fail(f"bad date: {exc}")
    services = build_services(settings)
    with services.unit_of_work() as session:
        if args.project:
            found = projects.find_by_code(session, code=args.project)
        else:
            found = list(session.exec(select(Project).order_by(col(Project.id))).all())
        if len(found) != 1:
            return _fail(f"{len(found)} projects match; name one with --project CODE")
        project = found[0]
        last = last or projects.local_date(project, services.clock())
        first = first or last
        if first > last:
            return _fail("--from is after --to")
        logs = daily_log.build_logs(session, project=project, first=first, last=last)
        lang = project.language
    if not logs:
        return _fail(f"no daily log between {first} and {last}: nothing was recorded")
    # Photos are downloaded with the bot token (when configured), outside any transaction.
    fetch = slack_fetcher(settings.slack_bot_token, settings.slack_api_url)
    data = daily_pdf(logs, lang, fetch=fetch) if fmt == "pdf" else daily_xlsx(logs, lang)
    Path(args.output).write_bytes(data)
    return 0


def _fail(message: str) -> int:
    print(f"foreman export: {message}", file=sys.stderr)
    return 2

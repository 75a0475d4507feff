"""The day's construction log (kind `daily_log`, key `daily_log:<date>`) at the project's log time on workdays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlmodel import Session

from bot.scheduler.jobs import Candidate, Context, Item, grace_of, outgoing
from bot.scheduler.posting import Outgoing
from bot.services import daily_log
from bot.services.digest import parse_hhmm
from bot.services.status import calendar_for
from bot.views.daily_views import log_message
from storage.models import Project

KINDS = ("daily_log",)


def due(ctx: Context) -> list[Candidate]:
    """Logs of today and yesterday whose log time has come (none when the project set `log off`)."""
    found = []
    for project in ctx.projects:
        if project.log_time == "off":
            continue
        cal = calendar_for(project)
        today = ctx.today[project.pk]
        for day in (today - timedelta(days=1), today):
            if not cal.is_workday(day):
                continue
            at = cal.at_local(day, parse_hhmm(project.log_time))
            if project.created_at <= at <= ctx.now:
                key = f"daily_log:{day.isoformat()}"
                found.append(Candidate(project, "daily_log", key, at, grace_of(project), day))
    return found


def build(ctx: Context, items: list[Item]) -> list[Outgoing]:
    """Each due log built from the day's records, in the project's language, with Confirm and Edit."""
    out = []
    for item in items:
        project, day = item.candidate.project, item.candidate.data
        data = daily_log.build_log(ctx.session, project=project, day=day)
        text, blocks = log_message(data, project.language)
        out.append(outgoing(item, text, blocks, after_post=_recorder(project, day)))
    return out


def _recorder(project: Project, day: date) -> Callable[[Session, str, str], None]:
    def record(session: Session, channel: str, ts: str) -> None:
        daily_log.remember_post(
            session, project_id=project.pk, team_id=project.team_id, day=day, channel=channel, ts=ts
        )

    return record

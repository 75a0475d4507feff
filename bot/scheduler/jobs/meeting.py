"""The joint tech–management meeting prompt (kind `meeting_prompt`) and its reminder (`meeting_reminder`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlmodel import Session

from bot.scheduler.jobs import Candidate, Context, Item, grace_of, outgoing
from bot.scheduler.posting import Outgoing
from bot.services import meetings
from bot.views.scheduler_views import meeting_message, reminder_message
from storage.models import Project

KINDS = ("meeting_prompt", "meeting_reminder")
# Occurrences further back than this are not considered at all (the grace window is far shorter).
LOOKBACK = timedelta(days=2)


def due(ctx: Context) -> list[Candidate]:
    """Prompts whose time has come; reminders whose time has come while an answer is missing."""
    found = []
    reminders: dict[tuple[int, str], Candidate] = {}
    for project in ctx.projects:
        today = ctx.today[project.pk]
        for day in meetings.meeting_days(project, today):
            period = meetings.period_key(day)
            at = meetings.prompt_instant(project, day)
            if project.created_at <= at <= ctx.now <= at + LOOKBACK:
                found.append(
                    Candidate(project, "meeting_prompt", f"meeting:{period}", at, grace_of(project), day)
                )
            remind_at = meetings.reminder_instant(project, day)
            if at < remind_at <= ctx.now <= remind_at + LOOKBACK and day >= today:
                key = f"meeting_reminder:{period}"
                reminders[(project.pk, period)] = Candidate(
                    project, "meeting_reminder", key, remind_at, grace_of(project), day
                )
    waiting = meetings.meetings_missing_answers(ctx.session, set(reminders))
    for pk, candidate in reminders.items():
        if pk in waiting:
            candidate.data = waiting[pk]
            found.append(candidate)
    return found


def build(ctx: Context, items: list[Item]) -> list[Outgoing]:
    """Agendas for the prompts in one batch; reminders name what is missing."""
    prompts = [i for i in items if i.candidate.kind == "meeting_prompt"]
    projects = [i.candidate.project for i in prompts]
    agendas = meetings.agendas(
        ctx.session,
        projects,
        {p.pk: ctx.today[p.pk] for p in projects},
        {i.candidate.project.pk: i.candidate.data for i in prompts},
    )
    leads = meetings.leads_by_project(ctx.session, [i.candidate.project.pk for i in items])
    out = []
    for item in items:
        project = item.candidate.project
        lang = project.language
        if item.candidate.kind == "meeting_prompt":
            text, blocks = meeting_message(project, agendas[project.pk], lang)
            out.append(outgoing(item, text, blocks, after_post=_recorder(project, item.candidate.data)))
        else:
            techs, pms = leads[project.pk]
            text, blocks = reminder_message(project, item.candidate.data, techs, pms, lang)
            thread = item.candidate.data.slack_ts
            out.append(outgoing(item, text, blocks, thread_ts=thread))
    return out


def _recorder(project: Project, day: date) -> Callable[[Session, str, str], None]:
    def record(session: Session, channel: str, ts: str) -> None:
        meetings.create_meeting(session, project=project, meeting_day=day, channel=channel, ts=ts)

    return record

"""Risk nudges (kind `nudge`): once a day, an hour after the standup, each condition at most once.

A nudge goes to its owner as a DM with Snooze and Update buttons; a task blocked for more than two
workdays is escalated in the channel, mentioning the pm. A snoozed condition is recorded as skipped for
the day, so it is not picked up again when the snooze ends later that day.
"""

from __future__ import annotations

from datetime import timedelta

from bot.scheduler.jobs import Candidate, Context, Item, grace_of, outgoing
from bot.scheduler.posting import Outgoing
from bot.services import leave, nudges
from bot.services.digest import standup_instant
from bot.services.status import calendar_for
from bot.views.scheduler_views import nudge_message

KINDS = ("nudge",)
AFTER_STANDUP = timedelta(hours=1)


def due(ctx: Context) -> list[Candidate]:
    """Today's conditions of projects whose nudge time has come and is within its grace window."""
    timely = {}
    for project in ctx.projects:
        today = ctx.today[project.pk]
        if not calendar_for(project).is_workday(today):
            continue
        at = standup_instant(project, today) + AFTER_STANDUP
        # Conditions are read as they are now; older days' conditions are not recorded.
        if project.created_at <= at <= ctx.now <= at + grace_of(project):
            timely[project.pk] = (project, at)
    if not timely:
        return []
    projects = [p for p, _ in timely.values()]
    found = nudges.nudges_for(ctx.session, projects, ctx.today, ctx.now)
    quiet = nudges.snoozed(ctx.session, list(timely), ctx.now)
    days = [ctx.today[pid] for pid in timely]
    away = leave.book(ctx.session, list(timely), min(days), max(days))
    out = []
    for pid, (project, at) in timely.items():
        day = ctx.today[pid].isoformat()
        for n in leave.redirect_nudges(found.get(pid, []), away, pid, ctx.today[pid]):
            if n.recipient is None and not n.escalate:
                continue
            skip = "snoozed" if (pid, n.condition) in quiet else None
            out.append(
                Candidate(project, "nudge", f"nudge:{n.condition}:{day}", at, grace_of(project), n, skip)
            )
    return out


def build(ctx: Context, items: list[Item]) -> list[Outgoing]:
    """DMs to owners; escalations to the channel."""
    out = []
    for item in items:
        project = item.candidate.project
        n: nudges.Nudge = item.candidate.data
        text, blocks = nudge_message(project, n, project.language)
        if n.escalate:
            out.append(outgoing(item, text, blocks))
        else:
            out.append(outgoing(item, text, blocks, dm_user=n.recipient))
    return out

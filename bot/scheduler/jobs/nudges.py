"""Risk nudges (kind `nudge`): once a day, an hour after the standup, each condition at most once.

A person gets at most one nudge DM a day from a project (projects nudging at the same time share one): the
conditions of the tick are combined into one message with a line and Snooze / Update buttons per item; each
condition keeps its own ledger row, and a marker row `nudge:dm:<user>:<day>` in each project of the message
records that the day's DM went out, so a condition seen later that day waits for tomorrow. A task blocked for more than two workdays is escalated in the channel, mentioning the pm, at most
once every two workdays. A snoozed condition is recorded as skipped for the day, so it is not picked up
again when the snooze ends later that day.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlmodel import col, select

from bot.scheduler.jobs import Candidate, Context, Item, grace_of, outgoing
from bot.scheduler.posting import Outgoing
from bot.services import leave, nudges
from bot.services.digest import standup_instant
from bot.services.status import calendar_for
from bot.views.scheduler_views import nudge_digest_message
from storage.models import Delivery, Project

KINDS = ("nudge",)
AFTER_STANDUP = timedelta(hours=1)


def dm_key(user_id: str, day: str) -> str:
    """The ledger key marking that a person had the day's nudge DM."""
    return f"nudge:dm:{user_id}:{day}"


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
    found = {pid: leave.redirect_nudges(found.get(pid, []), away, pid, ctx.today[pid]) for pid in timely}
    previous = {
        pid: calendar_for(project).previous_workday(ctx.today[pid]).isoformat()
        for pid, (project, _) in timely.items()
    }
    wanted: set[str] = set()
    for pid in timely:
        day = ctx.today[pid].isoformat()
        for n in found.get(pid, []):
            if n.escalate:
                wanted.add(f"nudge:{n.condition}:{previous[pid]}")
            elif n.recipient is not None:
                wanted.add(dm_key(n.recipient, day))
    done = _posted(ctx, projects, wanted)
    out = []
    for pid, (project, at) in timely.items():
        day = ctx.today[pid].isoformat()
        for n in found.get(pid, []):
            if n.recipient is None and not n.escalate:
                continue
            skip = None
            if (pid, n.condition) in quiet:
                skip = "snoozed"
            elif n.escalate and (pid, f"nudge:{n.condition}:{previous[pid]}") in done:
                skip = f"escalated on {previous[pid]}; at most once every 2 workdays"
            elif not n.escalate and (pid, dm_key(str(n.recipient), day)) in done:
                skip = "the day's DM already went out; tomorrow's will say it"
            out.append(
                Candidate(project, "nudge", f"nudge:{n.condition}:{day}", at, grace_of(project), n, skip)
            )
    return out


def _posted(ctx: Context, projects: list[Project], keys: set[str]) -> set[tuple[int, str]]:
    """(project id, key) of the given nudge keys posted in these projects (one query)."""
    if not keys:
        return set()
    rows = ctx.session.exec(
        select(Delivery.project_id, Delivery.period_key).where(
            col(Delivery.project_id).in_({p.pk for p in projects}),
            Delivery.kind == "nudge",
            col(Delivery.period_key).in_(keys),
            Delivery.status == "posted",
        )
    ).all()
    return {(pid, key) for pid, key in rows}


def build(ctx: Context, items: list[Item]) -> list[Outgoing]:
    """One DM per person with every item of the tick; escalations to the channel, one each."""
    out = []
    dms: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        project = item.candidate.project
        n: nudges.Nudge = item.candidate.data
        if n.escalate:
            text, blocks = nudge_digest_message([(project, n)], project.language)
            out.append(outgoing(item, text, blocks))
        else:
            dms[(project.team_id, str(n.recipient))].append(item)
    for (_, user), group in dms.items():
        first = group[0]
        project = first.candidate.project
        text, blocks = nudge_digest_message(
            [(i.candidate.project, i.candidate.data) for i in group], project.language
        )
        also = [(i.candidate.project.pk, "nudge", i.candidate.key) for i in group[1:]]
        # Every project in the message records that the person had its DM today.
        for pid in dict.fromkeys(i.candidate.project.pk for i in group):
            also.append((pid, "nudge", dm_key(user, ctx.today[pid].isoformat())))
        out.append(outgoing(first, text, blocks, dm_user=user, also=also))
    return out

"""The daily standup digest (kind `standup`) and the DM prompts before it (kind `standup_prompt`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlmodel import col, select

from bot.scheduler.jobs import Candidate, Context, Item, grace_of, outgoing
from bot.scheduler.posting import Outgoing
from bot.services import leave
from bot.services.digest import LOGGING_ROLES, build_digests, standup_instant
from bot.services.status import calendar_for
from bot.views.scheduler_views import digest_blocks, digest_text, prompt_message
from storage.models import Member, Project

KINDS = ("standup", "standup_prompt")


def due(ctx: Context) -> list[Candidate]:
    """Digests (and prompts) of today and yesterday whose time has come."""
    found: list[Candidate] = []
    prompting = [p for p in ctx.projects if p.prompts_enabled]
    members = (
        ctx.session.exec(
            select(Member).where(
                col(Member.project_id).in_([p.pk for p in prompting]), col(Member.role).in_(LOGGING_ROLES)
            )
        ).all()
        if prompting
        else []
    )
    away = leave.book(
        ctx.session,
        [p.pk for p in prompting],
        min(ctx.today.values(), default=ctx.now.date()) - timedelta(days=1),
        max(ctx.today.values(), default=ctx.now.date()),
    )
    logging_members: dict[int, list[Member]] = defaultdict(list)
    for m in members:
        logging_members[m.project_id].append(m)
    for project in ctx.projects:
        cal = calendar_for(project)
        today = ctx.today[project.pk]
        for day in (today - timedelta(days=1), today):
            if not cal.is_workday(day):
                continue
            at = standup_instant(project, day)
            if project.created_at <= at <= ctx.now:
                found.append(
                    Candidate(project, "standup", f"standup:{day.isoformat()}", at, grace_of(project), day)
                )
            if not project.prompts_enabled:
                continue
            ask_at = at - timedelta(minutes=project.prompt_minutes_before)
            if project.created_at <= ask_at <= ctx.now:
                # A prompt is pointless once the digest is out, so its grace ends at the digest.
                grace = timedelta(minutes=project.prompt_minutes_before)
                for m in logging_members.get(project.pk, ()):
                    if not away.is_away(project.pk, m.user_id, day):
                        key = f"standup_prompt:{day.isoformat()}:{m.user_id}"
                        found.append(Candidate(project, "standup_prompt", key, ask_at, grace, m.user_id))
    return found


def build(ctx: Context, items: list[Item]) -> list[Outgoing]:
    """Digests for every due project in one batch; prompts are plain DMs."""
    by_day: dict[date, list[Project]] = defaultdict(list)
    for i in items:
        if i.candidate.kind == "standup":
            by_day[i.candidate.data].append(i.candidate.project)
    built = {
        (pid, day): digest
        for day, projects in by_day.items()
        for pid, digest in build_digests(
            ctx.session, projects, {p.pk: day for p in projects}, until=ctx.now, spend=ctx.spent.get(day)
        ).items()
    }
    out = []
    for item in items:
        project = item.candidate.project
        lang = project.language
        if item.candidate.kind == "standup":
            digest = built[(project.pk, item.candidate.data)]
            out.append(outgoing(item, digest_text(digest, lang), digest_blocks(digest, lang)))
        else:
            text, blocks = prompt_message(project, lang)
            out.append(outgoing(item, text, blocks, dm_user=item.candidate.data))
    return out

"""The App Home tab: the user's projects at a glance, their open tasks, their labor this week."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.services.reports import MAX_HOME_PROJECTS, HomeOverview, HomeProject
from bot.views.catalog import t
from bot.views.format import hours, money
from bot.views.report_views import pct, ratio

LOG8_ACTION = "rep_home_log8"
REVIEW_ACTION = "rep_review_week"
MAX_BLOCKS = 100


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:2990]}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:2990]}]}


def home_lang(overview: HomeOverview) -> str:
    """The language of the user's first project (English without one)."""
    return overview.projects[0].project.language if overview.projects else "en"


def _project_blocks(item: HomeProject, lang: str) -> list[dict[str, Any]]:
    p, st = item.project, item.status
    ev = st.earned
    lines = [
        t(lang, "home.project", name=p.name, code=p.code, channel=p.channel_id, role=item.role),
        t(
            lang,
            "home.status",
            spent=money(st.spent, p.currency),
            bac=money(st.bac, p.currency),
            spent_pct=pct(st.spent_pct_exact, lang),
            pct=pct(ev.pct_complete_exact, lang),
            planned=pct(ev.planned_pct_exact, lang),
            spi=ratio(ev.spi_exact, lang),
            cpi=ratio(ev.cpi_exact, lang),
        ),
        t(
            lang,
            "home.status_extra",
            overdue=len(st.overdue),
            blocked=len(st.blocked),
            risks=len(st.open_risks),
        ),
        t(lang, "home.week", man_hours=hours(item.week_man_hours), entries=item.week_entries),
    ]
    buttons: list[dict[str, Any]] = [
        {
            "type": "button",
            "action_id": LOG8_ACTION,
            "text": {"type": "plain_text", "text": t(lang, "home.log8")},
            "value": str(p.pk),
        }
    ]
    if item.role == "pm":
        buttons.append(
            {
                "type": "button",
                "action_id": REVIEW_ACTION,
                "text": {"type": "plain_text", "text": t(lang, "home.review")},
                "value": str(p.pk),
            }
        )
    return [
        _section("\n".join(lines)),
        {"type": "actions", "block_id": f"rep_home_{p.pk}", "elements": buttons},
    ]


def home_view(overview: HomeOverview, *, now: datetime, notice: str | None = None) -> dict[str, Any]:
    """The Home tab view for views.publish (at most 100 blocks)."""
    lang = home_lang(overview)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": t(lang, "home.title")}}
    ]
    if notice:
        blocks.append(_section(notice))
    if not overview.projects:
        blocks.append(_section(t("en", "home.empty")))
        blocks.append(_section(t("zh", "home.empty")))
        return {"type": "home", "blocks": blocks}
    blocks.append(_section(t(lang, "home.projects")))
    for item in overview.projects:
        blocks.append({"type": "divider"})
        blocks.extend(_project_blocks(item, lang))
    if len(overview.projects) >= MAX_HOME_PROJECTS:
        blocks.append(_context(t(lang, "home.more_projects", count=MAX_HOME_PROJECTS)))
    blocks.append({"type": "divider"})
    blocks.append(_section(t(lang, "home.tasks")))
    if overview.tasks:
        lines = []
        for project, task in overview.tasks:
            status_key = f"home.status.{task.status}"
            lines.append(
                t(
                    lang,
                    "home.task",
                    ref=task.key,
                    title=task.title,
                    progress=task.progress,
                    status=t(lang, status_key)
                    if task.status in ("todo", "in_progress", "blocked")
                    else task.status,
                    due=task.due_date.isoformat() if task.due_date else t(lang, "home.no_due"),
                    project=project.code,
                )
            )
        if overview.more_tasks:
            lines.append(t(lang, "home.more_tasks", count=overview.more_tasks))
        blocks.append(_section("\n".join(lines)))
    else:
        blocks.append(_context(t(lang, "home.no_tasks")))
    tz = overview.projects[0].project.timezone
    blocks.append(
        _context(t(lang, "home.updated", at=now.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")))
    )
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}

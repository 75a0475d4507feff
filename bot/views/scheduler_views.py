"""Block Kit and plain-text fallbacks of the scheduled posts (pure functions of the data)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.services.budget_alerts import BudgetAlert
from bot.services.confidence import EvConfidence
from bot.services.digest import Digest
from bot.services.meetings import Agenda, Decision
from bot.services.nudges import Nudge
from bot.services.status import RiskInfo, TaskInfo
from bot.views import funds_views, leave_views
from bot.views.catalog import t
from bot.views.format import day as fmt_day
from bot.views.format import hours, money, people_count, percent_value, ratio_value
from bot.views.mrkdwn import mention
from bot.views.rows import Meeting, Project

Blocks = list[dict[str, Any]]
MAX_LISTED = 8
# Nudges with their own buttons in one DM (two blocks each, within Slack's 50 blocks a message).
MAX_BUTTONED = 20


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def _users(ids: Iterable[str]) -> str:
    return ", ".join(mention(u) for u in ids)


def _ratio(value: Decimal | None, lang: str) -> str:
    return t(lang, "sched.na") if value is None else str(ratio_value(value))


def _pct(value: Decimal | None, lang: str) -> str:
    return t(lang, "sched.na") if value is None else f"{percent_value(value)}%"


def category_name(category: str, lang: str) -> str:
    """A category in the reader's language (the expense catalog names them)."""
    try:
        return t(lang, f"expense.cat.{category}")
    except KeyError:
        return category


def _tasks(tasks: Iterable[TaskInfo]) -> str:
    items = list(tasks)
    text = ", ".join(
        f"`{x.key}` {x.title}" + (f" ({mention(x.owner)})" if x.owner else "") for x in items[:MAX_LISTED]
    )
    return text + (f" +{len(items) - MAX_LISTED}" if len(items) > MAX_LISTED else "")


def _risks(risks: Iterable[RiskInfo]) -> str:
    return ", ".join(
        f"`{r.key}` {r.title} ({r.probability}×{r.impact}={r.score})" for r in list(risks)[:MAX_LISTED]
    )


def ev_caveat(confidence: EvConfidence | None, lang: str) -> str:
    """The caveat after earned-value figures that rest on few tasks or part of the plan ("" when sound)."""
    if confidence is None or not confidence.low:
        return ""
    reasons = []
    if confidence.few_tasks:
        n = confidence.weighted_tasks
        reasons.append(
            t(lang, "sched.ev.no_task")
            if n == 0
            else t(lang, "sched.ev.task")
            if n == 1
            else t(lang, "sched.ev.tasks", n=n)
        )
    if confidence.partial:
        reasons.append(t(lang, "sched.ev.partial", pct=f"{confidence.coverage:.0f}"))
    return t(lang, "sched.ev.caveat", reasons="; ".join(reasons))


def delayed_note(due_at: datetime, tz: str, lang: str) -> dict[str, Any]:
    """The context line saying the post is late and when it was due."""
    return _context(t(lang, "sched.delayed", due=due_at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")))


def digest_text(digest: Digest, lang: str) -> str:
    """The plain-text fallback of a digest."""
    return t(
        lang,
        "sched.digest.fallback",
        code=digest.code,
        day=digest.day.isoformat(),
        man_hours=hours(digest.man_hours),
        expenses=money(digest.expenses_total, digest.currency),
        changes=len(digest.changes),
    )


def digest_blocks(digest: Digest, lang: str) -> Blocks:
    """The standup digest as Block Kit."""
    cur = digest.currency
    blocks: Blocks = [
        _section(
            t(lang, "sched.digest.title", name=digest.name, code=digest.code, day=fmt_day(digest.day, lang))
        ),
        _context(
            t(lang, "sched.digest.period_one", first=fmt_day(digest.first_day, lang))
            if digest.first_day == digest.last_day
            else t(
                lang,
                "sched.digest.period",
                first=fmt_day(digest.first_day, lang),
                last=fmt_day(digest.last_day, lang),
            )
        ),
    ]
    if digest.nothing_logged:
        blocks.append(_section(t(lang, "sched.digest.nothing")))
    lines: list[str] = []
    if digest.crews:
        # A cost made only of entries without a rate is unknown, never ¥0.00.
        unknown = digest.missing_rate_entries and not digest.labor_cost
        cost = t(lang, "sched.digest.cost_unknown") if unknown else money(digest.labor_cost, cur)
        line = t(lang, "sched.digest.labor", man_hours=hours(digest.man_hours), cost=cost)
        if digest.missing_rate_entries:
            line += t(lang, "sched.digest.labor_missing", n=digest.missing_rate_entries)
        lines.append(line)
        for crew in digest.crews:
            name = crew.name or t(lang, "sched.digest.individuals")
            lines.append(
                t(
                    lang,
                    "sched.digest.crew",
                    name=name,
                    people=people_count(crew.headcount, lang),
                    man_hours=hours(crew.man_hours),
                )
            )
    else:
        lines.append(t(lang, "sched.digest.no_labor"))
    if digest.expenses or digest.expenses_not_counted:
        line = t(lang, "sched.digest.expenses", total=money(digest.expenses_total, cur))
        if digest.expenses_not_counted:
            line += t(lang, "sched.digest.expenses_not_counted", n=digest.expenses_not_counted)
        lines.append(line)
        lines += [
            t(lang, "sched.digest.expense_line", category=category_name(c, lang), amount=money(a, cur))
            for c, a in digest.expenses
        ]
    else:
        lines.append(t(lang, "sched.digest.no_expenses"))
    blocks.append(_section("\n".join(lines)))
    if digest.changes:
        change_lines = [t(lang, "sched.digest.changes")]
        for c in digest.changes:
            if c.status == "done":
                change_lines.append(t(lang, "sched.digest.change_done", tkey=c.key, title=c.title))
            elif c.status == "blocked" and c.new_blocker:
                change_lines.append(
                    t(lang, "sched.digest.change_blocked", tkey=c.key, title=c.title, blocker=c.blocker or "")
                )
            elif c.is_new:
                change_lines.append(
                    t(lang, "sched.digest.change_new", tkey=c.key, title=c.title, after=c.progress_after or 0)
                )
            else:
                change_lines.append(
                    t(
                        lang,
                        "sched.digest.change_progress",
                        tkey=c.key,
                        title=c.title,
                        before=c.progress_before if c.progress_before is not None else 0,
                        after=c.progress_after if c.progress_after is not None else 0,
                    )
                )
        blocks.append(_section("\n".join(change_lines)))
    schedule = []
    if digest.due_today:
        schedule.append(t(lang, "sched.digest.due_today", tasks=_tasks(digest.due_today)))
    if digest.overdue:
        schedule.append(t(lang, "sched.digest.overdue", tasks=_tasks(digest.overdue)))
    st = digest.status
    schedule.append(
        t(
            lang,
            "sched.digest.budget",
            spent=money(st.spent, cur),
            bac=money(st.bac, cur),
            spent_pct=_pct(st.spent_pct_exact, lang),
            pct=percent_value(st.earned.pct_complete_exact),
            planned=percent_value(st.earned.planned_pct_exact),
            cpi=_ratio(st.earned.cpi_exact, lang),
            spi=_ratio(st.earned.spi_exact, lang),
        )
        + ev_caveat(st.confidence, lang)
    )
    for currency, count in sorted(st.spend.not_counted.items()):
        schedule.append(t(lang, "books.not_counted", count=count, currency=currency))
    if digest.top_risks:
        schedule.append(t(lang, "sched.digest.risks", risks=_risks(digest.top_risks)))
    if digest.not_logged:
        schedule.append(t(lang, "sched.digest.not_logged", users=_users(digest.not_logged)))
    if digest.away:
        schedule.append(leave_views.away_line(digest.away, lang))
    if digest.funds is not None:
        schedule.append(funds_views.digest_line(cur, digest.funds.total, lang=lang))
    blocks.append(_section("\n".join(schedule)))
    if digest.answers:
        answer_lines = [t(lang, "sched.digest.answers")]
        answer_lines += [
            t(lang, "sched.digest.answer", user=mention(a.user_id), text=a.text) for a in digest.answers
        ]
        blocks.append(_section("\n".join(answer_lines)))
    return blocks


def prompt_message(project: Project, lang: str) -> tuple[str, Blocks]:
    """The DM asking for yesterday / today / blockers."""
    text = t(lang, "sched.prompt.text", name=project.name, time=project.standup_time)
    return text, [_section(text)]


def nudge_line(project: Project, nudge: Nudge, lang: str) -> str:
    """One nudge as a line of text."""
    task = nudge.task
    if nudge.kind == "shift":
        text = t(lang, "sched.nudge.shift", code=project.code, hours=nudge.hours)
    else:
        assert task is not None
        text = t(
            lang,
            f"sched.nudge.{nudge.kind}",
            tkey=task.key,
            title=task.title,
            due=task.due.isoformat() if task.due else "",
            days=nudge.days,
            progress=task.progress,
            planned=f"{task.planned_pct:.0f}",
            blocker=task.blocker or "",
            pms=_users(nudge.pms) or t(lang, "sched.nudge.nobody"),
            owner=mention(task.owner) if task.owner else t(lang, "sched.nudge.nobody"),
        )
    if nudge.owner_away:
        text = leave_views.owner_away_prefix(nudge.owner_away, lang) + text
    return text


def nudge_digest_message(items: list[tuple[Project, Nudge]], lang: str) -> tuple[str, Blocks]:
    """A person's nudges of the day in one message: a line and Snooze / Update buttons per item."""
    lines: list[str] = []
    blocks: Blocks = []
    codes: list[str] = []
    for n, (project, nudge) in enumerate(items):
        line = nudge_line(project, nudge, lang)
        lines.append(line)
        if n >= MAX_BUTTONED:
            # Slack allows 50 blocks a message: the rest are listed without buttons.
            continue
        blocks.append(_section(line))
        buttons: list[dict[str, Any]] = [
            _button(t(lang, "sched.nudge.snooze"), "sched_snooze", {"p": project.pk, "c": nudge.condition})
        ]
        if nudge.task is not None:
            buttons.append(
                _button(t(lang, "sched.nudge.update"), "sched_update", {"p": project.pk, "k": nudge.task.key})
            )
        blocks.append({"type": "actions", "elements": buttons})
        if project.code not in codes:
            codes.append(project.code)
    if len(lines) > MAX_BUTTONED:
        blocks.append(_section("\n".join(lines[MAX_BUTTONED:])))
    blocks.append(_context(t(lang, "sched.nudge.footer", code=", ".join(codes))))
    return "\n".join(lines), blocks


def _button(label: str, action_id: str, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id,
        "value": json.dumps(value, separators=(",", ":")),
    }


def budget_message(project: Project, alert: BudgetAlert, lang: str) -> tuple[str, Blocks]:
    """A budget alert (the chart follows in its thread)."""
    cur = project.currency
    text = t(
        lang,
        f"sched.budget.{alert.what}",
        name=project.name,
        spent=money(alert.spent, cur),
        budget=money(alert.budget, cur),
        pct=percent_value(alert.pct) if alert.pct is not None else "",
        threshold=alert.threshold,
        category=category_name(alert.category or "", lang),
        eac=money(alert.eac, cur),
        spend=money(alert.day_spend, cur),
        average=money(alert.average, cur),
    ) + ev_caveat(alert.confidence, lang)
    return text, [_section(text)]


def meeting_message(project: Project, agenda: Agenda, lang: str) -> tuple[str, Blocks]:
    """The joint meeting prompt: agenda from the data and the asks to the tech lead and the pm."""
    st = agenda.status
    cur = project.currency
    ev = st.earned
    lines = [
        t(
            lang,
            "sched.meeting.schedule",
            spi=_ratio(ev.spi_exact, lang),
            pct=percent_value(ev.pct_complete_exact),
            planned=percent_value(ev.planned_pct_exact),
            overdue=len(st.overdue),
            blocked=len(st.blocked),
        )
        + ev_caveat(st.confidence, lang),
        t(
            lang,
            "sched.meeting.cost",
            cpi=_ratio(ev.cpi_exact, lang),
            eac=money(ev.eac, cur) if ev.eac is not None else t(lang, "sched.na"),
            bac=money(st.bac, cur),
            spent=money(st.spent, cur),
        )
        + ev_caveat(st.confidence, lang),
        t(lang, "sched.meeting.risks", risks=_risks(st.open_risks))
        if st.open_risks
        else t(lang, "sched.meeting.no_risks"),
    ]
    if agenda.funds is not None:
        lines.append(funds_views.digest_line(cur, agenda.funds.total, lang=lang))
    if agenda.decisions:
        items = [
            _decision(d, lang, cur, agenda)
            + (ev_caveat(st.confidence, lang) if d.what in ("spi", "cpi", "eac") else "")
            for d in agenda.decisions
        ]
        if len(items) > MAX_LISTED:
            items = [*items[:MAX_LISTED], t(lang, "sched.meeting.decision.more", n=len(items) - MAX_LISTED)]
        lines.append(t(lang, "sched.meeting.decisions", items="; ".join(items)))
    else:
        lines.append(t(lang, "sched.meeting.no_decisions"))
    ask = t(
        lang,
        "sched.meeting.ask",
        techs=_users(agenda.techs) or t(lang, "sched.meeting.nobody_tech"),
        pms=_users(agenda.pms) or "pm",
    )
    title = t(lang, "sched.meeting.title", name=project.name, day=fmt_day(agenda.meeting_day, lang))
    blocks = [_section(title), _section("\n".join(lines)), _section(ask)]
    fallback = t(lang, "sched.meeting.fallback", code=project.code, day=agenda.meeting_day.isoformat())
    return fallback, blocks


def _decision(decision: Decision, lang: str, cur: str, agenda: Agenda) -> str:
    """One decision needed, with the role who decides it."""
    figure = "" if decision.figure is None else f"{decision.figure:.2f}"
    if decision.what == "wages":
        assert decision.figure is not None and agenda.funds is not None
        item = t(
            lang,
            "sched.meeting.decision.wages",
            month=decision.subject,
            amount=money(decision.figure, cur),
            balance=money(agenda.funds.total.balance, cur),
        )
    elif decision.what == "line":
        item = t(
            lang,
            "sched.meeting.decision.line",
            category=category_name(decision.subject, lang),
            pct=f"{decision.figure:.0f}" if decision.figure is not None else "",
        )
    else:
        item = t(lang, f"sched.meeting.decision.{decision.what}", tkey=decision.subject, figure=figure)
    return t(lang, "sched.meeting.decision.role", item=item, role=decision.role)


def reminder_message(
    project: Project, meeting: Meeting, techs: list[str], pms: list[str], lang: str
) -> tuple[str, Blocks]:
    """The day-before reminder naming what is still missing."""
    missing = []
    if meeting.tech_assessment is None:
        missing.append(t(lang, "sched.reminder.tech", users=_users(techs) or "tech"))
    if meeting.pm_update is None:
        missing.append(t(lang, "sched.reminder.pm", users=_users(pms) or "pm"))
    text = t(
        lang,
        "sched.reminder.text",
        name=project.name,
        day=fmt_day(meeting.meeting_on, lang),
        missing="; ".join(missing),
    )
    return text, [_section(text)]


def progress_modal(*, project_id: int, task_key: str, progress: int, lang: str) -> dict[str, Any]:
    """The modal the nudge's Update button opens."""
    return {
        "type": "modal",
        "callback_id": "sched_progress",
        "private_metadata": json.dumps({"p": project_id, "k": task_key, "lang": lang}),
        "title": {"type": "plain_text", "text": t(lang, "sched.progress.title")},
        "submit": {"type": "plain_text", "text": t(lang, "sched.progress.submit")},
        "blocks": [
            {
                "type": "input",
                "block_id": "progress",
                "label": {"type": "plain_text", "text": t(lang, "sched.progress.label", tkey=task_key)},
                "element": {
                    "type": "number_input",
                    "action_id": "value",
                    "is_decimal_allowed": False,
                    "min_value": "0",
                    "max_value": "100",
                    "initial_value": str(progress),
                },
            }
        ],
    }

"""Timesheet review: a week's entries by person with totals and the Approve week button."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.services.reports import PersonWeek, Timesheet
from bot.views.catalog import t
from bot.views.format import hours, labor_id, money
from bot.views.mrkdwn import mention
from bot.views.report_views import row_label

APPROVE_ACTION = "rep_approve_week"
# Slack allows 3,000 characters in a section and 50 blocks in a message.
_SECTION_CHARS = 2900
_MAX_SECTIONS = 40
_ENTRIES_SHOWN = 12


def approve_value(project_id: int, week_start: date) -> str:
    """The button value: which project and week to approve."""
    return f"{project_id}:{week_start.isoformat()}"


def parse_approve_value(value: str) -> tuple[int, date] | None:
    """Project id and week start from a button value (None when malformed)."""
    pid, _, week = value.partition(":")
    try:
        return int(pid), date.fromisoformat(week)
    except ValueError:
        return None


def _person_lines(person: PersonWeek, currency: str, lang: str) -> str:
    row = person.totals
    overtime = t(lang, "approval.overtime", hours=hours(row.overtime_hours)) if row.overtime_hours else ""
    missing = t(lang, "approval.missing", count=row.rate_missing) if row.rate_missing else ""
    head = t(
        lang,
        "approval.person",
        who=row_label(row, lang),
        man_hours=hours(row.man_hours),
        man_days=hours(row.man_days),
        overtime=overtime,
        cost=money(row.cost, currency),
        missing=missing,
    )
    shown = [
        t(
            lang,
            "approval.entry",
            id=labor_id(e.number),
            date=e.work_date.strftime("%m-%d"),
            hours=hours(e.man_hours) + (f"×{e.headcount}" if e.headcount > 1 else ""),
        )
        for e in person.entries[:_ENTRIES_SHOWN]
    ]
    more = " …" if len(person.entries) > _ENTRIES_SHOWN else ""
    return head + "\n" + " · ".join(shown) + more


def _sections(texts: list[str]) -> list[dict[str, Any]]:
    """Pack paragraphs into as few sections as fit Slack's per-section limit."""
    sections: list[str] = []
    for text in texts:
        if sections and len(sections[-1]) + len(text) + 2 <= _SECTION_CHARS:
            sections[-1] += "\n\n" + text
        else:
            sections.append(text[:_SECTION_CHARS])
    return [{"type": "section", "text": {"type": "mrkdwn", "text": s}} for s in sections[:_MAX_SECTIONS]]


def timesheet_blocks(sheet: Timesheet, lang: str, *, can_approve: bool) -> list[dict[str, Any]]:
    """The week by person, totals, and either the approval note or the Approve week button."""
    project = sheet.project
    week = sheet.week_start.isoformat()
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": t(lang, "approval.title", project=project.code, week=week)},
        }
    ]
    if not sheet.people:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": t(lang, "approval.empty", week=week)}}
        )
    else:
        blocks.append({"type": "divider"})
        blocks.extend(_sections([_person_lines(p, project.currency, lang) for p in sheet.people]))
        total = sheet.total
        blocks.append({"type": "divider"})
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": t(
                        lang,
                        "approval.total",
                        entries=total.entries,
                        man_hours=hours(total.man_hours),
                        man_days=hours(total.man_days),
                        cost=money(total.cost, project.currency),
                    ),
                },
            }
        )
    if sheet.approval is not None:
        at = sheet.approval.approved_at.astimezone(ZoneInfo(project.timezone)).strftime("%Y-%m-%d %H:%M")
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": t(lang, "approval.approved", user=sheet.approval.approved_by, at=at),
                    }
                ],
            }
        )
    elif can_approve:
        blocks.append(
            {
                "type": "actions",
                "block_id": "rep_approval",
                "elements": [
                    {
                        "type": "button",
                        "action_id": APPROVE_ACTION,
                        "style": "primary",
                        "text": {"type": "plain_text", "text": t(lang, "approval.approve")},
                        "value": approve_value(project.pk, sheet.week_start),
                        "confirm": {
                            "title": {"type": "plain_text", "text": t(lang, "approval.confirm_title")},
                            "text": {"type": "mrkdwn", "text": t(lang, "approval.confirm_text", week=week)},
                            "confirm": {"type": "plain_text", "text": t(lang, "approval.confirm_yes")},
                            "deny": {"type": "plain_text", "text": t(lang, "approval.cancel")},
                        },
                    }
                ],
            }
        )
    return blocks


def timesheet_text(sheet: Timesheet, lang: str) -> str:
    """The notification text of the timesheet message."""
    return t(lang, "approval.title", project=sheet.project.code, week=sheet.week_start.isoformat())


def timesheet_modal(sheet: Timesheet, lang: str, *, can_approve: bool) -> dict[str, Any]:
    """The timesheet in a modal, opened from App Home."""
    return {
        "type": "modal",
        "callback_id": "rep_timesheet",
        "title": {"type": "plain_text", "text": t(lang, "approval.modal_title")[:24]},
        "close": {"type": "plain_text", "text": t(lang, "approval.close")},
        "private_metadata": approve_value(sheet.project.pk, sheet.week_start),
        "blocks": timesheet_blocks(sheet, lang, can_approve=can_approve),
    }


def approved_text(sheet: Timesheet, lang: str, *, user: str, count: int) -> str:
    """The confirmation that a week was approved and locked."""
    return t(
        lang,
        "approval.done",
        week=sheet.week_start.isoformat(),
        project=sheet.project.code,
        user=user,
        count=count,
    )


def already_text(sheet: Timesheet, lang: str) -> str:
    """The answer to a second click: the week was approved before."""
    user = sheet.approval.approved_by if sheet.approval else ""
    return t(
        lang, "approval.already", week=sheet.week_start.isoformat(), project=sheet.project.code, user=user
    )


def not_pm_text(lang: str, *, have: str, pms: list[str]) -> str:
    """The refusal for a non-pm, naming who can approve."""
    names = ", ".join(mention(u) for u in pms) if pms else t(lang, "approval.no_pm")
    return t(lang, "approval.not_pm", have=have, pms=names)

"""Replies about projects."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from bot.views.catalog import t
from bot.views.format import fx_rate, money
from bot.views.mrkdwn import mention
from bot.views.rows import BudgetLine, Crew, FxRate, Member, PayRate, Project, Worker


def created_text(project: Project, user_id: str) -> str:
    """The announcement that the channel now has a project."""
    lang = project.language
    return t(
        lang,
        "project.created",
        name=project.name,
        code=project.code,
        user=mention(user_id),
        budget=money(project.budget, project.currency),
        tz=project.timezone,
        standup=project.standup_time,
    )


_WEEKDAY_NAMES = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "zh": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
}
_ROLE_NAMES = {
    "en": {"pm": "pm", "tech": "tech", "foreman": "foreman", "member": "member"},
    "zh": {"pm": "项目经理", "tech": "技术负责人", "foreman": "班组长", "member": "成员"},
}


def _plain(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _setting_value(key: str, value: Any, project: Project, lang: str) -> str:
    """A setting's value as a user would write it: weekday names, money, on/off."""
    names = _WEEKDAY_NAMES["zh" if lang == "zh" else "en"]
    if value is None:
        return "—"
    if key == "workdays":
        return ",".join(names[int(d)] for d in str(value).split(",") if d != "")
    if key == "meeting_weekday":
        return names[int(value)]
    if key == "budget":
        return money(Decimal(value), project.currency)
    if isinstance(value, bool):
        return t(lang, "project.on" if value else "project.off")
    return _plain(value)


def set_text(before: dict[str, Any], project: Project, *, lang: str) -> str:
    """What a `/project set` changed, field by field, in the user's words."""
    changes = "; ".join(
        t(
            lang,
            "project.change",
            field=t(lang, f"project.field.{key}"),
            before=_setting_value(key, before[key], project, lang),
            after=_setting_value(key, getattr(project, key), project, lang),
        )
        for key in before
        if before[key] != getattr(project, key)
    )
    return t(lang, "project.set_ok", changes=changes or t(lang, "project.unchanged"))


def budget_line_text(line: BudgetLine, project: Project, *, lang: str) -> str:
    return t(
        lang,
        "project.budget_line_ok",
        category=t(lang, f"expense.cat.{line.category}"),
        amount=money(line.amount, project.currency),
    )


def role_name(role: str, lang: str) -> str:
    return _ROLE_NAMES["zh" if lang == "zh" else "en"].get(role, role)


def role_text(member: Member, project: Project, *, lang: str) -> str:
    return t(
        lang, "project.role_ok", user=member.user_id, role=role_name(member.role, lang), project=project.code
    )


def _rate(holder: Crew | Worker, project: Project, lang: str) -> str:
    if holder.rate is None or not holder.rate_unit:
        return ""
    unit = t(lang, f"project.unit.{holder.rate_unit}")
    return t(lang, "project.rate", amount=money(holder.rate, project.currency), unit=unit)


def crew_text(crew: Crew, project: Project, *, lang: str) -> str:
    lead = t(lang, "project.lead", user=crew.lead_user_id) if crew.lead_user_id else ""
    return t(lang, "project.crew_ok", name=crew.name, rate=_rate(crew, project, lang), lead=lead)


def worker_text(worker: Worker, crew: str | None, project: Project, *, lang: str) -> str:
    in_crew = t(lang, "project.in_crew", crew=crew) if crew else ""
    return t(lang, "project.worker_ok", name=worker.name, crew=in_crew, rate=_rate(worker, project, lang))


def status_text(status: Any, *, lang: str) -> str:
    """The `/project status` summary."""
    p: Project = status.project
    lines = "".join(
        " · "
        + t(
            lang,
            "project.status_line",
            category=t(lang, f"expense.cat.{b.category}"),
            amount=money(b.amount, p.currency),
        )
        for b in status.budget_lines
    )
    groups = [
        f"{role_name(role, lang)}: " + ", ".join(mention(u) for u in users)
        for role, users in status.members.items()
        if users
    ]
    names = _WEEKDAY_NAMES["zh" if lang == "zh" else "en"]
    workdays = ",".join(names[int(d)] for d in p.workdays.split(",") if d != "")
    return t(
        lang,
        "project.status",
        name=p.name,
        code=p.code,
        tz=p.timezone,
        language=p.language,
        currency=p.currency,
        budget=money(p.budget, p.currency),
        lines=lines,
        members=" · ".join(groups) or t(lang, "project.no_members"),
        crews=status.crews,
        workers=status.workers,
        standup=p.standup_time,
        workdays=workdays,
        holidays=t(lang, "project.holidays", country=p.holidays_country) if p.holidays_country else "",
        hours=_plain(Decimal(p.hours_per_day)),
        overtime=_plain(Decimal(p.overtime_multiplier)),
        every=p.meeting_every_weeks,
        weekday=names[p.meeting_weekday % 7],
        meeting=p.meeting_time,
        thresholds=p.thresholds,
        stale=p.stale_days,
        tolerance=p.tolerance,
        prompts=t(lang, "project.on" if p.prompts_enabled else "project.off"),
        start=_plain(p.start_date),
        end=_plain(p.end_date),
    ) + lines_warning(sum((Decimal(b.amount) for b in status.budget_lines), Decimal(0)), p, lang=lang)


def lines_warning(lines_total: Decimal | None, project: Project, *, lang: str) -> str:
    """A new line warning that the budget lines add up to more than the total budget, else ''."""
    total = Decimal(project.budget)
    if lines_total is None or lines_total <= total:
        return ""
    return "\n" + t(
        lang,
        "books.lines_over_total",
        lines=money(lines_total, project.currency),
        total=money(total, project.currency),
        over=money(lines_total - total, project.currency),
    )


def _since(day: date | None, lang: str) -> str:
    return t(lang, "books.since", date=day.isoformat()) if day else t(lang, "books.since_always")


def rate_text(row: PayRate, project: Project, *, lang: str, name: str | None = None) -> str:
    """The reply to `/project rate` (and to a crew's or worker's rate `from <date>`)."""
    if row.subject_kind == "user":
        who = mention(row.subject)
    elif row.subject_kind == "role":
        who = t(
            lang,
            "books.role_default",
            role=_ROLE_NAMES["zh" if lang == "zh" else "en"].get(row.subject, row.subject),
        )
    else:
        who = f"*{name or row.subject}*"
    return t(
        lang,
        "books.rate_ok",
        who=who,
        amount=money(row.amount, project.currency),
        unit=t(lang, f"project.unit.{row.unit}"),
        since=_since(row.effective_from, lang),
    )


def fx_text(row: FxRate, project: Project, *, lang: str) -> str:
    """The reply to `/project fx`."""
    return t(
        lang,
        "books.fx_ok",
        currency=row.currency,
        rate=fx_rate(row.rate),
        project_currency=project.currency,
        since=_since(row.effective_from, lang),
    )

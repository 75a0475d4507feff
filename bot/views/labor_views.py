"""Replies about labor entries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.views.catalog import t
from bot.views.format import day, hours, labor_id, money
from bot.views.mrkdwn import mention
from bot.views.rows import LaborEntry, Project, Shift


def zone(project: Project) -> ZoneInfo:
    return ZoneInfo(project.timezone)


def who_text(
    entry: LaborEntry, *, lang: str, actor: str, workers: Mapping[int, str], crews: Mapping[int, str]
) -> str:
    """Who an entry covers: you / <@U…> / 张三 / 钢筋班 ×5."""
    if entry.user_id:
        return t(lang, "labor.you") if entry.user_id == actor else mention(entry.user_id)
    if entry.worker_id:
        return workers.get(entry.worker_id, "?")
    crew = crews.get(entry.crew_id, "") if entry.crew_id else t(lang, "labor.people")
    return f"{crew} ×{entry.headcount}"


@dataclass(frozen=True)
class Names:
    """Worker and crew names by id, resolved before rendering."""

    workers: Mapping[int, str] = field(default_factory=dict)
    crews: Mapping[int, str] = field(default_factory=dict)


def entry_line(
    entry: LaborEntry, *, lang: str, actor: str, workers: Mapping[int, str], crews: Mapping[int, str]
) -> str:
    """One stored entry: id, who, date, hours, cost."""
    cost = money(entry.cost, entry.currency) if entry.cost is not None else t(lang, "labor.rate_missing")
    overtime = t(lang, "labor.overtime", hours=hours(entry.overtime_hours)) if entry.overtime_hours else ""
    return t(
        lang,
        "labor.line",
        id=labor_id(entry.number),
        who=who_text(entry, lang=lang, actor=actor, workers=workers, crews=crews),
        date=day(entry.work_date, lang),
        hours=hours(entry.hours_each),
        man_hours=hours(entry.man_hours),
        overtime=overtime,
        cost=cost,
    )


def logged_text(project: Project, rows: Sequence[LaborEntry], *, lang: str, actor: str, names: Names) -> str:
    """The confirmation of what was stored."""
    workers, crews = names.workers, names.crews
    lines = [entry_line(r, lang=lang, actor=actor, workers=workers, crews=crews) for r in rows]
    return t(lang, "labor.logged", project=project.code) + "\n" + "\n".join(lines)


def voided_text(rows: Sequence[LaborEntry], *, lang: str) -> str:
    """The confirmation of a void or undo."""
    return t(lang, "labor.voided", ids=", ".join(f"`{labor_id(r.number)}`" for r in rows))


def edited_text(entry: LaborEntry, *, lang: str, actor: str, names: Names) -> str:
    """The confirmation of an edit, showing the entry as now stored."""
    workers, crews = names.workers, names.crews
    return (
        t(lang, "labor.edited")
        + "\n"
        + entry_line(entry, lang=lang, actor=actor, workers=workers, crews=crews)
    )


def approved_text(week: date, count: int, *, lang: str) -> str:
    """The confirmation of a week approval."""
    return t(lang, "labor.approved", week=day(week, lang), count=count)


def reopened_text(week: date, count: int, *, lang: str) -> str:
    """The confirmation of a week reopened."""
    return t(lang, "labor.reopened", week=week.isoformat(), count=count)


def clock_in_text(project: Project, shift: Shift, *, lang: str, actor: str) -> str:
    """The confirmation of a clock-in."""
    local = shift.started_at.astimezone(zone(project))
    who = "" if shift.user_id == actor else t(lang, "clock.for", user=shift.user_id)
    return t(lang, "clock.in_ok", time=local.strftime("%Y-%m-%d %H:%M"), who=who)


def clock_out_text(project: Project, entry: LaborEntry, *, lang: str, actor: str, names: Names) -> str:
    """The confirmation of a clock-out and the entry it became."""
    workers, crews = names.workers, names.crews
    return (
        t(lang, "clock.out_ok")
        + "\n"
        + entry_line(entry, lang=lang, actor=actor, workers=workers, crews=crews)
    )


def list_text(
    project: Project, rows: Sequence[LaborEntry], *, lang: str, actor: str, period: str, names: Names
) -> str:
    """Entries of a period with totals (man-hours, overtime, known cost, entries missing a rate)."""
    if not rows:
        return t(lang, "labor.list_empty", period=period)
    workers, crews = names.workers, names.crews
    lines = [t(lang, "labor.list_header", project=project.code, period=period, count=len(rows))]
    lines += [entry_line(r, lang=lang, actor=actor, workers=workers, crews=crews) for r in rows]
    man_hours = sum((Decimal(r.man_hours) for r in rows), Decimal(0))
    overtime = sum((Decimal(r.overtime_hours) for r in rows), Decimal(0))
    cost = sum((Decimal(r.cost) for r in rows if r.cost is not None), Decimal(0))
    missing = sum(1 for r in rows if r.cost is None)
    lines.append(
        t(
            lang,
            "labor.list_total",
            man_hours=hours(man_hours),
            overtime=t(lang, "labor.overtime", hours=hours(overtime)) if overtime else "",
            cost=money(cost, project.currency),
            missing=t(lang, "labor.list_missing", count=missing) if missing else "",
        )
    )
    return "\n".join(lines)


def long_day_warnings(found: list[tuple[str, date, Decimal]], *, lang: str) -> str:
    """Warnings for people whose day passes 12 h (an empty string when none does)."""
    return "".join(
        "\n" + t(lang, "labor.long_day", who=who, date=day, hours=hours(total)) for who, day, total in found
    )

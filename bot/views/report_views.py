"""/report answers: the labor summary table, cost, schedule and risks, as Slack text (and CSV when long)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.parsing.report_command import Period
from bot.reports.writers import Column, display_width, write_csv
from bot.services.reports import CostReport, LaborRow, LaborSummary
from bot.services.status import ProjectStatus
from bot.views.catalog import t
from bot.views.format import day, hours, money, percent, percent_value
from bot.views.format import ratio as format_ratio
from bot.views.mrkdwn import mention

# Slack shows up to 40,000 characters, but a table past ~40 rows or 3,000 characters is unreadable in a
# message; it goes out as a CSV file with a summary line instead.
MAX_TABLE_ROWS = 40
MAX_TABLE_CHARS = 3000


def pct(value: Decimal | None, lang: str) -> str:
    """12.5% or n/a (rounded once, in bot.views.format)."""
    return percent(value, lang)


def ratio(value: Decimal | None, lang: str) -> str:
    """0.95 or n/a (rounded once, in bot.views.format)."""
    return format_ratio(value, lang)


def period_name(period: Period, lang: str) -> str:
    """this week / 本周 / 2026-11-01 to 2026-11-15."""
    start = period.start.isoformat() if period.start else ""
    return t(lang, f"report.period.{period.name}", start=start, end=period.end.isoformat())


def row_label(row: LaborRow, lang: str) -> str:
    """Who (or which crew, or which day) a summary row stands for."""
    if row.kind == "user":
        return mention(row.name)
    if row.kind == "people":
        return t(lang, "report.people")
    if row.kind == "none":
        return t(lang, "report.no_crew")
    return row.name


def _cost(row: LaborRow, currency: str) -> str:
    text = money(row.cost, currency)
    return f"{text}*" if row.rate_missing else text


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def _table(header: list[str], rows: list[list[str]]) -> str:
    """A monospace table with numbers right-aligned; Chinese characters count two columns wide."""
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for r in [header, *rows]:
        cells = [_pad(cell, widths[i], right=i > 0) for i, cell in enumerate(r)]
        lines.append("  ".join(cells).rstrip())
    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    return "\n".join([lines[0], rule, *lines[1:-1], rule, lines[-1]])


def _first_column(summary: LaborSummary, lang: str) -> str:
    return t(
        lang,
        {"worker": "report.col.who", "crew": "report.col.crew", "day": "report.col.day"}[summary.group_by],
    )


def _cells(row: LaborRow, summary: LaborSummary, lang: str, label: str) -> list[str]:
    return [
        label,
        str(row.days),
        str(row.headcount),
        hours(row.man_days),
        hours(row.man_hours),
        hours(row.overtime_hours),
        _cost(row, summary.project.currency),
    ]


def _label(row: LaborRow, summary: LaborSummary, lang: str) -> str:
    if row.kind == "day":
        return day(date.fromisoformat(row.name), lang)
    # Mentions do not render inside a code block; the table shows the raw id readably.
    return row.name if row.kind == "user" else row_label(row, lang)


def labor_table(summary: LaborSummary, lang: str) -> str:
    """The summary as a monospace table with a totals row."""
    header = [
        _first_column(summary, lang),
        t(lang, "report.col.days"),
        t(lang, "report.col.people"),
        t(lang, "report.col.man_days"),
        t(lang, "report.col.man_hours"),
        t(lang, "report.col.overtime"),
        t(lang, "report.col.cost"),
    ]
    body = [_cells(r, summary, lang, _label(r, summary, lang)) for r in summary.rows]
    body.append(_cells(summary.total, summary, lang, t(lang, "report.total")))
    return _table(header, body)


def _title_params(summary: LaborSummary, lang: str) -> dict[str, str]:
    return {
        "project": summary.project.code,
        "period": period_name(summary.period, lang),
        "range": summary.period.label(),
    }


def labor_text(summary: LaborSummary, lang: str) -> str:
    """The 点工汇总 as a message: title, table, notes."""
    params = _title_params(summary, lang)
    if not summary.rows:
        return t(lang, "report.labor.empty", **params)
    group = t(lang, f"report.labor.group.{summary.group_by}")
    lines = [
        t(lang, "report.labor.title", group=group, **params),
        "```\n" + labor_table(summary, lang) + "\n```",
        t(lang, "report.labor.notes", hpd=hours(summary.project.hours_per_day)),
    ]
    if summary.total.rate_missing:
        lines.append(t(lang, "report.rate_missing", count=summary.total.rate_missing))
    return "\n".join(lines)


def labor_too_long(summary: LaborSummary, text: str) -> bool:
    """Whether the summary should go out as a file rather than a message."""
    return len(summary.rows) > MAX_TABLE_ROWS or len(text) > MAX_TABLE_CHARS


def labor_file_text(summary: LaborSummary, lang: str) -> str:
    """The message that goes with a summary too long to show: the totals only."""
    total = summary.total
    text = t(
        lang,
        "report.labor.as_file",
        rows=len(summary.rows),
        man_hours=hours(total.man_hours),
        man_days=hours(total.man_days),
        overtime=hours(total.overtime_hours),
        cost=money(total.cost, summary.project.currency),
        **_title_params(summary, lang),
    )
    if total.rate_missing:
        text += "\n" + t(lang, "report.rate_missing", count=total.rate_missing)
    return text


SUMMARY_COLUMNS = (
    Column("name", "Name", "str"),
    Column("days", "Days", "int"),
    Column("headcount", "Headcount", "int"),
    Column("man_days", "Man-days", "decimal"),
    Column("man_hours", "Man-hours", "decimal"),
    Column("overtime_hours", "Overtime hours", "decimal"),
    Column("cost", "Cost", "decimal"),
    Column("rate_missing", "Rate missing", "int"),
    Column("currency", "Currency", "str"),
)


def labor_csv(summary: LaborSummary, lang: str) -> bytes:
    """The summary as CSV (UTF-8 with BOM), totals as the last row."""

    def record(row: LaborRow, name: str) -> dict[str, object]:
        return {
            "name": name,
            "days": row.days,
            "headcount": row.headcount,
            "man_days": row.man_days,
            "man_hours": row.man_hours,
            "overtime_hours": row.overtime_hours,
            "cost": row.cost,
            "rate_missing": row.rate_missing,
            "currency": summary.project.currency,
        }

    rows = [record(r, _label(r, summary, lang)) for r in summary.rows]
    rows.append(record(summary.total, t(lang, "report.total")))
    return write_csv(SUMMARY_COLUMNS, rows)


def category_name(category: str, lang: str) -> str:
    key = f"report.category.{category}"
    try:
        return t(lang, key)
    except KeyError:
        return category


def cost_text(report: CostReport, lang: str) -> str:
    """Cost by category in the period and to date, against budget lines and BAC."""
    cur = report.project.currency
    lines = [
        t(
            lang,
            "report.cost.title",
            project=report.project.code,
            period=period_name(report.period, lang),
            range=report.period.label(),
        )
    ]
    if not report.lines:
        lines.append(t(lang, "report.cost.none"))
    for line in report.lines:
        params = {
            "category": category_name(line.category, lang),
            "period_spent": money(line.period_spent, cur),
            "spent": money(line.spent, cur),
        }
        if line.budget is None:
            lines.append(t(lang, "report.cost.line_nobudget", **params))
        else:
            lines.append(
                t(lang, "report.cost.line", budget=money(line.budget, cur), pct=pct(line.pct, lang), **params)
            )
    lines.append(
        t(
            lang,
            "report.cost.total",
            period_total=money(report.period_total, cur),
            spent=money(report.spent, cur),
            bac=money(report.bac, cur),
            pct=pct(report.bac_pct, lang),
        )
    )
    if report.rate_missing:
        lines.append(t(lang, "report.rate_missing", count=report.rate_missing))
    for currency, count in sorted(report.not_counted.items()):
        lines.append(t(lang, "books.not_counted", count=count, currency=currency))
    return "\n".join(lines)


def _owner(user: str | None, lang: str) -> str:
    return t(lang, "report.owner", user=user) if user else ""


def schedule_text(st: ProjectStatus, lang: str) -> str:
    """% complete, plan, SPI/CPI and the late and blocked tasks."""
    ev = st.earned
    cur = st.currency
    lines = [
        t(lang, "report.schedule.title", project=st.code, date=day(st.on, lang)),
        t(
            lang,
            "report.schedule.body",
            pct=pct(ev.pct_complete_exact, lang),
            planned=pct(ev.planned_pct_exact, lang),
            spi=ratio(ev.spi_exact, lang),
            cpi=ratio(ev.cpi_exact, lang),
            ev=money(ev.ev, cur),
            pv=money(ev.pv, cur),
            ac=money(ev.ac, cur),
            eac=money(ev.eac, cur) if ev.eac is not None else t(lang, "report.na"),
        ),
    ]
    if st.overdue:
        lines.append(t(lang, "report.schedule.overdue", count=len(st.overdue)))
        for task in st.overdue[:20]:
            lines.append(
                t(
                    lang,
                    "report.schedule.task",
                    ref=task.key,
                    title=task.title,
                    progress=task.progress,
                    planned=percent_value(task.planned_pct),
                    due=task.due.isoformat() if task.due else "—",
                    owner=_owner(task.owner, lang),
                )
            )
    if st.blocked:
        lines.append(t(lang, "report.schedule.blocked", count=len(st.blocked)))
        for task in st.blocked[:20]:
            lines.append(
                t(
                    lang,
                    "report.schedule.blocked_task",
                    ref=task.key,
                    title=task.title,
                    blocker=task.blocker or "—",
                    owner=_owner(task.owner, lang),
                )
            )
    if not st.overdue and not st.blocked:
        lines.append(t(lang, "report.schedule.none_late"))
    return "\n".join(lines)


def risks_text(st: ProjectStatus, lang: str) -> str:
    """Open risks, highest score (probability × impact) first."""
    if not st.open_risks:
        return t(lang, "report.risks.none", project=st.code)
    lines = [t(lang, "report.risks.title", project=st.code, count=len(st.open_risks))]
    for risk in st.open_risks[:30]:
        kind = t(lang, f"report.risk.{risk.kind}") if risk.kind in ("tech", "management") else risk.kind
        lines.append(
            t(
                lang,
                "report.risks.line",
                ref=risk.key,
                score=risk.score,
                p=risk.probability,
                i=risk.impact,
                title=risk.title,
                kind=kind,
                owner=_owner(risk.owner, lang),
            )
        )
    return "\n".join(lines)

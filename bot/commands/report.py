"""/report: labor summary, cost, schedule, risks and timesheets answered at once; files, charts and the
daily log (bot/commands/daily_report) after."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from bot.app import Services
from bot.commands import daily_report
from bot.commands.core import Ctx, Decision, Upload, Who
from bot.commands.router import Handler, Route
from bot.parsing.daily_command import REPORT_WORDS
from bot.parsing.report_command import Period, ReportRequest, ReportSyntaxError, parse_report
from bot.reports import charts, exports, series
from bot.reports.wage_sheet import wage_sheet_xlsx
from bot.services import digest, funds, profiles, reports, status, wages
from bot.services.errors import InvalidInput
from bot.views import approval_views, funds_views, report_views, scheduler_views, wage_views
from bot.views.catalog import t
from bot.views.mrkdwn import mention
from storage.models import Project


def _request(project: Project, text: str, services: Services) -> ReportRequest:
    try:
        return parse_report(text, now=services.clock(), tz=project.timezone)
    except ReportSyntaxError as exc:
        raise InvalidInput(exc.key, **exc.params) from exc


def _file_range(period: Period) -> str:
    if period.start is None:
        return f"to-{period.end.isoformat()}"
    return f"{period.start.isoformat()}_{period.end.isoformat()}"


def answer(ctx: Ctx) -> Decision:
    """The reply a /report text gets at once (files and charts only announce themselves)."""
    session, services, project, lang = ctx.session, ctx.services, ctx.proj, ctx.lang
    req = _request(project, ctx.rest, services)
    today = status.calendar_for(project).local_date(services.clock())
    if req.kind == "help":
        return Decision(t(lang, "report.help"))
    if req.kind == "labor":
        assert req.period is not None
        summary = reports.labor_summary(session, project=project, period=req.period, group_by=req.group_by)
        body = report_views.labor_text(summary, lang)
        if report_views.labor_too_long(summary, body):
            return Decision(report_views.labor_file_text(summary, lang))
        return Decision(body)
    if req.kind == "cost":
        assert req.period is not None
        return Decision(
            report_views.cost_text(reports.cost_report(session, project=project, period=req.period), lang)
        )
    if req.kind in ("schedule", "risks"):
        st = status.project_status(session, project=project, on=today)
        return Decision(
            report_views.schedule_text(st, lang)
            if req.kind == "schedule"
            else report_views.risks_text(st, lang)
        )
    if req.kind == "timesheet":
        assert req.day is not None
        sheet = reports.timesheet(session, project=project, week_start=reports.week_of(req.day))
        # The button is shown to everyone who asks: a click by a non-pm is refused with the pm's name.
        blocks = approval_views.timesheet_blocks(sheet, lang, can_approve=True)
        return Decision(approval_views.timesheet_text(sheet, lang), blocks=blocks)
    if req.kind == "standup":
        found = digest.build_digest(session, project=project, day=today, until=services.clock())
        blocks = scheduler_views.digest_blocks(found, lang)
        return Decision(scheduler_views.digest_text(found, lang), blocks=blocks, public=True)
    if req.kind == "wages":
        assert req.month is not None
        if req.confirm:
            wage_sheet = wages.send_for_confirmation(
                session, project=project, actor=ctx.user, is_admin=ctx.is_admin, month=req.month
            )
            return Decision(
                t(lang, "wages.preparing", month=req.month)
                + "\n"
                + wage_views.sheet_text(wage_sheet, lang=lang)
            )
        wage_sheet = wages.wage_sheet(session, project=project, month=req.month)
        return Decision(wage_views.sheet_text(wage_sheet, lang=lang) + "\n" + t(lang, "wages.file_note"))
    if req.kind == "funds":
        if req.month is not None:
            start, end = wages.month_bounds(req.month)
            label = req.month
        else:
            start, end, label = None, today, t(lang, "funds.total")
        months, total = funds.flows_by_month(session, project=project, start=start, end=end)
        return Decision(funds_views.report_text(project, months, total, lang=lang, period=label))
    if req.kind == "export":
        kind = t(lang, f"report.export.kind.{req.export_kind}")
        return Decision(
            t(lang, "report.preparing", what=t(lang, "report.export.what", kind=kind, fmt=req.fmt))
        )
    chart = t(lang, f"report.chart.{req.chart}")
    return Decision(t(lang, "report.preparing", what=t(lang, "report.chart.what", chart=chart)))


def build_upload(
    session: Session, services: Services, who: Who, project: Project, req: ReportRequest, lang: str
) -> Upload | None:
    """The file a request puts in the channel: an export, a chart, or a labor summary too long to show."""
    today = status.calendar_for(project).local_date(services.clock())
    code = project.code
    if req.kind == "export":
        assert req.period is not None and req.export_kind is not None
        data = exports.run_export(
            session,
            kind=req.export_kind,
            project_code=code,
            date_from=req.period.start,
            date_to=req.period.end,
            fmt=req.fmt,
            team_id=project.team_id,
        )
        kind = t(lang, f"report.export.kind.{req.export_kind}")
        name = f"{code}-{req.export_kind}-{_file_range(req.period)}.{req.fmt}"
        comment = t(
            lang,
            "report.export.comment",
            kind=kind,
            project=code,
            range=req.period.label(),
            fmt=req.fmt.upper(),
            user=who.user_id,
        )
        return Upload(data, name, name, comment)
    if req.kind == "wages":
        assert req.month is not None
        sheet = wages.wage_sheet(session, project=project, month=req.month)
        names = profiles.stored_names(
            session, team_id=project.team_id, users=[ln.user_id for ln in sheet.lines]
        )
        data = wage_sheet_xlsx(sheet, lang=lang, names=names)
        name = f"{code}-wages-{req.month}.xlsx"
        comment = t(lang, "wages.file_comment", project=code, month=req.month, user=mention(who.user_id))
        return Upload(data, name, name, comment)
    if req.kind == "chart":
        chart = req.chart or "burn"
        title = t(lang, f"report.chart.{chart}_title", project=f"{project.name} ({code})")
        if chart == "funds":
            dates, money_in, money_out = funds.cumulative(session, project=project, today=today)
            png = charts.funds_chart(
                dates=dates,
                money_in=money_in,
                money_out=money_out,
                labels=(t(lang, "report.chart.funds_in"), t(lang, "report.chart.funds_out")),
                lang=lang,
                title=title,
            )
        elif chart == "burn":
            burn = series.burn_series(session, project=project, today=today)
            png = charts.burn_chart(
                dates=burn.dates,
                actual=burn.actual,
                planned=burn.planned,
                bac=burn.bac or None,
                lang=lang,
                title=title,
            )
        elif chart == "scurve":
            curve = series.scurve_series(session, project=project, today=today)
            png = charts.scurve_chart(
                dates=curve.dates,
                actual_pct=curve.actual_pct,
                planned_pct=curve.planned_pct,
                lang=lang,
                title=title,
            )
        else:
            labor = series.labor_series(
                session, project=project, today=today, others=t(lang, "report.chart.others")
            )
            png = charts.labor_chart(dates=labor.dates, series=labor.by_crew, lang=lang, title=title)
        name = f"{code}-{chart}-{today.isoformat()}.png"
        comment = t(
            lang,
            "report.chart.comment",
            chart=t(lang, f"report.chart.{chart}"),
            project=code,
            user=who.user_id,
        )
        return Upload(png, name, title, comment)
    if req.kind == "labor":
        assert req.period is not None
        summary = reports.labor_summary(session, project=project, period=req.period, group_by=req.group_by)
        if not report_views.labor_too_long(summary, report_views.labor_text(summary, lang)):
            return None
        name = f"{code}-labor-summary-{req.group_by}-{_file_range(req.period)}.csv"
        comment = t(lang, "report.labor.file_comment", project=code, range=req.period.label())
        return Upload(report_views.labor_csv(summary, lang), name, name, comment)
    return None


@dataclass(frozen=True)
class Confirmation:
    """What `/report wages <month> confirm` sends once the reply is acked: the channel post and the DMs."""

    project_id: int
    month: str
    post: str
    dms: list[tuple[str, str, list[dict[str, Any]]]]  # (user, text, blocks)


def confirmation(session: Session, project: Project, req: ReportRequest, lang: str) -> Confirmation | None:
    """The sheet's channel post and one DM per Slack user not yet confirmed (read before any Slack call)."""
    assert req.month is not None
    sheet = wages.wage_sheet(session, project=project, month=req.month)
    if not sheet.sent:
        return None
    users = [ln for ln in sheet.lines if ln.user_id and ln.status != "confirmed"]
    dms = []
    for line in users:
        assert line.user_id is not None
        text, blocks = wage_views.dm(sheet, line, lang=lang)
        dms.append((line.user_id, text, blocks))
    post = wage_views.sheet_text(sheet, lang=lang)
    return Confirmation(project.pk, req.month, post, dms)


ROUTE = Route(
    command="/report",
    words={word: "daily" for word in REPORT_WORDS},
    handlers={None: Handler(answer), "daily": Handler(daily_report.answer)},
    # The daily log's refusals name the period or format; the other reports' show the usage example.
    usage=lambda sub, err, syntax: None if sub == "daily" else "report.usage",
)

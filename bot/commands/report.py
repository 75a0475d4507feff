"""/report: labor summary, cost, schedule, risks and timesheets answered at once; files, charts and the
daily log (bot/commands/daily_report) after."""

from __future__ import annotations

from sqlmodel import Session

from bot.app import Services
from bot.commands import daily_report
from bot.commands.core import Ctx, Decision, Upload, Who
from bot.commands.router import Handler, Route
from bot.parsing.daily_command import REPORT_WORDS
from bot.parsing.report_command import Period, ReportRequest, ReportSyntaxError, parse_report
from bot.reports import charts, exports, series
from bot.services import digest, reports, status
from bot.services.errors import InvalidInput
from bot.views import approval_views, report_views, scheduler_views
from bot.views.catalog import t
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
    if req.kind == "chart":
        chart = req.chart or "burn"
        title = t(lang, f"report.chart.{chart}_title", project=f"{project.name} ({code})")
        if chart == "burn":
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


ROUTE = Route(
    command="/report",
    words={word: "daily" for word in REPORT_WORDS},
    handlers={None: Handler(answer, writes=False), "daily": Handler(daily_report.answer, writes=False)},
    # The daily log's refusals name the period or format; the other reports' show the usage example.
    usage=lambda sub, err, syntax: None if sub == "daily" else "report.usage",
)

"""Budget alerts (kind `budget_alert`): checked every tick with aggregate queries, each posted once.

An alert is due the moment its condition is seen, so it is never late; a failed one is retried within
the project's grace window from the first attempt.
"""

from __future__ import annotations

from bot.reports.charts import burn_chart
from bot.reports.series import burn_series
from bot.scheduler.jobs import Candidate, Context, Item, grace_of, outgoing
from bot.scheduler.posting import Chart, Outgoing
from bot.services.budget_alerts import BudgetAlert, alerts_for
from bot.views.catalog import t
from bot.views.scheduler_views import budget_message

KINDS = ("budget_alert",)


def due(ctx: Context) -> list[Candidate]:
    """Every alert condition that holds now (the ledger drops the ones already posted)."""
    found = alerts_for(ctx.session, ctx.projects, ctx.today, spend=ctx.spend_through(max(ctx.today.values())))
    by_id = {p.pk: p for p in ctx.projects}
    return [
        Candidate(
            by_id[pid],
            "budget_alert",
            alert.key,
            ctx.now,
            grace_of(by_id[pid]),
            alert,
            "superseded by a higher threshold" if alert.superseded else None,
        )
        for pid, alerts in found.items()
        for alert in alerts
    ]


def build(ctx: Context, items: list[Item]) -> list[Outgoing]:
    """Each alert with the project's burn chart (rendered once per project per tick)."""
    charts: dict[int, bytes] = {}
    out = []
    for item in items:
        project = item.candidate.project
        lang = project.language
        alert: BudgetAlert = item.candidate.data
        if project.pk not in charts:
            series = burn_series(ctx.session, project=project, today=ctx.today[project.pk])
            charts[project.pk] = burn_chart(
                dates=series.dates,
                actual=series.actual,
                planned=series.planned,
                bac=series.bac,
                lang=lang,
                title=t(lang, "sched.budget.chart_title", code=project.code),
            )
        text, blocks = budget_message(project, alert, lang)
        chart = Chart(
            png=charts[project.pk],
            filename=f"burn-{project.code}-{ctx.today[project.pk].isoformat()}.png",
            title=t(lang, "sched.budget.chart_title", code=project.code),
            comment=t(lang, "sched.budget.chart_comment"),
        )
        out.append(outgoing(item, text, blocks, chart=chart))
    return out

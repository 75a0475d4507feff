"""The routing table: every slash command the router answers, by name."""

from __future__ import annotations

from bot.commands import daily, expense, funds, labor, ooo, project, report, risk, task
from bot.commands.router import Route

ROUTES: dict[str, Route] = {
    route.command: route
    for route in (
        project.ROUTE,
        labor.ROUTE,
        expense.ROUTE,
        task.ROUTE,
        risk.ROUTE,
        report.ROUTE,
        funds.ROUTE,
        daily.ROUTE,
        ooo.ROUTE,
    )
}

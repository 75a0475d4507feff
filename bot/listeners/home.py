"""The App Home tab: published on app_home_opened, refreshed after its buttons act."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Services
from bot.commands.core import Who
from bot.parsing import LaborIntent
from bot.services import daily_log, idempotency, labor, profiles, reports, status, wages
from bot.services.errors import ForemanError
from bot.views import daily_views, home_views, wage_views
from bot.views.catalog import t
from bot.views.format import labor_id
from bot.views.replies import error_text


def publish_home(
    services: Services, client: WebClient, *, team_id: str, user_id: str, notice: str | None = None
) -> None:
    """Build the user's Home tab from the database and publish it."""
    admin = profiles.lookup(services, client, team_id=team_id, user_id=user_id).is_admin
    with services.reading() as session:
        overview = reports.home_overview(
            session, team_id=team_id, user_id=user_id, now=services.clock(), is_admin=admin
        )
        daily = daily_log.home_rows(session, [p.project for p in overview.projects], services.clock())
        pay = wages.home_rows(session, team_id=team_id, user_id=user_id, now=services.clock())
    view = home_views.home_view(overview, now=services.clock(), notice=notice)
    daily_views.add_to_home(view, daily, home_views.home_lang(overview))  # daily logs (issue 16)
    wage_views.add_to_home(view, pay)  # this month's wages (issue 15)
    client.views_publish(user_id=user_id, view=view)


def log8_today(services: Services, client: WebClient, who: Who, project_id: int) -> str:
    """Log 8 h today for the user in the project, once a day by this button; the words to show."""
    lang = "en"
    try:
        with services.unit_of_work() as session:
            project = reports.project_in_team(session, team_id=who.team_id, project_id=project_id)
            if project is None:
                return t(lang, "approval.gone")
            lang = project.language
            today = status.calendar_for(project).local_date(services.clock())
            # A double click (or a second press the same day) must not log 16 h.
            key = f"home8:{project.pk}:{who.user_id}:{today}"
            if not idempotency.claim(session, team_id=who.team_id, key=key):
                return t(lang, "request.duplicate")
            rows = labor.log_labor(
                session,
                project=project,
                actor=who.user_id,
                is_admin=False,
                intent=LaborIntent(users=(who.user_id,), headcount=1, hours_each=8.0, man_hours=8.0),
                work_date=today,
                today=today,
                source="home",
            ).rows
            return t(lang, "home.logged", project=project.code, id=labor_id(rows[0].number))
    except ForemanError as err:
        return error_text(lang, err)


def register(app: App, services: Services) -> None:
    def ack_only(ack: Ack) -> None:
        ack()

    def home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(services, client, team_id=body["team_id"], user_id=event["user"])

    def home_log8(body: dict[str, Any], client: WebClient) -> None:
        team_id, user_id = body["team"]["id"], body["user"]["id"]
        value = body["actions"][0].get("value") or ""
        notice = None
        if value.isdigit():
            notice = log8_today(services, client, Who(team_id, user_id, None), int(value))
        publish_home(services, client, team_id=team_id, user_id=user_id, notice=notice)

    app.event("app_home_opened")(ack=ack_only, lazy=[home_opened])
    app.action(home_views.LOG8_ACTION)(ack=ack_only, lazy=[home_log8])

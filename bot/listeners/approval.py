"""Timesheet approval: the Approve week button (messages and the Home modal) and Home's Review button."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.app import Services
from bot.commands.core import Who, as_user, refusal
from bot.services import labor, profiles, reports, status
from bot.services.access import role_of
from bot.services.errors import Conflict, InvalidInput, PermissionDenied
from bot.views import approval_views, home_views
from bot.views.catalog import t

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What the approver sees after a click: a line of text and the refreshed timesheet."""

    text: str
    blocks: list[dict[str, Any]] | None = None
    view: dict[str, Any] | None = None


def _who(body: dict[str, Any]) -> Who:
    return Who(
        team_id=body["team"]["id"],
        user_id=body["user"]["id"],
        channel_id=(body.get("channel") or {}).get("id"),
    )


def _refreshed(session: Session, project_id: int, week: date, who: Who, text: str) -> Outcome:
    """The timesheet as stored now, headed by `text`."""
    project = reports.project_in_team(session, team_id=who.team_id, project_id=project_id)
    if project is None:
        return Outcome(t("en", "approval.gone"))
    sheet = reports.timesheet(session, project=project, week_start=week)
    notice = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    blocks = [notice, *approval_views.timesheet_blocks(sheet, project.language, can_approve=True)]
    view = approval_views.timesheet_modal(sheet, project.language, can_approve=True)
    view["blocks"] = blocks
    return Outcome(text, blocks, view)


def approve(services: Services, client: WebClient, who: Who, project_id: int, week: date) -> Outcome:
    """Approve the week as this user (pm or workspace admin); refusals name the pm."""

    def work(session: Session, is_admin: bool) -> Outcome:
        project = reports.project_in_team(session, team_id=who.team_id, project_id=project_id)
        if project is None:
            return Outcome(t("en", "approval.gone"))
        lang = project.language
        today = status.calendar_for(project).local_date(services.clock())
        try:
            count = labor.approve_week(
                session, project=project, actor=who.user_id, is_admin=is_admin, week_start=week, today=today
            )
        except (Conflict, InvalidInput) as err:
            # Refused by the command's rule (week not over, open shifts, approved before): nothing stored.
            sheet = reports.timesheet(session, project=project, week_start=week)
            if err.key == "labor.week_already_approved":
                return _refreshed(session, project_id, week, who, approval_views.already_text(sheet, lang))
            return _refreshed(session, project_id, week, who, refusal(lang, err))
        session.flush()
        sheet = reports.timesheet(session, project=project, week_start=week)
        text = approval_views.approved_text(sheet, lang, user=who.user_id, count=count)
        return _refreshed(session, project_id, week, who, text)

    try:
        return as_user(services, client, who, work)
    except PermissionDenied:
        with services.unit_of_work() as session:
            project = reports.project_in_team(session, team_id=who.team_id, project_id=project_id)
            if project is None:
                return Outcome(t("en", "approval.gone"))
            have = role_of(session, project=project, user_id=who.user_id)
            pms = reports.project_pms(session, project=project)
            return Outcome(approval_views.not_pm_text(project.language, have=have, pms=pms))
    except IntegrityError:
        # Two clicks at the same instant: the other one approved the week first.
        with services.unit_of_work() as session:
            project = reports.project_in_team(session, team_id=who.team_id, project_id=project_id)
            if project is None:
                return Outcome(t("en", "approval.gone"))
            sheet = reports.timesheet(session, project=project, week_start=week)
            text = approval_views.already_text(sheet, project.language)
            return _refreshed(session, project_id, week, who, text)


def register(app: App, services: Services) -> None:
    def ack_only(ack: Ack) -> None:
        ack()

    def approve_clicked(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        who = _who(body)
        parsed = approval_views.parse_approve_value(body["actions"][0].get("value") or "")
        if parsed is None:
            return
        outcome = approve(services, client, who, *parsed)
        view = body.get("view")
        if view and view.get("id"):
            # In the Home modal: redraw the modal (a refusal keeps the timesheet under it).
            if outcome.view is None:
                project_id, week = parsed
                with services.unit_of_work() as session:
                    outcome = _refreshed(session, project_id, week, who, outcome.text)
            if outcome.view is not None:
                client.views_update(view_id=view["id"], view=outcome.view)
            return
        if outcome.blocks is None:
            respond(response_type="ephemeral", replace_original=False, text=outcome.text)
        else:
            respond(replace_original=True, text=outcome.text, blocks=outcome.blocks)

    def review_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        # views.open must follow the click within 3 s, so it runs before the ack is sent back.
        ack()
        who = _who(body)
        value = body["actions"][0].get("value") or ""
        if not value.isdigit():
            return
        admin = profiles.lookup(services, client, team_id=who.team_id, user_id=who.user_id).is_admin
        with services.reading() as session:
            project = reports.project_in_team(session, team_id=who.team_id, project_id=int(value))
            if project is None:
                return
            is_pm = role_of(session, project=project, user_id=who.user_id, is_admin=admin) == "pm"
            today = status.calendar_for(project).local_date(services.clock())
            sheet = reports.timesheet(session, project=project, week_start=reports.week_of(today))
            view = approval_views.timesheet_modal(sheet, project.language, can_approve=is_pm)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    app.action(approval_views.APPROVE_ACTION)(ack=ack_only, lazy=[approve_clicked])
    app.action(home_views.REVIEW_ACTION)(review_clicked)

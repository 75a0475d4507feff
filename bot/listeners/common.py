"""What every listener shares: who is acting, in which project, and how refusals are worded."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from slack_bolt import App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.services import profiles, projects
from bot.services.errors import ForemanError, PermissionDenied
from bot.views.catalog import t
from bot.views.replies import error_text
from storage.models import Project

log = logging.getLogger(__name__)
T = TypeVar("T")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def text_lang(text: str | None, default: str = "en") -> str:
    """zh when the text has Chinese characters, else `default`."""
    return "zh" if text and _CJK.search(text) else default


@dataclass(frozen=True)
class Who:
    """The acting user and where they act."""

    team_id: str
    user_id: str
    channel_id: str | None


def who_from_command(body: dict[str, Any]) -> Who:
    return Who(team_id=body["team_id"], user_id=body["user_id"], channel_id=body.get("channel_id"))


def as_user(services: Services, client: WebClient, who: Who, work: Callable[[Session, bool], T]) -> T:
    """Run `work(session, is_admin)` in one transaction; on a role refusal, retry once if the user is a
    workspace admin (admins are pm of every project) so users.info is only asked when it matters."""
    try:
        return services.write(lambda session: work(session, False))
    except PermissionDenied:
        with services.unit_of_work() as session:
            admin = profiles.profile(session, client, team_id=who.team_id, user_id=who.user_id).is_admin
        if not admin:
            raise
        return services.write(lambda session: work(session, True))


def local_today(services: Services, project: Project) -> date:
    """Today in the project's timezone, by the app's clock."""
    return projects.local_date(project, services.clock())


def open_record_form(
    services: Services,
    client: WebClient,
    who: Who,
    trigger_id: str,
    build: Callable[[Project, date], dict[str, Any]],
) -> str | None:
    """Open a record's modal for the channel's project; the refusal text when the channel has none."""
    with services.unit_of_work() as session:
        project = projects.project_for_channel(session, team_id=who.team_id, channel_id=str(who.channel_id))
        if project is None:
            return t("en", "error.no_project")
        view = build(project, local_today(services, project))
    client.views_open(trigger_id=trigger_id, view=view)
    return None


def refusal(lang: str, err: ForemanError, usage: str | None = None) -> str:
    """The words for a domain refusal, with a usage example when one helps."""
    return error_text(lang, err, usage)


def register(app: App, services: Services) -> None:
    """The one error handler: log with the traceback, answer the user politely."""

    @app.error
    def on_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> None:
        logger.exception("unhandled error in a listener: %s", error)

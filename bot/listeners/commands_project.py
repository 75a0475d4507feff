"""/project: create and configure the channel's project."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Services
from bot.listeners.common import as_user, refusal, text_lang, who_from_command
from bot.parsing.project_command import SpecError, parse_create
from bot.services import profiles, projects
from bot.services.errors import ForemanError, InvalidInput
from bot.views import project_views
from bot.views.catalog import t


def register(app: App, services: Services) -> None:
    @app.command("/project")
    def project_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        who = who_from_command(body)
        text = (body.get("text") or "").strip()
        sub, _, rest = text.partition(" ")
        lang = text_lang(text)
        if sub.lower() in ("create", "新建", "创建"):
            try:
                spec = parse_create(rest, now=services.clock(), tz="UTC")
            except SpecError as exc:
                err = InvalidInput("project.bad_field", field=exc.field, value=exc.value)
                ack(response_type="ephemeral", text=refusal(lang, err, t(lang, "usage.project_create")))
                return

            spec.values.setdefault("language", lang)
            if "timezone" not in spec.values:
                with services.unit_of_work() as session:
                    user = profiles.profile(session, client, team_id=who.team_id, user_id=who.user_id)
                    spec.values["timezone"] = user.timezone or "UTC"

            def create(session: Any, is_admin: bool) -> Any:
                return projects.create_project(
                    session,
                    team_id=who.team_id,
                    channel_id=str(who.channel_id),
                    user_id=who.user_id,
                    spec=spec,
                )

            try:
                project = as_user(services, client, who, create)
            except ForemanError as err:
                ack(response_type="ephemeral", text=refusal(lang, err))
                return
            ack(response_type="in_channel", text=project_views.created_text(project, who.user_id))
            return
        ack(response_type="ephemeral", text=t(lang, "project.help"))

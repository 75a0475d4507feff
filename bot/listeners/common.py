"""What every listener shares: who acts, read from a Bolt payload, and the one error handler."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.app import Services
from bot.commands.core import Who

log = logging.getLogger(__name__)


def who_from_command(body: dict[str, Any]) -> Who:
    """The user, workspace and channel of a slash command."""
    return Who(team_id=body["team_id"], user_id=body["user_id"], channel_id=body.get("channel_id"))


def register(app: App, services: Services) -> None:
    """The one error handler: log with the traceback, answer the user politely."""

    @app.error
    def on_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> None:
        logger.exception("unhandled error in a listener: %s", error)

"""What every listener shares: who acts, read from a Bolt payload, and the one error handler."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse
from sqlalchemy.exc import DBAPIError

from bot.app import Services
from bot.commands.core import Who
from bot.delivery import outage_response, release

log = logging.getLogger(__name__)


def who_from_command(body: dict[str, Any]) -> Who:
    """The user, workspace and channel of a slash command."""
    return Who(team_id=str(body["team_id"]), user_id=str(body["user_id"]), channel_id=body.get("channel_id"))


def register(app: App, services: Services) -> None:
    """The one error handler: log with the traceback, answer the user politely."""

    @app.error
    def on_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> BoltResponse | None:
        """Log it, give the delivery's claim back (so a retry is handled) and, when the database is down,
        tell the user nothing was stored."""
        release(services, body)
        if isinstance(error, DBAPIError):
            logger.error("database unavailable in a listener: %s", error.__class__.__name__)
            return outage_response(body)
        logger.exception("unhandled error in a listener: %s", error)
        return None

"""What every request goes through before any listener: safe output, one idempotency gate, outage answers.

- Output: the request's client, ack() and respond() escape user text and keep Slack's Block Kit limits
  (bot/slack_client.py, bot/views/mrkdwn.py), so no listener can forget to.
- The gate: each delivery (an event by its event id, a button or form by its trigger id) is claimed in
  processed_requests before a listener runs (a command by its trigger id, in the transaction of the
  command's own work: bot/commands/router.py); a second delivery of the same one
  finds the claim and runs nothing. A listener that fails releases the claim (bot/listeners/common.py, bot/delivery.py),
  so Slack's retry is not lost. Record-writing paths still claim their own key in the record's transaction.
- Outage: when the database cannot be reached, nothing is stored and the user is told so in the way each
  surface allows: an ephemeral reply to a command (in the language typed), 503 to an event so Slack retries,
  a message in place for a button or form.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.context.respond import Respond
from slack_bolt.middleware import Middleware
from sqlalchemy.exc import DBAPIError

from bot.app import Services
from bot.delivery import delivery_key, outage_response, team_of
from bot.services import idempotency
from bot.slack_client import SafeAck, SafeRespond, make_safe

log = logging.getLogger(__name__)
# Commands whose `@name` means a person (in /expense, `@Acme` is a vendor).
NAMED_COMMANDS = {"/project", "/log-labor", "/task", "/risk", "/funds", "/ooo"}


class Edge(Middleware):
    """The three rules below, in order, as one middleware. A class, so Bolt hands it the request as is
    instead of building a function middleware's arguments (a tenth of a no-op request's cost)."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        safe_output(req.context)
        plain_names(self.services, req.body, req.context)
        return once(self.services, req.body, next)


def register(app: App, services: Services) -> None:
    app.use(Edge(services))

    @app.event("user_change")
    def user_changed(ack: Any, body: dict[str, Any]) -> None:
        ack()
        team = team_of(body)
        user = (body.get("event") or {}).get("user") or {}
        if team and isinstance(user, dict):
            services.members.changed(team, user)


def safe_output(context: BoltContext) -> None:
    """Every way a listener talks to Slack escapes user text and keeps Block Kit's limits."""
    if "client" in context:
        make_safe(context.client)
    context["ack"] = SafeAck()
    if context.response_url:
        old: Respond = context.respond  # type: ignore[assignment]
        context["respond"] = SafeRespond(response_url=old.response_url, proxy=old.proxy, ssl=old.ssl)


def plain_names(services: Services, body: dict[str, Any], context: BoltContext) -> None:
    """A command's plain `@ana` (sent as typed when a client does not escape it) becomes ana's id."""
    team = team_of(body)
    if body.get("command") in NAMED_COMMANDS and "@" in str(body.get("text") or "") and team:
        body["text"] = services.members.resolve(context.client, team, str(body["text"]))


def once(services: Services, body: dict[str, Any], next: Any) -> BoltResponse | None:
    """The one idempotency gate: a delivery already claimed runs no listener."""
    key, team = delivery_key(body), team_of(body)
    if key is None or team is None or body.get("command"):
        # A command's delivery is claimed by the router in the transaction of what it stores.
        next()
        return None
    try:
        with services.unit_of_work() as session:
            fresh = idempotency.claim(session, team_id=team, key=key)
    except DBAPIError as exc:
        log.error("database unavailable, delivery not processed: %s", exc.__class__.__name__)
        return outage_response(body)
    if fresh:
        next()
        return None
    return BoltResponse(status=200, body="")

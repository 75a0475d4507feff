"""What a Slack delivery is at the edge: its workspace, the key that makes it count once, how to give a
failed one's claim back, and what the user sees when the database is down."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any
from urllib.request import Request as HttpRequest
from urllib.request import urlopen

from slack_bolt import BoltResponse
from sqlalchemy import delete
from sqlalchemy.exc import DBAPIError
from sqlmodel import col

from bot.commands.core import text_lang
from bot.views.catalog import t
from bot.views.mrkdwn import outgoing
from storage.models import ProcessedRequest

if TYPE_CHECKING:
    from bot.app import Services

log = logging.getLogger(__name__)
GATE = "gate:"


def team_of(body: dict[str, Any]) -> str | None:
    """The workspace a request comes from."""
    team = (
        body.get("team_id") or (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    )
    return str(team) if team else None


def delivery_key(body: dict[str, Any]) -> str | None:
    """The id that makes one delivery count once (None for requests that store and answer nothing)."""
    if body.get("command"):
        return f"{GATE}cmd:{body.get('trigger_id')}" if body.get("trigger_id") else None
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"{GATE}event:{body['event_id']}"
    if body.get("type") in ("block_actions", "view_submission") and body.get("trigger_id"):
        return f"{GATE}{body['type']}:{body['trigger_id']}"
    return None


def outage_response(body: dict[str, Any]) -> BoltResponse:
    """What the user sees when the database is down: nothing was stored, please try again."""
    if body.get("command"):
        lang = text_lang(str(body.get("text") or ""))
        text = outgoing({"text": t(lang, "outage.command")})["text"]
        return json_response(200, {"response_type": "ephemeral", "text": text})
    if body.get("type") == "event_callback":
        return BoltResponse(status=503, body="")  # Slack retries the event later
    text = t("en", "outage.action") + "\n" + t("zh", "outage.action")
    if body.get("type") == "view_submission":
        modal = {
            "type": "modal",
            "title": {"type": "plain_text", "text": "Foreman"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        }
        return json_response(200, {"response_action": "update", "view": outgoing({"view": modal})["view"]})
    url = body.get("response_url")
    if url:
        _post_response(str(url), {"response_type": "ephemeral", "replace_original": False, "text": text})
    return BoltResponse(status=200, body="")


def release(services: Services, body: dict[str, Any]) -> None:
    """Give a failed delivery's claim back, so Slack's retry (or the user's) is handled."""
    key, team = delivery_key(body), team_of(body)
    if key is None or team is None:
        return
    try:
        with services.unit_of_work() as session:
            session.execute(
                delete(ProcessedRequest).where(
                    col(ProcessedRequest.team_id) == team, col(ProcessedRequest.key) == key
                )
            )
    except DBAPIError:
        log.warning("could not release the claim of a failed delivery (database unavailable)")


def json_response(status: int, payload: dict[str, Any]) -> BoltResponse:
    """A JSON body for Slack (an ack's content)."""
    return BoltResponse(
        status=status, body=json.dumps(payload), headers={"content-type": ["application/json"]}
    )


def _post_response(url: str, payload: dict[str, Any]) -> None:
    request = HttpRequest(
        url, data=json.dumps(outgoing(payload)).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urlopen(request, timeout=5):  # noqa: S310 - Slack's response_url
            pass
    except OSError as exc:
        log.warning("could not answer through response_url: %s", exc)

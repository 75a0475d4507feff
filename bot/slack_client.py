"""The Web API client every Foreman call goes through: escaped text, Block Kit limits, no open transaction."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.web import SlackResponse

from bot.views.mrkdwn import outgoing
from storage import db

log = logging.getLogger(__name__)


class SlackCallInTransaction(RuntimeError):
    """A Web API call was made while a database transaction was open in the same thread."""


def check_no_transaction(method: str) -> None:
    """Refuse (in tests) or log (in production) a Slack call made inside a database transaction."""
    if db.transactions_open():
        if db.STRICT["on"]:
            raise SlackCallInTransaction(f"{method} called inside a database transaction")
        log.warning("Slack call %s made inside a database transaction", method)


class SafeWebClient(WebClient):
    """A WebClient whose every call is made safe to send (see bot/views/mrkdwn.py)."""

    def api_call(  # type: ignore[override]
        self,
        api_method: str,
        *,
        http_verb: str = "POST",
        files: dict[str, Any] | None = None,
        data: dict[str, Any] | Any | None = None,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        headers: dict[str, Any] | None = None,
        auth: dict[str, Any] | None = None,
    ) -> SlackResponse:
        check_no_transaction(api_method)
        return super().api_call(
            api_method,
            http_verb=http_verb,
            files=files,
            data=outgoing(data) if isinstance(data, dict) else data,
            params=outgoing(params) if params else params,
            json=outgoing(json) if json else json,
            headers=headers,
            auth=auth,
        )


def make_safe(client: WebClient) -> WebClient:
    """The same client, made a SafeWebClient (Bolt builds a plain one per request)."""
    if type(client) is WebClient:
        client.__class__ = SafeWebClient
    return client


class SafeAck(Ack):
    """ack() whose text, blocks, view and errors are made safe to send."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if args and isinstance(args[0], str):
            kwargs["text"], args = args[0], args[1:]
        return super().__call__(*args, **outgoing(kwargs))


class SafeRespond(Respond):
    """respond() (the response_url) with the same treatment."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if args and isinstance(args[0], str):
            kwargs["text"], args = args[0], args[1:]
        check_no_transaction("response_url")
        return super().__call__(*args, **outgoing(kwargs))

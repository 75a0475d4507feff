"""Sending scheduled posts to Slack: DMs, threads, chart uploads, pacing and short rate-limit waits."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from sqlmodel import Session

from bot.slack_client import SafeWebClient

log = logging.getLogger(__name__)

# Slack allows about one message per second per channel.
CHANNEL_INTERVAL = 1.0
# A Retry-After up to this many seconds is waited out in the tick; longer ones release the claim.
MAX_WAIT = 2


@dataclass(frozen=True)
class Chart:
    """A PNG to upload into the post's thread."""

    png: bytes
    filename: str
    title: str
    comment: str


@dataclass
class Outgoing:
    """One post, built and ready: where it goes, what it says, what to store once it is in Slack."""

    project_id: int
    team_id: str
    code: str
    kind: str
    key: str
    due_at: datetime
    delayed: bool
    text: str
    blocks: list[dict[str, Any]]
    channel: str | None = None
    dm_user: str | None = None
    chart: Chart | None = None
    thread_ts: str | None = None
    delivery_id: int | None = None  # set when retrying a failed ledger row
    after_post: Callable[[Session, str, str], None] | None = field(default=None, repr=False)


class RetryLater(Exception):
    """Slack asked to wait longer than a tick should; the claim is released as failed."""


class _ShortRateLimitRetry(RateLimitErrorRetryHandler):
    """Wait out a 429 only when Retry-After is short; a long wait would hold up every other project."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        return _retry_after(response.headers) <= MAX_WAIT


def _retry_after(headers: dict[str, Any]) -> int:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return int(raw)
            except (TypeError, ValueError):
                return MAX_WAIT + 1
    return 1


_clients: dict[tuple[str | None, str], WebClient] = {}
_clients_lock = threading.Lock()
_last_post: dict[str, float] = {}
_pace_lock = threading.Lock()


def scheduler_client(base: WebClient) -> WebClient:
    """A client with the same token and URL whose rate-limit waits are capped at MAX_WAIT seconds."""
    key = (base.token, base.base_url)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            handlers: list[RetryHandler] = [_ShortRateLimitRetry(max_retry_count=1)]
            client = SafeWebClient(
                token=base.token, base_url=base.base_url, timeout=base.timeout, retry_handlers=handlers
            )
            _clients[key] = client
        return client


class Poster:
    """Posts one Outgoing at a time, at most one message per second per channel (per process)."""

    def __init__(
        self,
        client_for: Callable[[str], WebClient],
        *,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client_for = client_for
        self._sleep = sleep
        self._monotonic = monotonic

    def _pace(self, channel: str) -> None:
        with _pace_lock:
            wait = _last_post.get(channel, -CHANNEL_INTERVAL) + CHANNEL_INTERVAL - self._monotonic()
        if wait > 0:
            self._sleep(wait)
        with _pace_lock:
            _last_post[channel] = self._monotonic()

    def send(self, out: Outgoing) -> tuple[str, str, str | None]:
        """Post it; (channel, ts, note about a failed chart upload). RetryLater or SlackApiError on failure."""
        client = scheduler_client(self._client_for(out.team_id))
        try:
            channel = out.channel
            if channel is None:
                assert out.dm_user is not None
                opened = client.conversations_open(users=out.dm_user)
                channel = str(opened["channel"]["id"])
            self._pace(channel)
            if out.thread_ts:
                # A reply in the prompt's thread, also shown in the channel so nobody misses it.
                response = client.chat_postMessage(
                    channel=channel,
                    text=out.text,
                    blocks=out.blocks,
                    thread_ts=out.thread_ts,
                    reply_broadcast=True,
                )
            else:
                response = client.chat_postMessage(channel=channel, text=out.text, blocks=out.blocks)
        except SlackApiError as exc:
            if exc.response.status_code == 429:
                raise RetryLater(
                    f"rate limited, Retry-After {_retry_after(dict(exc.response.headers))} s"
                ) from exc
            raise
        ts = str(response["ts"])
        return channel, ts, self._upload(client, channel, ts, out.chart)

    def _upload(self, client: WebClient, channel: str, ts: str, chart: Chart | None) -> str | None:
        # The message is already posted: a failed upload is noted, never a reason to post again.
        if chart is None:
            return None
        try:
            client.files_upload_v2(
                channel=channel,
                thread_ts=ts,
                file=chart.png,
                filename=chart.filename,
                title=chart.title,
                initial_comment=chart.comment,
            )
        except (SlackApiError, OSError) as exc:
            log.warning("chart upload to %s failed: %s", channel, exc)
            return f"chart upload failed: {exc}"
        return None

"""Sending scheduled posts to Slack: DMs, threads, chart uploads, pacing and short rate-limit waits."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from sqlmodel import Session

from bot.scheduler.pacing import ChannelPacer, Hold
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
    verify_in: str | None = None  # an earlier attempt's answer was lost: look for it here first
    # More ledger keys (project id, kind, key) this message carries; recorded as posted with it.
    also: list[tuple[int, str, str]] = field(default_factory=list)
    after_post: Callable[[Session, str, str], None] | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Sent:
    """A post Slack took: where, its ts, a note about its chart, and the channel hold left to release."""

    channel: str
    ts: str
    note: str | None = None
    release: tuple[Hold, datetime] | None = None  # the hold and the channel's next allowed time


TRANSIENT = "transient"
AMBIGUOUS = "ambiguous"
PERMANENT = "permanent"

# Slack refused for good: retrying cannot help until a person changes something.
PERMANENT_ERRORS = frozenset(
    {
        "not_in_channel",
        "channel_not_found",
        "is_archived",
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "no_text",
        "invalid_arguments",
        "invalid_metadata_format",
        "invalid_metadata_schema",
        "account_inactive",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "missing_scope",
        "restricted_action",
        "cannot_dm_bot",
        "user_not_found",
        "user_disabled",
        "team_access_not_granted",
        "ekm_access_denied",
    }
)
# Slack answered, but says some of the work may have been done.
AMBIGUOUS_ERRORS = frozenset({"fatal_error", "internal_error", "request_timeout"})
# The bot itself cannot speak: nobody can be told in Slack, only the log.
MUTE_ERRORS = frozenset({"account_inactive", "invalid_auth", "not_authed", "token_revoked", "token_expired"})
METADATA_EVENT = "foreman_scheduled_post"
# Requests of the scheduler give up after this many seconds (the answer is then ambiguous).
POST_TIMEOUT = 20
VERIFY_PAGES = 5


class NotPosted(Exception):
    """A post that did not (knowingly) reach Slack, with its outcome class and Slack's error code."""

    def __init__(self, outcome: str, reason: str, *, channel: str | None = None, code: str | None = None):
        super().__init__(reason)
        self.outcome = outcome
        self.channel = channel
        self.code = code


def classify(exc: Exception, *, sent: bool) -> tuple[str, str | None]:
    """(outcome, Slack error code) of a failed call; `sent` is whether the request may have reached Slack."""
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        code = exc.response.get("error") if isinstance(exc.response.data, dict) else None
        if status == 429 or status >= 500:
            # Rate limited, or answered with a server error: Slack did not take the message.
            return TRANSIENT, code
        if code in PERMANENT_ERRORS:
            return PERMANENT, code
        if code in AMBIGUOUS_ERRORS and sent:
            return AMBIGUOUS, code
        return TRANSIENT, code
    if isinstance(exc, URLError):
        # urllib wraps what fails while connecting or writing the request: Slack has no complete request.
        return TRANSIENT, None
    if isinstance(exc, OSError) and sent:
        # The request was written and the answer lost (reset, timeout): Slack may have the message.
        return AMBIGUOUS, None
    return TRANSIENT, None


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


_clients: dict[tuple[str | None, str, int], WebClient] = {}
_clients_lock = threading.Lock()
_last_post: dict[str, float] = {}
_pace_lock = threading.Lock()


def scheduler_client(base: WebClient) -> WebClient:
    """A client with the same token and URL whose rate-limit waits are capped at MAX_WAIT seconds."""
    timeout = min(base.timeout, POST_TIMEOUT)
    key = (base.token, base.base_url, timeout)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            # Only short rate-limit waits are retried here; a lost connection is never retried blindly.
            handlers: list[RetryHandler] = [_ShortRateLimitRetry(max_retry_count=1)]
            client = SafeWebClient(
                token=base.token, base_url=base.base_url, timeout=timeout, retry_handlers=handlers
            )
            _clients[key] = client
        return client


def metadata_of(out: Outgoing) -> dict[str, Any]:
    """The Slack message metadata that lets a later tick find this post by its ledger key."""
    return {
        "event_type": METADATA_EVENT,
        "event_payload": {"project": out.project_id, "kind": out.kind, "key": out.key},
    }


class Poster:
    """Posts one Outgoing at a time, at most one message per second per channel.

    With a `pacer` the spacing holds across processes and replicas (the database keeps each channel's
    next allowed time); without one, within this process only.
    """

    def __init__(
        self,
        client_for: Callable[[str], WebClient],
        *,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        pacer: ChannelPacer | None = None,
    ) -> None:
        self._client_for = client_for
        self._sleep = sleep
        self._monotonic = monotonic
        self._pacer = pacer

    def _pace(self, channel: str) -> None:
        with _pace_lock:
            wait = _last_post.get(channel, -CHANNEL_INTERVAL) + CHANNEL_INTERVAL - self._monotonic()
        if wait > 0:
            self._sleep(wait)
        with _pace_lock:
            _last_post[channel] = self._monotonic()

    @property
    def database_pacer(self) -> ChannelPacer | None:
        """The pacer that holds channels in the database before each post, when there is one and pacing
        is on (None: nothing to hold or release)."""
        return self._pacer if CHANNEL_INTERVAL > 0 else None

    def open_dm(self, out: Outgoing) -> str:
        """The DM channel of the post's user (opened if need be); NotPosted when Slack refuses."""
        assert out.dm_user is not None
        client = scheduler_client(self._client_for(out.team_id))
        try:
            opened = client.conversations_open(users=out.dm_user)
        except (SlackApiError, OSError) as exc:
            outcome, code = classify(exc, sent=False)
            raise NotPosted(outcome, _reason(exc), code=code) from exc
        return str(opened["channel"]["id"])

    def send(self, out: Outgoing) -> tuple[str, str, str | None]:
        """Post it; (channel, ts, note about a failed chart upload). NotPosted on failure."""
        sent = self._send(out, None, defer=False)
        return sent.channel, sent.ts, sent.note

    def send_held(
        self, out: Outgoing, held: Hold | None, *, before_hold: Callable[[Session], None] | None = None
    ) -> Sent:
        """Post a claimed first attempt; NotPosted on failure.

        `held` is the channel's hold when the caller took it already (with the claim); otherwise the
        channel is held here, `before_hold` running in that transaction. The hold is left to the caller
        to release (`Sent.release`) together with the post's ledger record.
        """
        return self._send(out, held, defer=True, before_hold=before_hold)

    def _send(
        self,
        out: Outgoing,
        held: Hold | None,
        *,
        defer: bool,
        before_hold: Callable[[Session], None] | None = None,
    ) -> Sent:
        client = scheduler_client(self._client_for(out.team_id))
        channel = out.channel if out.channel is not None else self.open_dm(out)
        args: dict[str, Any] = {
            "channel": channel,
            "text": out.text,
            "blocks": out.blocks,
            "metadata": metadata_of(out),
        }
        if out.thread_ts:
            # A reply in the prompt's thread, also shown in the channel so nobody misses it.
            args |= {"thread_ts": out.thread_ts, "reply_broadcast": True}
        try:
            response, release = self._post(client, out.team_id, channel, args, held, defer, before_hold)
        except (SlackApiError, OSError) as exc:
            outcome, code = classify(exc, sent=True)
            raise NotPosted(outcome, _reason(exc), channel=channel, code=code) from exc
        ts = str(response["ts"])
        return Sent(channel, ts, self._upload(client, channel, ts, out.chart), release)

    def _post(
        self,
        client: WebClient,
        team_id: str,
        channel: str,
        args: dict[str, Any],
        held: Hold | None,
        defer: bool,
        before_hold: Callable[[Session], None] | None,
    ) -> tuple[Any, tuple[Hold, datetime] | None]:
        if self._pacer is None or CHANNEL_INTERVAL <= 0:
            if self._pacer is None:
                self._pace(channel)
            return _post_message(client, args), None
        if held is None or (held.team_id, held.channel) != (team_id, channel):
            held = self._pacer.hold(team_id, channel, first=_always(before_hold))
            assert held is not None  # refused only by a `first` that says no
        try:
            response = _post_message(client, args)
        except BaseException:
            self._pacer.release(held, CHANNEL_INTERVAL)
            raise
        # The next post may go a full interval after this one's answer, i.e. after Slack received it.
        if defer:
            return response, (held, self._pacer.next_at(CHANNEL_INTERVAL))
        self._pacer.release(held, CHANNEL_INTERVAL)
        return response, None

    def find(self, out: Outgoing, channel: str) -> str | None:
        """The ts of this post if Slack has it (by its metadata), else None; NotPosted when Slack can't say.

        Looks through the channel's latest VERIFY_PAGES pages, newest first: the post went out within its
        grace window, so it is among the recent messages of all but the busiest channels.
        """
        client = scheduler_client(self._client_for(out.team_id))
        wanted = metadata_of(out)
        cursor = None
        try:
            for _ in range(VERIFY_PAGES):
                page = client.conversations_history(
                    channel=channel,
                    include_all_metadata=True,
                    limit=200,
                    cursor=cursor,
                )
                for message in page.get("messages") or []:
                    if message.get("metadata") == wanted:
                        return str(message["ts"])
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not page.get("has_more") or not cursor:
                    return None
        except (SlackApiError, OSError) as exc:
            outcome, code = classify(exc, sent=False)
            raise NotPosted(outcome, f"could not verify: {_reason(exc)}", channel=channel, code=code) from exc
        raise NotPosted(AMBIGUOUS, "could not verify: too many messages since", channel=channel)

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


def _post_message(client: WebClient, args: dict[str, Any]) -> Any:
    # The Web API call itself: the arguments are plain JSON already (what chat_postMessage would make).
    return client.api_call("chat.postMessage", json=args)


def _always(work: Callable[[Session], None] | None) -> Callable[[Session], bool] | None:
    if work is None:
        return None

    def first(session: Session) -> bool:
        work(session)
        return True

    return first


def _reason(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        if status == 429:
            return f"rate limited, Retry-After {_retry_after(dict(exc.response.headers))} s"
        code = exc.response.get("error") if isinstance(exc.response.data, dict) else None
        return f"Slack answered {status} {code or ''}".strip()
    return f"{type(exc).__name__}: {exc}"

"""The one place that wires Bolt, storage and the scheduler together."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.clock import Clock
from bot.config import Settings
from bot.services.members import Directory
from bot.slack_client import SafeWebClient, make_safe
from storage.db import GroupCommit, group_commit_suits, make_engine, session_factory, unit_of_work
from storage.types import use_clock, utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")

BOT_SCOPES = [
    "app_mentions:read",
    "channels:history",
    "channels:read",
    "chat:write",
    "chat:write.public",
    "commands",
    "files:read",  # photos shared in the channel, as thumbnails in the daily log's PDF
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:write",
    "users:read",
]


@dataclass
class Services:
    """What listeners and the scheduler need: settings, storage and the clock; passed, never global."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Callable[[], datetime] = utcnow
    installation_store: SQLAlchemyInstallationStore | None = None
    _clients: dict[str, WebClient] = field(default_factory=dict)
    members: Directory = field(default_factory=Directory)
    writer: GroupCommit | None = None

    def __post_init__(self) -> None:
        if self.writer is None and group_commit_suits(self.engine):
            self.writer = GroupCommit(self.engine)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A Session and transaction for one request, lazy listener or tick."""
        if self.writer is not None and self.writer.in_writer():
            # Called from work already running in a write batch: join it (the lock is ours).
            with self.writer.joined() as session:
                yield session
            return
        with unit_of_work(self.sessions) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit of work: takes no write lock (SQLite's BEGIN IMMEDIATE is for writes only)."""
        with unit_of_work(self.sessions, read_only=True) as session:
            yield session

    def write(self, work: Callable[[Session], T]) -> T:
        """Run a request's work in one transaction and return once it is committed.

        On SQLite the work joins this process's single writer (group commit); elsewhere it runs in its
        own unit of work on a pooled connection.
        """
        if self.writer is not None:
            return self.writer.run(work)
        with self.unit_of_work() as session:
            return work(session)

    def client_for(self, team_id: str) -> WebClient:
        """A Web API client holding the bot token of that workspace."""
        token = self.settings.slack_bot_token
        if self.installation_store is not None:
            bot = self.installation_store.find_bot(enterprise_id=None, team_id=team_id)
            token = bot.bot_token if bot else None
        key = token or ""
        if key not in self._clients:
            self._clients[key] = web_client(self.settings, token)
        return self._clients[key]


def web_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient for the configured API URL that waits out short rate limits."""
    return _configure(SafeWebClient(token=token), settings)


def _configure(client: WebClient, settings: Settings) -> WebClient:
    make_safe(client)
    client.base_url = settings.slack_api_url
    client.timeout = 10
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    return client


def build_services(
    settings: Settings, *, engine: Engine | None = None, clock: Callable[[], datetime] | None = None
) -> Services:
    """Storage and the clock for the given settings (the test clock of FOREMAN_CLOCK_FILE when set)."""
    engine = engine or make_engine(settings.database_url)
    services = Services(settings=settings, engine=engine, sessions=session_factory(engine))
    services.clock = clock if clock is not None else Clock(settings.foreman_clock_file)
    if settings.foreman_clock_file and clock is None:
        # Timestamps stored by default (created_at, audit times) follow the test clock too.
        use_clock(services.clock)
    if settings.oauth:
        assert settings.slack_client_id
        services.installation_store = SQLAlchemyInstallationStore(
            client_id=settings.slack_client_id,
            engine=engine,
            installations_table_name="slack_installations",
            bots_table_name="slack_bots",
        )
    return services


def build_app(
    settings: Settings,
    *,
    services: Services | None = None,
    listener_executor: Executor | None = None,
    token_verification_enabled: bool = False,
) -> App:
    """The Bolt App with every listener registered; acks first, slow work goes to lazy listeners."""
    from bot.listeners import register

    services = services or build_services(settings)
    common = {
        "name": "foreman",
        "signing_secret": settings.slack_signing_secret or "",
        # Without this Bolt polls every 10 ms for the ack; our listeners ack first and defer slow work.
        "process_before_response": True,
        "listener_executor": listener_executor,
        "ignoring_self_events_enabled": True,
    }
    if settings.oauth and services.installation_store is not None:
        assert settings.slack_client_id and settings.slack_client_secret and settings.slack_state_secret
        app = App(
            client=web_client(settings),
            oauth_settings=OAuthSettings(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret,
                scopes=BOT_SCOPES,
                installation_store=services.installation_store,
                state_store=SQLAlchemyOAuthStateStore(
                    expiration_seconds=600, engine=services.engine, table_name="slack_oauth_states"
                ),
            ),
            **common,  # type: ignore[arg-type]
        )
    else:
        # Bolt builds the client from the token (passing our own client beside a SLACK_BOT_TOKEN in the
        # environment makes it warn); we then point it at the configured API URL.
        app = App(
            token=settings.slack_bot_token,
            token_verification_enabled=token_verification_enabled,
            **common,  # type: ignore[arg-type]
        )
        _configure(app.client, settings)
    register(app, services)
    app._foreman_services = services  # type: ignore[attr-defined]
    return app


def services_of(app: App) -> Services:
    """The Services an app was built with."""
    return app._foreman_services  # type: ignore[attr-defined,no-any-return]

"""One Settings object for the environment of contract §2, validated at start-up."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from pydantic import ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Mode = Literal["console", "socket", "http"]


class SettingsError(Exception):
    """A missing or contradictory setting; the message is one line naming the variable."""


class Settings(BaseSettings):
    """Foreman's configuration, from the environment and a `.env` file in the working directory."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite:///./foreman.db"
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_state_secret: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    foreman_scheduler: Literal["on", "off"] = "on"
    foreman_log_level: str = "INFO"
    foreman_clock_file: str | None = None

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or not value.endswith("/"):
            raise ValueError("must be an http(s) URL ending in /api/")
        return value

    @field_validator("foreman_scheduler", mode="before")
    @classmethod
    def _scheduler_lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("foreman_log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in logging.getLevelNamesMapping():
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return level

    @field_validator("foreman_clock_file")
    @classmethod
    def _clock_file(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if Path(value).is_dir():
            raise ValueError("must name a file holding one ISO-8601 instant, not a directory")
        return value.strip()

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        if value.startswith(("postgresql://", "postgres://")):
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        oauth = [self.slack_client_id, self.slack_client_secret, self.slack_state_secret]
        if any(oauth) and not all(oauth):
            missing = [
                name
                for name, v in zip(
                    ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"], oauth, strict=True
                )
                if not v
            ]
            raise ValueError(
                f"{missing[0]}: OAuth mode needs all three of SLACK_CLIENT_ID/SECRET/STATE_SECRET"
            )
        if any(oauth) and self.slack_bot_token:
            raise ValueError("SLACK_BOT_TOKEN: set either a bot token or OAuth client settings, not both")
        if self.slack_app_token and not self.slack_app_token.startswith("xapp-"):
            raise ValueError("SLACK_APP_TOKEN: an app-level token starts with xapp-")
        if self.slack_app_token and not (self.slack_bot_token or any(oauth)):
            raise ValueError("SLACK_BOT_TOKEN: Socket Mode needs a bot token as well as SLACK_APP_TOKEN")
        if self.slack_bot_token and not self.slack_app_token and not self.slack_signing_secret:
            raise ValueError("SLACK_SIGNING_SECRET: HTTP mode needs the signing secret")
        if any(oauth) and not self.slack_signing_secret:
            raise ValueError("SLACK_SIGNING_SECRET: HTTP mode needs the signing secret")
        return self

    @property
    def oauth(self) -> bool:
        """Whether the app runs for many workspaces through Slack's install flow."""
        return bool(self.slack_client_id)

    @property
    def mode(self) -> Mode:
        """What `foreman` with no subcommand runs: console without credentials, else socket or HTTP."""
        if self.slack_app_token:
            return "socket"
        if self.slack_bot_token or self.oauth:
            return "http"
        return "console"


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings; raise SettingsError with one line naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = str(err["loc"][0]).upper() if err["loc"] else ""
        msg = str(err["msg"]).removeprefix("Value error, ")
        if not loc and ":" in msg:
            raise SettingsError(msg) from None
        raise SettingsError(f"{loc}: {msg}") from None

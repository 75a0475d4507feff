"""HTTP mode: the WSGI application (Slack events, OAuth, health) and the gunicorn runner."""

from __future__ import annotations

import gc
import io
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.app import Services, services_of
from bot.clock import is_test_clock
from storage.db import ping

log = logging.getLogger(__name__)
# Threads per gunicorn worker (storage.db.POOL_SIZE gives each its PostgreSQL connection).
THREADS = 8


class ForemanWSGI:
    """Routes `/healthz` itself and everything else (events, install, OAuth redirect) to Bolt."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.services: Services = services_of(app)
        self.slack = SlackRequestHandler(app, path="/slack/events")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            db_ok = ping(self.services.engine)
            body = json.dumps(
                {
                    "status": "ok" if db_ok else "degraded",
                    "db": "ok" if db_ok else "down",
                    "clock": "test" if is_test_clock(self.services.clock) else "wall",
                }
            ).encode()
            status = "200 OK" if db_ok else "503 Service Unavailable"
            start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        refused = check_request(environ)
        if refused is not None:
            return _plain(start_response, "400 Bad Request", refused)
        return self.slack(environ, start_response)  # type: ignore[arg-type]


MAX_BODY = 256 * 1024  # Slack's payloads are a few KB; a modal's state stays well below this


def check_request(environ: dict[str, Any]) -> str | None:
    """Why a POST is refused before Bolt sees it (oversize, not UTF-8, no user or workspace), or None.

    The body is read here and handed on untouched, so Bolt still checks its signature.
    """
    if environ.get("REQUEST_METHOD") != "POST":
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return "bad content length"
    if length > MAX_BODY:
        return "request body too large"
    raw = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "request body is not UTF-8"
    if "/slack/events" not in str(environ.get("PATH_INFO")):
        return None
    return _missing_fields(text, str(environ.get("CONTENT_TYPE") or ""))


def _missing_fields(text: str, content_type: str) -> str | None:
    if "json" in content_type:
        try:
            body = json.loads(text or "{}")
        except ValueError:
            return "request body is not JSON"
        if not isinstance(body, dict):
            return "request body is not a JSON object"
        if body.get("type") == "event_callback" and not body.get("team_id"):
            return "event without team_id"
        return None
    form = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
    if "payload" in form:
        try:
            payload = json.loads(form["payload"])
        except ValueError:
            return "payload is not JSON"
        if not isinstance(payload, dict):
            return "payload is not a JSON object"
        user = payload.get("user") or {}
        team = (payload.get("team") or {}).get("id") or user.get("team_id")
        if not isinstance(user, dict) or not user.get("id") or not team:
            return "payload without user or team"
        return None
    if "command" in form and (not form.get("user_id") or not form.get("team_id")):
        return "command without user_id or team_id"
    return None


def _plain(start_response: Callable[..., Any], status: str, text: str) -> Iterable[bytes]:
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """gunicorn with threaded workers; each worker builds its own app (and scheduler) after the fork."""

    def __init__(self, factory: Callable[[], Any], *, host: str, port: int, workers: int) -> None:
        self.factory = factory
        self.options = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": THREADS,
            "timeout": 30,
            "graceful_timeout": 10,
            "accesslog": None,
            "loglevel": "warning",
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        app = self.factory()
        # What start-up built (the app, its listeners, compiled statements) lives as long as the worker:
        # left out of the collector, a full collection during a request does not walk it.
        gc.collect()
        gc.freeze()
        return app

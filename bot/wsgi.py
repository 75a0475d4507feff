"""HTTP mode: the WSGI application (Slack events, OAuth, health) and the gunicorn runner."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

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
        return self.slack(environ, start_response)  # type: ignore[arg-type]


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
        return self.factory()

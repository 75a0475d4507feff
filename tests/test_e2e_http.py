"""End to end over real HTTP: `foreman serve` (gunicorn) with the fake Slack server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.console.fake_slack import FakeSlack
from bot.console.payloads import Payloads
from storage.db import make_engine
from storage.models import LaborEntry

SECRET = "e2e-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(url: str, body: str, headers: dict[str, str]) -> tuple[int, str, float]:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), time.monotonic() - started


@pytest.fixture
def server(db_url: str, fake_slack: FakeSlack, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": db_url,
        "SLACK_BOT_TOKEN": "xoxb-e2e",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake_slack.url,
        "FOREMAN_SCHEDULER": "off",
        "FOREMAN_LOG_LEVEL": "WARNING",
    }
    env.pop("SLACK_APP_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise AssertionError(proc.stdout.read().decode() if proc.stdout else "serve did not start")
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def test_serve_health_and_signed_commands(server: str, db_url: str, fake_slack: FakeSlack) -> None:
    with urllib.request.urlopen(f"{server}/healthz", timeout=5) as response:
        assert json.loads(response.read()) == {"status": "ok", "db": "ok", "clock": "wall"}

    payloads = Payloads(secret=SECRET, team_id="T0TEAMA", response_base=fake_slack.base)
    create = payloads.command_body(
        "/project", "create E2E budget 5000 tz Asia/Shanghai", user="U1", channel="C1"
    )
    status, body, _ = _post(f"{server}/slack/events", create, payloads.headers(create))
    assert status == 200 and "E2E" in json.loads(body)["text"]

    log = payloads.command_body("/log-labor", "8h", user="U1", channel="C1")
    status, body, elapsed = _post(f"{server}/slack/events", log, payloads.headers(log))
    assert status == 200 and "L-1" in json.loads(body)["text"]
    assert elapsed < 3.0  # Slack's deadline for the acknowledgement

    forged = payloads.command_body("/log-labor", "9h", user="U1", channel="C1")
    headers = payloads.headers(forged) | {"X-Slack-Signature": "v0=" + "1" * 64}
    status, _, _ = _post(f"{server}/slack/events", forged, headers)
    assert status == 401

    engine = make_engine(db_url)
    with Session(engine) as s:
        entries = s.exec(select(LaborEntry)).all()
    engine.dispose()
    assert [(e.user_id, float(e.man_hours)) for e in entries] == [("U1", 8.0)]


def test_healthz_reports_database_down(fake_slack: FakeSlack, tmp_path: Path) -> None:
    from bot.app import build_app, build_services
    from bot.wsgi import ForemanWSGI
    from tests.conftest import make_settings

    settings = make_settings("postgresql+psycopg://nobody@127.0.0.1:1/none", fake_slack)
    app = build_app(settings, services=build_services(settings))
    captured: dict[str, str] = {}
    body = ForemanWSGI(app)(
        {"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"},
        lambda status, headers: captured.setdefault("status", status),
    )
    assert captured["status"].startswith("503")
    assert json.loads(b"".join(body)) == {"status": "degraded", "db": "down", "clock": "wall"}

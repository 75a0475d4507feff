"""The HTTP edge: malformed requests get 400 (no traceback, nothing stored); a database outage is answered
per surface — commands ephemerally in the language typed, events with 503 so Slack retries, buttons and
forms in place."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlmodel import Session, select

from bot.app import build_services
from bot.console.fake_slack import FakeSlack
from bot.console.payloads import sign
from bot.wsgi import MAX_BODY, ForemanWSGI
from storage.models import Task
from tests.conftest import make_settings
from tests.harness import SlackHarness
from tests.records2.helpers import setup


def _call(app: ForemanWSGI, raw: bytes, headers: dict[str, str]) -> tuple[str, bytes]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "QUERY_STRING": "",
        "CONTENT_LENGTH": str(len(raw)),
        "CONTENT_TYPE": headers.pop("Content-Type"),
        "wsgi.input": io.BytesIO(raw),
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
    }
    environ |= {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    seen: dict[str, str] = {}

    def start_response(status: str, _headers: list[tuple[str, str]]) -> None:
        seen["status"] = status

    out: Iterable[bytes] = app(environ, start_response)
    return seen["status"], b"".join(out)


def _signed(raw: bytes, ctype: str = "application/x-www-form-urlencoded") -> dict[str, str]:
    return {"Content-Type": ctype} | sign("test-secret", raw.decode("utf-8", "replace"))


def test_malformed_requests_get_400_and_store_nothing(slack: SlackHarness) -> None:
    setup(slack)
    app = ForemanWSGI(slack.app)
    good = slack.payloads.command_body("/task", 'add T-1 "Pour slab"', user="U0PM", channel="C0PROJ")
    assert _call(app, good.encode(), _signed(good.encode()))[0] == "200 OK"

    bad_utf8 = good.replace("T-1", "T-2").encode() + b"%20\xff\xfe"
    no_user = urlencode(
        {"command": "/task", "text": 'add T-3 "x"', "team_id": "T0TEAMA", "trigger_id": "1.2"}
    )
    no_team = urlencode({"command": "/task", "text": 'add T-4 "x"', "user_id": "U0PM", "trigger_id": "1.3"})
    big = ("text=" + "x" * (MAX_BODY + 1)).encode()
    action = json.loads(json.dumps({"type": "block_actions", "actions": [], "user": {}}))
    no_actor = urlencode({"payload": json.dumps(action)})
    for raw in (bad_utf8, no_user.encode(), no_team.encode(), big, no_actor.encode(), b"payload=%7Bnot"):
        status, body = _call(app, raw, _signed(raw))
        assert status == "400 Bad Request" and b"Traceback" not in body, (raw[:60], status, body)
    event = json.dumps({"type": "event_callback", "event_id": "Ev1", "event": {"type": "message"}}).encode()
    assert _call(app, event, _signed(event, "application/json"))[0] == "400 Bad Request"
    with Session(slack.services.engine) as s:
        assert [t.key for t in s.exec(select(Task)).all()] == ["T-1"]


@pytest.mark.parametrize(
    "down_url", ["sqlite:////nonexistent/dir/foreman.db", "postgresql+psycopg://postgres@127.0.0.1:1/foreman"]
)
def test_database_down_is_answered(down_url: str, fake_slack: FakeSlack) -> None:
    services = build_services(make_settings(down_url, fake_slack))
    slack = SlackHarness(services, fake_slack)

    zh = slack.command("/log-labor", "8小时 昨天")
    assert zh.status == 200 and zh.ephemeral and "未保存任何内容" in zh.text
    en = slack.command("/expense", "480 crane rental")
    assert en.status == 200 and en.ephemeral and "nothing was stored" in en.text

    assert slack.message("钢筋班 5人 8小时").status == 503  # Slack retries the event

    pressed = slack.action("rec_undo", json.dumps({"kind": "labor", "ids": [1]}))
    assert pressed.status == 200
    [answer] = fake_slack.calls_to("response_url")
    assert "nothing was changed" in answer.args["text"] and answer.args["replace_original"] is False

    submitted = slack.submit("records.expense", {}, private_metadata='{"channel": "C0PROJ"}')
    assert submitted.json["response_action"] == "update"
    assert "nothing was changed" in json.dumps(submitted.json["view"])
    services.engine.dispose()

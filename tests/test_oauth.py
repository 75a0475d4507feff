"""Many workspaces: the OAuth install flow keeps tokens in our database."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from typing import Any

from slack_sdk.oauth.installation_store import Installation

from bot.app import build_app, build_services
from bot.console.fake_slack import FakeSlack
from bot.wsgi import ForemanWSGI
from tests.conftest import make_settings


def call(app: ForemanWSGI, path: str, query: str = "") -> tuple[str, dict[str, str], bytes]:
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        captured["status"], captured["headers"] = status, dict(headers)

    environ = {
        "PATH_INFO": path,
        "REQUEST_METHOD": "GET",
        "QUERY_STRING": query,
        "wsgi.input": BytesIO(b""),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_LENGTH": "0",
        "wsgi.url_scheme": "https",
    }
    body = b"".join(app(environ, start_response))
    return captured["status"], captured["headers"], body


def test_install_page_links_to_slack_with_our_scopes(db_url: str, fake_slack: FakeSlack) -> None:
    settings = make_settings(
        db_url,
        fake_slack,
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="shh",
        slack_state_secret="state",
    )
    services = build_services(settings)
    wsgi = ForemanWSGI(build_app(settings, services=services))
    status, headers, body = call(wsgi, "/slack/install")
    assert status.startswith(("200", "302"))
    target = headers.get("Location", "") + body.decode()
    assert "slack.com/oauth/v2/authorize" in target and "client_id=111.222" in target
    assert "commands" in target and ("chat%3Awrite" in target or "chat:write" in target)
    services.engine.dispose()


def test_tokens_of_each_workspace_come_from_the_database(db_url: str, fake_slack: FakeSlack) -> None:
    settings = make_settings(
        db_url,
        fake_slack,
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="shh",
        slack_state_secret="state",
    )
    services = build_services(settings)
    assert services.installation_store is not None
    services.installation_store.save(
        Installation(
            app_id="A1",
            team_id="T0TEAMB",
            user_id="U1",
            bot_token="xoxb-team-b",
            bot_id="B1",
            bot_user_id="UB",
            installed_at=datetime.now(UTC).timestamp(),
        )
    )
    assert services.client_for("T0TEAMB").token == "xoxb-team-b"
    assert services.client_for("T0NOBODY").token is None
    services.engine.dispose()

"""No Slack call while a database transaction is open (enforced for the whole suite by conftest), and
read-only units of work take no write lock."""

from __future__ import annotations

import sqlite3

import pytest
from sqlmodel import select

from bot.app import Services, web_client
from bot.slack_client import SlackCallInTransaction
from storage.models import Project
from tests.harness import SlackHarness


def test_a_slack_call_inside_a_transaction_fails(services: Services) -> None:
    client = web_client(services.settings, "xoxb-test")
    with pytest.raises(SlackCallInTransaction), services.unit_of_work() as session:
        session.exec(select(Project)).all()
        client.auth_test()
    client.auth_test()  # outside: fine


def test_home_for_an_admin_asks_users_info_outside_any_transaction(slack: SlackHarness) -> None:
    slack.fake.add_user("U0ADMIN", is_admin=True)
    slack.create_project()
    reply = slack.dispatch(slack.payloads.app_home_opened(user="U0ADMIN"))
    assert reply.status == 200
    assert slack.fake.calls_to("users.info") and slack.fake.calls_to("views.publish")


def test_reads_take_no_write_lock(services: Services) -> None:
    if not services.settings.database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    with services.reading() as session:
        session.exec(select(Project)).all()
        other = sqlite3.connect(services.settings.database_url.removeprefix("sqlite:///"), timeout=0)
        other.isolation_level = None
        other.execute("BEGIN IMMEDIATE")  # would raise "database is locked" under a write lock
        other.execute("ROLLBACK")
        other.close()

"""Shared fixtures: databases (SQLite and PostgreSQL), the fake Slack server, the app under test."""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel

from bot.app import Services, build_services
from bot.config import Settings
from bot.console.fake_slack import FakeSlack
from storage.db import STRICT, make_engine, upgrade
from storage.types import use_clock
from tests.harness import SlackHarness

_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", None}


@pytest.fixture(autouse=True, scope="session")
def no_outside_network() -> Iterator[None]:
    """No test may reach Slack (or any other outside host): name resolution is limited to loopback."""
    real = socket.getaddrinfo

    def guarded(host: object, *args: object, **kwargs: object) -> object:
        if host not in _LOCAL_HOSTS:
            raise OSError(f"tests may not contact {host!r}")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    socket.getaddrinfo = guarded  # type: ignore[assignment]
    yield
    socket.getaddrinfo = real


@pytest.fixture(autouse=True)
def wall_clock_after_test() -> Iterator[None]:
    """A test that turned on a test clock leaves the wall clock behind for the next one."""
    yield
    use_clock(None)


PG_ADMIN = os.environ.get("FOREMAN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(autouse=True)
def console_files_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files a console test's Foreman uploads go under the test's tmp_path, never the working directory."""
    from bot.console import extras

    monkeypatch.setattr(extras, "FILES_DIR", tmp_path / "foreman-files")


def _pg_available() -> bool:
    try:
        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
        return True
    except psycopg.Error:
        return False


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def require_pg() -> None:
    """Go on only with PostgreSQL: skipped without it, except under CI=true, where its absence fails."""
    if not _pg_available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN} and CI=true requires it")
        pytest.skip("PostgreSQL is not reachable")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated once, dropped at the end."""
    require_pg()
    name = f"foreman_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    url = f"{base}/{name}"
    upgrade(url)
    yield url
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_RESET_SQL: dict[str, str] = {}


def _truncate_pg(engine: Engine) -> None:
    """Empty every table and restart every id sequence. DELETE, children first: on tables this small it
    takes a quarter of the time TRUNCATE does. The statements go to the server as one script in one
    transaction (one round trip instead of one per table and sequence), once per PostgreSQL test."""
    key = engine.url.render_as_string(hide_password=False)
    with engine.begin() as conn:
        if key not in _RESET_SQL:
            sequences = conn.execute(text("SELECT relname FROM pg_class WHERE relkind = 'S'")).scalars().all()
            _RESET_SQL[key] = "; ".join(
                [f'DELETE FROM "{table.name}"' for table in reversed(SQLModel.metadata.sorted_tables)]
                + [f'ALTER SEQUENCE "{sequence}" RESTART' for sequence in sequences]
            )
        conn.exec_driver_sql(_RESET_SQL[key])


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """A migrated, empty database: each test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "foreman.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("pg_url")
    engine = make_engine(url)
    _truncate_pg(engine)
    engine.dispose()
    yield url


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated SQLite database only (for tests that do not touch storage semantics)."""
    path = tmp_path / "foreman.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


# How often a test's fake Slack server looks for its stop: the default half second would be paid again in
# every test's teardown.
FAKE_SLACK_POLL = 0.02


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """The fake Slack Web API; every payload a test makes Foreman send must pass its Block Kit checks."""
    with FakeSlack(team_id="T0TEAMA", poll_interval=FAKE_SLACK_POLL) as fake:
        yield fake
    assert not fake.invalid, f"Slack would refuse these payloads: {fake.invalid}"


@pytest.fixture(autouse=True)
def no_slack_call_in_a_transaction() -> Iterator[None]:
    """Any Web API call made while a database transaction is open fails the test (bot/slack_client.py)."""
    STRICT["on"] = True
    yield
    STRICT["on"] = False


def make_settings(db_url: str, fake: FakeSlack, **extra: object) -> Settings:
    values: dict[str, object] = {
        "database_url": db_url,
        "slack_bot_token": "xoxb-test",
        "slack_signing_secret": "test-secret",
        "slack_api_url": fake.url,
        "foreman_scheduler": "off",
        "_env_file": None,
    }
    values.update(extra)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def services(db_url: str, fake_slack: FakeSlack) -> Iterator[Services]:
    svc = build_services(make_settings(db_url, fake_slack))
    yield svc
    svc.engine.dispose()


@pytest.fixture
def slack(services: Services, fake_slack: FakeSlack) -> SlackHarness:
    """The real app wired to the fake Slack server, on SQLite and on PostgreSQL."""
    return SlackHarness(services, fake_slack)


@pytest.fixture
def slack_lite(sqlite_url: str, fake_slack: FakeSlack) -> Iterator[SlackHarness]:
    """The real app on SQLite only, for tests of wording and parsing through Slack."""
    svc = build_services(make_settings(sqlite_url, fake_slack))
    yield SlackHarness(svc, fake_slack)
    svc.engine.dispose()

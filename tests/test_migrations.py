"""Migrations on real data: a database at 0001 with rows upgrades to today's schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from bot.services import idempotency, message_records
from storage.db import alembic_config, make_engine, upgrade
from storage.models import Confirmation, OutboxEntry, ProcessedRequest
from tests.conftest import PG_ADMIN, require_pg

AT = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
OPS = [{"op": "confirm", "channel": "C0PROJ", "ts": "1764122400.000100", "text": "Logged `L-1` 8 h 已记录"}]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    require_pg()
    name = f"foreman_mig_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _at_0001_with_rows(url: str) -> None:
    command.upgrade(alembic_config(url), "0001")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO processed_requests (team_id, key, result, created_at) VALUES "
                "(:team, :key, :result, :at)"
            ),
            [
                # a delivery that decided replies, one that decided none, and a confirmation ts
                {"team": "T1", "key": "event:Ev01", "result": json.dumps(OPS, ensure_ascii=False), "at": AT},
                {"team": "T1", "key": "reply:Ev01", "result": None, "at": AT},
                {
                    "team": "T1",
                    "key": "confirm:C0PROJ:1764122400.000100",
                    "result": "1764122401.000200",
                    "at": AT,
                },
                {
                    "team": "T2",
                    "key": "confirm:C0OTHER:1764122400.000100",
                    "result": "1764122409.000900",
                    "at": AT,
                },
            ],
        )
    engine.dispose()


def test_upgrade_moves_outbox_and_confirmations_out_of_the_request_keys(empty_url: str) -> None:
    _at_0001_with_rows(empty_url)
    upgrade(empty_url)
    engine = make_engine(empty_url)
    assert "result" not in {c["name"] for c in inspect(engine).get_columns("processed_requests")}
    with Session(engine) as s:
        keys = {(r.team_id, r.key) for r in s.exec(select(ProcessedRequest))}
        assert keys == {("T1", "event:Ev01"), ("T1", "reply:Ev01")}
        [entry] = s.exec(select(OutboxEntry)).all()
        assert (entry.team_id, entry.request_key, entry.created_at) == ("T1", "event:Ev01", AT)
        assert message_records.load_outcome(s, team_id="T1", key="event:Ev01") == OPS
        assert message_records.load_outcome(s, team_id="T1", key="reply:Ev01") == []
        confirmed = {
            (c.team_id, c.channel, c.message_ts, c.confirmation_ts) for c in s.exec(select(Confirmation))
        }
        assert confirmed == {
            ("T1", "C0PROJ", "1764122400.000100", "1764122401.000200"),
            ("T2", "C0OTHER", "1764122400.000100", "1764122409.000900"),
        }
        assert (
            message_records.confirmation_ts(s, team_id="T1", channel="C0PROJ", ts="1764122400.000100")
            == "1764122401.000200"
        )
        # The same message ts in another workspace is another message.
        assert (
            message_records.confirmation_ts(s, team_id="T2", channel="C0PROJ", ts="1764122400.000100") is None
        )
        # Keys keep working as keys: the delivery handled before the upgrade is still refused.
        assert not idempotency.claim(s, team_id="T1", key="event:Ev01")
        assert idempotency.claim(s, team_id="T1", key="event:Ev02")
    engine.dispose()


def test_downgrade_puts_the_rows_back(empty_url: str) -> None:
    _at_0001_with_rows(empty_url)
    upgrade(empty_url)
    command.downgrade(alembic_config(empty_url), "0001")
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        back = {
            (r.team_id, r.key, r.result)
            for r in conn.execute(text("SELECT team_id, key, result FROM processed_requests"))
        }
    assert back == {
        ("T1", "event:Ev01", json.dumps(OPS, ensure_ascii=False)),
        ("T1", "reply:Ev01", None),
        ("T1", "confirm:C0PROJ:1764122400.000100", "1764122401.000200"),
        ("T2", "confirm:C0OTHER:1764122400.000100", "1764122409.000900"),
    }
    assert not {"outbox", "confirmations"} & set(inspect(engine).get_table_names())
    engine.dispose()

"""Helpers shared by the records scenario tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from tests.harness import SlackHarness

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Shanghai


def rows(slack: SlackHarness, model: type, **where: Any) -> list[Any]:
    with Session(slack.services.engine) as s:
        query = select(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return sorted(s.exec(query).all(), key=lambda r: r.id)


def setup(slack: SlackHarness, text: str = "Demo budget 100000 CNY tz Asia/Shanghai") -> None:
    slack.services.clock = lambda: NOW
    slack.create_project(text)


def audit_rows(slack: SlackHarness, action: str, entity: str) -> list[tuple[dict | None, dict | None]]:
    from storage.models import AuditLog

    found = rows(slack, AuditLog, action=action, entity=entity)
    return [
        (json.loads(a.before) if a.before else None, json.loads(a.after) if a.after else None) for a in found
    ]

"""The audit log: who changed what, with before/after."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, SQLModel

from storage.models import AuditLog, Project


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def snapshot(row: SQLModel | None) -> dict[str, Any] | None:
    """A JSON-ready copy of a row's columns."""
    if row is None:
        return None
    return {k: _plain(v) for k, v in row.model_dump().items()}


def record(
    session: Session,
    *,
    project: Project,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int | None,
    before: Any = None,
    after: Any = None,
) -> None:
    """Add an audit row about the project to the current transaction (rows are snapshotted)."""

    def dump(v: Any) -> str | None:
        if v is None:
            return None
        if isinstance(v, SQLModel):
            v = snapshot(v)
        return json.dumps(v, ensure_ascii=False, default=_plain, sort_keys=True)

    session.add(
        AuditLog(
            team_id=project.team_id,
            project_id=project.pk,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            before=dump(before),
            after=dump(after),
        )
    )

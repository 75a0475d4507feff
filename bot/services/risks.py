"""Risks: register, score (probability × impact), update and close, every change audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session, func, select

from bot.services import audit, numbering
from bot.services.access import require
from bot.services.errors import InvalidInput, NotFound
from storage.models import Project, Risk

KIND_ROLES = {"tech": ("tech",), "management": ()}  # management risks: pm only (pm always passes)


class Scored(Protocol):
    """Anything with a probability and an impact (a stored risk, or one a view renders)."""

    probability: int
    impact: int


def score(risk: Scored) -> int:
    """Probability × impact (1-25)."""
    return risk.probability * risk.impact


def _require_for(session: Session, *, project: Project, actor: str, is_admin: bool, kind: str) -> None:
    require(session, project=project, user_id=actor, roles=KIND_ROLES.get(kind, ()), is_admin=is_admin)


def get_risk(session: Session, *, project: Project, number: int) -> Risk:
    """The project's risk R-<number>, or NotFound (never another workspace's risk)."""
    risk = session.exec(
        select(Risk).where(
            Risk.team_id == project.team_id, Risk.project_id == project.pk, Risk.number == number
        )
    ).first()
    if risk is None:
        raise NotFound("risk.not_found", risk=f"R-{number}")
    return risk


def add_risk(
    session: Session, *, project: Project, actor: str, is_admin: bool, values: dict[str, Any], now: datetime
) -> Risk:
    """Register a risk: technical ones by tech or pm, management ones by pm."""
    kind = str(values.get("kind") or "tech")
    _require_for(session, project=project, actor=actor, is_admin=is_admin, kind=kind)
    if values.get("status") == "closed":
        raise InvalidInput("risk.add_closed")
    numbering.serialize(session, project)
    highest = session.exec(select(func.max(Risk.number)).where(Risk.project_id == project.pk)).one()
    risk = Risk(
        team_id=project.team_id,
        project_id=project.pk,
        number=(highest or 0) + 1,
        title=str(values["title"]),
        kind=kind,
        probability=int(values.get("probability") or 3),
        impact=int(values.get("impact") or 3),
        owner_user_id=values.get("owner"),
        status=str(values.get("status") or "open"),
        mitigation=values.get("mitigation"),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    session.add(risk)
    session.flush()
    audit.record(
        session,
        project=project,
        actor=actor,
        action="create",
        entity="risk",
        entity_id=f"R-{risk.number}",
        after=risk,
    )
    return risk


def update_risk(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    number: int,
    values: dict[str, Any],
    now: datetime,
    action: str = "update",
) -> Risk:
    """Change probability, impact, owner, status, kind or mitigation; audited with before/after."""
    risk = get_risk(session, project=project, number=number)
    _require_for(session, project=project, actor=actor, is_admin=is_admin, kind=risk.kind)
    if "kind" in values and values["kind"] != risk.kind:
        _require_for(session, project=project, actor=actor, is_admin=is_admin, kind=str(values["kind"]))
    before = audit.snapshot(risk)
    names = {
        "probability": "probability",
        "impact": "impact",
        "owner": "owner_user_id",
        "status": "status",
        "kind": "kind",
        "mitigation": "mitigation",
        "title": "title",
    }
    for name, value in values.items():
        setattr(risk, names[name], value)
    risk.updated_at = now
    session.add(risk)
    session.flush()
    audit.record(
        session,
        project=project,
        actor=actor,
        action=action,
        entity="risk",
        entity_id=f"R-{risk.number}",
        before=before,
        after=risk,
    )
    return risk


def close_risk(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    number: int,
    values: dict[str, Any] | None = None,
    now: datetime,
) -> Risk:
    """Close a risk (same roles as updating it)."""
    return update_risk(
        session,
        project=project,
        actor=actor,
        is_admin=is_admin,
        number=number,
        values={**(values or {}), "status": "closed"},
        now=now,
        action="close",
    )


def open_risks(session: Session, *, project: Project) -> list[Risk]:
    """Risks not closed, highest score first, then newest."""
    found = session.exec(
        select(Risk).where(
            Risk.team_id == project.team_id, Risk.project_id == project.pk, Risk.status != "closed"
        )
    ).all()
    return sorted(found, key=lambda r: (-score(r), -r.number))

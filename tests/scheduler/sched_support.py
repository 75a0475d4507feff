"""Row builders for scheduler tests: projects, members, tasks, labor, expenses, risks straight into the tables."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from storage.models import (
    BudgetLine,
    Delivery,
    Expense,
    LaborEntry,
    Member,
    Project,
    Risk,
    Task,
)

TEAM = "T0TEAMA"


def add_project(session: Session, **values: Any) -> Project:
    """A stored project (defaults: Shanghai, CNY, Mon–Fri, standup 09:00, budget 100,000)."""
    n = uuid.uuid4().hex[:6].upper()
    fields: dict[str, Any] = {
        "team_id": TEAM,
        "channel_id": f"C{n}",
        "name": f"Project {n}",
        "code": f"P{n}",
        "timezone": "Asia/Shanghai",
        "currency": "CNY",
        "budget": Decimal("100000"),
        "created_by": "U0PM",
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    fields.update(values)
    project = Project(**fields)
    session.add(project)
    session.flush()
    if not session.exec(select(Member).where(Member.project_id == project.pk)).first():
        session.add(
            Member(team_id=project.team_id, project_id=project.pk, user_id=fields["created_by"], role="pm")
        )
    session.commit()
    return project


def add_member(session: Session, project: Project, user_id: str, role: str = "member") -> None:
    session.add(Member(team_id=project.team_id, project_id=project.pk, user_id=user_id, role=role))
    session.commit()


def add_task(session: Session, project: Project, key: str, **values: Any) -> Task:
    fields: dict[str, Any] = {"team_id": project.team_id, "project_id": project.pk, "key": key, "title": key}
    fields.update(values)
    if "weight" in fields:
        fields["weight"] = Decimal(str(fields["weight"]))
    task = Task(**fields)
    session.add(task)
    session.commit()
    return task


def add_labor(
    session: Session,
    project: Project,
    day: date,
    man_hours: str,
    cost: str | None,
    **values: Any,
) -> LaborEntry:
    fields: dict[str, Any] = {
        "team_id": project.team_id,
        "project_id": project.pk,
        "batch": uuid.uuid4().hex,
        "work_date": day,
        "user_id": "U0PM",
        "hours_each": Decimal(man_hours),
        "man_hours": Decimal(man_hours),
        "cost": Decimal(cost) if cost is not None else None,
        "currency": project.currency,
        "logged_by": "U0PM",
    }
    fields.update(values)
    entry = LaborEntry(**fields)
    session.add(entry)
    session.commit()
    return entry


def add_expense(
    session: Session, project: Project, day: date, amount: str, category: str = "material", **values: Any
) -> Expense:
    fields: dict[str, Any] = {
        "team_id": project.team_id,
        "project_id": project.pk,
        "spent_on": day,
        "amount": Decimal(amount),
        "currency": project.currency,
        "category": category,
        "logged_by": "U0PM",
    }
    fields.update(values)
    expense = Expense(**fields)
    session.add(expense)
    session.commit()
    return expense


def add_budget_line(session: Session, project: Project, category: str, amount: str) -> None:
    session.add(
        BudgetLine(team_id=project.team_id, project_id=project.pk, category=category, amount=Decimal(amount))
    )
    session.commit()


def add_risk(session: Session, project: Project, number: int, p: int, i: int, **values: Any) -> Risk:
    fields: dict[str, Any] = {
        "team_id": project.team_id,
        "project_id": project.pk,
        "number": number,
        "title": f"risk {number}",
        "probability": p,
        "impact": i,
        "created_by": "U0PM",
    }
    fields.update(values)
    risk = Risk(**fields)
    session.add(risk)
    session.commit()
    return risk


def deliveries(session: Session) -> list[Delivery]:
    session.expire_all()
    return list(session.exec(select(Delivery).order_by(Delivery.id)).all())  # type: ignore[arg-type]

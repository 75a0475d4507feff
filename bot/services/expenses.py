"""Expenses: money spent, with edit/void by the author or a pm (product §2, §3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from bot.services import audit
from bot.services.access import require
from bot.services.errors import Conflict, InvalidInput, Locked, NotFound
from bot.services.labor import _task_id
from storage.models import Expense, Project
from storage.types import utcnow

CATEGORIES = ("labor", "material", "equipment", "subcontract", "other")
CATEGORY_WORDS = {
    "人工": "labor",
    "材料": "material",
    "设备": "equipment",
    "分包": "subcontract",
    "其他": "other",
    "labour": "labor",
    "materials": "material",
}
EDITABLE = ("amount", "currency", "category", "vendor", "date", "task", "note", "receipt")
MAX_AMOUNT = Decimal("99999999999999.99")
CENT = Decimal("0.01")


def category_of(word: str) -> str | None:
    """A category from its English or Chinese name, else None."""
    key = word.strip().lower()
    return key if key in CATEGORIES else CATEGORY_WORDS.get(key)


def _check_amount(amount: Decimal | None) -> Decimal:
    if amount is None or amount <= 0 or amount > MAX_AMOUNT:
        raise InvalidInput("expense.bad_amount", amount="" if amount is None else format(amount, "f"))
    if amount != amount.quantize(CENT):
        # Stored and shown figures must agree: ¥3,200.999 would be kept and shown as ¥3,201.00.
        raise InvalidInput("expense.sub_cent", amount=format(amount, "f"))
    return amount


def _check_date(
    session: Session, *, project: Project, actor: str, is_admin: bool, day: date, today: date
) -> None:
    if day > today:
        raise InvalidInput("expense.future", date=day.isoformat())
    if (today - day).days > 31:
        require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)


def log_expense(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    intent: Any,
    spent_on: date,
    today: date,
    source: str = "command",
    slack_channel: str | None = None,
    slack_ts: str | None = None,
) -> Expense:
    """Store what an ExpenseIntent states; a currency other than the project's is kept as given."""
    amount = _check_amount(intent.amount)
    _check_date(session, project=project, actor=actor, is_admin=is_admin, day=spent_on, today=today)
    category = category_of(intent.category or "other")
    if category is None:
        raise InvalidInput("expense.bad_category", category=intent.category)
    expense = Expense(
        team_id=project.team_id,
        project_id=project.pk,
        spent_on=spent_on,
        amount=amount,
        currency=(intent.currency or project.currency).upper()[:3],
        category=category,
        vendor=(intent.vendor or None),
        note=intent.note or None,
        receipt_url=getattr(intent, "receipt", None) or None,
        task_id=_task_id(session, project, intent.task),
        source=source,
        slack_channel=slack_channel,
        slack_ts=slack_ts,
        logged_by=actor,
    )
    session.add(expense)
    session.flush()
    return expense


def get_expense(session: Session, *, project: Project, expense_id: int) -> Expense:
    """An expense of this project (and so of this workspace), or NotFound."""
    expense = session.exec(
        select(Expense).where(
            Expense.id == expense_id, Expense.project_id == project.pk, Expense.team_id == project.team_id
        )
    ).first()
    if expense is None:
        raise NotFound("expense.not_found", id=f"E-{expense_id}")
    return expense


def _ensure_modifiable(
    session: Session, *, project: Project, actor: str, is_admin: bool, expense: Expense
) -> None:
    if expense.void:
        raise Conflict("expense.already_void", id=f"E-{expense.id}")
    if expense.logged_by != actor:
        require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)
    if expense.approved:
        raise Locked(week=expense.spent_on.isoformat())


def void_expense(
    session: Session, *, project: Project, actor: str, is_admin: bool, expense_id: int
) -> Expense:
    """Void one expense (author or pm)."""
    expense = get_expense(session, project=project, expense_id=expense_id)
    _ensure_modifiable(session, project=project, actor=actor, is_admin=is_admin, expense=expense)
    before = audit.snapshot(expense)
    expense.void = True
    expense.voided_at = utcnow()
    session.add(expense)
    session.flush()
    audit.record(
        session,
        project=project,
        actor=actor,
        action="void",
        entity="expense",
        entity_id=expense.id,
        before=before,
        after=expense,
    )
    return expense


def undo_last_expense(session: Session, *, project: Project, actor: str, is_admin: bool) -> Expense:
    """Void the actor's most recent live expense in this project."""
    last = session.exec(
        select(Expense.id)
        .where(
            Expense.project_id == project.pk,
            Expense.team_id == project.team_id,
            Expense.logged_by == actor,
            col(Expense.void).is_(False),
        )
        .order_by(col(Expense.id).desc())
    ).first()
    if last is None:
        raise NotFound("expense.nothing_to_undo")
    return void_expense(session, project=project, actor=actor, is_admin=is_admin, expense_id=last)


def edit_expense(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    expense_id: int,
    changes: dict[str, Any],
    today: date,
) -> Expense:
    """Change fields of one expense; `changes` keys: amount, currency, category, vendor, date, task,
    note, receipt."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput("expense.bad_edit", fields=", ".join(sorted(unknown)))
    if not changes:
        raise InvalidInput("expense.nothing_to_edit")
    expense = get_expense(session, project=project, expense_id=expense_id)
    _ensure_modifiable(session, project=project, actor=actor, is_admin=is_admin, expense=expense)
    before = audit.snapshot(expense)
    if "amount" in changes:
        expense.amount = _check_amount(changes["amount"])
    if "currency" in changes:
        expense.currency = str(changes["currency"]).upper()[:3]
    if "category" in changes:
        category = category_of(str(changes["category"]))
        if category is None:
            raise InvalidInput("expense.bad_category", category=changes["category"])
        expense.category = category
    if "vendor" in changes:
        expense.vendor = changes["vendor"] or None
    if "date" in changes:
        _check_date(
            session,
            project=project,
            actor=actor,
            is_admin=is_admin,
            day=changes["date"],
            today=today,
        )
        expense.spent_on = changes["date"]
    if "task" in changes:
        expense.task_id = _task_id(session, project, changes["task"])
    if "note" in changes:
        expense.note = changes["note"] or None
    if "receipt" in changes:
        expense.receipt_url = changes["receipt"] or None
    session.add(expense)
    session.flush()
    audit.record(
        session,
        project=project,
        actor=actor,
        action="edit",
        entity="expense",
        entity_id=expense.id,
        before=before,
        after=expense,
    )
    return expense


def expenses_for_message(session: Session, *, team_id: str, channel: str, ts: str) -> list[Expense]:
    """The live expenses a Slack message created (for message edits and deletes)."""
    return list(
        session.exec(
            select(Expense)
            .where(
                Expense.team_id == team_id,
                Expense.slack_channel == channel,
                Expense.slack_ts == ts,
                col(Expense.void).is_(False),
            )
            .order_by(col(Expense.id))
        ).all()
    )


def expenses_between(
    session: Session, *, project: Project, start: date, end: date, user_id: str | None = None
) -> list[Expense]:
    """Live expenses dated within [start, end]; only the user's own when given."""
    query = select(Expense).where(
        Expense.project_id == project.pk,
        Expense.team_id == project.team_id,
        col(Expense.void).is_(False),
        Expense.spent_on >= start,
        Expense.spent_on <= end,
    )
    if user_id is not None:
        query = query.where(Expense.logged_by == user_id)
    return list(session.exec(query.order_by(col(Expense.spent_on), col(Expense.id))).all())

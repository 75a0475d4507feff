"""Expenses: money spent, with edit/void by the author or a pm (product §2, §3).

The lifecycle is the shared one in bot.services.records; this module adds amounts, currencies and
categories.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from bot.services import records
from bot.services.errors import InvalidInput
from bot.services.records import Origin
from bot.services.tasks import task_id_for
from storage.models import Expense, Project

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
EXPENSE = records.RecordKind(
    model=Expense,
    prefix="E",
    words="expense",
    entity="expense",
    date_field="spent_on",
    editable=EDITABLE,
    number_field="number",
)


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
    records.check_date(
        session, EXPENSE, project=project, actor=actor, is_admin=is_admin, day=spent_on, today=today
    )
    category = category_of(intent.category or "other")
    if category is None:
        raise InvalidInput("expense.bad_category", category=intent.category)
    expense = Expense(
        **records.new_fields(project, actor=actor, origin=Origin(source, slack_channel, slack_ts)),
        spent_on=spent_on,
        amount=amount,
        currency=(intent.currency or project.currency).upper()[:3],
        category=category,
        vendor=(intent.vendor or None),
        note=intent.note or None,
        receipt_url=getattr(intent, "receipt", None) or None,
        task_id=task_id_for(session, project=project, key=intent.task),
    )
    return records.store(session, [expense])[0]


def get_expense(session: Session, *, project: Project, expense_id: int) -> Expense:
    """An expense of this project (and so of this workspace), or NotFound."""
    return records.get(session, EXPENSE, project=project, record_id=expense_id)


def void_expense(
    session: Session, *, project: Project, actor: str, is_admin: bool, expense_id: int
) -> Expense:
    """Void one expense (author or pm)."""
    return records.void(
        session, EXPENSE, project=project, actor=actor, is_admin=is_admin, record_id=expense_id
    )


def void_this_expense(
    session: Session, *, project: Project, actor: str, is_admin: bool, expense: Expense
) -> Expense:
    """Void this expense row (author or pm): the one a message produced, not whichever shares its number."""
    return records.void_record(session, EXPENSE, project=project, actor=actor, is_admin=is_admin, row=expense)


def undo_last_expense(session: Session, *, project: Project, actor: str, is_admin: bool) -> Expense:
    """Void the actor's most recent live expense in this project."""
    return records.undo_last(session, EXPENSE, project=project, actor=actor, is_admin=is_admin)[0]


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

    def apply(expense: Expense, changes: dict[str, Any]) -> None:
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
            records.check_date(
                session,
                EXPENSE,
                project=project,
                actor=actor,
                is_admin=is_admin,
                day=changes["date"],
                today=today,
            )
            expense.spent_on = changes["date"]
        if "task" in changes:
            expense.task_id = task_id_for(session, project=project, key=changes["task"])
        if "note" in changes:
            expense.note = changes["note"] or None
        if "receipt" in changes:
            expense.receipt_url = changes["receipt"] or None

    return records.edit(
        session, EXPENSE, expense_id, changes, apply, project=project, actor=actor, is_admin=is_admin
    )


def expenses_between(
    session: Session, *, project: Project, start: date, end: date, user_id: str | None = None
) -> list[Expense]:
    """Live expenses dated within [start, end]; only the user's own when given."""
    return records.between(session, EXPENSE, project=project, start=start, end=end, user_id=user_id)


def expenses_for_message(session: Session, *, team_id: str, channel: str, ts: str) -> list[Expense]:
    """The live expenses a Slack message created (for message edits and deletes)."""
    return records.for_message(session, EXPENSE, team_id=team_id, channel=channel, ts=ts)

"""Replies about expenses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from bot.views.catalog import t
from bot.views.format import day, expense_id, fx_rate, money
from bot.views.rows import Converted, Expense, Project


def category_name(category: str, lang: str) -> str:
    """The category in the reader's language."""
    return t(lang, f"expense.cat.{category}")


def amount_text(expense: Expense, *, lang: str, fx: Mapping[int, Converted] | None = None) -> str:
    """The amount as recorded; a foreign one also in the project currency at its rate, or "not counted"."""
    shown = money(expense.amount, expense.currency)
    found = fx.get(expense.id) if fx and expense.id is not None else None
    if found is None:
        return shown
    if found.amount is None or found.rate is None:
        return t(lang, "books.fx_missing", amount=shown, currency=expense.currency)
    return t(
        lang,
        "books.fx_shown",
        amount=shown,
        converted=money(found.amount, found.currency),
        rate=fx_rate(found.rate),
    )


def expense_line(
    expense: Expense,
    *,
    lang: str,
    tasks: Mapping[int, str] | None = None,
    fx: Mapping[int, Converted] | None = None,
) -> str:
    """One stored expense: id, date, amount (with its conversion), category, vendor, task, note."""
    extras = []
    if expense.vendor:
        extras.append(t(lang, "expense.vendor", vendor=expense.vendor))
    if expense.task_id and tasks and expense.task_id in tasks:
        extras.append(t(lang, "expense.task", task=tasks[expense.task_id]))
    if expense.receipt_url:
        extras.append(t(lang, "expense.receipt", url=expense.receipt_url))
    if expense.note:
        extras.append(f"“{expense.note}”")
    return t(
        lang,
        "expense.line",
        id=expense_id(expense.number),
        date=day(expense.spent_on, lang),
        amount=amount_text(expense, lang=lang, fx=fx),
        category=category_name(expense.category, lang),
        extras=("，" if lang == "zh" else ", ").join(extras) if extras else "",
        sep=("，" if lang == "zh" else ", ") if extras else "",
    )


def logged_text(
    project: Project,
    expense: Expense,
    *,
    lang: str,
    actor: str,
    tasks: Mapping[int, str] | None = None,
    fx: Mapping[int, Converted] | None = None,
) -> str:
    """The confirmation of what was stored (noting a currency other than the project's)."""
    text = (
        t(lang, "expense.logged", project=project.code)
        + "\n"
        + expense_line(expense, lang=lang, tasks=tasks, fx=fx)
    )
    if expense.currency != project.currency:
        text += "\n" + t(
            lang, "expense.other_currency", currency=expense.currency, project_currency=project.currency
        )
    return text


def voided_text(expense: Expense, *, lang: str) -> str:
    """The confirmation of a void or undo."""
    return t(
        lang, "expense.voided", id=expense_id(expense.number), amount=money(expense.amount, expense.currency)
    )


def edited_text(
    expense: Expense,
    *,
    lang: str,
    tasks: Mapping[int, str] | None = None,
    fx: Mapping[int, Converted] | None = None,
) -> str:
    """The confirmation of an edit, showing the entry as now stored."""
    return t(lang, "expense.edited") + "\n" + expense_line(expense, lang=lang, tasks=tasks, fx=fx)


def list_text(
    project: Project,
    rows: Sequence[Expense],
    *,
    lang: str,
    period: str,
    tasks: Mapping[int, str] | None = None,
    fx: Mapping[int, Converted] | None = None,
) -> str:
    """A list of expenses with totals per currency."""
    if not rows:
        return t(lang, "expense.list_empty", period=period)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        totals[row.currency] += Decimal(row.amount)
    lines = [t(lang, "expense.list_header", project=project.code, period=period, count=len(rows))]
    lines += [expense_line(r, lang=lang, tasks=tasks, fx=fx) for r in rows]
    total = " + ".join(money(v, k) for k, v in sorted(totals.items()))
    lines.append(t(lang, "expense.list_total", total=total))
    return "\n".join(lines)

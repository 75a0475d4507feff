"""Expense statements: amount, currency, category, vendor, date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.parsing import categories
from bot.parsing.common import Context, take_date, take_note, take_task_key
from bot.parsing.durations import Scratch
from bot.parsing.messages import message
from bot.parsing.money import category_of, find_money
from bot.parsing.result import ExpenseIntent

_I = re.IGNORECASE
_RECEIPT_RE = re.compile(r"(?:(?:receipt|发票|收据|小票)\s*:?\s*)?(https?://\S+)", _I)
_VENDOR_RE = re.compile(
    r"(?:(?<![A-Za-z])(?:vendor|supplier)\s*:?\s*|供应商\s*:?\s*|商家\s*:?\s*|(?<![<\w])@)"
    r"(?P<v>[^\s,;，；]+(?:\s+[A-Z][\w&.'-]*)*)"
    r"|(?<![A-Za-z])from\s+(?P<f>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*)*)",
)
EXPENSE_VERB_RE = re.compile(
    r"(?<![A-Za-z])(?:paid|pay|bought|buy|spent|purchased|ordered|cost|costs|invoice|invoiced|expense|reimburse)(?![A-Za-z])"
    r"|买了|买|花了|花费|付了|付款|支付|购买|采购|报销|租了|交了|结了",
    _I,
)


@dataclass(frozen=True)
class ExpenseParse:
    """An expense intent with its date and error."""

    expense: ExpenseIntent
    date: date
    error: str | None
    has_marked_amount: bool
    rest: str = ""


def parse_expense(text: str, ctx: Context, *, allow_bare_amount: bool) -> ExpenseParse:
    """Read an expense statement; an incomplete one still returns what was understood plus an error."""
    s = Scratch(text)
    note = take_note(s)
    receipt_m = s.take(_RECEIPT_RE)
    task = take_task_key(s)
    # Amounts come out before dates so "¥1200" is never the year 1200; bare numbers only after dates.
    found = find_money(s.text, allow_bare=False)
    marked = found is not None
    if found is not None:
        s.cut(found[2], found[3])
    spend_date = take_date(s, ctx)
    if found is None and allow_bare_amount:
        found = find_money(s.text, allow_bare=True)
        if found is not None:
            s.cut(found[2], found[3])
    vendor = None
    vm = s.take(_VENDOR_RE)
    if vm is not None:
        vendor = (vm.group("v") or vm.group("f") or "").strip(" :,.;") or None
    rest = s.text
    category = category_of(s.text)
    if category == "other" and vendor:
        category = category_of(vendor)
    if category == "other":
        category = categories.category_for(s.text, vendor) or category
    # What was bought (the words around the amount) and the note after `--` are both kept.
    described = categories.describe(s.text)
    note = f"{described} — {note}" if note and described else note or described
    amount = found[0] if found else None
    currency = (found[1] if found and found[1] else ctx.currency).upper()
    day = spend_date or ctx.today
    expense = ExpenseIntent(
        amount=amount,
        currency=currency,
        category=category,
        vendor=vendor,
        task=task,
        note=note,
        receipt=receipt_m.group(1) if receipt_m else None,
    )
    error = None
    if amount is None:
        error = message("expense_no_amount", ctx.lang)
    elif amount <= 0:
        error = message("expense_bad_amount", ctx.lang)
    elif day > ctx.today:
        error = message("expense_future", ctx.lang, date=day.isoformat())
    return ExpenseParse(expense=expense, date=day, error=error, has_marked_amount=marked, rest=rest)

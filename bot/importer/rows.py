"""Checking one imported row and turning it into the values to store (pure but for the lookups passed in).

Labor: `工日` and `工时` are per person (like `/log-labor`); a rate without a unit is per day (工日单价);
with a rate the cost is computed (a stated cost must agree), without one a stated cost is kept as is.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from bot.services.expenses import MAX_AMOUNT, category_of
from bot.services.labor import CENT, Rate, labor_cost, week_start
from storage.models import Project

MAX_HOURS_A_DAY = Decimal(24)
_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?\s*$")
_USER_RE = re.compile(r"^<?@?([UW][A-Z0-9]{2,})(?:\|[^>]*)?>?$")
_TASK_RE = re.compile(r"^[A-Za-z]{1,10}-\d{1,6}$")
UNITS = {"hour": "hour", "h": "hour", "hr": "hour", "小时": "hour", "时": "hour", "day": "day", "d": "day",
         "天": "day", "日": "day", "工日": "day"}  # fmt: skip
STATUSES = {"todo": "todo", "未开始": "todo", "in_progress": "in_progress", "进行中": "in_progress",
            "done": "done", "完成": "done", "已完成": "done", "blocked": "blocked", "受阻": "blocked"}  # fmt: skip


class RowError(ValueError):
    """Why a row is invalid: a catalog key and its parameters."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}")


@dataclass
class Lookups:
    """What checking a project's rows needs from storage, read once."""

    project: Project
    today: date
    tasks: dict[str, int]
    locked_weeks: set[date]
    hours_used: dict[tuple[str, date], Decimal] = field(default_factory=dict)
    worker_rates: dict[str, Rate] = field(default_factory=dict)
    crew_rates: dict[str, Rate] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Read once: an ORM attribute read costs more than checking a field.
        self.code = self.project.code.upper()
        self.currency = self.project.currency
        self.std = Decimal(self.project.hours_per_day)
        self.multiplier = Decimal(self.project.overtime_multiplier)


@dataclass(frozen=True)
class Parsed:
    """A valid row: the values to store, the worker and crew names to resolve, and its fingerprint basis."""

    values: dict[str, Any]
    worker: str | None = None
    crew: str | None = None
    basis: str = ""


def fingerprint(kind: str, project_id: int, basis: str, occurrence: int) -> str:
    """A stable id of a row's content (the n-th identical row of a file gets its own)."""
    text = f"{kind}|{project_id}|{basis}|{occurrence}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(value: Any, name: str = "date") -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    found = _date_text(str(value))
    if found is None:
        raise RowError("import.bad_date", field=name, value=str(value))
    return found


@lru_cache(maxsize=4096)
def _date_text(text: str) -> date | None:
    """A date written as text (a sheet repeats its dates, so each is read once)."""
    m = _DATE_RE.match(text)
    if m is None:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _decimal(value: Any, name: str) -> Decimal:
    if isinstance(value, bool):
        raise RowError("import.bad_number", field=name, value=str(value))
    if isinstance(value, float):
        # A number cell: its exact decimal form (1e+16 is how Python writes a float, not what was typed).
        number = (
            Decimal(repr(value)) if value == value and value not in (float("inf"), float("-inf")) else None
        )
        if number is None:
            raise RowError("import.bad_number", field=name, value=str(value))
        return number
    number = _number_text(str(value))
    if number is None:
        raise RowError("import.bad_number", field=name, value=str(value))
    return number


# A number written as text: an optional currency symbol and sign, commas only between groups of three digits
# (1,234.50), never an exponent. "12,00" is not 1200 and "1.23457E+11" (how Excel shows a long number it has
# rounded) is not an amount: both are refused, as the chat grammar refuses them.
_NUMBER_TEXT_RE = re.compile(r"[¥￥$€]?\s*[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?")


@lru_cache(maxsize=4096)
def _number_text(text: str) -> Decimal | None:
    """A finite number written as text, else None (sheets repeat their numbers, so each is read once)."""
    text = text.strip()
    if not _NUMBER_TEXT_RE.fullmatch(text) or not any(c.isdigit() for c in text):
        return None
    try:
        return Decimal(re.sub(r"[¥￥$€,\s]", "", text))
    except InvalidOperation:
        return None


def _positive(value: Any, name: str, *, zero: bool = False) -> Decimal:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return _positive_once(value, name, zero)  # sheets repeat their numbers: each is checked once
    return _checked_positive(value, name, zero)


@lru_cache(maxsize=4096, typed=True)
def _positive_once(value: str | int | float, name: str, zero: bool) -> Decimal:
    return _checked_positive(value, name, zero)


def _checked_positive(value: Any, name: str, zero: bool) -> Decimal:
    number = _decimal(value, name)
    if number < 0 or (number == 0 and not zero):
        raise RowError("import.not_positive", field=name, value=str(value))
    return number


def _money(value: Any, name: str) -> Decimal:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return _money_once(value, name)
    return _checked_money(value, name)


@lru_cache(maxsize=4096, typed=True)
def _money_once(value: str | int | float, name: str) -> Decimal:
    return _checked_money(value, name)


def _checked_money(value: Any, name: str) -> Decimal:
    number = _positive(value, name)
    if number != number.quantize(CENT) or number > MAX_AMOUNT:
        raise RowError("import.bad_money", field=name, value=str(value))
    return number.quantize(CENT)


def _whole(value: Any, name: str) -> int:
    number = _positive(value, name)
    if number != number.to_integral_value():
        raise RowError("import.not_whole", field=name, value=str(value))
    return int(number)


@lru_cache(maxsize=4096)
def _norm(d: Decimal | None) -> str:
    """A number's canonical text (8, 8.0 and 8.000 are one value)."""
    return "" if d is None else format(d.normalize(), "f")


def _common(row: dict[str, Any], ctx: Lookups, *, when: date) -> dict[str, Any]:
    code = _text(row.get("project"))
    if code is not None and code.upper() != ctx.code:
        raise RowError("import.other_project", row_project=code, project=ctx.code)
    if when > ctx.today:
        raise RowError("import.future", date=when.isoformat())
    currency = (_text(row.get("currency")) or ctx.currency).upper()
    task = _text(row.get("task"))
    task_id = None
    if task is not None:
        if not _TASK_RE.match(task) or task.upper() not in ctx.tasks:
            raise RowError("import.unknown_task", task=task)
        task_id = ctx.tasks[task.upper()]
    return {"currency": currency, "task_id": task_id, "note": _text(row.get("note"))}


@lru_cache(maxsize=4096)
def _cost(
    man_hours: Decimal, overtime: Decimal, rate: Rate | None, std: Decimal, multiplier: Decimal
) -> Decimal | None:
    """labor_cost of one row; rows of a timesheet repeat their figures, so each is costed once."""
    return labor_cost(
        man_hours=man_hours,
        overtime_hours=overtime,
        rate=rate,
        standard_hours=std,
        overtime_multiplier=multiplier,
    )


def labor_row(row: dict[str, Any], ctx: Lookups) -> Parsed:
    """A labor row's entry, or RowError."""
    if "date" not in row:
        raise RowError("import.missing", field="date / 日期")
    work_date = _date(row["date"])
    common = _common(row, ctx, when=work_date)
    if common["currency"] != ctx.currency:
        raise RowError("import.labor_currency", currency=common["currency"], project_currency=ctx.currency)
    if week_start(work_date) in ctx.locked_weeks:
        raise RowError("import.locked", week=week_start(work_date).isoformat())
    user = None
    if _text(row.get("user")) is not None:
        m = _USER_RE.match(str(row["user"]).strip())
        if m is None:
            raise RowError("import.bad_user", value=str(row["user"]))
        user = m.group(1)
    worker = _text(row.get("worker"))
    crew = _text(row.get("crew"))
    if user and worker:
        raise RowError("import.user_and_worker")
    headcount = _whole(row["headcount"], "headcount / 人数") if "headcount" in row else 1
    if (user or worker) and headcount != 1:
        raise RowError("import.person_headcount", headcount=headcount)
    if not (user or worker or crew or headcount > 1):
        raise RowError("import.nobody")
    std = ctx.std
    hours = _positive(row["hours_each"], "hours / 工时") if "hours_each" in row else None
    if "days_each" in row:
        by_days = _positive(row["days_each"], "days / 工日") * std
        if hours is not None and hours != by_days:
            raise RowError("import.days_hours", days=str(row["days_each"]), hours=_norm(hours))
        hours = by_days
    if "man_hours" in row:
        total = _positive(row["man_hours"], "man_hours")
        if hours is None:
            hours = total / headcount
        if hours * headcount != total:
            raise RowError(
                "import.man_hours", man_hours=_norm(total), hours=_norm(hours), headcount=headcount
            )
    if hours is None:
        raise RowError("import.missing", field="hours / 工时 / 工日")
    if hours > MAX_HOURS_A_DAY and not (hours % std == 0 and hours <= std * 31):
        raise RowError("import.too_many_hours", hours=_norm(hours))
    overtime = (
        _positive(row["overtime_hours"], "overtime / 加班", zero=True)
        if "overtime_hours" in row
        else Decimal(0)
    )
    person = f"u:{user}" if user else (f"w:{worker}" if worker else None)
    if person is not None and hours <= MAX_HOURS_A_DAY:
        used = ctx.hours_used.get((person, work_date), Decimal(0)) + hours + overtime
        if used > MAX_HOURS_A_DAY:
            raise RowError(
                "import.day_over_24", who=user or worker or "", date=work_date.isoformat(), hours=_norm(used)
            )
        ctx.hours_used[(person, work_date)] = used
    rate: Rate | None = None
    if "rate" in row:
        unit_word = (_text(row.get("rate_unit")) or "day").lower().lstrip("/")
        unit = UNITS.get(unit_word)
        if unit is None:
            raise RowError("import.bad_unit", value=unit_word)
        rate = Rate(_money(row["rate"], "rate / 单价"), unit)
    elif "cost" not in row:
        rate = (ctx.worker_rates.get(worker) if worker else None) or (
            ctx.crew_rates.get(crew) if crew else None
        )
    man_hours = hours * headcount
    cost = _cost(man_hours, overtime, rate, std, ctx.multiplier)
    if "cost" in row:
        stated = _money(row["cost"], "cost / 金额")
        if cost is not None and cost != stated:
            raise RowError("import.cost_mismatch", cost=str(stated), computed=str(cost))
        cost = stated
    values = {
        "work_date": work_date,
        "user_id": user,
        "headcount": headcount,
        "hours_each": hours,
        "man_hours": man_hours,
        "overtime_hours": overtime,
        "rate": rate.amount if rate else None,
        "rate_unit": rate.unit if rate else None,
        "cost": cost,
        "currency": ctx.currency,
        "task_id": common["task_id"],
        "note": common["note"],
        "logged_by": _text(row.get("logged_by")) or "import",
    }
    basis = "|".join(
        [work_date.isoformat(), user or "", worker or "", crew or "", str(headcount), _norm(hours), _norm(overtime),
         _norm(rate.amount) if rate else "", rate.unit if rate else "", _norm(cost), str(common["task_id"] or ""),
         common["note"] or ""]
    )  # fmt: skip
    return Parsed(values, worker=worker, crew=crew, basis=basis)


def expense_row(row: dict[str, Any], ctx: Lookups) -> Parsed:
    """An expense row's values, or RowError."""
    for name, label in (("date", "date / 日期"), ("amount", "amount / 金额")):
        if name not in row:
            raise RowError("import.missing", field=label)
    spent_on = _date(row["date"])
    common = _common(row, ctx, when=spent_on)
    if not re.fullmatch(r"[A-Z]{3}", common["currency"]):
        raise RowError("import.bad_currency", value=common["currency"])
    amount = _money(row["amount"], "amount / 金额")
    word = _text(row.get("category"))
    category = category_of(word) if word else "other"
    if category is None:
        raise RowError("import.bad_category", value=word)
    vendor = _text(row.get("vendor"))
    receipt = _text(row.get("receipt"))
    values = {
        "spent_on": spent_on,
        "amount": amount,
        "currency": common["currency"],
        "category": category,
        "vendor": vendor,
        "note": common["note"],
        "receipt_url": receipt,
        "task_id": common["task_id"],
        "logged_by": _text(row.get("logged_by")) or "import",
    }
    basis = "|".join(
        [spent_on.isoformat(), _norm(amount), common["currency"], category, vendor or "", str(common["task_id"] or ""),
         common["note"] or "", receipt or ""]
    )  # fmt: skip
    return Parsed(values, basis=basis)


def task_row(row: dict[str, Any], ctx: Lookups) -> Parsed:
    """A task row's values, or RowError (an existing key is refused by the caller)."""
    key = _text(row.get("key"))
    if key is None or not _TASK_RE.match(key):
        raise RowError("import.bad_key", value=key or "")
    title = _text(row.get("title"))
    if title is None:
        raise RowError("import.missing", field="title / 任务")
    if len(title) > 300:
        raise RowError("import.long_title")
    code = _text(row.get("project"))
    if code is not None and code.upper() != ctx.code:
        raise RowError("import.other_project", row_project=code, project=ctx.code)
    owner = None
    if _text(row.get("owner")) is not None:
        m = _USER_RE.match(str(row["owner"]).strip())
        if m is None:
            raise RowError("import.bad_user", value=str(row["owner"]))
        owner = m.group(1)
    word = (_text(row.get("status")) or "todo").lower()
    status = STATUSES.get(word)
    if status is None:
        raise RowError("import.bad_status", value=word)
    progress = 0
    if "progress" in row:
        progress = int(
            _positive(str(row["progress"]).rstrip("%"), "progress / 进度", zero=True).to_integral_value(
                ROUND_HALF_UP
            )
        )
        if progress > 100:
            raise RowError("import.bad_progress", value=str(row["progress"]))
    if status == "done":
        progress = 100
    start = _date(row["start"], "start") if "start" in row else None
    due = _date(row["due"], "due") if "due" in row else None
    if start and due and due < start:
        raise RowError("import.due_before_start", start=start.isoformat(), due=due.isoformat())
    weight = _positive(row["weight"], "weight / 权重") if "weight" in row else Decimal(1)
    values = {
        "key": key.upper(),
        "title": title,
        "owner_user_id": owner,
        "status": status,
        "progress": progress,
        "start_date": start,
        "due_date": due,
        "weight": weight,
        "blocker": _text(row.get("blocker")) if status == "blocked" else None,
    }
    basis = "|".join(str(values[k] or "") for k in values)
    return Parsed(values, basis=basis)


CHECKS = {"labor": labor_row, "expenses": expense_row, "tasks": task_row}

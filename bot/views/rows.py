"""The shapes of the records views render: only the fields they read, so views need no storage."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Protocol


class Project(Protocol):
    """The Project fields views read."""

    budget: Decimal
    code: str
    currency: str
    end_date: date | None
    holidays_country: str | None
    hours_per_day: Decimal
    language: str
    meeting_every_weeks: int
    meeting_time: str
    meeting_weekday: int
    name: str
    overtime_multiplier: Decimal

    @property
    def pk(self) -> int: ...

    prompts_enabled: bool
    stale_days: int
    standup_time: str
    start_date: date | None
    thresholds: str
    timezone: str
    tolerance: int
    workdays: str


class Task(Protocol):
    """The Task fields views read."""

    blocker: str | None
    due_date: date | None
    key: str
    owner_user_id: str | None
    progress: int
    start_date: date | None
    status: str
    title: str
    weight: Decimal


class TaskUpdate(Protocol):
    """The TaskUpdate fields views read."""

    blocker: str | None
    progress_after: int | None
    progress_before: int | None
    status_after: str | None
    status_before: str | None


class Risk(Protocol):
    """The Risk fields views read."""

    impact: int
    kind: str
    mitigation: str | None
    number: int
    owner_user_id: str | None
    probability: int
    status: str
    title: str


class LaborEntry(Protocol):
    """The LaborEntry fields views read."""

    cost: Decimal | None
    crew_id: int | None
    currency: str
    headcount: int
    hours_each: Decimal
    id: int | None
    man_hours: Decimal
    number: int | None
    overtime_hours: Decimal
    user_id: str | None
    work_date: date
    worker_id: int | None


class Shift(Protocol):
    """The Shift fields views read."""

    started_at: datetime
    user_id: str


class Expense(Protocol):
    """The Expense fields views read."""

    amount: Decimal
    category: str
    currency: str
    id: int | None
    note: str | None
    number: int | None
    receipt_url: str | None
    spent_on: date
    task_id: int | None
    vendor: str | None


class Converted(Protocol):
    """A foreign record's amount in the project currency (None without a rate) and the rate used."""

    @property
    def amount(self) -> Decimal | None: ...

    @property
    def rate(self) -> Decimal | None: ...

    @property
    def currency(self) -> str: ...


class Meeting(Protocol):
    """The Meeting fields views read."""

    meeting_on: date
    pm_update: str | None
    tech_assessment: str | None


class BudgetLine(Protocol):
    """The BudgetLine fields views read."""

    amount: Decimal
    category: str


class Crew(Protocol):
    """The Crew fields views read."""

    lead_user_id: str | None
    name: str
    rate: Decimal | None
    rate_unit: str | None


class Member(Protocol):
    """The Member fields views read."""

    role: str
    user_id: str


class Worker(Protocol):
    """The Worker fields views read."""

    name: str
    rate: Decimal | None
    rate_unit: str | None


class FundRecord(Protocol):
    """The FundRecord fields views read (issue 15)."""

    amount: Decimal
    currency: str
    kind: str
    note: str | None
    number: int
    paid_on: date
    user_id: str | None
    worker_id: int | None


class PayRate(Protocol):
    """The PayRate fields views read (books, issue 11)."""

    amount: Decimal
    effective_from: date | None
    subject: str
    subject_kind: str
    unit: str


class FxRate(Protocol):
    """The FxRate fields views read (books, issue 11)."""

    currency: str
    effective_from: date | None
    rate: Decimal

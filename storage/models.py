"""Foreman's tables. Every row carries the Slack workspace (team_id) it belongs to."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Column, Index, Numeric, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import Money, Quantity, ScaledDecimal, UTCDateTime, utcnow


def _money(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(Money(), nullable=nullable)


def _qty(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(Quantity(), nullable=nullable)


def _weight() -> Column:  # type: ignore[type-arg]
    return Column(Numeric(12, 3), nullable=False)


# A partial index over live rows only (voided records keep their numbers), on SQLite and PostgreSQL.
_LIVE_ONLY: dict[str, Any] = {"sqlite_where": text("NOT void"), "postgresql_where": text("NOT void")}
_DAY_HOURS = ("void", "hours_each", "overtime_hours", "headcount")


def _instant(nullable: bool = True) -> Column:  # type: ignore[type-arg]
    return Column(UTCDateTime(), nullable=nullable)


class Project(SQLModel, table=True):
    """A project, bound to exactly one Slack channel of one workspace."""

    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", name="uq_project_channel"),
        UniqueConstraint("team_id", "code", name="uq_project_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    channel_id: str = Field(max_length=32)
    name: str = Field(max_length=200)
    code: str = Field(max_length=16)
    timezone: str = Field(default="UTC", max_length=64)
    language: str = Field(default="en", max_length=2)
    currency: str = Field(default="CNY", max_length=3)
    budget: Decimal = Field(default=Decimal("0"), sa_column=_money())
    standup_time: str = Field(default="09:00", max_length=5)
    workdays: str = Field(default="0,1,2,3,4", max_length=20)
    holidays_country: str | None = Field(default=None, max_length=8)
    start_date: date | None = None
    end_date: date | None = None
    hours_per_day: Decimal = Field(default=Decimal("8"), sa_column=_qty())
    overtime_multiplier: Decimal = Field(default=Decimal("1.5"), sa_column=_qty())
    thresholds: str = Field(default="50,80,100", max_length=40)
    stale_days: int = 3
    tolerance: int = 15
    meeting_every_weeks: int = 2
    meeting_weekday: int = 1
    meeting_time: str = Field(default="10:00", max_length=5)
    prompts_enabled: bool = False
    prompt_minutes_before: int = 30
    grace_minutes: int = 120
    log_time: str = Field(default="18:00", max_length=5)  # daily log (issue 16): HH:MM or "off"
    # books (issue 11): hours past this in one person's day are overtime; None = off
    overtime_after: Decimal | None = Field(default=None, sa_column=_qty(True))
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))

    @property
    def pk(self) -> int:
        """The id of a stored project (typed as int for the rows that refer to it)."""
        assert self.id is not None, "project not flushed yet"
        return self.id


class ProjectRev(SQLModel, table=True):
    """A project's revision: bumped by every write to what requests cache of it (bot/services/cache.py)."""

    __tablename__ = "project_revs"

    project_id: int = Field(foreign_key="projects.id", primary_key=True)
    rev: int = Field(default=0, sa_type=BigInteger, sa_column_kwargs={"server_default": "0"})


class Member(SQLModel, table=True):
    """A Slack user's role in a project."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("project_id", "user_id", name="uq_member"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id", index=True)
    user_id: str = Field(max_length=32)
    role: str = Field(default="member", max_length=16)
    timezone: str | None = Field(default=None, max_length=64)
    language: str | None = Field(default=None, max_length=2)


class Crew(SQLModel, table=True):
    """A crew (班组) with an optional default rate."""

    __tablename__ = "crews"
    __table_args__ = (UniqueConstraint("project_id", "name", name="uq_crew"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id", index=True)
    name: str = Field(max_length=100)
    rate: Decimal | None = Field(default=None, sa_column=_money(True))
    rate_unit: str | None = Field(default=None, max_length=4)
    lead_user_id: str | None = Field(default=None, max_length=32)


class Worker(SQLModel, table=True):
    """A named laborer, who may have no Slack account."""

    __tablename__ = "workers"
    __table_args__ = (UniqueConstraint("project_id", "name", name="uq_worker"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id", index=True)
    name: str = Field(max_length=100)
    crew_id: int | None = Field(default=None, foreign_key="crews.id")
    rate: Decimal | None = Field(default=None, sa_column=_money(True))
    rate_unit: str | None = Field(default=None, max_length=4)


class BudgetLine(SQLModel, table=True):
    """A budget per expense category."""

    __tablename__ = "budget_lines"
    __table_args__ = (UniqueConstraint("project_id", "category", name="uq_budget_line"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id", index=True)
    category: str = Field(max_length=16)
    amount: Decimal = Field(sa_column=_money())


class Task(SQLModel, table=True):
    """A task with a key unique per project (T-12, HIS-4)."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("project_id", "key", name="uq_task_key"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id", index=True)
    key: str = Field(max_length=24)
    title: str = Field(max_length=300)
    owner_user_id: str | None = Field(default=None, max_length=32)
    start_date: date | None = None
    due_date: date | None = Field(default=None, index=True)
    weight: Decimal = Field(default=Decimal("1"), sa_column=_weight())
    progress: int = 0
    status: str = Field(default="todo", max_length=16)
    blocker: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    blocked_since: datetime | None = Field(default=None, sa_column=_instant())
    created_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))

    @property
    def pk(self) -> int:
        """The id of a stored task."""
        assert self.id is not None, "task not flushed yet"
        return self.id


class TaskUpdate(SQLModel, table=True):
    """One change to a task: who, when, from which message."""

    __tablename__ = "task_updates"
    __table_args__ = (Index("ix_task_updates_project_at", "project_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id")
    task_id: int = Field(foreign_key="tasks.id", index=True)
    user_id: str = Field(max_length=32)
    at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))
    progress_before: int | None = None
    progress_after: int | None = None
    status_before: str | None = Field(default=None, max_length=16)
    status_after: str | None = Field(default=None, max_length=16)
    blocker: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    source: str = Field(default="command", max_length=16)
    slack_channel: str | None = Field(default=None, max_length=32)
    slack_ts: str | None = Field(default=None, max_length=32)
    void: bool = False


class LaborEntry(SQLModel, table=True):
    """Labor for one person (user or named worker) or one crew with a headcount, on one work date."""

    __tablename__ = "labor_entries"
    __table_args__ = (
        # Also what spend to date sums, so that sum reads the index alone (migration 0011).
        Index("ix_labor_project_date", "project_id", "work_date", "void", "currency", "cost", "man_hours"),
        Index("ix_labor_slack_msg", "team_id", "slack_channel", "slack_ts"),
        Index("ix_labor_batch", "batch"),
        # books (issue 11): `L-<number>` per project, unique among live entries (a voided one keeps it)
        Index("uq_labor_number_live", "project_id", "number", unique=True, **_LIVE_ONLY),
        Index("ix_labor_number", "project_id", "number"),  # the next number counts voided rows too
        # One person's day and what the 24 h check reads of it (migration 0012): with `void` these match one
        # column more than the project/date index, so SQLite's planner never reads the whole day instead.
        Index("ix_labor_user_day", "project_id", "user_id", "work_date", *_DAY_HOURS, "worker_id"),
        Index("ix_labor_worker_day", "project_id", "worker_id", "work_date", *_DAY_HOURS, "user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id")
    batch: str = Field(max_length=40)  # rows logged by one statement share it (undo/edit act on all)
    work_date: date
    user_id: str | None = Field(default=None, max_length=32)
    worker_id: int | None = Field(default=None, foreign_key="workers.id")
    crew_id: int | None = Field(default=None, foreign_key="crews.id")
    headcount: int = 1
    hours_each: Decimal = Field(sa_column=_qty())
    man_hours: Decimal = Field(sa_column=_qty())
    overtime_hours: Decimal = Field(default=Decimal("0"), sa_column=_qty())
    rate: Decimal | None = Field(default=None, sa_column=_money(True))
    rate_unit: str | None = Field(default=None, max_length=4)
    cost: Decimal | None = Field(default=None, sa_column=_money(True))
    currency: str = Field(max_length=3)
    task_id: int | None = Field(default=None, foreign_key="tasks.id")
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    source: str = Field(default="command", max_length=16)
    slack_channel: str | None = Field(default=None, max_length=32)
    slack_ts: str | None = Field(default=None, max_length=32)
    logged_by: str = Field(max_length=32)
    approved: bool = False
    approved_by: str | None = Field(default=None, max_length=32)
    approved_at: datetime | None = Field(default=None, sa_column=_instant())
    void: bool = False
    voided_at: datetime | None = Field(default=None, sa_column=_instant())
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))
    # books (issue 11): the stated or clocked span (HH:MM, local), so shifts of one person cannot overlap
    start_time: str | None = Field(default=None, max_length=5)
    end_time: str | None = Field(default=None, max_length=5)
    # books (issue 11): the shown id `L-<number>`, numbered per project (given when stored)
    number: int | None = Field(default=None)


class Shift(SQLModel, table=True):
    """A clock-in without a clock-out yet; clocking out turns it into a labor entry."""

    __tablename__ = "shifts"
    __table_args__ = (Index("ix_shift_open", "project_id", "user_id", "ended_at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id")
    user_id: str = Field(max_length=32)
    started_at: datetime = Field(sa_column=_instant(False))
    ended_at: datetime | None = Field(default=None, sa_column=_instant())
    labor_entry_id: int | None = Field(default=None, foreign_key="labor_entries.id")
    logged_by: str = Field(max_length=32)
    slack_channel: str | None = Field(default=None, max_length=32)
    slack_ts: str | None = Field(default=None, max_length=32)


class Expense(SQLModel, table=True):
    """Money spent; amounts are exact decimals."""

    __tablename__ = "expenses"
    __table_args__ = (
        Index("ix_expense_project_date", "project_id", "spent_on"),
        Index("ix_expense_slack_msg", "team_id", "slack_channel", "slack_ts"),
        # books (issue 11): `E-<number>` per project, unique among live expenses (a voided one keeps it)
        Index("uq_expense_number_live", "project_id", "number", unique=True, **_LIVE_ONLY),
        Index("ix_expense_number", "project_id", "number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id")
    spent_on: date
    amount: Decimal = Field(sa_column=_money())
    currency: str = Field(max_length=3)
    category: str = Field(default="other", max_length=16)
    vendor: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    receipt_url: str | None = Field(default=None, max_length=1000)
    task_id: int | None = Field(default=None, foreign_key="tasks.id")
    source: str = Field(default="command", max_length=16)
    slack_channel: str | None = Field(default=None, max_length=32)
    slack_ts: str | None = Field(default=None, max_length=32)
    logged_by: str = Field(max_length=32)
    approved: bool = False
    void: bool = False
    voided_at: datetime | None = Field(default=None, sa_column=_instant())
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))
    # books (issue 11): the shown id `E-<number>`, numbered per project (given when stored)
    number: int | None = Field(default=None)


class Risk(SQLModel, table=True):
    """A risk (R-3), technical or managerial, scored probability × impact."""

    __tablename__ = "risks"
    __table_args__ = (UniqueConstraint("project_id", "number", name="uq_risk_number"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id", index=True)
    number: int
    title: str = Field(max_length=300)
    kind: str = Field(default="management", max_length=16)
    probability: int = 3
    impact: int = 3
    owner_user_id: str | None = Field(default=None, max_length=32)
    status: str = Field(default="open", max_length=16)
    mitigation: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


class Meeting(SQLModel, table=True):
    """A joint tech–management meeting prompt and the answers recorded in its thread."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("project_id", "period_key", name="uq_meeting_period"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id", index=True)
    period_key: str = Field(max_length=40)
    meeting_on: date
    slack_channel: str | None = Field(default=None, max_length=32)
    slack_ts: str | None = Field(default=None, max_length=32, index=True)
    tech_assessment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    tech_user_id: str | None = Field(default=None, max_length=32)
    tech_at: datetime | None = Field(default=None, sa_column=_instant())
    pm_update: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    pm_user_id: str | None = Field(default=None, max_length=32)
    pm_at: datetime | None = Field(default=None, sa_column=_instant())
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


class Delivery(SQLModel, table=True):
    """The delivery ledger: one row per scheduled post, the proof it was posted exactly once."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("project_id", "kind", "period_key", name="uq_delivery"),
        Index("ix_delivery_status", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id")
    kind: str = Field(max_length=24)
    period_key: str = Field(max_length=120)
    status: str = Field(default="claimed", max_length=16)  # claimed | posted | failed | skipped
    due_at: datetime = Field(sa_column=_instant(False))
    claimed_at: datetime | None = Field(default=None, sa_column=_instant())
    claimed_by: str | None = Field(default=None, max_length=80)
    attempts: int = 0
    posted_at: datetime | None = Field(default=None, sa_column=_instant())
    delayed: bool = False
    slack_channel: str | None = Field(default=None, max_length=32)
    slack_ts: str | None = Field(default=None, max_length=32)
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Scheduled posts that are sure and quiet: why the last attempt did not post
    # (transient | ambiguous | permanent); None while nothing has failed.
    outcome: str | None = Field(default=None, max_length=16)


class Snooze(SQLModel, table=True):
    """A nudge condition silenced until an instant."""

    __tablename__ = "snoozes"
    __table_args__ = (UniqueConstraint("project_id", "condition", name="uq_snooze"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id")
    condition: str = Field(max_length=120)
    until: datetime = Field(sa_column=_instant(False))
    user_id: str = Field(max_length=32)


class WeekApproval(SQLModel, table=True):
    """A timesheet week approved (locked) by a pm."""

    __tablename__ = "week_approvals"
    __table_args__ = (UniqueConstraint("project_id", "week_start", name="uq_week_approval"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id")
    week_start: date
    approved_by: str = Field(max_length=32)
    approved_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


class ProcessedRequest(SQLModel, table=True):
    """An idempotency key: a Slack delivery already handled (event_id, trigger, action, reply sent).

    Only the key: what a request decided to say lives in `outbox`, confirmation ts in `confirmations`.
    """

    __tablename__ = "processed_requests"
    __table_args__ = (UniqueConstraint("team_id", "key", name="uq_processed"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    key: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


class AuditLog(SQLModel, table=True):
    """Every edit, void, approval and setting change, with who and before/after (JSON)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_project_at", "project_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int | None = Field(default=None, foreign_key="projects.id")
    actor: str = Field(max_length=32)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=24)
    entity_id: str | None = Field(default=None, max_length=40)
    before: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    after: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


class UserProfile(SQLModel, table=True):
    """What Foreman knows of a Slack user: admin flag and display name, refreshed from users.info."""

    __tablename__ = "user_profiles"
    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_user_profile"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    name: str | None = Field(default=None, max_length=200)
    is_admin: bool = False
    timezone: str | None = Field(default=None, max_length=64)
    fetched_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


# --- Scheduled posts that are sure and quiet: per-channel pacing shared by every process and replica ---
class ChannelPace(SQLModel, table=True):
    """When the next message may go into a Slack channel (held while a post is on its way)."""

    __tablename__ = "channel_pace"
    __table_args__ = (UniqueConstraint("team_id", "channel_id", name="uq_channel_pace"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    channel_id: str = Field(max_length=32)
    next_at: datetime = Field(sa_column=_instant(False))
    held_by: str | None = Field(default=None, max_length=80)


# --- Daily construction log (施工日志, issue 16) ---


class DailyLog(SQLModel, table=True):
    """One project's construction log of one day: draft until a tech lead or pm confirms (locks) it."""

    __tablename__ = "daily_logs"
    __table_args__ = (UniqueConstraint("project_id", "log_date", name="uq_daily_log"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id", index=True)
    log_date: date
    status: str = Field(default="draft", max_length=16)  # draft | confirmed
    confirmed_by: str | None = Field(default=None, max_length=32)
    confirmed_at: datetime | None = Field(default=None, sa_column=_instant())
    # The records the confirmed log showed (JSON list of refs); anything else is the addendum.
    confirmed_refs: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    slack_channel: str | None = Field(default=None, max_length=32)
    slack_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


class DailyEntry(SQLModel, table=True):
    """A line of a day's log typed by someone: weather, safety, quality, visit, delivery, note or photo."""

    __tablename__ = "daily_entries"
    __table_args__ = (
        Index("ix_daily_entry_day", "project_id", "log_date"),
        Index("ix_daily_entry_msg", "team_id", "slack_channel", "slack_ts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id")
    log_date: date
    section: str = Field(max_length=16)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    user_id: str = Field(max_length=32)
    source: str = Field(default="command", max_length=16)  # command | channel | form
    slack_channel: str | None = Field(default=None, max_length=32)
    slack_ts: str | None = Field(default=None, max_length=32)
    file_id: str | None = Field(default=None, max_length=32)
    file_name: str | None = Field(default=None, max_length=300)
    file_url: str | None = Field(default=None, max_length=1000)
    void: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


# --- Wages and funds (issue 15): money in and out of the site, and the monthly wage sheet ---


class FundRecord(SQLModel, table=True):
    """Money received (receipt), a wage advance (借支) or wages paid (发工资); `F-<number>` per project."""

    __tablename__ = "fund_records"
    __table_args__ = (
        UniqueConstraint("project_id", "number", name="uq_fund_number"),
        Index("ix_fund_project_date", "project_id", "paid_on"),
        Index("ix_fund_slack_msg", "team_id", "slack_channel", "slack_ts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id")
    number: int
    kind: str = Field(max_length=16)  # receipt | advance | wage
    paid_on: date
    user_id: str | None = Field(default=None, max_length=32)
    worker_id: int | None = Field(default=None, foreign_key="workers.id")
    amount: Decimal = Field(sa_column=_money())
    currency: str = Field(max_length=3)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    source: str = Field(default="command", max_length=16)
    slack_channel: str | None = Field(default=None, max_length=32)
    slack_ts: str | None = Field(default=None, max_length=32)
    logged_by: str = Field(max_length=32)
    approved: bool = False
    void: bool = False
    voided_at: datetime | None = Field(default=None, sa_column=_instant())
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


class WageSheet(SQLModel, table=True):
    """A month's wage sheet sent for confirmation: the channel post whose thread hears disputes."""

    __tablename__ = "wage_sheets"
    __table_args__ = (UniqueConstraint("project_id", "month", name="uq_wage_sheet"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id")
    month: str = Field(max_length=7)  # YYYY-MM
    slack_channel: str | None = Field(default=None, max_length=32)
    slack_ts: str | None = Field(default=None, max_length=32)
    sent_by: str = Field(max_length=32)
    sent_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


class WageConfirmation(SQLModel, table=True):
    """One Slack user's answer to their line of a month's wage sheet, and the line they answered."""

    __tablename__ = "wage_confirmations"
    __table_args__ = (UniqueConstraint("sheet_id", "user_id", name="uq_wage_confirmation"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    sheet_id: int = Field(foreign_key="wage_sheets.id", index=True)
    user_id: str = Field(max_length=32)
    status: str = Field(default="pending", max_length=16)  # pending | confirmed | disputed
    line: str | None = Field(default=None, max_length=400)  # the line's figures when answered
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    changed: bool = False  # the line changed after an answer, so it went back to pending
    answered_at: datetime | None = Field(default=None, sa_column=_instant())


# --- books: dated rates and exchange rates (issue 11) ---


class PayRate(SQLModel, table=True):
    """A pay rate for a Slack user, a role's default, a crew or a worker, from a date (None: every date)."""

    __tablename__ = "pay_rates"
    __table_args__ = (Index("ix_pay_rate_subject", "project_id", "subject_kind", "subject"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id")
    subject_kind: str = Field(max_length=8)  # user | role | crew | worker
    subject: str = Field(max_length=100)  # user id, role name, crew id or worker id
    amount: Decimal = Field(sa_column=_money())
    unit: str = Field(max_length=4)  # hour | day
    effective_from: date | None = None
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


class FxRate(SQLModel, table=True):
    """How many units of the project currency one unit of `currency` is worth, from a date."""

    __tablename__ = "fx_rates"
    __table_args__ = (Index("ix_fx_rate_currency", "project_id", "currency"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id")
    currency: str = Field(max_length=3)
    rate: Decimal = Field(sa_column=Column(ScaledDecimal(6), nullable=False))
    effective_from: date | None = None
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


# Slack's OAuth install flow keeps workspace tokens in these tables (slack_sdk's own schema),
# declared here so that Alembic migrates them with everything else.
def _declare_slack_oauth_tables() -> None:
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    metadata = SQLModel.metadata
    SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states")


_declare_slack_oauth_tables()


# --- Outbox and confirmations (issue 9: idempotency keys, replies to send and confirmation ts apart) ---


class OutboxEntry(SQLModel, table=True):
    """The replies one request decided (JSON list of post/update/ephemeral ops), sent after the ack."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("team_id", "request_key", name="uq_outbox_request"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    request_key: str = Field(max_length=200)
    ops: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


class Confirmation(SQLModel, table=True):
    """The threaded confirmation Foreman posted for a Slack message, so editing it updates the reply."""

    __tablename__ = "confirmations"
    __table_args__ = (UniqueConstraint("team_id", "channel", "message_ts", name="uq_confirmation"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    channel: str = Field(max_length=32)
    message_ts: str = Field(max_length=32)
    confirmation_ts: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


# --- Leave (/ooo) and history import (issue 17) ---


class Leave(SQLModel, table=True):
    """A person away (请假) from `first_day` to `last_day`, both included: a Slack user or a named worker."""

    __tablename__ = "leaves"
    __table_args__ = (Index("ix_leave_project_days", "project_id", "first_day", "last_day"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    project_id: int = Field(foreign_key="projects.id")
    user_id: str | None = Field(default=None, max_length=32)
    worker_id: int | None = Field(default=None, foreign_key="workers.id")
    first_day: date
    last_day: date
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(False))


class ImportedRow(SQLModel, table=True):
    """A spreadsheet row already imported: its fingerprint keeps a re-import from storing it twice."""

    __tablename__ = "imported_rows"
    __table_args__ = (UniqueConstraint("project_id", "kind", "fingerprint", name="uq_imported_row"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    project_id: int = Field(foreign_key="projects.id")
    kind: str = Field(max_length=16)
    fingerprint: str = Field(max_length=64)
    record_id: int
    batch: str = Field(max_length=40)


# --- Issue 12: safe in a real workspace -----------------------------------------------------------------
# The tick prunes delivery keys older than 7 days by age, in batches.
Index("ix_processed_created", ProcessedRequest.__table__.c.created_at)  # type: ignore[attr-defined]
Index("ix_outbox_created", OutboxEntry.__table__.c.created_at)  # type: ignore[attr-defined]

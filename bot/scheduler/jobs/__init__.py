"""The scheduled jobs: each finds what is due (`due`) and builds the posts (`build`) for many projects at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.scheduler.posting import Outgoing
from bot.services.status import Spend, calendar_for, spend_by_project
from bot.views.scheduler_views import Blocks, delayed_note
from storage.models import Project


@dataclass
class Context:
    """One tick: its session, every project, the instant, and each project's local date.

    `spent` keeps the spend to date of every project (by cut-off date) read once in the tick; the
    contexts of the tick's later transactions share it.
    """

    session: Session
    projects: list[Project]
    now: datetime
    today: dict[int, date] = field(default_factory=dict)
    spent: dict[date, dict[int, Spend]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.today:
            self.today = {p.pk: calendar_for(p).local_date(self.now) for p in self.projects}

    def spend_through(self, through: date) -> dict[int, Spend]:
        """Every project's spend up to `through` (one aggregate query the first time in the tick)."""
        found = self.spent.get(through)
        if found is None:
            found = self.spent[through] = spend_by_project(self.session, self.projects, through=through)
        return found


@dataclass
class Candidate:
    """A post that is due: its ledger key, when it was due, how late it may go out, and its data."""

    project: Project
    kind: str
    key: str
    due_at: datetime
    grace: timedelta
    data: Any = None
    skip: str | None = None  # record as skipped without posting (snoozed, superseded)


@dataclass
class Item:
    """A candidate chosen for posting now (new, or a failed row to retry)."""

    candidate: Candidate
    delayed: bool
    delivery_id: int | None = None
    verify_in: str | None = None  # an ambiguous earlier attempt: ask this channel before posting again


def grace_of(project: Project) -> timedelta:
    """How late a post of this project may still go out."""
    return timedelta(minutes=project.grace_minutes)


def outgoing(
    item: Item,
    text: str,
    blocks: Blocks,
    *,
    channel: str | None = None,
    dm_user: str | None = None,
    **extra: Any,
) -> Outgoing:
    """An Outgoing for an item, with the delayed note added when it is late."""
    c = item.candidate
    if item.delayed:
        blocks = [*blocks, delayed_note(c.due_at, c.project.timezone, c.project.language)]
    return Outgoing(
        project_id=c.project.pk,
        team_id=c.project.team_id,
        code=c.project.code,
        kind=c.kind,
        key=c.key,
        due_at=c.due_at,
        delayed=item.delayed,
        text=text,
        blocks=blocks,
        channel=channel if channel is not None or dm_user is not None else c.project.channel_id,
        dm_user=dm_user,
        delivery_id=item.delivery_id,
        verify_in=item.verify_in,
        **extra,
    )

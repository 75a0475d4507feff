"""The wage sheet's lines and their figures (contract §9): pure data shared by services, views and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from storage.models import Project

ZERO = Decimal("0")


@dataclass
class WageLine:
    """One person's line: a Slack user (`user_id`) or a named worker (`worker`)."""

    user_id: str | None
    worker: str | None
    crew: str | None = None
    dates: set[date] = field(default_factory=set)
    man_hours: Decimal = ZERO
    overtime_hours: Decimal = ZERO
    gross: Decimal = ZERO  # the stored costs that are known
    rate_missing: bool = False
    advances: Decimal = ZERO
    paid: Decimal = ZERO
    status: str = "pending"  # confirmed | disputed | pending | offline (no Slack)
    changed: bool = False  # back to pending because the line changed after an answer
    reason: str | None = None

    @property
    def key(self) -> str:
        return f"U:{self.user_id}" if self.user_id else f"W:{self.worker}"

    @property
    def days(self) -> int:
        return len(self.dates)

    @property
    def balance(self) -> Decimal | None:
        """gross − advances − paid; None while a rate is missing (unknown, not zero)."""
        return None if self.rate_missing else self.gross - self.advances - self.paid

    @property
    def figures(self) -> str:
        """The line's figures as one string, kept with an answer to notice later changes."""
        gross = "missing" if self.rate_missing else format(self.gross, "f")
        return "|".join(
            format(v, "f") if isinstance(v, Decimal) else str(v)
            for v in (self.days, self.man_hours, self.overtime_hours, gross, self.advances, self.paid)
        )


@dataclass
class Sheet:
    """A month's wage sheet."""

    project: Project
    month: str
    start: date
    end: date
    lines: list[WageLine]
    unnamed: dict[str, Decimal]  # crew (or "") → man-hours of entries without a named person
    sent: bool = False
    thread: tuple[str, str] | None = None  # (channel, ts) of the sheet's post

    @property
    def currency(self) -> str:
        return self.project.currency

    def total(self, name: str) -> Decimal:
        """The column's total as the exported sheet has it: a line with a rate missing has no gross (it is
        unknown, not its priced part), so the gross total leaves it out, as the balance total does."""
        if name == "gross":
            return sum((line.gross for line in self.lines if not line.rate_missing), ZERO)
        return sum((getattr(line, name) for line in self.lines), ZERO)

    @property
    def total_balance(self) -> Decimal:
        return sum((line.balance for line in self.lines if line.balance is not None), ZERO)

    @property
    def missing(self) -> int:
        return sum(1 for line in self.lines if line.rate_missing)

    def line_of(self, user_id: str) -> WageLine | None:
        return next((line for line in self.lines if line.user_id == user_id), None)

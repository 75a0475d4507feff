"""Money in and out of a site: the one balance rule of the funds report (contract §9)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Flows:
    """Money in and out of one month (`YYYY-MM`, or "" for a total), in the project currency."""

    month: str
    received: Decimal
    expenses: Decimal
    wages_paid: Decimal
    advances: Decimal
    not_counted: int = 0  # expenses in another currency without an exchange rate for their date

    @property
    def paid_out(self) -> Decimal:
        return self.expenses + self.wages_paid + self.advances

    @property
    def balance(self) -> Decimal:
        """received − expenses − wages paid − advances."""
        return self.received - self.paid_out


@dataclass(frozen=True)
class Position:
    """Where a project's money stands on a day (only for projects with a /funds record): the funds so far,
    and the wage balances still owed for the month before."""

    total: Flows  # every movement up to the day
    owed_month: str  # YYYY-MM, the month before the day's
    owed: Decimal  # sum of that month's positive wage balances (lines whose rate is known)

    @property
    def wages_owed_with_funds(self) -> bool:
        """Wages are owed for last month while the funds balance is positive: someone has to decide."""
        return self.owed > 0 and self.total.balance > 0

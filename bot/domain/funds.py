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

    @property
    def paid_out(self) -> Decimal:
        return self.expenses + self.wages_paid + self.advances

    @property
    def balance(self) -> Decimal:
        """received − expenses − wages paid − advances."""
        return self.received - self.paid_out

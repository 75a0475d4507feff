"""Pay rates with effective dates and exchange rates into the project currency (contract §5 /project).

A rate applies to entries dated on or after its `from` date (no date: every date); the latest date in
force wins, and among rates of the same date the one set last. Rates are read when an entry is logged
and frozen into its cost; changing a rate never rewrites stored costs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from sqlmodel import Session, col, select

from bot.services import audit, cache
from bot.services.access import ROLES, require, role_of
from bot.services.errors import InvalidInput
from storage.models import Crew, Expense, FxRate, PayRate, Project, Worker

MAX_FX = Decimal("1000000")
_Dated = TypeVar("_Dated", PayRate, FxRate, cache.RateRow)


@dataclass(frozen=True)
class Converted:
    """A foreign record in the project currency at the rate of its date (exact); None without a rate."""

    amount: Decimal | None
    rate: Decimal | None
    currency: str


@dataclass(frozen=True)
class RateInForce:
    """A rate as used for one entry: amount per hour or per day."""

    amount: Decimal
    unit: str


def _latest(rows: Sequence[_Dated], day: date) -> _Dated | None:
    """The row in force on `day`: latest `from` not after it (undated counts as the earliest)."""
    best = None
    for row in rows:
        if row.effective_from is not None and row.effective_from > day:
            continue
        key = (row.effective_from or date.min, row.id or 0)
        if best is None or key > (best.effective_from or date.min, best.id or 0):
            best = row
    return best


def set_rate(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    subject_kind: str,
    subject: str,
    amount: Decimal,
    unit: str,
    effective_from: date | None,
) -> PayRate:
    """Add a rate for a user, a role's default, a crew or a worker (pm; foreman for crews and workers)."""
    require(
        session,
        project=project,
        user_id=actor,
        roles=("foreman",) if subject_kind in ("crew", "worker") else (),
        is_admin=is_admin,
    )
    if subject_kind == "role" and subject not in ROLES:
        raise InvalidInput("project.bad_field", field="role", value=subject)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput("project.bad_field", field="rate", value=format(amount, "f"))
    row = PayRate(
        team_id=project.team_id,
        project_id=project.pk,
        subject_kind=subject_kind,
        subject=subject,
        amount=amount,
        unit=unit,
        effective_from=effective_from,
        created_by=actor,
    )
    session.add(row)
    session.flush()
    audit.record(
        session, project=project, actor=actor, action="set", entity="pay_rate", entity_id=row.id, after=row
    )
    return row


def _rows(session: Session, project: Project, kind: str, subject: str) -> list[PayRate]:
    return list(
        session.exec(
            select(PayRate).where(
                PayRate.project_id == project.pk, PayRate.subject_kind == kind, PayRate.subject == subject
            )
        ).all()
    )


def latest_row(session: Session, project: Project, kind: str, subject: str) -> PayRate:
    """The rate row of a subject set last."""
    return max(_rows(session, project, kind, subject), key=lambda r: r.id or 0)


def rate_for(
    session: Session,
    *,
    project: Project,
    day: date,
    user_id: str | None = None,
    worker: Worker | None = None,
    crew: Crew | None = None,
) -> RateInForce | None:
    """The rate in force on `day`: the worker's, else the crew's, else the Slack user's, else their role's."""
    holders: list[tuple[str, str, Worker | Crew | None]] = []
    if crew is None and worker is not None and worker.crew_id is not None:
        crew = session.get(Crew, worker.crew_id)  # a named worker's crew rate holds when no crew was named
    if worker is not None:
        holders.append(("worker", str(worker.id), worker))
    if crew is not None:
        holders.append(("crew", str(crew.id), crew))
    stored = cache.of(session, project).rates  # every rate of the project, read once per revision
    for kind, subject, holder in holders:
        found = _latest(stored.get((kind, subject), ()), day)
        if found is not None:
            return RateInForce(found.amount, found.unit)
        if holder is not None and holder.rate is not None and holder.rate_unit:
            return RateInForce(Decimal(holder.rate), holder.rate_unit)
    if user_id is not None:
        found = _latest(stored.get(("user", user_id), ()), day)
        if found is None:
            role = role_of(session, project=project, user_id=user_id)
            found = _latest(stored.get(("role", role), ()), day)
        if found is not None:
            return RateInForce(found.amount, found.unit)
    return None


def set_fx(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    currency: str,
    rate: Decimal,
    effective_from: date | None,
) -> FxRate:
    """Add an exchange rate: one `currency` is worth `rate` of the project currency (pm)."""
    require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)
    currency = currency.upper()
    if currency == project.currency:
        raise InvalidInput("books.fx_same", currency=currency)
    if rate <= 0 or rate > MAX_FX or rate != rate.quantize(Decimal("0.000001")):
        raise InvalidInput("project.bad_field", field="fx", value=format(rate, "f"))
    row = FxRate(
        team_id=project.team_id,
        project_id=project.pk,
        currency=currency,
        rate=rate,
        effective_from=effective_from,
        created_by=actor,
    )
    session.add(row)
    session.flush()
    audit.record(
        session, project=project, actor=actor, action="set", entity="fx_rate", entity_id=row.id, after=row
    )
    return row


class FxTable:
    """A project's exchange rates loaded once, for converting many records."""

    def __init__(self, session: Session, project_ids: Sequence[int]) -> None:
        self._rows: dict[tuple[int, str], list[FxRate]] = {}
        if project_ids:
            for row in session.exec(
                select(FxRate).where(col(FxRate.project_id).in_(list(project_ids))).order_by(col(FxRate.id))
            ).all():
                self._rows.setdefault((row.project_id, row.currency), []).append(row)

    def rate(self, project_id: int, currency: str, day: date) -> Decimal | None:
        found = _latest(self._rows.get((project_id, currency), []), day)
        return Decimal(found.rate) if isinstance(found, FxRate) else None

    def convert(self, project_id: int, amount: Decimal, currency: str, day: date) -> Decimal | None:
        """`amount` in the project currency at the rate of `day` (exact, unrounded); None without a rate."""
        rate = self.rate(project_id, currency, day)
        return None if rate is None else amount * rate


def fx_rate(session: Session, *, project: Project, currency: str, day: date) -> Decimal | None:
    """The rate of `currency` into the project currency on `day`."""
    return FxTable(session, [project.pk]).rate(project.pk, currency.upper(), day)


def converted_expenses(
    session: Session, *, project: Project, rows: Sequence[Expense]
) -> dict[int, Converted]:
    """Each foreign-currency expense by id, converted by the rule the budget and reports count with."""
    foreign = [r for r in rows if r.currency != project.currency]
    if not foreign:
        return {}
    fx = FxTable(session, [project.pk])
    out: dict[int, Converted] = {}
    for row in foreign:
        if row.id is not None:
            out[row.id] = Converted(
                amount=fx.convert(project.pk, Decimal(row.amount), row.currency, row.spent_on),
                rate=fx.rate(project.pk, row.currency, row.spent_on),
                currency=project.currency,
            )
    return out

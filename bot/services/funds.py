"""Funds: money received, wage advances (借支) and wages paid, `F-<n>` per project (contract §5, §9).

The lifecycle (void, undo, audit, who may change a record, the date rules) is the shared one in
bot.services.records; this module adds kinds, payees and amounts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from bot.domain.funds import Flows
from bot.services import rates, records
from bot.services.access import require
from bot.services.errors import InvalidInput
from bot.services.expenses import CENT, EXPENSE, MAX_AMOUNT
from bot.services.records import Origin
from bot.views.mrkdwn import mention
from storage.models import FundRecord, LaborEntry, Member, Project, Worker

KINDS = ("receipt", "advance", "wage")
FUNDS = records.RecordKind(
    model=FundRecord,
    prefix="F",
    words="funds",
    entity="fund",
    date_field="paid_on",
    editable=(),
    number_field="number",
)


@dataclass(frozen=True)
class Payee:
    """Whom an advance or wage was paid to: a Slack user or a named worker."""

    user_id: str | None = None
    worker: str | None = None


def _check_amount(amount: Decimal) -> Decimal:
    if amount <= 0 or amount > MAX_AMOUNT:
        raise InvalidInput("funds.bad_amount", amount=format(amount, "f"))
    if amount != amount.quantize(CENT):
        raise InvalidInput("funds.sub_cent", amount=format(amount, "f"))
    return amount


def roster(session: Session, project: Project) -> list[str]:
    """Who can be paid: named workers, then Slack users with a role or labor in the project."""
    workers = session.exec(
        select(Worker.name).where(Worker.project_id == project.pk).order_by(col(Worker.name))
    ).all()
    users = set(session.exec(select(Member.user_id).where(Member.project_id == project.pk)).all())
    users |= {
        u
        for u in session.exec(
            select(LaborEntry.user_id).where(
                LaborEntry.project_id == project.pk, col(LaborEntry.user_id).is_not(None)
            )
        ).all()
        if u
    }
    return [*workers, *(mention(u) for u in sorted(users))]


def _payee_ids(session: Session, project: Project, payee: Payee) -> tuple[str | None, int | None]:
    """The stored ids of a payee, or a refusal naming the roster (nobody is paid by a guess)."""
    if payee.user_id is not None:
        if mention(payee.user_id) in roster(session, project):
            return payee.user_id, None
        name = mention(payee.user_id)
    else:
        worker = session.exec(
            select(Worker).where(Worker.project_id == project.pk, Worker.name == payee.worker)
        ).first()
        if worker is not None:
            return None, worker.id
        name = str(payee.worker)
    names = roster(session, project)
    raise InvalidInput("funds.unknown_person", name=name, roster=", ".join(names) or "—")


def log_payment(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    kind: str,
    amount: Decimal,
    currency: str | None,
    day: date,
    today: date,
    payee: Payee | None = None,
    note: str | None = None,
    origin: Origin = Origin(),
) -> FundRecord:
    """Store money received (pm) or an advance or wage paid (foreman or pm) to someone on the roster."""
    assert kind in KINDS
    require(
        session,
        project=project,
        user_id=actor,
        roles=() if kind == "receipt" else ("foreman",),
        is_admin=is_admin,
    )
    amount = _check_amount(amount)
    if currency is not None and currency.upper() != project.currency:
        raise InvalidInput("funds.currency", currency=currency.upper(), project_currency=project.currency)
    records.check_date(session, FUNDS, project=project, actor=actor, is_admin=is_admin, day=day, today=today)
    user_id = worker_id = None
    if kind != "receipt":
        assert payee is not None
        user_id, worker_id = _payee_ids(session, project, payee)
    row = FundRecord(
        **records.new_fields(project, actor=actor, origin=origin),
        number=records.next_number(session, FUNDS, project=project),
        kind=kind,
        paid_on=day,
        user_id=user_id,
        worker_id=worker_id,
        amount=amount,
        currency=project.currency,
        note=note,
    )
    return records.store(session, [row])[0]


def void_payment(
    session: Session, *, project: Project, actor: str, is_admin: bool, number: int
) -> FundRecord:
    """Void one record (its author or a pm)."""
    return records.void(session, FUNDS, project=project, actor=actor, is_admin=is_admin, record_id=number)


def undo_last(session: Session, *, project: Project, actor: str, is_admin: bool) -> FundRecord:
    """Void the actor's most recent live record in this project."""
    return records.undo_last(session, FUNDS, project=project, actor=actor, is_admin=is_admin)[0]


def between(session: Session, *, project: Project, start: date, end: date) -> list[FundRecord]:
    """Live records dated within [start, end]."""
    return records.between(session, FUNDS, project=project, start=start, end=end)


def all_records(session: Session, *, project: Project) -> list[FundRecord]:
    """Every live record of the project, oldest first."""
    return records.between(session, FUNDS, project=project, start=date.min, end=date.max)


def has_any(session: Session, *, project: Project) -> bool:
    """Whether the project has any live /funds record (the digest's funds line appears then)."""
    found = session.exec(
        select(FundRecord.id).where(FundRecord.project_id == project.pk, col(FundRecord.void).is_(False))
    ).first()
    return found is not None


def worker_names(session: Session, rows: list[FundRecord]) -> dict[int, str]:
    """Names of the workers the records were paid to."""
    ids = {r.worker_id for r in rows if r.worker_id}
    if not ids:
        return {}
    return dict(session.exec(select(Worker.id, Worker.name).where(col(Worker.id).in_(ids))).all())  # type: ignore[arg-type]


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _spending(
    session: Session, project: Project, start: date, end: date
) -> tuple[list[tuple[date, Decimal]], int]:
    """Expenses in the project currency, foreign ones at the rate of their date (as the budget counts them);
    and how many foreign ones have no rate, so a report can say they are not counted."""
    rows = records.between(session, EXPENSE, project=project, start=start, end=end)
    out = [(r.spent_on, Decimal(r.amount)) for r in rows if r.currency == project.currency]
    foreign = [r for r in rows if r.currency != project.currency]
    if not foreign:
        return out, 0
    fx = rates.FxTable(session, [project.pk])
    not_counted = 0
    for r in foreign:
        value = fx.convert(project.pk, Decimal(r.amount), r.currency, r.spent_on)
        if value is None:
            not_counted += 1
        else:
            out.append((r.spent_on, value))
    return out, not_counted


def flows_by_month(
    session: Session, *, project: Project, start: date | None, end: date
) -> tuple[list[Flows], Flows]:
    """Received, expenses, wages paid and advances per month within [start, end], and their total."""
    first = start or date.min
    months: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in between(session, project=project, start=first, end=end):
        months[_month(row.paid_on)][row.kind] += row.amount
    spending, not_counted = _spending(session, project, first, end)
    for day, amount in spending:
        months[_month(day)]["expense"] += amount
    out = [Flows(m, v["receipt"], v["expense"], v["wage"], v["advance"]) for m, v in sorted(months.items())]
    total = Flows(
        "",
        sum((f.received for f in out), Decimal(0)),
        sum((f.expenses for f in out), Decimal(0)),
        sum((f.wages_paid for f in out), Decimal(0)),
        sum((f.advances for f in out), Decimal(0)),
        not_counted,
    )
    return out, total


def cumulative(
    session: Session, *, project: Project, today: date
) -> tuple[list[date], list[Decimal], list[Decimal]]:
    """Per day from the first money movement to today: money received so far, money out so far."""
    moves: dict[date, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in between(session, project=project, start=date.min, end=today):
        moves[row.paid_on][0 if row.kind == "receipt" else 1] += row.amount
    for day, amount in _spending(session, project, date.min, today)[0]:
        moves[day][1] += amount
    if not moves:
        return [], [], []
    dates, money_in, money_out = [], [], []
    day, got, spent = min(moves), Decimal(0), Decimal(0)
    while day <= today:
        got += moves[day][0] if day in moves else 0
        spent += moves[day][1] if day in moves else 0
        dates.append(day)
        money_in.append(got)
        money_out.append(spent)
        day += timedelta(days=1)
    return dates, money_in, money_out

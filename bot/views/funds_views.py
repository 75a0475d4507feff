"""Replies about /funds records, the funds report and the funds line of digests (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from bot.domain.funds import Flows
from bot.views.catalog import t
from bot.views.format import day, money
from bot.views.mrkdwn import mention
from bot.views.rows import FundRecord, Project


def payee(row: FundRecord, names: Mapping[int, str]) -> str:
    """Whom a record was paid to: a mention or a worker's name ('' for money received)."""
    if row.user_id:
        return mention(row.user_id)
    if row.worker_id:
        return names.get(row.worker_id, "?")
    return ""


def line(row: FundRecord, *, lang: str, names: Mapping[int, str]) -> str:
    """• `F-3` 2026-11-25 (Wed): advance to 张三 ¥500.00 “note”."""
    note = f" “{row.note}”" if row.note else ""
    return t(
        lang,
        f"funds.line.{row.kind}",
        id=f"F-{row.number}",
        date=day(row.paid_on, lang),
        amount=money(row.amount, row.currency),
        who=payee(row, names),
        note=note,
    )


def logged_text(project: Project, row: FundRecord, *, lang: str, names: Mapping[int, str]) -> str:
    return t(lang, "funds.logged", project=project.code) + "\n" + line(row, lang=lang, names=names)


def voided_text(row: FundRecord, *, lang: str, names: Mapping[int, str]) -> str:
    return t(lang, "funds.voided", id=f"F-{row.number}") + "\n" + line(row, lang=lang, names=names)


def list_text(
    project: Project, rows: Sequence[FundRecord], *, lang: str, period: str, names: Mapping[int, str]
) -> str:
    if not rows:
        return t(lang, "funds.list_empty", period=period)
    out = [t(lang, "funds.list_header", project=project.code, period=period, count=len(rows))]
    out += [line(r, lang=lang, names=names) for r in rows]
    totals = {
        k: sum((r.amount for r in rows if r.kind == k), Decimal(0)) for k in ("receipt", "advance", "wage")
    }
    out.append(
        t(
            lang,
            "funds.list_total",
            received=money(totals["receipt"], project.currency),
            advances=money(totals["advance"], project.currency),
            wages=money(totals["wage"], project.currency),
        )
    )
    return "\n".join(out)


def report_text(project: Project, months: Sequence[Flows], total: Flows, *, lang: str, period: str) -> str:
    """The funds report: one line per month, then the total."""
    cur = project.currency
    if not months:
        return t(lang, "funds.report_empty", period=period)
    out = [t(lang, "funds.report_header", project=project.code, period=period)]
    for m in [*months, total] if len(months) > 1 else months:
        out.append(
            t(
                lang,
                "funds.report_line",
                month=m.month or t(lang, "funds.total"),
                received=money(m.received, cur),
                expenses=money(m.expenses, cur),
                wages=money(m.wages_paid, cur),
                advances=money(m.advances, cur),
                balance=money(m.balance, cur),
            )
        )
    if total.not_counted:
        out.append(t(lang, "funds.not_counted", n=total.not_counted))
    return "\n".join(out)


def digest_line(currency: str, total: Flows, *, lang: str) -> str:
    """The one funds line of the digest and the meeting prompt."""
    cur = currency
    return t(
        lang,
        "funds.digest_line",
        received=money(total.received, cur),
        out=money(total.paid_out, cur),
        balance=money(total.balance, cur),
    )

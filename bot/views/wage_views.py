"""The wage sheet as text, as a person's DM with Confirm / Dispute, and the dispute form (pure)."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.wages import Sheet, WageLine
from bot.views.catalog import t
from bot.views.format import hours, money
from bot.views.mrkdwn import mention

CONFIRM_ACTION = "wages_confirm"
DISPUTE_ACTION = "wages_dispute"
DISPUTE_CALLBACK = "wages_dispute_form"


def who(line: WageLine) -> str:
    return mention(line.user_id) if line.user_id else str(line.worker)


def status_text(line: WageLine, lang: str) -> str:
    if line.status == "pending" and line.changed:
        return t(lang, "wages.status.changed")
    return t(lang, f"wages.status.{line.status}")


def line_text(line: WageLine, *, lang: str, currency: str) -> str:
    """• 张三 (钢筋班): 3 d, 24 h, gross ¥900.00, advances ¥500.00, paid ¥0.00, balance ¥400.00 — pending."""
    missing = t(lang, "wages.rate_missing")
    return t(
        lang,
        "wages.line",
        who=who(line),
        crew=f" ({line.crew})" if line.crew else "",
        days=line.days,
        hours=hours(line.man_hours),
        overtime=t(lang, "wages.ot", hours=hours(line.overtime_hours)) if line.overtime_hours else "",
        gross=missing if line.rate_missing else money(line.gross, currency),
        advances=money(line.advances, currency),
        paid=money(line.paid, currency),
        balance=missing if line.balance is None else money(line.balance, currency),
        status=status_text(line, lang),
    )


def sheet_text(sheet: Sheet, *, lang: str) -> str:
    """The month's sheet: one line per person, the totals, and what is not on it."""
    cur = sheet.currency
    if not sheet.lines and not sheet.unnamed:
        return t(lang, "wages.empty", month=sheet.month)
    out = [t(lang, "wages.header", project=sheet.project.code, month=sheet.month, currency=cur)]
    out += [line_text(line, lang=lang, currency=cur) for line in sheet.lines]
    out.append(
        t(
            lang,
            "wages.totals",
            hours=hours(sheet.total("man_hours")),
            gross=money(sheet.total("gross"), cur),
            advances=money(sheet.total("advances"), cur),
            paid=money(sheet.total("paid"), cur),
            balance=money(sheet.total_balance, cur),
        )
    )
    if sheet.missing:
        out.append(t(lang, "wages.totals_missing", count=sheet.missing))
    if sheet.unnamed:
        sep = "，" if lang == "zh" else ", "
        items = sep.join(f"{crew or '—'} {hours(h)} h" for crew, h in sorted(sheet.unnamed.items()))
        out.append(t(lang, "wages.unnamed", items=items))
    return "\n".join(out)


def dm(sheet: Sheet, line: WageLine, *, lang: str) -> tuple[str, list[dict[str, Any]]]:
    """A person's own line with Confirm and Dispute buttons."""
    text = t(
        lang,
        "wages.dm",
        project=sheet.project.code,
        month=sheet.month,
        line=line_text(line, lang=lang, currency=sheet.currency),
    )
    value = json.dumps({"p": sheet.project.id, "m": sheet.month})
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": CONFIRM_ACTION,
                    "style": "primary",
                    "text": {"type": "plain_text", "text": t(lang, "wages.confirm")},
                    "value": value,
                },
                {
                    "type": "button",
                    "action_id": DISPUTE_ACTION,
                    "style": "danger",
                    "text": {"type": "plain_text", "text": t(lang, "wages.dispute")},
                    "value": value,
                },
            ],
        },
    ]
    return text, blocks


def dispute_form(*, lang: str, project_id: int, month: str) -> dict[str, Any]:
    """The form asking what is wrong with one's line."""
    return {
        "type": "modal",
        "callback_id": DISPUTE_CALLBACK,
        "private_metadata": json.dumps({"p": project_id, "m": month, "lang": lang}),
        "title": {"type": "plain_text", "text": t(lang, "wages.dispute_title")},
        "submit": {"type": "plain_text", "text": t(lang, "wages.dispute_send")},
        "close": {"type": "plain_text", "text": t(lang, "modal.cancel")},
        "blocks": [
            {
                "type": "input",
                "block_id": "reason",
                "label": {"type": "plain_text", "text": t(lang, "wages.dispute_label", month=month)},
                "element": {"type": "plain_text_input", "action_id": "value", "multiline": True},
            }
        ],
    }


def reset_text(month: str, users: list[str], *, lang: str) -> str:
    """Lines that changed after their answer are pending again."""
    return t(lang, "wages.reset", month=month, users=" ".join(mention(u) for u in users))


def mentions(users: list[str], lang: str) -> str:
    return " ".join(mention(u) for u in users) or t(lang, "wages.nobody_leads")


def home_line(line: WageLine | None, *, lang: str, month: str, currency: str) -> str | None:
    """A worker's month on the App Home: hours, gross, advances and balance."""
    if line is None:
        return None
    missing = t(lang, "wages.rate_missing")
    return t(
        lang,
        "wages.home",
        month=month,
        hours=hours(line.man_hours),
        gross=missing if line.rate_missing else money(line.gross, currency),
        advances=money(line.advances, currency),
        balance=missing if line.balance is None else money(line.balance, currency),
    )


def add_to_home(view: dict[str, Any], rows: list[tuple[str, str, str, str, WageLine]]) -> None:
    """Put the user's wages of this month (one line per project, in its language) into a Home view,
    before its closing "updated" line (100 blocks at most)."""
    lines = [
        f"`{code}` {text}"
        for code, lang, month, currency, line in rows
        if (text := home_line(line, lang=lang, month=month, currency=currency)) is not None
    ]
    if not lines:
        return
    blocks = view["blocks"]
    at = len(blocks) - 1 if blocks and blocks[-1].get("type") == "context" else len(blocks)
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}
    view["blocks"] = [*blocks[:at], {"type": "divider"}, section, *blocks[at:]][:100]

"""Threaded confirmations of records made from channel messages, with their buttons."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from bot.views.catalog import t
from bot.views.format import hours
from bot.views.mrkdwn import mention

UNDO = "rec_undo"
EDIT = "rec_edit"
DONE = "rec_task_done"
PROGRESS = "rec_task_progress"
PICK_TASK = "rec_task_pick"  # a button per task when a title named more than one, or not surely one
PICK_TASK_IDS = re.compile(rf"^{PICK_TASK}(:.+)?$")


def _button(action_id: str, text: str, value: dict[str, Any], style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text},
        "value": json.dumps(value, separators=(",", ":")),
    }
    if style:
        button["style"] = style
    return button


def confirmation(
    text: str, *, lang: str, kind: str, ts: str, task_key: str | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """The confirmation text and blocks: what was stored, then Undo (+ Edit, or Mark done / Update progress)."""
    ref = {"ts": ts, "l": lang}
    buttons = [_button(UNDO, t(lang, "rec.button.undo"), ref, "danger")]
    if kind in ("labor", "expense"):
        buttons.append(_button(EDIT, t(lang, "rec.button.edit"), ref | {"kind": kind}))
    if kind == "task" and task_key:
        buttons.append(_button(DONE, t(lang, "rec.button.done"), {"key": task_key, "l": lang}, "primary"))
        buttons.append(_button(PROGRESS, t(lang, "rec.button.progress"), {"key": task_key, "l": lang}))
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {"type": "actions", "block_id": "rec_buttons", "elements": buttons},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": t(lang, "rec.from_message")}]},
    ]
    return text, blocks


def task_choices(
    question: str,
    *,
    lang: str,
    candidates: Sequence[tuple[str, str]],
    change: Mapping[str, Any],
    ts: str | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """The question which task a statement meant, with a button per candidate (key, title); a press applies
    `change` (progress, status, blocker) to that task. `ts` ties the update to the channel message it came
    from (None for a slash command)."""
    value: dict[str, Any] = {
        "p": change.get("progress"),
        "s": change.get("status"),
        "b": (change.get("blocker") or None) and str(change.get("blocker"))[:500],
        "ts": ts,
        "l": lang,
    }
    buttons = []
    for key, title in candidates[:5]:
        label = f"{key} {title}"
        label = label if len(label) <= 70 else label[:69] + "…"
        # Slack wants action ids unique within a block: one per candidate, all matched by PICK_TASK_IDS.
        buttons.append(_button(f"{PICK_TASK}:{key}", label, value | {"key": key}))
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": question}},
        {"type": "actions", "block_id": "rec_task_pick", "elements": buttons},
    ]
    return question, blocks


def plain(text: str) -> tuple[str, list[dict[str, Any]]]:
    """A confirmation without buttons (after undo, delete, or an edit that is no longer a record)."""
    return text, [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]


def labor_statement(
    rows: list[Any], *, workers: Mapping[int, str], crews: Mapping[int, str], lang: str, task_key: str | None
) -> str:
    """Labor rows written back as `/log-labor` text, to prefill the Edit form."""
    first = rows[0]
    who: list[str] = []
    for row in rows:
        if row.user_id:
            who.append(mention(row.user_id))
        elif row.worker_id:
            who.append(workers.get(row.worker_id, ""))
    if first.crew_id:
        crew = crews.get(first.crew_id, "")
        if not first.worker_id:
            who.append(f"{crew} {first.headcount}人" if lang == "zh" else f"{crew} x{first.headcount}")
    elif not who and first.headcount > 1:
        who.append(f"{first.headcount}人" if lang == "zh" else f"{first.headcount} workers")
    parts = [" ".join(w for w in who if w), f"{hours(first.hours_each)}h"]
    per_head = Decimal(first.overtime_hours) / max(first.headcount, 1)
    if per_head:
        parts.append(f"ot {hours(per_head)}h")
    if first.rate is not None and first.rate_unit:
        parts.append(f"rate {hours(first.rate)}/{first.rate_unit}")
    if task_key:
        parts.append(f"task {task_key}")
    parts.append(first.work_date.isoformat())
    if first.note:
        parts.append(f"-- {first.note}")
    return " ".join(p for p in parts if p)


def expense_statement(expense: Any, *, task_key: str | None) -> str:
    """An expense written back as `/expense` text, to prefill the Edit form."""
    parts = [format(Decimal(expense.amount), "f"), expense.currency, expense.category]
    if expense.vendor:
        parts.append(f"vendor {expense.vendor}")
    if task_key:
        parts.append(f"task {task_key}")
    parts.append(expense.spent_on.isoformat())
    if expense.note:
        parts.append(f"-- {expense.note}")
    return " ".join(parts)

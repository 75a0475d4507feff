"""Block Kit modals for /log-labor, /expense and /project (pure builders)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.views.catalog import t
from bot.views.rows import Project

LABOR_CALLBACK = "records.labor"
EXPENSE_CALLBACK = "records.expense"
PROJECT_CREATE_CALLBACK = "records.project_create"
PROJECT_SETTINGS_CALLBACK = "records.project_settings"
CATEGORIES = ("labor", "material", "equipment", "subcontract", "other")


def _text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:150]}


def _input(
    block_id: str,
    label: str,
    *,
    optional: bool = True,
    initial: str | None = None,
    multiline: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "multiline": multiline}
    if initial:
        element["initial_value"] = initial
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": _text(label),
        "element": element,
    }
    if hint:
        block["hint"] = _text(hint)
    return block


def _date(block_id: str, label: str, initial: date) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": _text(label),
        "element": {"type": "datepicker", "action_id": "value", "initial_date": initial.isoformat()},
    }


def _modal(
    callback_id: str, title: str, submit: str, lang: str, blocks: list[dict[str, Any]], meta: dict[str, Any]
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _text(title[:24]),
        "submit": _text(submit),
        "close": _text(t(lang, "modal.cancel")),
        "private_metadata": json.dumps(meta),
        "blocks": blocks,
    }


def labor_modal(project: Project, *, channel: str, today: date) -> dict[str, Any]:
    """The /log-labor form: date, hours, who (users / workers / crew + headcount), overtime, task, note."""
    lang = project.language
    blocks = [
        _date("date", t(lang, "modal.labor.date"), today),
        _input("hours", t(lang, "modal.labor.hours"), optional=False, hint=t(lang, "modal.labor.hours_hint")),
        {
            "type": "input",
            "block_id": "users",
            "optional": True,
            "label": _text(t(lang, "modal.labor.users")),
            "element": {"type": "multi_users_select", "action_id": "value"},
        },
        _input("workers", t(lang, "modal.labor.workers"), hint=t(lang, "modal.labor.workers_hint")),
        _input("crew", t(lang, "modal.labor.crew")),
        _input("headcount", t(lang, "modal.labor.headcount")),
        _input("overtime", t(lang, "modal.labor.overtime")),
        _input("rate", t(lang, "modal.labor.rate"), hint="300/day · 40/hour"),
        _input("task", t(lang, "modal.task"), hint="T-12"),
        _input("note", t(lang, "modal.note"), multiline=True),
    ]
    return _modal(
        LABOR_CALLBACK,
        t(lang, "modal.labor.title"),
        t(lang, "modal.save"),
        lang,
        blocks,
        {"channel": channel},
    )


def expense_modal(project: Project, *, channel: str, today: date) -> dict[str, Any]:
    """The /expense form: amount, currency, category, vendor, date, note, receipt, task."""
    lang = project.language
    options = [{"text": _text(t(lang, f"expense.cat.{c}")), "value": c} for c in CATEGORIES]
    blocks = [
        _input("amount", t(lang, "modal.expense.amount"), optional=False, hint="1,250.50"),
        _input("currency", t(lang, "modal.expense.currency"), initial=project.currency),
        {
            "type": "input",
            "block_id": "category",
            "label": _text(t(lang, "modal.expense.category")),
            "element": {
                "type": "static_select",
                "action_id": "value",
                "options": options,
                "initial_option": options[-1],
            },
        },
        _input("vendor", t(lang, "modal.expense.vendor")),
        _date("date", t(lang, "modal.expense.date"), today),
        _input("task", t(lang, "modal.task"), hint="T-12"),
        _input("receipt", t(lang, "modal.expense.receipt"), hint="https://…"),
        _input("note", t(lang, "modal.note"), multiline=True),
    ]
    return _modal(
        EXPENSE_CALLBACK,
        t(lang, "modal.expense.title"),
        t(lang, "modal.save"),
        lang,
        blocks,
        {"channel": channel},
    )


def project_modal(project: Project | None, *, channel: str, lang: str) -> dict[str, Any]:
    """The /project form: create when the channel has no project, else its settings."""
    p = project
    blocks = []
    if p is None:
        blocks.append(_input("name", t(lang, "modal.project.name"), optional=False))
        blocks.append(_input("code", t(lang, "modal.project.code"), hint="TWA"))
    blocks += [
        _input("budget", t(lang, "modal.project.budget"), initial=format(p.budget, "f") if p else None),
        _input("currency", t(lang, "modal.expense.currency"), initial=p.currency if p else "CNY"),
        _input("tz", t(lang, "modal.project.tz"), initial=p.timezone if p else None, hint="Asia/Shanghai"),
        _input("standup", t(lang, "modal.project.standup"), initial=p.standup_time if p else "09:00"),
        _input(
            "workdays",
            t(lang, "modal.project.workdays"),
            initial="Mon-Fri" if p is None else None,
            hint="Mon-Fri · Mon-Sat · Mon,Tue,Thu",
        ),
        _input(
            "holidays",
            t(lang, "modal.project.holidays"),
            initial=(p.holidays_country if p else None),
            hint="CN · US",
        ),
        _input("lang", t(lang, "modal.project.lang"), initial=p.language if p else lang, hint="en · zh"),
    ]
    if p is None:
        return _modal(
            PROJECT_CREATE_CALLBACK,
            t(lang, "modal.project.create_title"),
            t(lang, "modal.create"),
            lang,
            blocks,
            {"channel": channel},
        )
    return _modal(
        PROJECT_SETTINGS_CALLBACK,
        t(lang, "modal.project.settings_title"),
        t(lang, "modal.save"),
        lang,
        blocks,
        {"channel": channel},
    )

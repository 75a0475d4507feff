"""Modal forms: add a task, register a risk, update progress, edit a recorded statement."""

from __future__ import annotations

import json
from typing import Any

from bot.views.catalog import t

TASK_FORM = "rec_task_add"
RISK_FORM = "rec_risk_add"
PROGRESS_FORM = "rec_task_progress_form"
EDIT_FORM = "rec_edit_form"


def _text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:150]}


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str | None = None
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": _text(label),
        "element": element | {"action_id": "value"},
        "optional": optional,
    }
    if hint:
        block["hint"] = _text(hint)
    return block


def _text_input(
    initial: str | None = None, *, multiline: bool = False, max_length: int = 300
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial
    return element


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": _text(text), "value": value}


def _modal(
    callback_id: str, title: str, submit: str, lang: str, blocks: list[dict[str, Any]], meta: Any
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _text(title[:24]),
        "submit": _text(submit),
        "close": _text(t(lang, "rec.modal.cancel")),
        "private_metadata": json.dumps(meta),
        "blocks": blocks,
    }


def task_form(*, lang: str, channel: str) -> dict[str, Any]:
    """The add-task form that `/task` with no text opens."""
    blocks = [
        _input(
            "key",
            t(lang, "rec.modal.task_key"),
            _text_input(max_length=24),
            hint=t(lang, "rec.modal.task_key_hint"),
        ),
        _input("title", t(lang, "rec.modal.task_title"), _text_input()),
        _input("owner", t(lang, "rec.modal.owner"), {"type": "users_select"}, optional=True),
        _input("start", t(lang, "rec.modal.start"), {"type": "datepicker"}, optional=True),
        _input("due", t(lang, "rec.modal.due"), {"type": "datepicker"}, optional=True),
        _input("weight", t(lang, "rec.modal.weight"), _text_input("1", max_length=8), optional=True),
    ]
    return _modal(
        TASK_FORM,
        t(lang, "rec.modal.task_title_bar"),
        t(lang, "rec.modal.add"),
        lang,
        blocks,
        {"c": channel, "l": lang},
    )


def risk_form(*, lang: str, channel: str) -> dict[str, Any]:
    """The register-risk form that `/risk` with no text opens."""
    levels = [_option(t(lang, f"rec.modal.level{n}"), str(n)) for n in range(1, 6)]
    kinds = [
        _option(t(lang, "risk.kind.tech"), "tech"),
        _option(t(lang, "risk.kind.management"), "management"),
    ]
    blocks = [
        _input("title", t(lang, "rec.modal.risk_title"), _text_input()),
        _input(
            "kind",
            t(lang, "rec.modal.kind"),
            {"type": "static_select", "options": kinds, "initial_option": kinds[0]},
        ),
        _input(
            "probability",
            t(lang, "rec.modal.probability"),
            {"type": "static_select", "options": levels, "initial_option": levels[2]},
        ),
        _input(
            "impact",
            t(lang, "rec.modal.impact"),
            {"type": "static_select", "options": levels, "initial_option": levels[2]},
        ),
        _input("owner", t(lang, "rec.modal.owner"), {"type": "users_select"}, optional=True),
        _input(
            "mitigation",
            t(lang, "rec.modal.mitigation"),
            _text_input(multiline=True, max_length=2000),
            optional=True,
        ),
    ]
    return _modal(
        RISK_FORM,
        t(lang, "rec.modal.risk_title_bar"),
        t(lang, "rec.modal.add"),
        lang,
        blocks,
        {"c": channel, "l": lang},
    )


def progress_form(
    *, lang: str, channel: str, key: str, progress: int, confirmation_ts: str | None
) -> dict[str, Any]:
    """Ask for a task's progress, 0-100."""
    element = {
        "type": "number_input",
        "is_decimal_allowed": False,
        "min_value": "0",
        "max_value": "100",
        "initial_value": str(progress),
    }
    blocks = [_input("progress", t(lang, "rec.modal.progress", task=key), element)]
    meta = {"c": channel, "k": key, "m": confirmation_ts, "l": lang}
    return _modal(
        PROGRESS_FORM, t(lang, "rec.modal.progress_title_bar"), t(lang, "rec.modal.save"), lang, blocks, meta
    )


def edit_form(
    *, lang: str, channel: str, ts: str, kind: str, statement: str, confirmation_ts: str | None
) -> dict[str, Any]:
    """Correct a recorded labor or expense statement; the text is read as `/log-labor` or `/expense` would."""
    label = t(lang, "rec.modal.edit_labor" if kind == "labor" else "rec.modal.edit_expense")
    blocks = [
        _input(
            "statement",
            label,
            _text_input(statement, max_length=500),
            hint=t(lang, f"rec.modal.edit_hint_{kind}"),
        )
    ]
    meta = {"c": channel, "ts": ts, "kind": kind, "m": confirmation_ts, "l": lang}
    return _modal(
        EDIT_FORM, t(lang, "rec.modal.edit_title_bar"), t(lang, "rec.modal.save"), lang, blocks, meta
    )

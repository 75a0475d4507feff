"""The en/zh message catalog: every user-facing string, merged from one module per product area.

Templates are trusted markup (their `<@{user}>` is a mention Foreman means); parameters are raw text,
escaped on the way out (bot/views/mrkdwn.py).

Each module in this package defines `EN` and `ZH` dicts; a key may be defined by one module only.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import Any

from bot.views.mrkdwn import template

LANGS = ("en", "zh")


@cache
def catalog() -> dict[str, dict[str, str]]:
    """All strings by language, checked for duplicate and missing keys."""
    merged: dict[str, dict[str, str]] = {"en": {}, "zh": {}}
    owner: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for lang, table in (("en", module.EN), ("zh", module.ZH)):
            for key, text in table.items():
                if key in merged[lang]:
                    raise RuntimeError(f"catalog key {key!r} defined by {owner[key]} and {info.name}")
                merged[lang][key] = template(text)
                owner[key] = info.name
    missing = set(merged["en"]) ^ set(merged["zh"])
    if missing:
        raise RuntimeError(f"catalog keys missing a translation: {sorted(missing)}")
    return merged


def t(lang: str | None, key: str, **params: Any) -> str:
    """The string for `key` in `lang` (en when unknown), formatted with `params`."""
    table = catalog()["zh" if lang == "zh" else "en"]
    return table[key].format(**params) if params else table[key]

"""Plain-text replies to commands and messages."""

from __future__ import annotations

from bot.services.errors import ForemanError
from bot.views.catalog import t


def error_text(lang: str, err: ForemanError, usage: str | None = None) -> str:
    """A refusal in the user's language, with a usage example when given."""
    try:
        text = t(lang, err.key, **err.params)
    except KeyError:
        text = t(lang, "error.generic")
    if usage:
        text += "\n" + t(lang, "usage.prefix") + " " + usage
    return text

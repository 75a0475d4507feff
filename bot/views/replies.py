"""Plain-text replies to commands and messages."""

from __future__ import annotations

from bot.services.errors import ForemanError, PermissionDenied
from bot.views.catalog import t
from bot.views.project_views import role_name


def error_text(lang: str, err: ForemanError, usage: str | None = None) -> str:
    """A refusal in the user's language, with a usage example when given."""
    params = dict(err.params)
    if isinstance(err, PermissionDenied):
        # Roles travel as their codes (`foreman / tech`); the reader sees them in their language (班组长).
        params["role"] = " / ".join(role_name(r, lang) for r in str(params.get("role", "pm")).split(" / "))
        params["have"] = role_name(str(params.get("have", "member")), lang)
    try:
        text = t(lang, err.key, **params)
    except KeyError:
        text = t(lang, "error.generic")
    if usage:
        text += "\n" + t(lang, "usage.prefix") + " " + usage
    return text

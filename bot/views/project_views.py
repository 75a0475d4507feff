"""Replies about projects."""

from __future__ import annotations

from bot.views.catalog import t
from bot.views.format import money
from storage.models import Project


def created_text(project: Project, user_id: str) -> str:
    """The announcement that the channel now has a project."""
    lang = project.language
    return t(
        lang,
        "project.created",
        name=project.name,
        code=project.code,
        user=f"<@{user_id}>",
        budget=money(project.budget, project.currency),
        tz=project.timezone,
        standup=project.standup_time,
    )

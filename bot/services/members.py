"""The workspace's members by name, so a plain `@ana` that Slack did not turn into `<@U…>` still names ana.

Loaded from users.list once per workspace (outside any database transaction), kept in memory and refreshed
for one user on each `user_change` event.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
_AT_NAME = re.compile(r"(?<![<\w@|])@([\w.\-\u4e00-\u9fff]+)")


class Directory:
    """Member ids by lower-cased handle, display name and real name, per workspace."""

    def __init__(self) -> None:
        self._by_team: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    def names(self, client: WebClient, team_id: str) -> dict[str, str]:
        """The workspace's name → user id table (asks Slack the first time)."""
        with self._lock:
            known = self._by_team.get(team_id)
        if known is not None:
            return known
        table: dict[str, str] = {}
        cursor = None
        try:
            while True:
                page = client.users_list(limit=200, cursor=cursor) if cursor else client.users_list(limit=200)
                for user in page.get("members") or []:
                    _add(table, user)
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except SlackApiError as exc:
            log.warning("users.list failed: %s", exc.response.get("error"))
            return table
        with self._lock:
            self._by_team[team_id] = table
        return table

    def changed(self, team_id: str, user: dict[str, Any]) -> None:
        """A user_change event: their names now point at them (and old names no longer do)."""
        with self._lock:
            table = self._by_team.get(team_id)
            if table is None:
                return
            for name in [n for n, uid in table.items() if uid == user.get("id")]:
                del table[name]
            _add(table, user)

    def resolve(self, client: WebClient, team_id: str, text: str) -> str:
        """`text` with each `@name` of a workspace member written as that member's `<@U…>`."""
        if "@" not in _AT_NAME.sub("@", text.replace("<@", "")):
            return text
        table = self.names(client, team_id)

        def swap(match: re.Match[str]) -> str:
            uid = table.get(match.group(1).lower())
            return f"<@{uid}>" if uid else match.group(0)

        return _AT_NAME.sub(swap, text)


def _add(table: dict[str, str], user: dict[str, Any]) -> None:
    if user.get("deleted") or user.get("is_bot") or not user.get("id"):
        return
    profile = user.get("profile") or {}
    for name in (
        user.get("name"),
        profile.get("display_name"),
        profile.get("real_name"),
        user.get("real_name"),
    ):
        if name:
            table.setdefault(str(name).lower().replace(" ", ""), str(user["id"]))

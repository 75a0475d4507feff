"""The small hierarchy of domain errors; listeners turn them into words through the catalog."""

from __future__ import annotations

from typing import Any


class ForemanError(Exception):
    """A refusal the user should read: `key` names a catalog string, `params` fill it."""

    key = "error.generic"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(f"{self.key} {params}")


class InvalidInput(ForemanError):
    """The text or form could not be understood; nothing was stored."""

    key = "error.invalid"


class NoProject(ForemanError):
    """The channel has no project yet."""

    key = "error.no_project"


class PermissionDenied(ForemanError):
    """The user lacks the role needed; params carry `role`."""

    key = "error.permission"


class NotFound(ForemanError):
    """An id that does not exist in this workspace's project."""

    key = "error.not_found"


class Conflict(ForemanError):
    """The change clashes with what is stored (duplicate key, existing project)."""

    key = "error.conflict"


class Locked(ForemanError):
    """The entry belongs to an approved (locked) week."""

    key = "error.locked"

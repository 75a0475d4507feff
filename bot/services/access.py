"""Roles (product §1): who may do what in a project."""

from __future__ import annotations

from sqlmodel import Session

from bot.services import cache
from bot.services.errors import PermissionDenied
from storage.models import Project

ROLES = ("pm", "tech", "foreman", "member")
# What each role may do besides its own records; pm may do everything.
_RANK = {"member": 0, "foreman": 1, "tech": 1, "pm": 3}


def role_of(session: Session, *, project: Project, user_id: str, is_admin: bool = False) -> str:
    """The user's role in the project; workspace admins are pm of every project."""
    if is_admin:
        return "pm"
    return cache.of(session, project).roles.get(user_id) or "member"


def require(
    session: Session, *, project: Project, user_id: str, roles: tuple[str, ...], is_admin: bool = False
) -> str:
    """The user's role if it is one of `roles` (pm always passes); else PermissionDenied naming the role."""
    role = role_of(session, project=project, user_id=user_id, is_admin=is_admin)
    if role == "pm" or role in roles:
        return role
    raise PermissionDenied(role=" / ".join(roles) or "pm", have=role)

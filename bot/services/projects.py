"""Projects: creation, lookup by channel, settings."""

from __future__ import annotations

from sqlmodel import Session, func, select

from bot.parsing.project_command import ProjectSpec, default_code
from bot.services import audit
from bot.services.errors import Conflict, NoProject
from storage.models import Member, Project


def project_for_channel(session: Session, *, team_id: str, channel_id: str) -> Project | None:
    """The project bound to a channel of this workspace, if any."""
    return session.exec(
        select(Project).where(Project.team_id == team_id, Project.channel_id == channel_id)
    ).first()


def require_project(session: Session, *, team_id: str, channel_id: str) -> Project:
    """The channel's project, or NoProject (the user is told how to create one)."""
    project = project_for_channel(session, team_id=team_id, channel_id=channel_id)
    if project is None:
        raise NoProject()
    return project


def _free_code(session: Session, team_id: str, base: str) -> str:
    taken = set(session.exec(select(Project.code).where(Project.team_id == team_id)).all())
    if base not in taken:
        return base
    n = 2
    while f"{base[:8]}{n}" in taken:
        n += 1
    return f"{base[:8]}{n}"


def create_project(
    session: Session, *, team_id: str, channel_id: str, user_id: str, spec: ProjectSpec
) -> Project:
    """Bind the channel to a new project; its creator becomes its pm."""
    if project_for_channel(session, team_id=team_id, channel_id=channel_id) is not None:
        raise Conflict("project.exists")
    values = dict(spec.values)
    code = values.pop("code", None)
    if code is not None:
        clash = session.exec(
            select(func.count()).select_from(Project).where(Project.team_id == team_id, Project.code == code)
        ).one()
        if clash:
            raise Conflict("project.code_taken", code=code)
    else:
        code = _free_code(session, team_id, default_code(spec.name or "P"))
    project = Project(
        team_id=team_id,
        channel_id=channel_id,
        name=spec.name or code,
        code=code,
        created_by=user_id,
        **values,
    )
    session.add(project)
    session.flush()
    session.add(Member(team_id=team_id, project_id=project.pk, user_id=user_id, role="pm"))
    audit.record(
        session,
        team_id=team_id,
        project_id=project.pk,
        actor=user_id,
        action="create",
        entity="project",
        entity_id=project.id,
        after=project,
    )
    return project

"""Projects: creation, lookup by channel, settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from sqlmodel import Session, SQLModel, col, func, select

from bot.parsing.project_command import ProjectSpec, default_code
from bot.services import audit, cache
from bot.services.access import ROLES, require
from bot.services.errors import Conflict, InvalidInput, NoProject
from storage.models import BudgetLine, Crew, Expense, LaborEntry, Member, Project, Worker
from storage.types import utcnow

R = TypeVar("R", bound=SQLModel)


# Who may create or change each kind of setting row (a pm passes every role check).
_SET_BY: dict[type[SQLModel], tuple[str, ...]] = {
    BudgetLine: (),
    Member: (),
    Crew: ("foreman",),
    Worker: ("foreman",),
}


def _audit_set(
    session: Session, project: Project, actor: str, entity: str, row: Any, *, before: Any, after: Any = None
) -> None:
    """Audit a settings change: the row (or the fields given as `after`) before and after."""
    audit.record(
        session,
        project=project,
        actor=actor,
        action="set",
        entity=entity,
        entity_id=getattr(row, "id", None),
        before=before,
        after=row if after is None else after,
    )


def _upsert(
    session: Session,
    model: type[R],
    match: dict[str, Any],
    change: Callable[[R], None],
    *,
    project: Project,
    actor: str,
    is_admin: bool,
) -> R:
    """The one path of every project setting row: role check, find by `match` or create, change, audit."""
    require(session, project=project, user_id=actor, roles=_SET_BY[model], is_admin=is_admin)
    columns = cast(Any, model)
    found = session.exec(
        select(model).where(
            columns.project_id == project.pk, *(getattr(columns, k) == v for k, v in match.items())
        )
    ).first()
    before = audit.snapshot(found)
    row = found if found is not None else model(team_id=project.team_id, project_id=project.pk, **match)
    change(row)
    session.add(row)
    session.flush()
    _audit_set(session, project, actor, str(model.__tablename__).removesuffix("s"), row, before=before)
    return row


def local_date(project: Project, instant: datetime) -> date:
    """The date an instant falls on in the project's timezone."""
    return instant.astimezone(ZoneInfo(project.timezone)).date()


def project_for_channel(session: Session, *, team_id: str, channel_id: str) -> Project | None:
    """The project bound to a channel of this workspace, if any (read through the per-process cache)."""
    return cache.project_for_channel(session, team_id=team_id, channel_id=channel_id)


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
    session: Session,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    spec: ProjectSpec,
    now: datetime | None = None,
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
        created_at=now or utcnow(),
        **values,
    )
    session.add(project)
    session.flush()
    session.add(Member(team_id=team_id, project_id=project.pk, user_id=user_id, role="pm"))
    audit.record(
        session,
        project=project,
        actor=user_id,
        action="create",
        entity="project",
        entity_id=project.id,
        after=project,
    )
    return project


def update_settings(
    session: Session, *, project: Project, actor: str, is_admin: bool, values: dict[str, Any]
) -> Project:
    """Change project settings (pm only); the audit log keeps the fields before and after."""
    require(session, project=project, user_id=actor, roles=(), is_admin=is_admin)
    code = values.get("code")
    if code is not None and code != project.code:
        clash = session.exec(
            select(func.count())
            .select_from(Project)
            .where(Project.team_id == project.team_id, Project.code == code, Project.id != project.id)
        ).one()
        if clash:
            raise Conflict("project.code_taken", code=code)
    new_currency = values.get("currency")
    if new_currency is not None and new_currency != project.currency and has_records(session, project):
        # Earlier records would silently drop out of cost and alerts (or be read in the wrong money).
        raise Conflict("books.currency_locked", currency=project.currency, new=new_currency)
    before = {k: getattr(project, k) for k in values}
    for key, value in values.items():
        setattr(project, key, value)
    session.add(project)
    session.flush()
    _audit_set(
        session,
        project,
        actor,
        "project",
        project,
        before=before,
        after={k: getattr(project, k) for k in values},
    )
    return project


def has_records(session: Session, project: Project) -> bool:
    """Whether any labor entry or expense (void or not) belongs to the project."""
    for model in (LaborEntry, Expense):
        if session.exec(select(model.id).where(model.project_id == project.pk).limit(1)).first() is not None:
            return True
    return False


def budget_lines_over_total(session: Session, project: Project) -> Decimal | None:
    """The sum of the budget lines when it exceeds the total budget, else None."""
    lines = session.exec(select(BudgetLine).where(BudgetLine.project_id == project.pk)).all()
    total = sum((Decimal(line.amount) for line in lines), Decimal(0))
    return total if total > Decimal(project.budget) else None


def set_budget_line(
    session: Session, *, project: Project, actor: str, is_admin: bool, category: str, amount: Decimal
) -> BudgetLine:
    """Create or change the budget of one category (pm only)."""

    def change(line: BudgetLine) -> None:
        line.amount = amount

    return _upsert(
        session, BudgetLine, {"category": category}, change, project=project, actor=actor, is_admin=is_admin
    )


def set_role(
    session: Session, *, project: Project, actor: str, is_admin: bool, user_id: str, role: str
) -> Member:
    """Give a user a role in the project (pm only); the last pm cannot step down."""

    def change(member: Member) -> None:
        if role not in ROLES:
            raise InvalidInput("project.bad_field", field="role", value=role)
        if member.id is not None and member.role == "pm" and role != "pm":
            pms = session.exec(
                select(func.count())
                .select_from(Member)
                .where(Member.project_id == project.pk, Member.role == "pm")
            ).one()
            if pms <= 1:
                raise Conflict("project.last_pm")
        member.role = role

    return _upsert(
        session, Member, {"user_id": user_id}, change, project=project, actor=actor, is_admin=is_admin
    )


def upsert_crew(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    name: str,
    rate: tuple[Decimal, str] | None = None,
    lead: str | None = None,
) -> Crew:
    """Create or change a crew (foreman or pm)."""

    def change(crew: Crew) -> None:
        if rate is not None:
            crew.rate, crew.rate_unit = rate
        if lead is not None:
            crew.lead_user_id = lead

    return _upsert(session, Crew, {"name": name}, change, project=project, actor=actor, is_admin=is_admin)


def upsert_worker(
    session: Session,
    *,
    project: Project,
    actor: str,
    is_admin: bool,
    name: str,
    crew: str | None = None,
    rate: tuple[Decimal, str] | None = None,
) -> Worker:
    """Create or change a named worker, optionally in a crew (created when new; foreman or pm)."""

    def change(worker: Worker) -> None:
        if rate is not None:
            worker.rate, worker.rate_unit = rate
        if crew is not None:
            worker.crew_id = upsert_crew(
                session, project=project, actor=actor, is_admin=is_admin, name=crew
            ).id

    return _upsert(session, Worker, {"name": name}, change, project=project, actor=actor, is_admin=is_admin)


@dataclass(frozen=True)
class Status:
    """What `/project status` shows."""

    project: Project
    budget_lines: list[BudgetLine]
    members: dict[str, list[str]]
    crews: int
    workers: int


def status(session: Session, *, project: Project) -> Status:
    """The project's summary: budget lines, members by role, crew and worker counts."""
    lines = list(
        session.exec(
            select(BudgetLine).where(BudgetLine.project_id == project.pk).order_by(BudgetLine.category)
        )
    )
    members: dict[str, list[str]] = {role: [] for role in ROLES}
    for member in session.exec(
        select(Member).where(Member.project_id == project.pk).order_by(col(Member.id))
    ):
        members.setdefault(member.role, []).append(member.user_id)
    crews = session.exec(select(func.count()).select_from(Crew).where(Crew.project_id == project.pk)).one()
    workers = session.exec(
        select(func.count()).select_from(Worker).where(Worker.project_id == project.pk)
    ).one()
    return Status(project=project, budget_lines=lines, members=members, crews=crews, workers=workers)


def find_by_code(session: Session, *, code: str, team_id: str | None = None) -> list[Project]:
    """Projects with this code (in one workspace when given)."""
    query = select(Project).where(func.upper(Project.code) == code.upper())
    if team_id is not None:
        query = query.where(Project.team_id == team_id)
    return list(session.exec(query.order_by(col(Project.id))).all())

"""/project: create and configure the channel's project; no text opens the form."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.commands.core import Ctx, Decision, Request
from bot.commands.router import Handler, Route, help_handler
from bot.parsing.project_command import (
    ProjectSpec,
    parse_budget_line,
    parse_create,
    parse_people,
    parse_role,
    parse_set,
)
from bot.parsing.record_commands import normalize_mentions
from bot.services import profiles, projects
from bot.services.errors import ForemanError
from bot.views import modals_records, project_views
from storage.models import Project

WORDS = {
    "create": "create", "新建": "create", "创建": "create",
    "set": "set", "设置": "set",
    "budget": "budget", "预算": "budget",
    "role": "role", "角色": "role",
    "crew": "crew", "班组": "crew",
    "worker": "worker", "工人": "worker",
    "status": "status", "状态": "status",
    "help": "help", "帮助": "help",
}  # fmt: skip


def _read_create(services: Services, client: WebClient, req: Request, rest: str, lang: str) -> ProjectSpec:
    """The create spec, defaulting the language to the one typed and the timezone to the user's."""
    spec = parse_create(rest, now=services.clock(), tz="UTC")
    spec.values.setdefault("language", lang)
    if "timezone" not in spec.values:
        user = profiles.lookup(services, client, team_id=req.who.team_id, user_id=req.who.user_id)
        spec.values["timezone"] = user.timezone or "UTC"
    return spec


def create_here(ctx: Ctx, spec: ProjectSpec) -> str:
    """Create the channel's project (from the command or the form); the announcement."""
    who = ctx.req.who
    project = projects.create_project(
        ctx.session,
        team_id=who.team_id,
        channel_id=str(who.channel_id),
        user_id=who.user_id,
        spec=spec,
        now=ctx.now,
    )
    return project_views.created_text(project, who.user_id)


def _create(ctx: Ctx) -> Decision:
    return Decision(create_here(ctx, ctx.prepared), public=True)


def _status(ctx: Ctx) -> str:
    return project_views.status_text(projects.status(ctx.session, project=ctx.proj), lang=ctx.lang)


def _settings(ctx: Ctx, values: dict[str, Any]) -> Decision:
    before = {k: getattr(ctx.proj, k) for k in values}
    projects.update_settings(ctx.session, **ctx.common, values=values)
    return Decision(project_views.set_text(before, ctx.proj, lang=ctx.lang), public=True)


def _set(ctx: Ctx) -> Decision:
    return _settings(ctx, parse_set(ctx.rest, now=ctx.now, tz=ctx.proj.timezone))


def _budget(ctx: Ctx) -> Decision:
    category, amount, currency = parse_budget_line(ctx.rest)
    if category is None:
        return _settings(ctx, {"budget": amount} | ({"currency": currency} if currency else {}))
    line = projects.set_budget_line(ctx.session, **ctx.common, category=category, amount=amount)
    return Decision(project_views.budget_line_text(line, ctx.proj, lang=ctx.lang), public=True)


def _role(ctx: Ctx) -> Decision:
    user, role = parse_role(ctx.rest)
    member = projects.set_role(ctx.session, **ctx.common, user_id=user, role=role)
    return Decision(project_views.role_text(member, ctx.proj, lang=ctx.lang), public=True)


def _crew(ctx: Ctx) -> Decision:
    spec = parse_people(ctx.rest, kind="crew")
    crew = projects.upsert_crew(ctx.session, **ctx.common, name=spec.name, rate=spec.rate, lead=spec.lead)
    return Decision(project_views.crew_text(crew, ctx.proj, lang=ctx.lang), public=True)


def _worker(ctx: Ctx) -> Decision:
    spec = parse_people(ctx.rest, kind="worker")
    worker = projects.upsert_worker(ctx.session, **ctx.common, name=spec.name, rate=spec.rate, crew=spec.crew)
    return Decision(project_views.worker_text(worker, spec.crew, ctx.proj, lang=ctx.lang), public=True)


def form(services: Services, session: Session, req: Request, project: Project | None) -> Decision:
    """The create form when the channel has no project, else its settings form."""
    lang = project.language if project is not None else "en"
    return Decision(view=modals_records.project_modal(project, channel=str(req.who.channel_id), lang=lang))


def _usage(sub: str | None, err: ForemanError, syntax: bool) -> str | None:
    if not syntax:
        return None
    return "usage.project_create" if sub == "create" else "usage.project"


ROUTE = Route(
    command="/project",
    words=WORDS,
    handlers={
        "help": help_handler("project.help"),
        "create": Handler(_create, needs_project=False, prepare=_read_create),
        "status": Handler(_status, writes=False),
        "set": Handler(_set),
        "budget": Handler(_budget),
        "role": Handler(_role),
        "crew": Handler(_crew),
        "worker": Handler(_worker),
        None: help_handler("project.help"),
    },
    usage=_usage,
    form=form,
    normalize=lambda text: normalize_mentions(text.strip()),
)
